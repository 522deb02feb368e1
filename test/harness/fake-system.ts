// In-process runtime harness: a ProcessSystem whose children are fakes the test drives (what
// they write, when and how they exit), whose signals are only recorded, and whose time is a
// SimulatedClock; an activity log that keeps its lines; ProcessConfig literals.
import { EventEmitter } from 'node:events';
import { PassThrough, Writable } from 'node:stream';
import { SimulatedClock } from 'xstate';
import { EventBus } from '../../actors/events/bus.js';
import { ActivityLog } from '../../actors/logs/activity-log.js';
import type { ProcessEntry, ProcessTable } from '../../actors/proc-table.js';
import type { ProcessEnvironment, ProcessSystem } from '../../actors/process-environment.js';
import type { ChildSpawnOptions, SpawnedChild } from '../../actors/spawned-child.js';
import type { ChildLogConfig, LogLevelName, ProcessConfig } from '../../config/types.js';

/** Milliseconds since the epoch at simulated time 0. */
export const EPOCH = 1_700_000_000_000;

/**
 * Resolves once `condition` holds, letting streams and microtasks run in between. Gives up after
 * a number of turns of the event loop, not after a time, so a load on the machine cannot fail it.
 */
export async function until(condition: () => boolean, what: string): Promise<void> {
  for (let turn = 0; turn < 10_000; turn += 1) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`never happened: ${what}`);
}

/** A child process as the actor sees one: a pid, three pipes, 'exit' and 'error' events. */
export class FakeChild extends EventEmitter {
  readonly stdin: Writable;
  readonly stdout = new PassThrough();
  /** null when stderr is not piped (redirect_stderr), as with a real child. */
  readonly stderr: PassThrough | null;
  private readonly received: Buffer[] = [];

  constructor(
    public pid: number | undefined,
    pipedStderr = true,
  ) {
    super();
    this.stderr = pipedStderr ? new PassThrough() : null;
    // Collects synchronously, so what the daemon wrote can be checked right after it wrote it.
    this.stdin = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        this.received.push(chunk);
        done();
      },
    });
  }

  /** A spawn that was under way (no pid on return) succeeds: the pid is set and 'spawn' emitted. */
  appear(pid: number): void {
    this.pid = pid;
    this.emit('spawn');
  }

  closeStdin(): void {
    this.stdin.destroy();
  }

  /** Everything written to the child's stdin so far. */
  get input(): string {
    return Buffer.concat(this.received).toString('utf8');
  }

  /** The child ends now; its pipes stay as they are. */
  exit(code: number | null, signal: NodeJS.Signals | null = null): void {
    this.emit('exit', code, signal);
  }

  /** Closes its pipes, as dying does, and resolves once the daemon's side has read them to the end. */
  async closePipes(): Promise<void> {
    const pipes = [this.stdout, this.stderr].filter((pipe): pipe is PassThrough => pipe !== null);
    for (const pipe of pipes) pipe.end();
    await until(() => pipes.every((pipe) => pipe.readableEnded || pipe.destroyed), 'the pipes of a dying child ended');
  }

  /** Closes the pipes, then exits: the exit is reported at once. */
  async die(code: number | null, signal: NodeJS.Signals | null = null): Promise<void> {
    await this.closePipes();
    this.exit(code, signal);
  }
}

export interface SpawnCall {
  file: string;
  args: readonly string[];
  options: ChildSpawnOptions;
  child: FakeChild;
}

export interface SignalCall {
  pid: number;
  signal: NodeJS.Signals;
}

/** The system's processes: each child while it lives, and those the test adds (their descendants, say). */
export class FakeProcessTable implements ProcessTable {
  /** false: as a system without /proc. */
  readable = true;
  private readonly entries = new Map<number, { entry: ProcessEntry; environment: readonly string[] }>();

  /** A process `pid`, child of `ppid`, executed with `environment` (NAME=value strings). */
  add(pid: number, ppid: number, environment: readonly string[] = [], start = 1): void {
    this.entries.set(pid, { entry: { pid, ppid, start }, environment });
  }

  /** The process ends; its children are re-parented to PID 1, as the kernel does. */
  end(pid: number): void {
    this.entries.delete(pid);
    for (const { entry } of this.entries.values()) if (entry.ppid === pid) entry.ppid = 1;
  }

  has(pid: number): boolean {
    return this.entries.has(pid);
  }

  list(): ProcessEntry[] | null {
    return this.readable ? [...this.entries.values()].map(({ entry }) => ({ ...entry })) : null;
  }

