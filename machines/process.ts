// The life of one supervised process, as documented in subprocess.rst ("Process States").
// Pure: no I/O and no clock of its own. What the runtime must do is emitted — `spawn`, `signal`
// and each `stateChange` — in the order the machine decided it, once the transition is complete;
// the runtime (actors/process.ts) does it and reports back with events. Delays use XState's
// clock, so tests drive them with a SimulatedClock.
import { assign, emit, setup } from 'xstate';
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
  | { type: 'DEPENDENCY_FAILED'; detail: string };

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
  /** The SIGKILL sent because the child outlived stopwaitsecs. */
  timedOut: boolean;
  /** Why a stop signal goes out other than a stop request: a failed health check. */
  because?: 'readiness' | 'liveness';
}

/** Emitted when a health check must start (the child is up) or stop (it no longer applies). */
export type CheckRequest =
  { type: 'readiness'; run: boolean } | { type: 'liveness'; run: boolean } | { type: 'dependencies'; run: boolean };

export type ProcessEffect = StateChange | SpawnRequest | SignalRequest | CheckRequest;

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
  return {
    type: 'stateChange',
    from: context.state,
    to,
    cause: event,
    expected: event.type === 'EXIT' ? isExpectedExit(context, event.status) : true,
    tries: context.backoff,
    pid: event.type === 'EXIT' ? event.pid : context.pid,
  };
}

/** Entry actions of a top-level state: announce the change, then record the new state. */
function announce(to: ProcessStateName) {
  return [
    { type: 'announce', params: { to } },
    { type: 'record', params: { to } },
  ] as const;
}

const stopSignal = ({ context }: { context: ProcessContext }) => ({
  signal: context.stopsignal,
  group: context.stopasgroup,
  timedOut: false,
});

const killSignal = ({ context }: { context: ProcessContext }) => ({
  signal: 'SIGKILL' as const,
  group: context.killasgroup,
  timedOut: true,
});

