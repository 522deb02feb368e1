// One supervised process: runs the process machine and does what it emits — spawning the child
// (process-spawns.ts), signalling it, noticing its exit the moment Node reports it — and writes
// the activity-log lines the reference writes for each of those steps. Spawning, signals and
// time come from a ProcessSystem, so the actor also runs in-process on a simulated clock.
import { first, firstValueFrom, ignoreElements, map, merge, startWith, Subject, tap, type Observable } from 'rxjs';
import { createActor, type Actor } from 'xstate';
import { isSupervisorError, SupervisorError } from '../common/errors.js';
import type { OutputChannel, ProcessConfig } from '../config/types.js';
import {
  backoffSeconds,
  exitStatusCode,
  processMachine,
  type ProcessEffect,
  type ProcessEvent,
  type SignalRequest,
  type StateChange,
} from '../machines/process.js';
import { STOPPED_STATES, type ProcessStateName } from '../machines/states.js';
import { resolveCommand } from './command-line.js';
import { processStateEvent, processStateEventType } from './events/payloads.js';
import { ProcessOutput, type ChildOutput, type ProcessLogs } from './process-output.js';
import { every } from './clock.js';
import { processActorRoot, stopProcessActor } from './process-actors.js';
import { ProcessChecks } from './process-checks.js';
import { waitForDependencies } from './process-dependencies.js';
import { namespecOf } from './namespec.js';
import type { ProcessEnvironment } from './process-environment.js';
import { ProcessSpawns } from './process-spawns.js';
import { sendSignal, signalToStop } from './process-signals.js';
import { logStateChange } from './process-state-log.js';
import { ProcessTree } from './process-tree.js';
import { childLogPath } from './logs/auto-child-log.js';

export type { ChildOutput } from './process-output.js';

/** A state change of one process, as the rest of the daemon (API, events, web UI) sees it. */
export interface ProcessStateEvent extends StateChange {
  process: SupervisedProcess;
  /** Milliseconds since the epoch. */
  at: number;
}

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
  /** The output logs' paths (AUTO already named); null for none. */
  logfiles: Readonly<Record<OutputChannel, string | null>>;
  /** readiness= (ours): whether it passed during this start; null without a check. */
  readiness: 'waiting' | 'ready' | null;
  /** Spawns after the first, since the daemon started it. */
  restarts: number;
  /** In BACKOFF: when the next start is due, milliseconds since the epoch; else 0. */
  nextRetry: number;
  /** The last child's exit status as exitstatus counts it, kept across starts; null before any exit. */
  lastExitCode: number | null;
}

/** Why a start request was not taken. */
export type StartRefusal = 'already-started' | 'stopping' | 'unknown-state';

/** How a start settled: RUNNING, a spawn error, or anything else (an exit, a stop). */
export type StartOutcome = 'running' | 'spawn-error' | 'abnormal';

/** How many recent state changes each process keeps for inspection (the web UI lists them). */
const HISTORY_LENGTH = 20;
/** How often a waited stop says it is still waiting (the reference's stop_report). */
const STOP_REPORT_INTERVAL_MS = 2000;

export class SupervisedProcess {
  readonly changes = new Subject<ProcessStateEvent>();
  /** The latest state changes, oldest first. */
  readonly history: ProcessStateEvent[] = [];
  /**
   * Its output logs' files; an AUTO one is named and created with the process, which is when its
   * group is added (as the reference does). Its config stays as read, for a reread to compare.
   */
  readonly logfiles: Readonly<Record<OutputChannel, string | null>>;
  private readonly actor: Actor<typeof processMachine>;
  private readonly outputLogs: ProcessOutput;
  /** readiness= and liveness= (ours); null without either, as most processes are. */
  private readonly checks: ProcessChecks | null;
  /** stopastree=: the child's whole tree, for its stops. */
  private readonly tree: ProcessTree | null;
  /** Stops waiting for the dependencies, while STARTING waits for them. */
  private stopWaiting: (() => void) | null = null;
  private readonly spawns: ProcessSpawns;
  private nextRetry = 0;

