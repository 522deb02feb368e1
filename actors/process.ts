// One supervised process: runs the process machine and does its I/O — spawning the child,
// capturing its output, signalling it, noticing its exit the moment Node reports it — and
// writes the activity-log lines the reference writes for each of those steps.
import { describeError, SupervisorError, systemErrorCode } from '../common/errors.js';
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { Subject } from 'rxjs';
import { createActor, type Actor } from 'xstate';
import type { ProcessConfig } from '../config/types.js';
import {
  describeStateChange,
  processMachine,
  STOPPED_STATES,
  type ExitStatus,
  type ProcessContext,
  type ProcessStateName,
  type SignalRequest,
  type StateChange,
} from '../machines/process.js';
import { resolveCommand } from './command-line.js';
import { describeExit } from './exit-status.js';
import { childSpawnPlan } from './spawn-plan.js';
import type { ActivityLog } from './logs/activity-log.js';
import { ChildOutputLog, childOutputLogOptions, type OutputChannel } from './logs/child-log.js';
import type { EventBus } from './events/bus.js';
import { processCommunicationEvent, processLogEvent, processStateEvent } from './events/payloads.js';
import { OutputCapture } from './output-capture.js';
import type { OutputChannels, OutputChannel as FastChannel } from './output-channels.js';
import type { Syslog } from './logs/syslog.js';

/** What a process needs from the daemon around it. */
export interface ProcessEnvironment {
  log: ActivityLog;
  /** The daemon's environment with [supervisord] environment= applied. */
  baseEnv: NodeJS.ProcessEnv;
  /** The URL children reach the daemon at (SUPERVISOR_SERVER_URL), when it serves one. */
  serverUrl: string | null;
  /** [supervisord] strip_ansi. */
  stripAnsi: boolean;
  /** Where PROCESS_STATE, PROCESS_LOG and PROCESS_COMMUNICATION events go. */
  bus: EventBus;
  /** An event listener's stdout carries the protocol: it is logged, but never captured or evented. */
  isListener: boolean;
  /** Ready socket pairs for fast output capture; a spawn uses a pipe when none is ready. */
  channels: OutputChannels | null;
  /** For stdout_syslog / stderr_syslog. */
  syslog: Syslog | null;
}

/** Bytes a child wrote, as read from its pipe. */
export interface ChildOutput {
  channel: OutputChannel;
  data: Buffer;
}

/** A state change of one process, as the rest of the daemon (API, events, web UI) sees it. */
export interface ProcessStateEvent extends StateChange {
  process: SupervisedProcess;
  /** The pid the change concerns (the child that was spawned, or that just exited). */
  pid: number;
  /** Milliseconds since the epoch. */
  at: number;
}

/** How many recent state changes each process keeps for inspection (the web UI lists them). */
const HISTORY_LENGTH = 20;

/** Everything the API reports about a process, in one place. */
export interface ProcessSnapshot {
  name: string;
  group: string;
  state: ProcessStateName;
  pid: number;
  /** Milliseconds since the epoch; 0 when never started/stopped. */
  laststart: number;
  laststop: number;
  exitstatus: number | null;
  spawnerr: string | null;
}

type MachineActor = Actor<typeof processMachine>;

/** How long to wait for a dead child's pipes to deliver their last bytes before reporting its exit. */
const DRAIN_GRACE_MS = 50;

export class SupervisedProcess {
  readonly changes = new Subject<ProcessStateEvent>();
  /** Everything the child writes (listener pools read the protocol from here). */
  readonly output = new Subject<ChildOutput>();
  /** The output logs, opened at the first spawn (a failure to open is that spawn's error). */
  private readonly outputs: Record<OutputChannel, ChildOutputLog | null> = { stdout: null, stderr: null };
  private readonly actor: MachineActor;
  private child: ChildProcess | null = null;
  private laststart = 0;
  private laststop = 0;
  /** The pid of the child the latest change concerns (context.pid is cleared on exit). */
  private lastPid = 0;
  /** Changes announced during the current macrostep, published once its snapshot is current. */
  private unpublished: ProcessStateEvent[] = [];
  /** The latest state changes, oldest first. */
  readonly history: ProcessStateEvent[] = [];

  constructor(
    readonly config: ProcessConfig,
    readonly group: string,
    private readonly env: ProcessEnvironment,
  ) {
    const machine = processMachine.provide({
      actions: {
        announce: ({ context, event }, params) =>
          this.onStateChange(describeStateChange(context, event, params.to), event.type === 'EXIT' ? this.lastPid : context.pid),
        spawn: () => this.spawnChild(),
        signal: (_, request) => this.signalChild(request),
      },
    });
    this.actor = createActor(machine, {
      input: {
        startsecs: config.startsecs,
        startretries: config.startretries,
        stopwaitsecs: config.stopwaitsecs,
        autorestart: config.autorestart,
        exitcodes: config.exitcodes,
        stopsignal: config.stopsignal,
        stopasgroup: config.stopasgroup,
        killasgroup: config.killasgroup,
      },
    });
    this.actor.subscribe(() => this.publishChanges());
    this.actor.start();
  }

