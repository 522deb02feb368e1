// One supervised process: runs the process machine and does what it emits — spawning the child,
// signalling it, noticing its exit the moment Node reports it — and writes the activity-log
// lines the reference writes for each of those steps. Spawning, signals and time come from a
// ProcessSystem, so the actor also runs in-process on a simulated clock.
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
import { spawnChild } from './child.js';
import { every } from './clock.js';
import { PendingRelease, type FcgiSocketLease } from './fcgi/socket-manager.js';
import { processActorRoot, stopProcessActor } from './process-actors.js';
import { ProcessChecks } from './process-checks.js';
import { waitForDependencies } from './process-dependencies.js';
import { namespecOf } from './namespec.js';
import { childEnvironment, type ProcessEnvironment } from './process-environment.js';
import { sendSignal, signalToStop } from './process-signals.js';
import { logStateChange } from './process-state-log.js';
import { ProcessTree } from './process-tree.js';
import type { SpawnedChild } from './spawner.js';

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
  logfiles: Record<OutputChannel, string | null>;
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
/**
 * A child that lived shorter than this puts its process in a crash loop until one lives longer.
 * Meanwhile its children get plain pipes, not fast-capture socket pairs (capture-channels.ts),
 * which a crash loop would take two of a spawn (where they come from a pool, each made ahead and
 * kept alive long enough to reach V8's old space) for output it hardly writes; and their
 * environment is built once for the whole loop.
 */
const CRASH_LOOP_LIFETIME_MS = 1000;

export class SupervisedProcess {
  readonly changes = new Subject<ProcessStateEvent>();
  /** The latest state changes, oldest first. */
  readonly history: ProcessStateEvent[] = [];
  private readonly actor: Actor<typeof processMachine>;
  private readonly outputLogs: ProcessOutput;
  private readonly checks: ProcessChecks;
  /** stopastree=: the child's whole tree, for its stops. */
  private readonly tree: ProcessTree | null;
  /** Stops waiting for the dependencies, while STARTING waits for them. */
  private stopWaiting: (() => void) | null = null;
  private child: SpawnedChild | null = null;
  /** Waiting for the spawn under way to be answered; null when none is under way. */
  private spawnWaiters: Array<() => void> | null = null;
  private laststart = 0;
  private spawns = 0;
  private nextRetry = 0;
  private laststop = 0;
  /** Whether the previous child lived shorter than CRASH_LOOP_LIFETIME_MS (or never started). */
  private crashLooping = false;
  /** In a crash loop, its children's environment, when no env file can change it; never modified. */
  private loopEnvironment: NodeJS.ProcessEnv | null = null;
  /** The fcgi-program socket of a child just gone, until the state change its end makes. */
  private readonly endingSocket = new PendingRelease();

  constructor(
    readonly config: ProcessConfig,
    readonly group: string,
    private readonly env: ProcessEnvironment,
    /** Told of each state change before the subscribers of `changes`. */
    private readonly reportChange?: (change: ProcessStateEvent) => void,
  ) {
    this.outputLogs = new ProcessOutput(config, group, () => this.pid, env);
    this.checks = new ProcessChecks(config, {
      log: env.log,
      clock: env.system.clock,
      output: this.outputLogs.chunks,
      environment: () => this.childEnvironment(),
      ready: () => this.send({ type: 'READY' }),
      livenessFailed: (detail) => {
        env.log.warn(`liveness: '${this.name}' ${detail}; restarting it`);
        this.send({ type: 'LIVENESS_FAILED', detail });
      },
    });
    this.tree = config.stopastree ? new ProcessTree(config.name, env) : null;
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
      laststart: this.laststart,
      laststop: this.laststop,
      exitstatus: context.exitstatus,
      spawnerr: context.spawnerr,
      logfiles: { stdout: this.config.stdout.logfile, stderr: this.config.stderr.logfile },
      readiness: this.config.readiness === null ? null : context.ready || context.state === 'RUNNING' ? 'ready' : 'waiting',
      restarts: Math.max(0, this.spawns - 1),
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
    const waiters = this.spawnWaiters;
    return waiters ? new Promise((resolve) => waiters.push(resolve)) : Promise.resolve();
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
      environment = this.childEnvironment();
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
    const stdin = this.child?.stdin;
    if (!this.pid || this.state === 'STOPPING' || !stdin || stdin.destroyed || !stdin.writable) {
      throw new SupervisorError('EPIPE', "Process' stdin channel is closed");
    }
    stdin.write(data);
  }

