// The log of one child stream (stdout or stderr): what the reference's output dispatcher does
// with each chunk it reads, minus capture mode and events.
//
// An output dispatcher (later) owns one of these per channel: it reads the pipe, scans for the
// PROCESS_COMMUNICATION capture tokens and hands the non-captured bytes to write(); write()
// returns the bytes as logged (after strip_ansi), which is what PROCESS_LOG events carry.
//
// Ours: with *_logfile_format=timestamped|json the file gets one record per line
// (./line-records.ts); events, syslog and the debug echo still get the output as written, and
// an OutputFeed keeps it for `fg`. maxbytes counts the file's bytes, records included. The raw
// format writes each chunk straight to the file, as before.
import type { ChildLogConfig, LogFormat, LogLevelName, OutputChannel, RotationPeriod } from '../../config/types.js';
import { pyRepr } from '../../config/python.js';
import { LineRecords } from './line-records.js';
import { OutputFeed } from './output-feed.js';
import { pyBytesRepr } from './python-repr.js';
import { RotatingFile, type LogFileErrorHandler } from './rotating-file.js';
import { REAL_LOG_TIME, type LogTime } from './rotation-schedule.js';
import type { Syslog } from './syslog.js';
import { stripAnsiEscapes } from './strip-ansi.js';

/** The part of the activity log a child log uses: child output is echoed there at debug level. */
export interface DebugEchoLog {
  isEnabledFor(level: LogLevelName): boolean;
  debug(message: string): void;
}

export interface ChildOutputLogOptions {
  processName: string;
  channel: OutputChannel;
  /** A resolved path (AUTO already named by the daemon), or null for no log file. */
  logfile: string | null;
  maxBytes: number;
  backups: number;
  /** [supervisord] strip_ansi. */
  stripAnsi: boolean;
  activityLog?: DebugEchoLog;
  onError?: LogFileErrorHandler;
  /** stdout_syslog / stderr_syslog: each line also goes to syslog, prefixed with the name. */
  syslog?: Syslog | null;
  /** *_logfile_format= (ours); raw when absent. */
  format?: LogFormat;
  /** *_logfile_rotate= (ours). */
  rotate?: RotationPeriod | null;
  /** For records: "group:name" (the name alone when the group has its name); processName by default. */
  program?: string;
  /** For records: the current child's pid. */
  pid?: () => number;
  /** Timers and time for records and time-based rotation; the real ones by default. */
  time?: LogTime;
}

/** How much of its latest raw output a formatted channel keeps for a new `fg`: /logtail's head. */
const FEED_BYTES = 1024;

/** Options for a [program:x] stdout_* / stderr_* configuration, writing to `logfile` (AUTO named first). */
export function childOutputLogOptions(
  processName: string,
  channel: OutputChannel,
  config: ChildLogConfig,
  logfile: string | null,
  stripAnsi: boolean,
): ChildOutputLogOptions {
  if (logfile === 'AUTO') {
    throw new Error(`${channel} log of '${processName}' is AUTO: name it with childLogPath first`);
  }
  return {
    processName,
    channel,
    logfile,
    maxBytes: config.maxbytes,
    backups: config.backups,
    stripAnsi,
    format: config.format,
    rotate: config.rotate,
  };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The reference decodes the chunk strictly and falls back to a repr of the bytes. */
function decodeForDebug(data: Buffer): string {
  try {
    return strictUtf8.decode(data);
  } catch {
    return `Undecodable: ${pyBytesRepr(data)}`;
  }
}

export class ChildOutputLog {
  readonly processName: string;
  readonly channel: OutputChannel;
  private readonly file: RotatingFile | null;
  private readonly stripAnsi: boolean;
  private readonly activityLog: DebugEchoLog | undefined;
  private readonly syslog: Syslog | null;
  /** Set when the file takes records (a format other than raw). */
  private readonly records: LineRecords | null = null;
  /** The output as written, for `fg`, when the file takes records. */
  readonly feed: OutputFeed | null = null;
  /** Bytes handed to the log file since it was opened (across rotations and clears). */
  private written = 0;

  /** Opens the log file; throws its open error (the spawn then fails, e.g. with EISDIR). */
  constructor(options: ChildOutputLogOptions) {
    this.processName = options.processName;
    this.channel = options.channel;
    this.stripAnsi = options.stripAnsi;
    this.activityLog = options.activityLog;
    this.syslog = options.syslog ?? null;
    this.file =
      options.logfile === null
        ? null
        : new RotatingFile(options.logfile, {
            maxBytes: options.maxBytes,
            backups: options.backups,
            onError: options.onError,
            period: options.rotate ?? null,
            time: options.time,
          });
    const file = this.file;
    const format = options.format ?? 'raw';
    if (file && format !== 'raw') {
      this.records = new LineRecords({
        format,
        stream: options.channel,
        program: options.program ?? options.processName,
        pid: options.pid ?? (() => 0),
        time: options.time ?? REAL_LOG_TIME,
        write: (records, now) => {
          file.write(records, now);
          this.written += records.length;
        },
      });
      this.feed = new OutputFeed(FEED_BYTES);
    }
  }

  /** The log file's path, or null when output is discarded. */
  get path(): string | null {
    return this.file?.path ?? null;
  }

  /** Bytes handed to the log file so far. */
  get bytesWritten(): number {
    return this.written;
  }

  /**
   * Logs one chunk read from the child; returns the bytes as logged. Never throws.
   * Nothing is kept: a caller may reuse `chunk`'s memory for its next read once this returns,
   * and the returned Buffer may share that memory (copy it to keep it).
   */
  write(chunk: Buffer): Buffer {
    if (chunk.length === 0) return chunk;
    const data = this.stripAnsi ? stripAnsiEscapes(chunk) : chunk;
    if (this.records) {
      this.records.push(data);
      this.feed?.push(data);
    } else {
      this.file?.write(data);
      if (this.file) this.written += data.length;
    }
    this.syslog?.send(data.toString('utf8'), (line) => `${this.processName} ${line}`);
    if (this.activityLog?.isEnabledFor('debug')) {
      this.activityLog.debug(`${pyRepr(this.processName)} ${this.channel} output:\n${decodeForDebug(data)}`);
    }
    return data;
  }

  /** SIGUSR2. */
  reopen(): void {
    this.file?.reopen();
  }

  /** clearProcessLogs: removes the current file (backups stay) and starts an empty one. Throws on failure. */
  clear(): void {
    this.file?.clear();
  }

  close(): void {
    this.records?.flush();
    this.file?.close();
  }
}
