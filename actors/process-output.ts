// What one supervised process writes: its two output logs (opened at the first spawn), capture
// mode, PROCESS_LOG/PROCESS_COMMUNICATION events, and the raw stream event-listener pools read
// the protocol from. The logs' files are read through LogFile.
import type { Readable } from 'node:stream';
import { Subject } from 'rxjs';
import { describeError, SupervisorError, systemErrorCode } from '../common/errors.js';
import type { ChildLogConfig, ProcessConfig } from '../config/types.js';
import type { EventBus } from './events/bus.js';
import { processCommunicationEvent, processLogEvent } from './events/payloads.js';
import type { ActivityLog } from './logs/activity-log.js';
import type { OutputChannel } from '../config/types.js';
import { ChildOutputLog, childOutputLogOptions } from './logs/child-log.js';
import { LogFile } from './logs/log-file.js';
import type { OutputFeed } from './logs/output-feed.js';
import type { LogTime } from './logs/rotation-schedule.js';
import type { Syslog } from './logs/syslog.js';
import { namespecOf } from './namespec.js';
import { OutputCapture } from './output-capture.js';
import type { OutputChannel as FastChannel } from './output-channels.js';

/** Bytes a child wrote, as read from its pipe. */
export interface ChildOutput {
  channel: OutputChannel;
  data: Buffer;
}

export interface OutputEnvironment {
  log: ActivityLog;
  bus: EventBus;
  /** [supervisord] strip_ansi. */
  stripAnsi: boolean;
  /** An event listener's stdout carries the protocol: it is logged, but never captured or evented. */
  isListener: boolean;
  /** For stdout_syslog / stderr_syslog. */
  syslog: Syslog | null;
  /** Time in log records and time-based rotation (ours). */
  system: LogTime;
}

/** What of a process's output logs the rest of the daemon uses. */
export type ProcessLogs = Pick<ProcessOutput, 'file' | 'feed' | 'bytesWritten' | 'clear' | 'reopen'>;

export class ProcessOutput {
  /** Everything the child writes (listener pools read the protocol from here). */
  readonly chunks = new Subject<ChildOutput>();
  private readonly logs: Record<OutputChannel, ChildOutputLog | null> = { stdout: null, stderr: null };

  constructor(
    private readonly config: ProcessConfig,
    /** The channels' log files, AUTO already named. */
    private readonly logfiles: Readonly<Record<OutputChannel, string | null>>,
    private readonly group: string,
    /** The pid events report: the current child's. */
    private readonly pid: () => number,
    private readonly env: OutputEnvironment,
  ) {}

  /** The log file of a channel as configured (AUTO already named), for reading. */
  file(channel: OutputChannel): LogFile {
    return new LogFile(this.logfiles[channel]);
  }

  /** A formatted channel's output as written (for `fg`); null when its log file is raw or absent. */
  feed(channel: OutputChannel): OutputFeed | null {
    return this.logs[channel]?.feed ?? null;
  }

  /** Bytes written to a channel's log file (0 before the first spawn opens it). */
  bytesWritten(channel: OutputChannel): number {
    return this.logs[channel]?.bytesWritten ?? 0;
  }

  /** Opens the logs not open yet; a failure is the spawn's error (a SPAWN error). */
  open(): void {
    for (const channel of ['stdout', 'stderr'] as const) {
      if (this.logs[channel]) continue;
      try {
        this.logs[channel] = new ChildOutputLog({
          ...childOutputLogOptions(this.config.name, channel, this.config[channel], this.logfiles[channel], this.env.stripAnsi),
          activityLog: this.env.log,
          syslog: this.config[channel].syslog ? this.env.syslog : null,
          program: namespecOf({ group: this.group, name: this.config.name }),
          pid: this.pid,
          time: this.env.system,
          onError: (error, operation, path) => this.env.log.error(`cannot ${operation} log file ${path}: ${error.message}`),
        });
      } catch (error) {
        const why = systemErrorCode(error) ?? describeError(error);
        throw new SupervisorError('SPAWN', `unknown error making dispatchers for '${this.config.name}': ${why}`, { cause: error });
      }
    }
  }

  /** Routes one output stream of a new child; returns what to watch for its end. */
  attach(channel: OutputChannel, fast: FastChannel | null, pipe: Readable | null): Readable | null {
    const settings: ChildLogConfig = this.config[channel];
    const protocol = this.env.isListener && channel === 'stdout';
    const route = settings.captureMaxbytes > 0 && !protocol ? this.captureMode(channel, settings.captureMaxbytes) : null;
    // A fast channel's chunk lives in a shared buffer: whatever keeps it gets a copy.
    const handle = (chunk: Buffer) => {
      if (route) route(Buffer.from(chunk));
      else this.write(channel, chunk, false);
      if (this.chunks.observed) this.chunks.next({ channel, data: Buffer.from(chunk) });
    };
    const source = fast?.reader ?? pipe;
    if (!source) return null;
    if (fast) fast.deliver = handle;
    else source.on('data', handle);
    // A read error (EIO and such) only ends the capture; the exit is still seen.
    source.on('error', () => {});
    return source;
  }

  /** clearProcessLogs: empties both logs; throws when a file cannot be removed. */
  clear(): void {
    this.logs.stdout?.clear();
    this.logs.stderr?.clear();
  }

  /** SIGUSR2. */
  reopen(): void {
    this.logs.stdout?.reopen();
    this.logs.stderr?.reopen();
  }

  close(): void {
    this.chunks.complete();
    this.logs.stdout?.close();
    this.logs.stderr?.close();
  }

  /** Writes output to its log and, when enabled, publishes it as a PROCESS_LOG event. */
  private write(channel: OutputChannel, data: Buffer, captured: boolean): void {
    const logged = captured ? data : (this.logs[channel]?.write(data) ?? data);
    if (this.env.isListener && channel === 'stdout') return;
    if (!this.config[channel].eventsEnabled) return;
    const { bus } = this.env;
    if (bus.wants(channel === 'stdout' ? 'PROCESS_LOG_STDOUT' : 'PROCESS_LOG_STDERR')) {
      bus.publish(processLogEvent(this.config.name, this.group, this.pid(), channel, logged));
    }
  }

  private captureMode(channel: OutputChannel, maxBytes: number): (data: Buffer) => void {
    const capture = new OutputCapture(maxBytes, {
      output: (data, capturing) => this.write(channel, data, capturing),
      captured: (data) => {
        this.env.bus.publish(processCommunicationEvent(this.config.name, this.group, this.pid(), channel, data));
        this.env.log.debug(`'${this.config.name}' ${channel} emitted a comm event`);
      },
    });
    return (data) => capture.write(data);
  }
}