  entry(pid: number): ProcessEntry | null {
    const found = this.entries.get(pid);
    return found ? { ...found.entry } : null;
  }

  carries(pid: number, variable: string): boolean {
    return this.entries.get(pid)?.environment.includes(variable) ?? false;
  }
}

export class FakeSystem implements ProcessSystem {
  readonly clock = new SimulatedClock();
  readonly processes = new FakeProcessTable();
  readonly spawns: SpawnCall[] = [];
  readonly signals: SignalCall[] = [];
  /** What the next spawns do instead of giving a child with a fresh pid: return a child, or throw. */
  spawnWith: ((file: string, args: readonly string[], options: ChildSpawnOptions) => FakeChild) | null = null;
  /** Runs after a signal is recorded: may throw as process.kill would. */
  killWith: ((call: SignalCall) => void) | null = null;
  private nextPid = 1000;

  spawn(file: string, args: readonly string[], options: ChildSpawnOptions): SpawnedChild {
    const child = this.spawnWith?.(file, args, options) ?? new FakeChild(this.nextPid++, options.stdio[2] !== 'ignore');
    this.spawns.push({ file, args, options, child });
    const { pid } = child;
    if (pid !== undefined) {
      const environment = Object.entries(options.env ?? {}).map(([name, value]) => `${name}=${value}`);
      this.processes.add(pid, 1, environment);
      child.once('exit', () => this.processes.end(pid));
    }
    return child;
  }

  kill(pid: number, signal: NodeJS.Signals): void {
    const call = { pid, signal };
    this.signals.push(call);
    this.killWith?.(call);
  }

  now(): number {
    return EPOCH + this.clock.now();
  }

  /** The child of the latest spawn. */
  get child(): FakeChild {
    const last = this.spawns.at(-1);
    if (!last) throw new Error('nothing was spawned');
    return last.child;
  }

  /** Moves simulated time on. */
  advance(ms: number): void {
    this.clock.increment(ms);
  }
}

export interface LogLine {
  level: LogLevelName;
  message: string;
}

/** An activity log that keeps every line, whatever its level, instead of writing it. */
export class RecordingLog extends ActivityLog {
  readonly lines: LogLine[] = [];

  constructor() {
    super('blather');
  }

  override log(level: LogLevelName, message: string): void {
    this.lines.push({ level, message });
  }

  /** The messages logged at `level`, in order. */
  at(level: LogLevelName): string[] {
    return this.lines.filter((line) => line.level === level).map((line) => line.message);
  }

  /** Every message, in order. */
  get messages(): string[] {
    return this.lines.map((line) => line.message);
  }
}

const NO_LOG_FILE: ChildLogConfig = {
  logfile: null,
  maxbytes: 0,
  backups: 0,
  captureMaxbytes: 0,
  eventsEnabled: false,
  syslog: false,
  format: 'raw',
  rotate: null,
};

/** A [program:x] process with the reference's defaults, its output going nowhere. */
export function processConfig(name: string, overrides: Partial<ProcessConfig> = {}): ProcessConfig {
  return {
    name,
    section: `program:${name}`,
    command: '/bin/true',
    priority: 999,
    autostart: true,
    autorestart: 'unexpected',
    startsecs: 1,
    startretries: 3,
    backoff: 'linear',
    backoffMax: null,
    readiness: null,
    liveness: null,
    dependsOn: [],
    exitcodes: [0],
    stopsignal: 'SIGTERM',
    stopwaitsecs: 10,
    stopasgroup: false,
    killasgroup: false,
    stopastree: false,
    user: null,
    directory: null,
    umask: null,
    environment: {},
    envFiles: [],
    redirectStderr: false,
    stdout: NO_LOG_FILE,
    stderr: NO_LOG_FILE,
    serverurl: null,
    location: { file: '/etc/supervisord.conf', line: 1 },
    ...overrides,
  };
}

/** What the daemon gives its processes, on the fake system. */
export function processEnvironment(system: FakeSystem, log: ActivityLog, overrides: Partial<ProcessEnvironment> = {}): ProcessEnvironment {
  return {
    log,
    baseEnv: { PATH: '/usr/bin:/bin', HOME: '/root' },
    // No test's process has an AUTO log: one would fail here rather than leave a file behind.
    supervisord: { envFiles: [], environment: {}, childlogdir: '/nonexistent', identifier: 'supervisor' },
    serverUrl: 'unix:///run/supervisor.sock',
    stripAnsi: false,
    childrenDieWithDaemon: false,
    bus: new EventBus(),
    isListener: false,
    channels: null,
    syslog: null,
    system,
    findProcess: () => undefined,
    ...overrides,
  };
}
