// A synchronous, size-rotated log file: child output logs and the activity log write through it.
//
// Rotation follows Supervisor 4.2.5: the whole chunk is written first (never split), then, if the
// file has reached maxBytes, it is renamed to NAME.1 (NAME.1 -> NAME.2 ... up to NAME.<backups>,
// the oldest dropped) and a new empty NAME is started. backups=0 truncates NAME in place, so its
// content is discarded, exactly as the reference does. maxBytes=0 never rotates.
//
// Ours: `period` also rotates at each local hour or day (./rotation-schedule.ts), through the
// same renames; the first write after a boundary goes to the new file. An empty file is not
// rotated at a boundary, so the backups of a quiet program keep its last output.
//
// Differences from the reference, on purpose: /dev/stdout and /dev/stderr write to the daemon's
// own fd 1/2 (the reference reopens the path and then crashes with "Illegal seek" when it tries
// to rotate a pipe or tty); FIFOs, ttys and other non-regular files are never rotated nor
// unlinked; write errors are reported to a callback instead of escaping into the event loop.
import { SupervisorError } from '../../common/errors.js';
import fs from 'node:fs';
import type { RotationPeriod } from '../../config/types.js';
import { REAL_LOG_TIME, RotationSchedule, type LogTime } from './rotation-schedule.js';
import { writeFully } from './write-fully.js';

export type LogFileOperation = 'write' | 'rotate' | 'reopen';

/** Told about a failure the writer survived; repeated identical failures are reported once. */
export type LogFileErrorHandler = (error: NodeJS.ErrnoException, operation: LogFileOperation, path: string) => void;

export interface RotatingFileOptions {
  /** Rotate once the file holds at least this many bytes; 0 (the default) never rotates. */
  maxBytes?: number;
  /** How many rotated files NAME.1 … NAME.N to keep. */
  backups?: number;
  /** Defaults to a line on the daemon's stderr. */
  onError?: LogFileErrorHandler;
  /** Also rotate at each local hour or day (ours); null or absent: by size only. */
  period?: RotationPeriod | null;
  /** The timers and time of day `period` uses; the real ones by default. */
  time?: LogTime;
}

/** regular: a file we may rotate; stream: FIFO, tty, device; inherited: the daemon's fd 1 or 2. */
type TargetKind = 'regular' | 'stream' | 'inherited';

interface OpenTarget {
  fd: number;
  kind: TargetKind;
  size: number;
}

const INHERITED_FDS: ReadonlyMap<string, number> = new Map([
  ['/dev/stdout', 1],
  ['/dev/stderr', 2],
]);

const APPEND_FLAGS = fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT;

function openTarget(path: string, truncate = false): OpenTarget {
  const inheritedFd = INHERITED_FDS.get(path);
  if (inheritedFd !== undefined) return { fd: inheritedFd, kind: 'inherited', size: 0 };
  let flags = APPEND_FLAGS | (truncate ? fs.constants.O_TRUNC : 0);
  // A blocking open of a FIFO waits for a reader and would freeze the daemon; without a
  // reader the non-blocking open fails with ENXIO instead, reported like any open failure.
  if (fs.statSync(path, { throwIfNoEntry: false })?.isFIFO()) flags |= fs.constants.O_NONBLOCK;
  const fd = fs.openSync(path, flags, 0o666);
  try {
    const stats = fs.fstatSync(fd);
    return stats.isFile() ? { fd, kind: 'regular', size: stats.size } : { fd, kind: 'stream', size: 0 };
  } catch (error) {
    fs.closeSync(fd);
    throw error;
  }
}

function ignoreMissing(action: () => void): void {
  try {
    action();
  } catch (caught) {
    if ((caught as NodeJS.ErrnoException).code !== 'ENOENT') throw caught;
  }
}

/** As the reference: drop the destination, then rename; either side may vanish meanwhile. */
function removeAndRename(source: string, destination: string): void {
  if (fs.existsSync(destination)) ignoreMissing(() => fs.unlinkSync(destination));
  ignoreMissing(() => fs.renameSync(source, destination));
}

function reportToStderr(error: NodeJS.ErrnoException, operation: LogFileOperation, path: string): void {
  writeFully(2, Buffer.from(`supervisord: cannot ${operation} log file ${path}: ${error.message}\n`));
}

function closedError(path: string): SupervisorError {
  return new SupervisorError('LOG_IO', `log file ${path} is closed`);
}

export class RotatingFile {
  readonly path: string;
  readonly maxBytes: number;
  readonly backups: number;
  private readonly onError: LogFileErrorHandler;
  /** null after a failed reopen: each write then retries opening the path. */
  private fd: number | null;
  private kind: TargetKind;
  private bytes: number;
  private closed = false;
  /**
   * The error last reported per operation, so a persistent failure is reported once; made at the
   * first failure (every child has two of these files, and most never fail).
   */
  private failing: Map<LogFileOperation, string> | null = null;
  private readonly schedule: RotationSchedule | null;

