// The daemon's own log (the "activity log"): level filtering, the reference's line layout, a
// rotated file and, in nodaemon mode, an echo of every line on stdout.
//
// Messages logged before open() are kept and written when the targets exist, most severe first
// (the reference collects its startup criticals, warnings and infos and logs them in that order
// right after creating its logger). logfile=syslog sends every line through ./syslog.ts.
import type { LogLevelName, RotationPeriod, SupervisordConfig } from '../../config/types.js';
import fs from 'node:fs';
import { describeError, SupervisorError } from '../../common/errors.js';
import { formatActivityLine } from './activity-line.js';
import { LogFile } from './log-file.js';
import { LOG_LEVEL_NUMBERS } from './log-levels.js';
import { RotatingFile, type LogFileErrorHandler } from './rotating-file.js';
import type { LogTime } from './rotation-schedule.js';
import type { Syslog } from './syslog.js';
import { writeFully } from './write-fully.js';

export interface ActivityLogTargets {
  /** A path, or null for logfile=NONE. */
  logfile: string | null;
  maxBytes: number;
  backups: number;
  /** logfile_rotate= (ours): also rotate at each local hour or day. */
  rotate?: RotationPeriod | null;
  /** The timers and time of day `rotate` uses; the real ones by default. */
  time?: LogTime;
  /** nodaemon and not silent: every line also goes to stdout. */
  echoToStdout: boolean;
  /** Failures writing the log file; defaults to a line on stderr. */
  onError?: LogFileErrorHandler;
  /** Where lines go when logfile is "syslog". */
  syslog?: Syslog;
}

/** The targets [supervisord] asks for. */
export function activityLogTargets(config: SupervisordConfig): ActivityLogTargets {
  return {
    logfile: config.logfile,
    maxBytes: config.logfileMaxbytes,
    backups: config.logfileBackups,
    rotate: config.logfileRotate,
    echoToStdout: config.nodaemon && !config.silent,
  };
}

interface PendingMessage {
  level: LogLevelName;
  message: string;
}

/** The reference ignores a closed pipe on stdout (supervisord piped into `head`). */
function echoToStdout(line: Buffer): void {
  const { error } = writeFully(1, line);
  if (error && error.code !== 'EPIPE') {
    writeFully(2, Buffer.from(`supervisord: cannot write to stdout: ${error.message}\n`));
  }
}

export class ActivityLog {
  private threshold: number;
  private levelName: LogLevelName;
  private writer: RotatingFile | null = null;
  private syslog: Syslog | null = null;
  private echo = false;
  /** The log file's path as configured (null for NONE): what readLog reads and clearLog removes. */
  private path: string | null = null;
  /** Until open() is called, messages wait here. */
  private pending: PendingMessage[] | null = [];

  constructor(level: LogLevelName = 'info') {
    this.levelName = level;
    this.threshold = LOG_LEVEL_NUMBERS[level];
  }

  /** Messages below this level are dropped. */
  get level(): LogLevelName {
    return this.levelName;
  }

  set level(level: LogLevelName) {
    this.levelName = level;
    this.threshold = LOG_LEVEL_NUMBERS[level];
  }

  /** Lets callers skip building expensive debug messages. */
  isEnabledFor(level: LogLevelName): boolean {
    return LOG_LEVEL_NUMBERS[level] >= this.threshold;
  }

  critical(message: string): void {
    this.log('critical', message);
  }

  error(message: string): void {
    this.log('error', message);
  }

  warn(message: string): void {
    this.log('warn', message);
  }

  info(message: string): void {
    this.log('info', message);
  }

  debug(message: string): void {
    this.log('debug', message);
  }

  trace(message: string): void {
    this.log('trace', message);
  }

  blather(message: string): void {
    this.log('blather', message);
  }

  log(level: LogLevelName, message: string): void {
    if (this.pending) {
      this.pending.push({ level, message });
      return;
    }
    if (!this.isEnabledFor(level)) return;
    const line = Buffer.from(formatActivityLine(level, message));
    // File first: whoever sees a line on stdout finds it in the file too.
    this.writer?.write(line);
    this.syslog?.send(message, (text) => formatActivityLine(level, text).trimEnd());
    if (this.echo) echoToStdout(line);
  }

  /**
   * Attaches the targets and writes the messages logged so far. Throws LOG_IO if the log file
   * cannot be opened (its directory is never created); the messages then stay pending for close(),
   * which the daemon calls as it exits. Opening again replaces the previous targets.
   */
  open(targets: ActivityLogTargets): void {
    this.writer?.close();
    this.writer = null;
    this.echo = targets.echoToStdout;
    this.syslog = null;
    this.path = targets.logfile;
    if (targets.logfile === 'syslog') {
      if (!targets.syslog) throw new SupervisorError('LOG_IO', 'logfile=syslog needs a syslog connection');
      this.syslog = targets.syslog;
    } else if (targets.logfile !== null) {
      try {
        this.writer = new RotatingFile(targets.logfile, {
          maxBytes: targets.maxBytes,
          backups: targets.backups,
          onError: targets.onError,
          period: targets.rotate ?? null,
          time: targets.time,
        });
      } catch (error) {
        throw new SupervisorError('LOG_IO', `cannot open log file ${targets.logfile}: ${describeError(error)}`, { cause: error });
      }
    }
    this.flushPending();
  }

  /** The log file, for reading (readLog, /mainlogtail, the web UI). */
  get file(): LogFile {
    return new LogFile(this.path);
  }

  /** clearLog: removes the file and starts a new one. Throws NO_LOG_FILE, or LOG_IO when it cannot be removed. */
  clear(): void {
    const path = this.path;
    if (path === null || !fs.existsSync(path)) throw new SupervisorError('NO_LOG_FILE', `no log file at ${path ?? 'none'}`);
    try {
      fs.unlinkSync(path);
    } catch (error) {
      throw new SupervisorError('LOG_IO', `cannot remove ${path}: ${describeError(error)}`, { cause: error });
    }
    this.info('reopening log file');
    this.reopen();
  }

  /** SIGUSR2: reopen the log file at its path (after an external logrotate moved it). */
  reopen(): boolean {
    return this.writer?.reopen() ?? true;
  }

  /**
   * Releases the log file. If open() never succeeded, the pending messages go to stderr
   * rather than being lost.
   */
  close(): void {
    if (this.pending) {
      const pending = this.pending;
      this.pending = null;
      for (const { level, message } of pending) {
        if (this.isEnabledFor(level)) writeFully(2, Buffer.from(formatActivityLine(level, message)));
      }
    }
    this.writer?.close();
    this.writer = null;
  }

  private flushPending(): void {
    const pending = this.pending ?? [];
    this.pending = null;
    // Array.prototype.sort is stable: same-level messages keep their order.
    pending.sort((a, b) => LOG_LEVEL_NUMBERS[b.level] - LOG_LEVEL_NUMBERS[a.level]);
    for (const { level, message } of pending) this.log(level, message);
  }
}