  get name(): string {
    return this.config.name;
  }

  get state(): ProcessStateName {
    return this.context.state;
  }

  get pid(): number {
    return this.context.pid;
  }

  get stopped(): boolean {
    return STOPPED_STATES.includes(this.state);
  }

  private get context(): ProcessContext {
    return this.actor.getSnapshot().context;
  }

  snapshot(): ProcessSnapshot {
    const context = this.context;
    return {
      name: this.name,
      group: this.group,
      state: context.state,
      pid: context.pid,
      laststart: this.laststart,
      laststop: this.laststop,
      exitstatus: context.exitstatus,
      spawnerr: context.spawnerr,
    };
  }

  start(): void {
    this.actor.send({ type: 'START' });
  }

  stop(): void {
    if (this.state === 'BACKOFF') this.env.log.debug(`Attempted to kill ${this.name}, which is in BACKOFF state.`);
    this.actor.send({ type: 'STOP' });
  }

  /** The daemon is going down: nothing of this process restarts any more. */
  shutdown(): void {
    this.actor.send({ type: 'SHUTDOWN' });
  }

  giveUp(): void {
    this.actor.send({ type: 'GIVE_UP' });
  }

  /**
   * Sends a signal without meaning to stop the child (signalProcess). Returns an error text when
   * it could not be sent; a child that just exited counts as signalled, as in the reference.
   */
  sendSignal(signal: NodeJS.Signals): string | null {
    const pid = this.pid;
    if (!pid) {
      const message = `attempted to send ${this.name} sig ${signal} but it wasn't running`;
      this.env.log.debug(message);
      return message;
    }
    this.env.log.debug(`sending ${this.name} (pid ${pid}) sig ${signal}`);
    try {
      process.kill(pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') {
        this.env.log.debug(`unable to signal ${this.name} (pid ${pid}), it probably just now exited on its own: ${String(error)}`);
        return null;
      }
      const message = `unknown problem sending sig ${this.name} (${pid}):${String(error)}`;
      this.env.log.critical(message);
      return message;
    }
    return null;
  }

  /** Checks the command as a spawn would, throwing its COMMAND_NOT_* error (startProcess faults). */
  checkCommand(): void {
    resolveCommand(this.config.command, this.childEnvironment());
  }

  /** True while a stop signal has been sent and the child has not exited yet. */
  get stopping(): boolean {
    return this.state === 'STOPPING';
  }

  /**
   * Writes to the child's stdin (sendProcessStdin). Throws an EPIPE error when there is no child
   * or its stdin is closed.
   */
  writeStdin(data: Buffer): void {
    const stdin = this.child?.stdin;
    if (!this.pid || this.stopping || !stdin || stdin.destroyed || !stdin.writable) {
      throw new SupervisorError('EPIPE', "Process' stdin channel is closed");
    }
    stdin.write(data);
  }

  /** Empties the output logs (clearProcessLogs); throws when a file cannot be removed. */
  clearLogs(): void {
    this.outputs.stdout?.clear();
    this.outputs.stderr?.clear();
  }

  /** Reopens the output logs (SIGUSR2). */
  reopenLogs(): void {
    this.outputs.stdout?.reopen();
    this.outputs.stderr?.reopen();
  }

  /** Releases everything; the child, if any, must already be gone. */
  dispose(): void {
    this.actor.stop();
    this.changes.complete();
    this.output.complete();
    this.outputs.stdout?.close();
    this.outputs.stderr?.close();
  }

