// The spawns of one supervised process, for its actor (process.ts): each child started with its
// environment, notify and fcgi sockets, the machine told SPAWNED, SPAWN_FAILED or EXIT, and the
// times and counts the process reports (laststart, laststop, restarts).
import { isSupervisorError } from '../common/errors.js';
import type { ProcessConfig } from '../config/types.js';
import type { ExitStatus, ProcessEvent } from '../machines/process.js';
import { spawnChild, type ChildEvents, type StartedChild } from './child.js';
import { PendingRelease, type FcgiSocketLease } from './fcgi/socket-manager.js';
import type { ProcessChecks } from './process-checks.js';
import { childEnvironment, type ProcessEnvironment } from './process-environment.js';
import type { ProcessOutput } from './process-output.js';
import type { ProcessTree } from './process-tree.js';
import type { SpawnedChild } from './spawned-child.js';

/**
 * A child that lived shorter than this puts its process in a crash loop until one lives longer.
 * Meanwhile its children get plain pipes, not fast-capture socket pairs (capture-channels.ts),
 * which a crash loop would take two of a spawn (where they come from a pool, each made ahead and
 * kept alive long enough to reach V8's old space) for output it hardly writes; and their
 * environment is built once for the whole loop.
 */
const CRASH_LOOP_LIFETIME_MS = 1000;

export class ProcessSpawns implements ChildEvents {
  /** The latest child, while it runs. */
  child: SpawnedChild | null = null;
  /** Milliseconds since the epoch; 0 before the first. */
  laststart = 0;
  laststop = 0;
  count = 0;
  /** Waiting for the spawn under way to be answered; null when none is under way. */
  private waiters: Array<() => void> | null = null;
  /** Whether the previous child lived shorter than CRASH_LOOP_LIFETIME_MS (or never started). */
  private crashLooping = false;
  /** In a crash loop, its children's environment, when no env file can change it; never modified. */
  private loopEnvironment: NodeJS.ProcessEnv | null = null;
  /** The fcgi-program socket the latest child got as its fd 0, held until it is reaped (or fails). */
  private socket: FcgiSocketLease | null = null;
  /** The fcgi-program socket of a child just gone, until the state change its end makes. */
  private readonly endingSocket = new PendingRelease();

  // The process's parts as parameters rather than one object of them: one object less a process.
  constructor(
    private readonly config: ProcessConfig,
    private readonly group: string,
    private readonly env: ProcessEnvironment,
    private readonly output: ProcessOutput,
    private readonly checks: ProcessChecks | null,
    private readonly tree: ProcessTree | null,
    /** Tells the process machine. */
    private readonly send: (event: ProcessEvent) => void,
  ) {}

  /** The environment a child spawned now gets. */
  environment(): NodeJS.ProcessEnv {
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

  /**
   * Settles once the spawn under way, if any, is answered: the child's pid is known, or the spawn
   * failed. (posix_spawn reports on a later tick; the reference's spawn is done on return.)
   */
  whenAnswered(): Promise<void> {
    const waiters = this.waiters;
    return waiters ? new Promise((resolve) => waiters.push(resolve)) : Promise.resolve();
  }

  /** The process changed state: a socket held for the end of its last child can go. */
  stateChanged(): void {
    this.endingSocket.release();
  }

  /** The machine's spawn: reports SPAWNED or SPAWN_FAILED back to it. */
  spawn(): void {
    const now = this.env.system.now();
    this.crashLooping = this.count > 0 && this.laststop - this.laststart < CRASH_LOOP_LIFETIME_MS;
    if (!this.crashLooping) this.loopEnvironment = null;
    this.laststart = now;
    this.count += 1;
    this.waiters ??= [];
    // A notify socket must be listening before the child can write to it; the machine waits in
    // STARTING meanwhile (a stop then reaches the child as soon as it exists).
    if (this.checks?.usesNotify) {
      this.checks.prepare().then(
        (vars) => this.spawnWithSocket(vars),
        (error: unknown) => this.fail(error instanceof Error ? error.message : String(error)),
      );
    } else {
      this.spawnWithSocket({});
    }
  }

  /** For spawnChild (ChildEvents): the child exists. */
  started(child: StartedChild): void {
    this.child = child.process;
    this.tree?.spawned(child.pid);
    this.env.log.info(`spawned: '${this.config.name}' with pid ${child.pid}`);
    this.send({ type: 'SPAWNED', pid: child.pid });
    this.answered();
  }

  /** For spawnChild (ChildEvents): the child could not be started. */
  failed(message: string): void {
    this.endingSocket.around(this.takeSocket(), () => this.fail(message));
  }

  /** For spawnChild (ChildEvents): the child is gone and its output read. */
  exited(pid: number, status: ExitStatus): void {
    if (this.child?.pid === pid) this.child = null;
    this.laststop = this.env.system.now();
    this.endingSocket.around(this.takeSocket(), () => this.send({ type: 'EXIT', pid, status }));
    // The reference's main loop logs this after reaping; kept for those who grep debug logs.
    this.env.log.debug('received SIGCHLD indicating a child quit');
  }

  /** Spawns; an fcgi-program's child with its group's socket, created first if none is open. */
  private spawnWithSocket(vars: NodeJS.ProcessEnv): void {
    try {
      this.socket = this.env.fcgiSocket?.acquire() ?? null;
    } catch (error) {
      if (!isSupervisorError(error, 'SPAWN')) throw error;
      return this.fail(error.message);
    }
    this.spawnWith(vars);
  }

  /** Spawns with `vars` added to the child's environment and, for an fcgi-program, its socket as fd 0. */
  private spawnWith(vars: NodeJS.ProcessEnv): void {
    const treeVars = this.tree?.spawning();
    spawnChild(
      this.config,
      () => (treeVars || Object.keys(vars).length ? { ...this.environment(), ...vars, ...treeVars } : this.environment()),
      this.env,
      this.output,
      { stdin: this.socket?.fd ?? null, fastCapture: !this.crashLooping },
      // Itself rather than closures of this spawn, which each running child would keep.
      this,
    );
  }

  private fail(message: string): void {
    this.env.log.info(`spawnerr: ${message}`);
    this.send({ type: 'SPAWN_FAILED', error: message });
    this.answered();
  }

  private takeSocket(): FcgiSocketLease | null {
    const socket = this.socket;
    this.socket = null;
    return socket;
  }

  private answered(): void {
    const waiters = this.waiters ?? [];
    this.waiters = null;
    for (const resolve of waiters) resolve();
  }
}
