// The life of one supervised process, as documented in subprocess.rst ("Process States").
// Pure: no I/O and no clock of its own. What the runtime must do is emitted — `spawn`, `signal`
// and each `stateChange` — in the order the machine decided it, once the transition is complete;
// the runtime (actors/process.ts) does it and reports back with events. Delays use XState's
// clock, so tests drive them with a SimulatedClock.
// A stop (STOPPING, and STARTING.abandoning) has two parallel regions: `signals` sends the stop
// signal, then SIGKILL every stopwaitsecs; `tree` waits for the child to end and, with
// stopastree, for the rest of its tree after it. Being parallel, the child's end does not restart
// the clock of the signals: every survivor gets SIGKILL stopwaitsecs after the stop signal.
import { assign, emit, setup } from 'xstate';
import {
  backoffSeconds,
  describeStateChange,
  exitStatusCode,
  isExpectedExit,
  type ProcessContext,
  type ProcessEffect,
  type ProcessEvent,
  type ProcessMachineInput,
} from './process-protocol.js';
import type { ProcessStateName } from './states.js';

export * from './process-protocol.js';

/**
 * Entry actions of a top-level state: announce the change, then record the new state and `also`
 * (in one assign: each makes XState build a whole new snapshot, and a crash loop enters
 * thousands of states a second).
 */
function announce(to: ProcessStateName, also: RecordedAlso = {}) {
  return [
    { type: 'announce', params: { to } },
    { type: 'record', params: { to, also } },
  ] as const;
}

/** Context set together with a new state. */
type RecordedAlso = Partial<Pick<ProcessContext, 'backoff' | 'spawnerr' | 'exitstatus' | 'ready' | 'restartPending'>>;

const stopSignal = ({ context }: { context: ProcessContext }) => ({
  signal: context.stopsignal,
  group: context.stopasgroup,
  tree: context.stopastree,
  timedOut: false,
});

const killSignal = ({ context }: { context: ProcessContext }) => ({
  signal: 'SIGKILL' as const,
  group: context.killasgroup,
  tree: context.stopastree,
  timedOut: true,
});

/** Past stopwaitsecs: SIGKILL, and again every stopwaitsecs while anything survives. */
const killing = {
  entry: { type: 'signal', params: killSignal },
  after: { stopwaitsecs: { target: 'killing', reenter: true } },
} as const;

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
    record: assign((_, params: { to: ProcessStateName; also: RecordedAlso }) => ({ ...params.also, state: params.to })),
    spawn: emit({ type: 'spawn' } as const),
    signal: emit(
      (
        { context },
        params: { signal: NodeJS.Signals; group: boolean; tree: boolean; timedOut: boolean; because?: 'readiness' | 'liveness' },
      ) => ({
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
    watchTree: emit({ type: 'tree', watch: true } as const),
    unwatchTree: emit({ type: 'tree', watch: false } as const),
    recordPid: assign({ pid: ({ event }) => (event.type === 'SPAWNED' ? event.pid : 0) }),
    // With what else the exit sets, in the same assign (see announce).
    recordExit: assign(({ event }, also?: Partial<Pick<ProcessContext, 'exitstatus' | 'spawnerr'>>) => {
      if (event.type !== 'EXIT') return {};
      return { ...also, pid: 0, lastPid: event.pid, lastExit: event.status };
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
    stopsTree: ({ context }) => context.stopastree,
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
    lastPid: 0,
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
      entry: announce('STARTING', { spawnerr: null, exitstatus: null, ready: false, restartPending: false }),
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
          type: 'parallel',
          states: {
            signals: {
              initial: 'signalled',
              states: {
                signalled: {
                  entry: { type: 'signal', params: (args) => ({ ...stopSignal(args), because: 'readiness' as const }) },
                  after: { stopwaitsecs: 'killing' },
                },
                killing,
              },
            },
            tree: {
              initial: 'child',
              states: {
                child: {
                  on: {
                    EXIT: [
                      { guard: 'stopsTree', target: 'descendants', actions: { type: 'recordExit', params: { exitstatus: null } } },
                      { target: '#process.BACKOFF', actions: { type: 'recordExit', params: { exitstatus: null } } },
                    ],
                  },
                },
                // stopastree: the child is gone, the start fails once the rest of its tree is.
                descendants: {
                  entry: 'watchTree',
                  exit: 'unwatchTree',
                  on: {
                    TREE_GONE: '#process.BACKOFF',
                    STOP: { target: '#process.STOPPING.tree.descendants', actions: { type: 'signal', params: stopSignal } },
                  },
                },
              },
            },
          },
        },
      },
      on: {
        // Exited before startsecs (or before it was ready): a failed start.
        EXIT: {
          target: '#process.BACKOFF',
          actions: { type: 'recordExit', params: { exitstatus: null, spawnerr: 'Exited too quickly (process log may have details)' } },
        },
        STOP: { target: 'STOPPING', actions: { type: 'signal', params: stopSignal } },
        KILL_FAILED: '#process.UNKNOWN',
      },
    },
    RUNNING: {
      entry: [...announce('RUNNING', { backoff: 0 }), 'startLiveness'],
      exit: 'stopLiveness',
      on: {
        EXIT: {
          target: 'EXITED',
          actions: {
            type: 'recordExit',
            params: ({ context, event }) => ({
              exitstatus: exitStatusCode(event.status),
              spawnerr: isExpectedExit(context, event.status) ? null : `Bad exit code ${exitStatusCode(event.status)}`,
            }),
          },
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
      type: 'parallel',
      states: {
        signals: {
          initial: 'signalled',
          states: {
            signalled: { after: { stopwaitsecs: 'killing' } },
            killing,
          },
        },
        tree: {
          initial: 'child',
          states: {
            child: {
              on: {
                EXIT: [
                  {
                    guard: 'stopsTree',
                    target: 'descendants',
                    actions: { type: 'recordExit', params: ({ event }) => ({ exitstatus: exitStatusCode(event.status) }) },
                  },
                  {
                    target: '#process.STOPPED',
                    actions: [
                      { type: 'recordExit', params: ({ event }) => ({ exitstatus: exitStatusCode(event.status) }) },
                      ...announce('STOPPED'),
                    ],
                  },
                ],
              },
            },
            // stopastree: the child is gone; STOPPED once the rest of its tree is.
            descendants: {
              entry: 'watchTree',
              exit: 'unwatchTree',
              on: { TREE_GONE: { target: '#process.STOPPED', actions: announce('STOPPED') } },
            },
          },
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
      entry: announce('FATAL', { backoff: 0 }),
      on: { START: 'STARTING' },
    },
    UNKNOWN: {
      entry: announce('UNKNOWN'),
    },
  },
});