  private childEnvironment(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...this.env.baseEnv, SUPERVISOR_ENABLED: '1' };
    const serverUrl = this.config.serverurl ?? this.env.serverUrl;
    if (serverUrl) env.SUPERVISOR_SERVER_URL = serverUrl;
    env.SUPERVISOR_PROCESS_NAME = this.name;
    env.SUPERVISOR_GROUP_NAME = this.group;
    return { ...env, ...this.config.environment };
  }

  /** The machine's spawn action: report SPAWNED or SPAWN_FAILED back to it. */
  private spawnChild(): void {
    this.laststart = Date.now();
    const env = this.childEnvironment();
    const fail = (message: string) => {
      this.env.log.info(`spawnerr: ${message}`);
      this.actor.send({ type: 'SPAWN_FAILED', error: message });
    };
    let plan;
    try {
      const command = resolveCommand(this.config.command, env);
      plan = childSpawnPlan(this.config, command);
      this.openOutputs();
    } catch (error) {
      if (error instanceof Error) return fail(error.message);
      throw error;
    }

    const fast = {
      stdout: this.env.channels?.take() ?? null,
      stderr: this.config.redirectStderr ? null : (this.env.channels?.take() ?? null),
    };
    let child: ChildProcess;
    const previousUmask = this.config.umask === null ? null : process.umask(this.config.umask);
    try {
      child = spawn(plan.file, plan.args, {
        argv0: plan.argv0,
        cwd: plan.cwd,
        env,
        stdio: ['pipe', fast.stdout?.childEnd ?? 'pipe', this.config.redirectStderr ? 'ignore' : (fast.stderr?.childEnd ?? 'pipe')],
        // Its own process group (and session), so a Ctrl-C meant for the daemon does not reach it
        // and the group can be signalled as a whole.
        detached: true,
      });
    } catch (error) {
      for (const channel of [fast.stdout, fast.stderr]) channel?.reader.destroy();
      return fail(`couldn't exec ${this.config.command}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    } finally {
      if (previousUmask !== null) process.umask(previousUmask);
      // The child has its own copies now.
      for (const channel of [fast.stdout, fast.stderr]) channel?.childEnd.destroy();
    }

    if (child.pid === undefined) {
      for (const channel of [fast.stdout, fast.stderr]) channel?.reader.destroy();
      // The failure is only reported through 'error', on a later tick.
      child.once('error', (error: NodeJS.ErrnoException) => fail(`couldn't exec ${plan.argv0}: ${error.code ?? error.message}`));
      return;
    }
    child.on('error', (error) => this.env.log.error(`error on child of ${this.name}: ${error.message}`));
    this.child = child;
    this.lastPid = child.pid;
    const readers = [this.capture('stdout', fast.stdout, child.stdout), this.capture('stderr', fast.stderr, child.stderr)];
    // Nobody writes to the child's stdin yet (sendProcessStdin does); a closed pipe must not throw.
    child.stdin?.on('error', () => {});
    child.once('exit', (code, signal) =>
      this.onChildExit(
        child,
        readers.filter((r): r is Readable => r !== null),
        { code, signal },
      ),
    );
    this.env.log.info(`spawned: '${this.name}' with pid ${child.pid}`);
    this.actor.send({ type: 'SPAWNED', pid: child.pid });
  }

  private openOutputs(): void {
    for (const channel of ['stdout', 'stderr'] as const) {
      if (this.outputs[channel]) continue;
      try {
        this.outputs[channel] = new ChildOutputLog({
          ...childOutputLogOptions(this.name, channel, this.config[channel], this.env.stripAnsi),
          activityLog: this.env.log,
          syslog: this.config[channel].syslog ? this.env.syslog : null,
          onError: (error, operation, path) => this.env.log.error(`cannot ${operation} log file ${path}: ${error.message}`),
        });
      } catch (error) {
        throw new SupervisorError(
          'SPAWN',
          `unknown error making dispatchers for '${this.name}': ${systemErrorCode(error) ?? describeError(error)}`,
          {
            cause: error,
          },
        );
      }
    }
  }

  /** Routes one output stream of the child; returns what to watch for its end. */
  private capture(channel: OutputChannel, fast: FastChannel | null, pipe: Readable | null): Readable | null {
    const settings = this.config[channel];
    const capturing = settings.captureMaxbytes > 0 && !(this.env.isListener && channel === 'stdout');
    const route = capturing ? this.captureMode(channel, settings.captureMaxbytes) : null;
    // A fast channel's chunk lives in a shared buffer: whatever keeps it gets a copy.
    const handle = (chunk: Buffer) => {
      if (route) route(Buffer.from(chunk));
      else this.logOutput(channel, chunk, false);
      if (this.output.observed) this.output.next({ channel, data: Buffer.from(chunk) });
    };
    const source = fast?.reader ?? pipe;
    if (!source) return null;
    if (fast) fast.deliver = handle;
    else source.on('data', handle);
    // A read error (EIO and such) only ends the capture; the exit is still seen.
    source.on('error', () => {});
    return source;
  }

  /** Writes output to its log and, when enabled, publishes it as a PROCESS_LOG event. */
  private logOutput(channel: OutputChannel, data: Buffer, capturing: boolean): void {
    const logged = capturing ? data : (this.outputs[channel]?.write(data) ?? data);
    if (this.env.isListener && channel === 'stdout') return;
    if (!this.config[channel].eventsEnabled) return;
    const { bus } = this.env;
    if (bus.wants(channel === 'stdout' ? 'PROCESS_LOG_STDOUT' : 'PROCESS_LOG_STDERR')) {
      bus.publish(processLogEvent(this.name, this.group, this.pid, channel, logged));
    }
  }

  private captureMode(channel: OutputChannel, maxBytes: number): (data: Buffer) => void {
    const capture = new OutputCapture(maxBytes, {
      output: (data, capturing) => this.logOutput(channel, data, capturing),
      captured: (data) => {
        this.env.bus.publish(processCommunicationEvent(this.name, this.group, this.pid, channel, data));
        this.env.log.debug(`'${this.name}' ${channel} emitted a comm event`);
      },
    });
    return (data) => capture.write(data);
  }

  /** Reports the exit once the child's pipes have delivered what they still hold. */
  private onChildExit(child: ChildProcess, readers: Readable[], status: ExitStatus): void {
    const pending = readers.filter((s) => !s.readableEnded);
    let reported = false;
    const report = () => {
      if (reported) return;
      reported = true;
      clearTimeout(timer);
      if (this.child === child) this.child = null;
      // As in the reference, output of the child's leftover descendants is no longer read: they
      // must not keep the daemon (or a stale log writer) busy.
      child.stdin?.destroy();
      for (const reader of readers) reader.destroy();
      this.laststop = Date.now();
      this.lastPid = child.pid ?? 0;
      this.actor.send({ type: 'EXIT', status });
      // The reference's main loop logs this after reaping; kept for those who grep debug logs.
      this.env.log.debug('received SIGCHLD indicating a child quit');
    };
    // A grandchild may keep a pipe open forever: then report after a short grace.
    const timer = setTimeout(report, pending.length ? DRAIN_GRACE_MS : 0);
    let open = pending.length;
    for (const stream of pending) {
      stream.once('end', () => {
        open -= 1;
        if (open === 0) report();
      });
    }
    if (!pending.length) report();
  }

  private signalChild(request: SignalRequest): void {
    const pid = this.context.pid;
    if (!pid) {
      this.env.log.debug(`attempted to kill ${this.name} with sig ${request.signal} but it wasn't running`);
      return;
    }
    if (request.timedOut) {
      this.env.log.warn(`killing '${this.name}' (${pid}) with SIGKILL`);
    }
    const asGroup = request.group ? 'process group ' : '';
    this.env.log.debug(`killing ${this.name} (pid ${pid}) ${asGroup}with signal ${request.signal}`);
    try {
      process.kill(request.group ? -pid : pid, request.signal);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ESRCH') {
        // It exited on its own meanwhile; its exit event follows.
        this.env.log.debug(`unable to signal ${this.name} (pid ${pid}), it probably just exited on its own: ${String(error)}`);
        return;
      }
      const message = `unknown problem killing ${this.name} (${pid}):${String(error)}`;
      this.env.log.critical(message);
      this.actor.send({ type: 'KILL_FAILED', error: message });
    }
  }

  /** @param pid the child the change is about: the one that exited, or the current one */
  private onStateChange(change: StateChange, pid: number): void {
    const { log } = this.env;
    const { from, to, cause } = change;
    const exit = cause.type === 'EXIT' ? describeExit(cause.status) : '';
    if (to === 'RUNNING' && from === 'STARTING') {
      log.info(
        `success: ${this.name} entered RUNNING state, process has stayed up for > than ${this.config.startsecs} seconds (startsecs)`,
      );
    } else if (to === 'BACKOFF' && cause.type === 'EXIT') {
      log.warn(`exited: ${this.name} (${exit}; not expected)`);
    } else if (to === 'EXITED') {
      if (change.expected) log.info(`exited: ${this.name} (${exit}; expected)`);
      else log.warn(`exited: ${this.name} (${exit}; not expected)`);
    } else if (to === 'STOPPED' && cause.type === 'EXIT') {
      const expected = this.config.exitcodes.includes(cause.status.code ?? -1);
      log.log(expected ? 'info' : 'warn', `stopped: ${this.name} (${exit})`);
    } else if (to === 'FATAL' && from === 'BACKOFF' && cause.type !== 'GIVE_UP') {
      log.info(`gave up: ${this.name} entered FATAL state, too many start retries too quickly`);
    }
    const event = { ...change, process: this, pid, at: Date.now() };
    this.history.push(event);
    if (this.history.length > HISTORY_LENGTH) this.history.shift();
    this.unpublished.push(event);
  }

  /**
   * Runs after each macrostep: subscribers then see a snapshot that agrees with the change
   * (while the machine is still transitioning, getSnapshot() shows the previous state).
   */
  private publishChanges(): void {
    const changes = this.unpublished;
    this.unpublished = [];
    for (const change of changes) {
      this.env.bus.publish(processStateEvent(change));
      this.changes.next(change);
    }
  }
}
