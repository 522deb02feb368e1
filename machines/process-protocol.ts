// What the process machine (process.ts) takes and gives: its input and context, the events the
// runtime reports to it, the effects it asks the runtime for, and the helpers both sides use to
// read an exit.
import type { AutoRestart, BackoffKind } from '../config/types.js';
import type { ProcessStateName } from './states.js';

export interface ProcessMachineInput {
  startsecs: number;
  /** Infinity: never give up. */
  startretries: number;
  backoffKind: BackoffKind;
  /** Seconds; null: no cap. */
  backoffMax: number | null;
  /** A check gates RUNNING: how long it may take from the spawn, and what it is (for messages). */
  readiness: { timeout: number; description: string } | null;
  /** Other processes must be up (or done) before each spawn. */
  dependsOn: boolean;
  stopwaitsecs: number;
  autorestart: AutoRestart;
  exitcodes: readonly number[];
  stopsignal: NodeJS.Signals;
  stopasgroup: boolean;
  killasgroup: boolean;
  /** stopastree= (ours): stop signals reach every descendant, and a stop lasts until they are all gone. */
  stopastree: boolean;
}

/** How a child ended, as the OS reports it: an exit code, or the signal that killed it. */
export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ProcessContext extends ProcessMachineInput {
  state: ProcessStateName;
  /** Consecutive failed starts; the wait in BACKOFF is this many seconds. */
  backoff: number;
  /** The running child's pid, 0 when there is none. */
  pid: number;
  /** Exit code as the reference reports it: the code, -1 when killed by a signal, null when unknown. */
  exitstatus: number | null;
  lastExit: ExitStatus | null;
  /** The pid of the child that ended last (a stop of a whole tree reports it once the tree is gone). */
  lastPid: number;
  spawnerr: string | null;
  /** Set once the daemon is shutting down: nothing restarts any more. */
  shuttingDown: boolean;
  /** The readiness check passed during this start. */
  ready: boolean;
  /** Stopping to start again (a failed liveness check). */
  restartPending: boolean;
}

export type ProcessEvent =
  | { type: 'START' }
  | { type: 'STOP' }
  /** The daemon is going down: no more automatic restarts. */
  | { type: 'SHUTDOWN' }
  /** Give up on a process in BACKOFF (the daemon stops its group while it retries). */
  | { type: 'GIVE_UP' }
  | { type: 'SPAWNED'; pid: number }
  | { type: 'SPAWN_FAILED'; error: string }
  /** The child `pid` ended. */
  | { type: 'EXIT'; pid: number; status: ExitStatus }
  /** Signalling the child failed for a reason other than "no such process". */
  | { type: 'KILL_FAILED'; error: string }
  /** The readiness check passed. */
  | { type: 'READY' }
  /** The liveness check failed as often as it may: restart the program. */
  | { type: 'LIVENESS_FAILED'; detail: string }
  /** Every dependency is up (or done). */
  | { type: 'DEPENDENCIES_MET' }
  /** A dependency went FATAL (or is gone): this start cannot happen. */
  | { type: 'DEPENDENCY_FAILED'; detail: string }
  /** stopastree: what was left of the child's tree once the child ended is gone too. */
  | { type: 'TREE_GONE' };

/** Emitted on every change of top-level state, including the passing ones (EXITED → STARTING). */
export interface StateChange {
  type: 'stateChange';
  from: ProcessStateName;
  to: ProcessStateName;
  /** The event that caused it, so the runtime can word its log line. */
  cause: ProcessEvent;
  /** For a change caused by an exit: whether the exit code was one of exitcodes. Always true otherwise. */
  expected: boolean;
  /** Failed starts so far (PROCESS_STATE_STARTING/BACKOFF report it). */
  tries: number;
  /** The child the change is about: the one that just exited, or the current one (0: none). */
  pid: number;
  /** How the child ended, when its end caused the change (at once, or once the rest of its tree was gone). */
  exit: ExitStatus | null;
}

/** Emitted when a child must be started; the runtime answers SPAWNED or SPAWN_FAILED. */
export interface SpawnRequest {
  type: 'spawn';
}

/** Emitted when the child must be signalled; a failure other than "no such process" is KILL_FAILED. */
export interface SignalRequest {
  type: 'signal';
  /** 0 when no child exists yet (a stop while spawning): nothing to signal. */
  pid: number;
  signal: NodeJS.Signals;
  /** Send to the child's whole process group. */
  group: boolean;
  /**
   * Send to every descendant of the child as well (stopastree); once the child is gone (pid 0),
   * to what is left of its tree.
   */
  tree: boolean;
  /** The SIGKILL sent because the child outlived stopwaitsecs. */
  timedOut: boolean;
  /** Why a stop signal goes out other than a stop request: a failed health check. */
  because?: 'readiness' | 'liveness';
}

/** Emitted when a health check must start (the child is up) or stop (it no longer applies). */
export type CheckRequest =
  { type: 'readiness'; run: boolean } | { type: 'liveness'; run: boolean } | { type: 'dependencies'; run: boolean };

/**
 * stopastree: the child is gone, its descendants perhaps not; watch them and report TREE_GONE
 * once they are (watch true), or stop watching (false).
 */
export interface TreeRequest {
  type: 'tree';
  watch: boolean;
}

export type ProcessEffect = StateChange | SpawnRequest | SignalRequest | CheckRequest | TreeRequest;

export function exitStatusCode(status: ExitStatus): number {
  return status.code ?? -1;
}

/** The wait before the next start, after `tries` failed ones in a row (1 s after the first). */
export function backoffSeconds(input: Pick<ProcessMachineInput, 'backoffKind' | 'backoffMax'>, tries: number): number {
  const seconds = input.backoffKind === 'exponential' ? 2 ** (tries - 1) : tries;
  return input.backoffMax === null ? seconds : Math.min(seconds, input.backoffMax);
}

export function isExpectedExit(context: ProcessMachineInput, status: ExitStatus): boolean {
  return context.exitcodes.includes(exitStatusCode(status));
}

/** The change announced on entering `to`, as the event and the context before it describe it. */
export function describeStateChange(context: ProcessContext, event: ProcessEvent, to: ProcessStateName): StateChange {
  const exit = event.type === 'EXIT' ? event.status : event.type === 'TREE_GONE' ? context.lastExit : null;
  return {
    type: 'stateChange',
    from: context.state,
    to,
    cause: event,
    expected: exit ? isExpectedExit(context, exit) : true,
    tries: context.backoff,
    pid: event.type === 'EXIT' ? event.pid : event.type === 'TREE_GONE' ? context.lastPid : context.pid,
    exit,
  };
}