  /** Opens (creating, never its directory) `path` for appending; throws the open error. */
  constructor(path: string, options: RotatingFileOptions = {}) {
    this.path = path;
    this.maxBytes = options.maxBytes ?? 0;
    this.backups = options.backups ?? 0;
    this.onError = options.onError ?? reportToStderr;
    const target = openTarget(path);
    this.fd = target.fd;
    this.kind = target.kind;
    this.bytes = target.size;
    this.schedule = options.period
      ? new RotationSchedule(options.period, options.time ?? REAL_LOG_TIME, () => this.rotateAtBoundary())
      : null;
  }

  /**
   * Bytes in the current file: measured after each write when rotating, otherwise the size at
   * opening plus what this writer wrote (for a FIFO, tty or inherited fd: bytes written since opening).
   */
  get size(): number {
    return this.bytes;
  }

  /** Only regular files with maxBytes > 0 rotate. */
  get rotates(): boolean {
    return this.kind === 'regular' && this.maxBytes > 0;
  }

  /**
   * Writes every byte before returning, then rotates if the file reached maxBytes.
   * Returns false when the data (or part of it) could not be written; the error went to onError.
   * With a period, `now` says which period the data belongs to (by default, the time of the write).
   */
  write(data: Buffer | string, now?: number): boolean {
    if (this.closed) return this.fail(closedError(this.path), 'write');
    if (this.schedule?.passed(now)) this.rotateAtBoundary();
    const fd = this.fd ?? this.attach('write');
    if (fd === null) return false;
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    const outcome = writeFully(fd, bytes);
    this.bytes = this.rotates ? this.currentSize(fd, outcome.written) : this.bytes + outcome.written;
    if (this.rotates && this.bytes >= this.maxBytes) this.rotate();
    if (outcome.error) return this.fail(outcome.error, 'write');
    this.failing?.delete('write');
    return true;
  }

  /**
   * Closes and reopens the same path in append mode (SIGUSR2, after logrotate moved the file).
   * On failure the error goes to onError, false is returned and each later write retries.
   */
  reopen(): boolean {
    this.closed = false;
    this.schedule?.start();
    if (this.kind === 'inherited') return true;
    this.closeFd();
    return this.attach('reopen') !== null;
  }

  /**
   * The reference's removelogs: delete NAME (backups are kept) and start a new empty NAME.
   * Non-regular targets are left alone. Throws if NAME cannot be removed (the RPC reports FAILED).
   */
  clear(): void {
    if (this.kind !== 'regular') return;
    this.closeFd();
    try {
      ignoreMissing(() => fs.unlinkSync(this.path));
    } finally {
      this.closed = false;
      this.attach('reopen');
    }
  }

  /** Releases the file; the daemon's own stdout/stderr are never closed. */
  close(): void {
    this.schedule?.stop();
    this.closeFd();
    this.closed = true;
  }

  /**
   * The reference asks the file position after each write; with O_APPEND that is the file size,
   * which also counts what other writers appended or a truncation by logrotate's copytruncate.
   */
  private currentSize(fd: number, written: number): number {
    try {
      return fs.fstatSync(fd).size;
    } catch {
      return this.bytes + written;
    }
  }

  /** A boundary passed: rotate a regular file that holds something. */
  private rotateAtBoundary(): void {
    if (this.closed || this.fd === null || this.kind !== 'regular') return;
    if (this.currentSize(this.fd, 0) > 0) this.rotate();
  }

  private rotate(): void {
    try {
      if (this.backups > 0) {
        for (let index = this.backups - 1; index > 0; index -= 1) {
          const source = `${this.path}.${index}`;
          if (fs.existsSync(source)) removeAndRename(source, `${this.path}.${index + 1}`);
        }
        removeAndRename(this.path, `${this.path}.1`);
      }
      // Truncating matters only for backups=0, where NAME was not renamed away.
      const target = openTarget(this.path, true);
      this.closeFd();
      this.fd = target.fd;
      this.kind = target.kind;
      this.bytes = target.size;
      this.failing?.delete('rotate');
    } catch (caught) {
      // Keep writing to the current fd: a failed rotation must not lose output.
      this.fail(caught as NodeJS.ErrnoException, 'rotate');
    }
  }

  /** Opens the path again; returns the new fd, or null after reporting the failure. */
  private attach(operation: LogFileOperation): number | null {
    try {
      const target = openTarget(this.path);
      this.fd = target.fd;
      this.kind = target.kind;
      this.bytes = target.size;
      this.failing?.delete(operation);
      return target.fd;
    } catch (caught) {
      this.fd = null;
      this.fail(caught as NodeJS.ErrnoException, operation);
      return null;
    }
  }

  private closeFd(): void {
    if (this.fd !== null && this.kind !== 'inherited') {
      try {
        fs.closeSync(this.fd);
      } catch {
        // Already unusable (e.g. EBADF); there is nothing left to release.
      }
    }
    if (this.kind !== 'inherited') this.fd = null;
  }

  private fail(error: NodeJS.ErrnoException, operation: LogFileOperation): false {
    const key = error.code ?? error.message;
    this.failing ??= new Map();
    if (this.failing.get(operation) !== key) {
      this.failing.set(operation, key);
      this.onError(error, operation, this.path);
    }
    return false;
  }
}