  constructor(
    readonly config: ProcessConfig,
    readonly group: string,
    private readonly env: ProcessEnvironment,
    /** Told of each state change before the subscribers of `changes`. */
    private readonly reportChange?: (change: ProcessStateEvent) => void,
  ) {
    const { supervisord } = env;
    this.logfiles = {
      stdout: childLogPath(config.name, 'stdout', config.stdout.logfile, supervisord),
      stderr: childLogPath(config.name, 'stderr', config.stderr.logfile, supervisord),
    };
    this.outputLogs = new ProcessOutput(config, this.logfiles, group, () => this.pid, env);
    this.checks =
      config.readiness || config.liveness
        ? new ProcessChecks(config, {
            log: env.log,
            clock: env.system.clock,
            output: this.outputLogs.chunks,
            environment: () => this.spawns.environment(),
            ready: () => this.send({ type: 'READY' }),
            livenessFailed: (detail) => {
              env.log.warn(`liveness: '${this.name}' ${detail}; restarting it`);
              this.send({ type: 'LIVENESS_FAILED', detail });
            },
          })
        : null;
    this.tree = config.stopastree ? new ProcessTree(config.name, env) : null;
    this.spawns = new ProcessSpawns(config, group, env, this.outputLogs, this.checks, this.tree, (event) => this.send(event));
    this.actor = createActor(processMachine, {
      clock: env.system.clock,
      parent: processActorRoot(env.system.clock),
      input: {
        startsecs: config.startsecs,
        startretries: config.startretries,
        stopwaitsecs: config.stopwaitsecs,
        autorestart: config.autorestart,
        exitcodes: config.exitcodes,
        stopsignal: config.stopsignal,
        stopasgroup: config.stopasgroup,
        killasgroup: config.killasgroup,
        stopastree: config.stopastree,
        backoffKind: config.backoff,
        backoffMax: config.backoffMax,
        readiness: config.readiness && { timeout: config.readiness.timeout, description: config.readiness.check.spec },
        dependsOn: config.dependsOn.length > 0,
      },
    });
    // Effects arrive once each transition is complete, in the order the machine decided them.
    this.actor.on('*', (effect: ProcessEffect) => this.perform(effect));
    this.actor.start();
  }

  get name(): string {
    return this.config.name;
  }

  get state(): ProcessStateName {
    return this.actor.getSnapshot().context.state;
  }

  get pid(): number {
    return this.actor.getSnapshot().context.pid;
  }

  get stopped(): boolean {
    return STOPPED_STATES.includes(this.state);
  }

  /** Everything the child writes (listener pools read the protocol from here). */
  get output(): Observable<ChildOutput> {
    return this.outputLogs.chunks;
  }

  /** The output log files: read, cleared (clearProcessLogs), reopened (SIGUSR2), counted. */
  get logs(): ProcessLogs {
    return this.outputLogs;
  }

  snapshot(): ProcessSnapshot {
    const { context } = this.actor.getSnapshot();
    return {
      name: this.name,
      group: this.group,
      state: context.state,
      pid: context.pid,
      laststart: this.spawns.laststart,
      laststop: this.spawns.laststop,
      exitstatus: context.exitstatus,
      spawnerr: context.spawnerr,
      logfiles: this.logfiles,
      readiness: this.config.readiness === null ? null : context.ready || context.state === 'RUNNING' ? 'ready' : 'waiting',
      restarts: Math.max(0, this.spawns.count - 1),
      nextRetry: this.nextRetry,
      lastExitCode: context.lastExit && exitStatusCode(context.lastExit),
    };
  }

  /** Whether the machine, as it is now, takes `event`. */
  can(event: ProcessEvent): boolean {
    return this.actor.getSnapshot().can(event);
  }

  /** Starts the process if its state allows; otherwise says why not. */
  start(): StartRefusal | null {
    if (this.can({ type: 'START' })) {
      this.actor.send({ type: 'START' });
      return null;
    }
    const state = this.state;
    if (state === 'UNKNOWN') return 'unknown-state';
    if (state !== 'STOPPING') return 'already-started';
    this.env.log.warn(`process '${this.name}' already running`);
    return 'stopping';
  }

  /** Stops the process if it runs or is about to; false when there is nothing to stop. */
  stop(): boolean {
    if (!this.can({ type: 'STOP' })) return false;
    if (this.state === 'BACKOFF') this.env.log.debug(`Attempted to kill ${this.name}, which is in BACKOFF state.`);
    this.actor.send({ type: 'STOP' });
    return true;
  }

  /** The daemon is going down: nothing of this process restarts any more. */
  shutdown(): void {
    this.actor.send({ type: 'SHUTDOWN' });
  }

  giveUp(): void {
    this.actor.send({ type: 'GIVE_UP' });
  }

  /**
   * Settles once the spawn under way, if any, is answered: the child's pid is known, or the spawn
   * failed. (posix_spawn reports on a later tick; the reference's spawn is done on return.)
   */
  whenSpawned(): Promise<void> {
    return this.spawns.whenAnswered();
  }

  /** Settles once the start under way has: RUNNING, or why it did not get there. */
  whenStarted(): Promise<StartOutcome> {
    return firstValueFrom(
      this.changes.pipe(
        startWith(null),
        map(() => this.startOutcome()),
        first((outcome): outcome is StartOutcome => outcome !== null, 'abnormal' as const),
      ),
    );
  }

  /** Settles once the process is in a stopped state, saying every few seconds that it waits. */
  whenStopped(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const reports = every(this.env.system.clock, STOP_REPORT_INTERVAL_MS).pipe(
      tap(() => this.env.log.info(`waiting for ${this.name} to stop`)),
      ignoreElements(),
    );
    const stopped = this.changes.pipe(first(() => this.stopped, null));
    return firstValueFrom(merge(reports, stopped)).then(() => undefined);
  }