  /** Releases everything; the child, if any, must already be gone. */
  dispose(): void {
    stopProcessActor(this.env.system.clock, this.actor);
    this.checks.dispose();
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
    if (effect.type === 'spawn') this.spawnChild();
    else if (effect.type === 'signal') this.signalChild(effect);
    else if (effect.type === 'readiness') this.checks.readiness(effect.run);
    else if (effect.type === 'liveness') this.checks.liveness(effect.run);
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

  private childEnvironment(): NodeJS.ProcessEnv {
    if (this.loopEnvironment) return this.loopEnvironment;
    const environment = childEnvironment(this.config, this.group, this.env);
    // Without env files nothing it is made of changes while this process exists: a crash loop
    // keeps it rather than building it at each spawn (~100 variables, ~6 KB, which Node copies
    // once more); a process whose children live on does not keep its ~2 KB.
    if (this.crashLooping && this.config.envFiles.length === 0 && this.env.supervisord.envFiles.length === 0) {
      this.loopEnvironment = environment;
    }
    return environment;
  }

  /** The machine's spawn: report SPAWNED or SPAWN_FAILED back to it. */
  private spawnChild(): void {
    const now = this.env.system.now();
    this.crashLooping = this.spawns > 0 && this.laststop - this.laststart < CRASH_LOOP_LIFETIME_MS;
    if (!this.crashLooping) this.loopEnvironment = null;
    this.laststart = now;
    this.spawns += 1;
    this.spawnWaiters ??= [];
    const fail = (message: string) => {
      this.env.log.info(`spawnerr: ${message}`);
      this.send({ type: 'SPAWN_FAILED', error: message });
      this.spawnAnswered();
    };
    // A notify socket must be listening before the child can write to it; the machine waits in
    // STARTING meanwhile (a stop then reaches the child as soon as it exists).
    if (this.checks.usesNotify) {
      this.checks.prepare().then(
        (vars) => this.spawnWithSocket(vars, fail),
        (error: unknown) => fail(error instanceof Error ? error.message : String(error)),
      );
    } else {
      this.spawnWithSocket({}, fail);
    }
  }

  /** Spawns; an fcgi-program's child with its group's socket, created first if none is open. */
  private spawnWithSocket(vars: NodeJS.ProcessEnv, fail: (message: string) => void): void {
    let socket: FcgiSocketLease | null;
    try {
      socket = this.env.fcgiSocket?.acquire() ?? null;
    } catch (error) {
      if (!isSupervisorError(error, 'SPAWN')) throw error;
      return fail(error.message);
    }
    this.spawnWith(vars, socket, fail);
  }

  /**
   * Spawns with `vars` added to the child's environment and, for an fcgi-program, the group's
   * socket as its fd 0, held until the child is reaped (or until the spawn fails).
   */
  private spawnWith(vars: NodeJS.ProcessEnv, socket: FcgiSocketLease | null, fail: (message: string) => void): void {
    const spawned = { stdin: socket?.fd ?? null, fastCapture: !this.crashLooping };
    const treeVars = this.tree?.spawning();
    spawnChild(
      this.config,
      () => (treeVars || Object.keys(vars).length ? { ...this.childEnvironment(), ...vars, ...treeVars } : this.childEnvironment()),
      this.env,
      this.outputLogs,
      spawned,
      {
        started: (child) => {
          this.child = child.process;
          this.tree?.spawned(child.pid);
          this.env.log.info(`spawned: '${this.name}' with pid ${child.pid}`);
          this.send({ type: 'SPAWNED', pid: child.pid });
          this.spawnAnswered();
        },
        failed: (message) => this.endingSocket.around(socket, () => fail(message)),
        exited: (pid, status) => {
          if (this.child?.pid === pid) this.child = null;
          this.laststop = this.env.system.now();
          this.endingSocket.around(socket, () => this.send({ type: 'EXIT', pid, status }));
          // The reference's main loop logs this after reaping; kept for those who grep debug logs.
          this.env.log.debug('received SIGCHLD indicating a child quit');
        },
      },
    );
  }

  private spawnAnswered(): void {
    const waiters = this.spawnWaiters ?? [];
    this.spawnWaiters = null;
    for (const resolve of waiters) resolve();
  }

  private signalChild(request: SignalRequest): void {
    if (request.pid && request.because === 'readiness') {
      const readiness = this.config.readiness;
      const last = this.checks.lastReadiness ? ` (last attempt: ${this.checks.lastReadiness})` : '';
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
    this.endingSocket.release();
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