export const processMachine = setup({
  types: {
    context: {} as ProcessContext,
    input: {} as ProcessMachineInput,
    events: {} as ProcessEvent,
    emitted: {} as ProcessEffect,
  },
  actions: {
    // The previous state is still in context.state while announcing.
    announce: emit(({ context, event }, params: { to: ProcessStateName }) => describeStateChange(context, event, params.to)),
    record: assign((_, params: { to: ProcessStateName }) => ({ state: params.to })),
    spawn: emit({ type: 'spawn' } as const),
    signal: emit(
      ({ context }, params: { signal: NodeJS.Signals; group: boolean; timedOut: boolean; because?: 'readiness' | 'liveness' }) => ({
        type: 'signal' as const,
        pid: context.pid,
        ...params,
      }),
    ),
    startReadiness: emit({ type: 'readiness', run: true } as const),
    stopReadiness: emit({ type: 'readiness', run: false } as const),
    startLiveness: emit({ type: 'liveness', run: true } as const),
    waitForDependencies: emit({ type: 'dependencies', run: true } as const),
    stopWaitingForDependencies: emit({ type: 'dependencies', run: false } as const),
    stopLiveness: emit({ type: 'liveness', run: false } as const),
    recordPid: assign({ pid: ({ event }) => (event.type === 'SPAWNED' ? event.pid : 0) }),
    recordExit: assign(({ event }) => {
      if (event.type !== 'EXIT') return {};
      return { pid: 0, lastExit: event.status };
    }),
  },
  guards: {
    startsImmediately: ({ context }) => context.startsecs === 0 && context.readiness === null,
    waitsOnlyForReadiness: ({ context }) => context.startsecs === 0 && context.readiness !== null,
    checksReadiness: ({ context }) => context.readiness !== null,
    readyOrUnchecked: ({ context }) => context.readiness === null || context.ready,
    // Ready already, it waits out startsecs even past readiness_timeout.
    readinessTimedOut: ({ context }) => context.readiness !== null && context.pid !== 0 && !context.ready,
    restartPending: ({ context }) => context.restartPending && !context.shuttingDown,
    hasDependencies: ({ context }) => context.dependsOn,
    outOfRetries: ({ context }) => context.backoff > context.startretries,
    restartsAfterExit: ({ context }) => {
      if (context.shuttingDown || context.autorestart === 'false') return false;
      if (context.autorestart === 'true') return true;
      return context.lastExit !== null && !isExpectedExit(context, context.lastExit);
    },
    mayRetry: ({ context }) => !context.shuttingDown,
  },
  delays: {
    startsecs: ({ context }) => context.startsecs * 1000,
    backoff: ({ context }) => backoffSeconds(context, context.backoff) * 1000,
    readinessTimeout: ({ context }) => (context.readiness?.timeout ?? 0) * 1000,
    stopwaitsecs: ({ context }) => context.stopwaitsecs * 1000,
  },
}).createMachine({
  id: 'process',
  context: ({ input }) => ({
    ...input,
    state: 'STOPPED',
    backoff: 0,
    pid: 0,
    exitstatus: null,
    lastExit: null,
    spawnerr: null,
    shuttingDown: false,
    ready: false,
    restartPending: false,
  }),
  initial: 'STOPPED',
  on: {
    SHUTDOWN: { actions: assign({ shuttingDown: true }) },
  },
  states: {
    // Initial state: its announcement rides on the transitions into it, so that creating the
    // machine reports no change.
    STOPPED: {
      // Stopped to be started again (a failed liveness check).
      always: { guard: 'restartPending', target: 'STARTING' },
      on: { START: { target: 'STARTING', actions: assign({ backoff: 0 }) } },
    },
    STARTING: {
      entry: [...announce('STARTING'), assign({ spawnerr: null, exitstatus: null, ready: false, restartPending: false })],
      exit: 'stopReadiness',
      initial: 'choosing',
      states: {
        choosing: { always: [{ guard: 'hasDependencies', target: 'blocked' }, { target: 'launching' }] },
        // Waiting for the processes it depends on, which it has asked to start.
        blocked: {
          entry: 'waitForDependencies',
          exit: 'stopWaitingForDependencies',
          on: {
            DEPENDENCIES_MET: 'launching',
            DEPENDENCY_FAILED: { target: '#process.FATAL', actions: assign({ spawnerr: ({ event }) => event.detail }) },
            // No child yet: nothing to stop.
            STOP: { target: '#process.STOPPED', actions: announce('STOPPED') },
          },
        },
        launching: {
          // Counted from the spawn; startsecs still applies as a minimum.
          after: { readinessTimeout: { guard: 'readinessTimedOut', target: '#process.STARTING.abandoning' } },
          initial: 'spawning',
          states: {
            spawning: {
              entry: 'spawn',
              on: {
                SPAWNED: [
                  { guard: 'startsImmediately', target: '#process.RUNNING', actions: 'recordPid' },
                  { guard: 'waitsOnlyForReadiness', target: 'checking', actions: ['recordPid', 'startReadiness'] },
                  { guard: 'checksReadiness', target: 'waiting', actions: ['recordPid', 'startReadiness'] },
                  { target: 'waiting', actions: 'recordPid' },
                ],
                SPAWN_FAILED: {
                  target: '#process.BACKOFF',
                  actions: assign({ spawnerr: ({ event }) => event.error }),
                },
              },
            },
            // Spawned; it must stay up startsecs to count as started (and be ready, if checked).
            waiting: {
              after: { startsecs: [{ guard: 'readyOrUnchecked', target: '#process.RUNNING' }, { target: 'checking' }] },
              on: { READY: { actions: assign({ ready: true }) } },
            },
            // Up long enough; RUNNING once the readiness check passes.
            checking: {
              on: { READY: '#process.RUNNING' },
            },
          },
        },
        // Not ready in time: a failed start, once the child is stopped.
        abandoning: {
          entry: assign(({ context }) => ({
            spawnerr: `readiness check ${context.readiness?.description ?? ''} did not pass within ${context.readiness?.timeout ?? 0} seconds`,
          })),
          initial: 'signalled',
          states: {
            signalled: {
              entry: { type: 'signal', params: (args) => ({ ...stopSignal(args), because: 'readiness' as const }) },
              after: { stopwaitsecs: 'killing' },
            },
            killing: {
              entry: { type: 'signal', params: killSignal },
              after: { stopwaitsecs: { target: 'killing', reenter: true } },
            },
          },
          on: { EXIT: { target: '#process.BACKOFF', actions: ['recordExit', assign({ exitstatus: null })] } },
        },
      },
      on: {
        // Exited before startsecs (or before it was ready): a failed start.
        EXIT: {
          target: '#process.BACKOFF',
          actions: ['recordExit', assign({ exitstatus: null, spawnerr: 'Exited too quickly (process log may have details)' })],
        },
        STOP: { target: 'STOPPING', actions: { type: 'signal', params: stopSignal } },
        KILL_FAILED: '#process.UNKNOWN',
      },
    },
    RUNNING: {
      entry: [...announce('RUNNING'), assign({ backoff: 0 }), 'startLiveness'],
      exit: 'stopLiveness',
      on: {
        EXIT: {
          target: 'EXITED',
          actions: [
            'recordExit',
            assign(({ context, event }) => ({
              exitstatus: exitStatusCode(event.status),
              spawnerr: isExpectedExit(context, event.status) ? null : `Bad exit code ${exitStatusCode(event.status)}`,
            })),
          ],
        },
        STOP: { target: 'STOPPING', actions: { type: 'signal', params: stopSignal } },
        LIVENESS_FAILED: {
          target: 'STOPPING',
          actions: [
            assign({ restartPending: true }),
            { type: 'signal', params: (args) => ({ ...stopSignal(args), because: 'liveness' as const }) },
          ],
        },
        KILL_FAILED: 'UNKNOWN',
      },
    },
    BACKOFF: {
      // Counted before announcing, so the change reports this failure among the tries.
      entry: [assign({ backoff: ({ context }) => context.backoff + 1 }), ...announce('BACKOFF')],
      always: { guard: 'outOfRetries', target: 'FATAL' },
      after: { backoff: { guard: 'mayRetry', target: 'STARTING' } },
      on: {
        STOP: { target: 'STOPPED', actions: announce('STOPPED') },
        GIVE_UP: 'FATAL',
      },
    },
    STOPPING: {
      entry: announce('STOPPING'),
      initial: 'signalled',
      states: {
        signalled: { after: { stopwaitsecs: 'killing' } },
        // Past stopwaitsecs: SIGKILL, and again every stopwaitsecs while the child survives.
        killing: {
          entry: { type: 'signal', params: killSignal },
          after: { stopwaitsecs: { target: 'killing', reenter: true } },
        },
      },
      on: {
        // A stop asked for while restarting: it stays stopped.
        STOP: { actions: assign({ restartPending: false }) },
        // Stopped while its spawn was still under way: the child that appears gets the stop
        // signal at once; a spawn that failed leaves nothing to stop.
        SPAWNED: { actions: ['recordPid', { type: 'signal', params: stopSignal }] },
        SPAWN_FAILED: {
          target: 'STOPPED',
          actions: [assign({ spawnerr: ({ event }) => event.error }), ...announce('STOPPED')],
        },
        EXIT: {
          target: 'STOPPED',
          actions: ['recordExit', assign({ exitstatus: ({ event }) => exitStatusCode(event.status) }), ...announce('STOPPED')],
        },
        // Signalling failed for a reason other than "no such process": as in the reference, the
        // state can no longer be known.
        KILL_FAILED: 'UNKNOWN',
      },
    },
    EXITED: {
      entry: announce('EXITED'),
      always: { guard: 'restartsAfterExit', target: 'STARTING' },
      on: { START: 'STARTING' },
    },
    FATAL: {
      entry: [...announce('FATAL'), assign({ backoff: 0 })],
      on: { START: 'STARTING' },
    },
    UNKNOWN: {
      entry: announce('UNKNOWN'),
    },
  },
});