  /** Sends a signal without meaning to stop the child (signalProcess); an error text when not sent. */
  sendSignal(signal: NodeJS.Signals): string | null {
    return sendSignal(this.env, this.name, this.pid, signal);
  }

  /** Checks the command as a spawn would, throwing its COMMAND_NOT_* error (startProcess faults). */
  checkCommand(): void {
    let environment: NodeJS.ProcessEnv;
    try {
      environment = this.spawns.environment();
    } catch (error) {
      // An env file that cannot be read fails the spawn itself, with a spawn error naming it.
      if (isSupervisorError(error, 'SPAWN')) return;
      throw error;
    }
    resolveCommand(this.config.command, environment);
  }

  /**
   * Writes to the child's stdin (sendProcessStdin). Throws an EPIPE error when there is no child
   * or its stdin is closed.
   */
  writeStdin(data: Buffer): void {
    const stdin = this.spawns.child?.stdin;
    if (!this.pid || this.state === 'STOPPING' || !stdin || stdin.destroyed || !stdin.writable) {
      throw new SupervisorError('EPIPE', "Process' stdin channel is closed");
    }
    stdin.write(data);
  }

  /** Releases everything; the child, if any, must already be gone. */
  dispose(): void {
    stopProcessActor(this.env.system.clock, this.actor);
    this.checks?.dispose();
    this.tree?.dispose();
    this.stopWaiting?.();
    this.changes.complete();
    this.outputLogs.close();
  }

  private startOutcome(): StartOutcome | null {
    const { spawnerr, state } = this.snapshot();
    if (spawnerr) return 'spawn-error';
    if (state === 'RUNNING') return 'running';
    return state === 'STARTING' ? null : 'abnormal';
  }

  private perform(effect: ProcessEffect): void {
    if (effect.type === 'spawn') this.spawns.spawn();
    else if (effect.type === 'signal') this.signalChild(effect);
    else if (effect.type === 'readiness') this.checks?.readiness(effect.run);
    else if (effect.type === 'liveness') this.checks?.liveness(effect.run);
    else if (effect.type === 'dependencies') this.waitForDependencies(effect.run);
    else if (effect.type === 'tree') this.tree?.watch(effect.watch, () => this.send({ type: 'TREE_GONE' }));
    else this.onStateChange(effect);
  }

  private waitForDependencies(run: boolean): void {
    this.stopWaiting?.();
    this.stopWaiting = null;
    if (!run) return;
    const names = this.config.dependsOn.map((d) => `${namespecOf({ group: d.group, name: d.name })}${d.completed ? ' (completed)' : ''}`);
    this.env.log.info(`waiting: '${this.name}' starts once ${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} ready`);
    this.stopWaiting = waitForDependencies(this.config.dependsOn, this.env.findProcess, {
      met: () => this.send({ type: 'DEPENDENCIES_MET' }),
      failed: (detail) => this.send({ type: 'DEPENDENCY_FAILED', detail }),
    });
  }

  private send(event: ProcessEvent): void {
    this.actor.send(event);
  }

  private signalChild(request: SignalRequest): void {
    if (request.pid && request.because === 'readiness') {
      const readiness = this.config.readiness;
      const last = this.checks?.lastReadiness ? ` (last attempt: ${this.checks.lastReadiness})` : '';
      this.env.log.warn(
        `not ready: '${this.name}' did not pass ${readiness?.check.spec} within ${readiness?.timeout} seconds${last}; stopping it`,
      );
    }
    const error = request.tree && this.tree ? this.tree.signal(request) : signalToStop(this.env, this.name, request);
    if (error) this.send({ type: 'KILL_FAILED', error });
  }

  private onStateChange(change: StateChange): void {
    const { to } = change;
    logStateChange(this.env.log, this.name, this.config.startsecs, change);
    this.spawns.stateChanged();
    const at = this.env.system.now();
    this.nextRetry =
      to === 'BACKOFF'
        ? at + backoffSeconds({ backoffKind: this.config.backoff, backoffMax: this.config.backoffMax }, change.tries) * 1000
        : 0;
    // Written out rather than spread: V8 gave each spread copy a map of its own (~600 bytes of
    // old space per state change, kept for the history's 20).
    const event: ProcessStateEvent = {
      type: change.type,
      from: change.from,
      to,
      cause: change.cause,
      expected: change.expected,
      tries: change.tries,
      pid: change.pid,
      exit: change.exit,
      process: this,
      at,
    };
    this.history.push(event);
    if (this.history.length > HISTORY_LENGTH) this.history.shift();
    // Rendered only for a listener: a crash loop makes thousands of changes a second.
    if (this.env.bus.wants(processStateEventType(to))) this.env.bus.publish(processStateEvent(event, this.name, this.group));
    this.reportChange?.(event);
    this.changes.next(event);
  }
}
