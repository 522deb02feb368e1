// The life of one supervised process, as documented in subprocess.rst ("Process States").
// Pure: no I/O and no clock of its own. What the runtime must do is emitted — `spawn`, `signal`
// and each `stateChange` — in the order the machine decided it, once the transition is complete;
// the runtime (actors/process.ts) does it and reports back with events. Delays use XState's
// clock, so tests drive them with a SimulatedClock.
import { assign, emit, setup } from 'xstate';
import type { AutoRestart } from '../config/types.js';
import type { ProcessStateName } from './states.js';

export interface ProcessMachineInput {
  startsecs: number;
  startretries: number;
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
  | { type: 'KILL_FAILED'; error: string };

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
}

export type ProcessEffect = StateChange | SpawnRequest | SignalRequest;

export function exitStatusCode(status: ExitStatus): number {
  return status.code ?? -1;
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
    signal: emit(({ context }, params: { signal: NodeJS.Signals; group: boolean; timedOut: boolean }) => ({
      type: 'signal' as const,
      pid: context.pid,
      ...params,
    })),
    recordPid: assign({ pid: ({ event }) => (event.type === 'SPAWNED' ? event.pid : 0) }),
    recordExit: assign(({ event }) => {
      if (event.type !== 'EXIT') return {};
      return { pid: 0, lastExit: event.status };
    }),
  },
  guards: {
    startsImmediately: ({ context }) => context.startsecs === 0,
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
    backoff: ({ context }) => context.backoff * 1000,
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
  }),
  initial: 'STOPPED',
  on: {
    SHUTDOWN: { actions: assign({ shuttingDown: true }) },
  },
  states: {
    // Initial state: its announcement rides on the transitions into it, so that creating the
    // machine reports no change.
    STOPPED: {
      on: { START: { target: 'STARTING', actions: assign({ backoff: 0 }) } },
    },
    STARTING: {
      entry: [...announce('STARTING'), assign({ spawnerr: null, exitstatus: null })],
      initial: 'spawning',
      states: {
        spawning: {
          entry: 'spawn',
          on: {
            SPAWNED: [
              { guard: 'startsImmediately', target: '#process.RUNNING', actions: 'recordPid' },
              { target: 'waiting', actions: 'recordPid' },
            ],
            SPAWN_FAILED: {
              target: '#process.BACKOFF',
              actions: assign({ spawnerr: ({ event }) => event.error }),
            },
          },
        },
        // Spawned; it must stay up startsecs to count as started.
        waiting: {
          after: { startsecs: '#process.RUNNING' },
          on: {
            EXIT: {
              target: '#process.BACKOFF',
              actions: ['recordExit', assign({ exitstatus: null, spawnerr: 'Exited too quickly (process log may have details)' })],
            },
          },
        },
      },
      on: {
        STOP: { target: 'STOPPING', actions: { type: 'signal', params: stopSignal } },
        KILL_FAILED: '#process.UNKNOWN',
      },
    },
    RUNNING: {
      entry: [...announce('RUNNING'), assign({ backoff: 0 })],
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
          entry: {
            type: 'signal',
            params: ({ context }) => ({ signal: 'SIGKILL' as const, group: context.killasgroup, timedOut: true }),
          },
          after: { stopwaitsecs: { target: 'killing', reenter: true } },
        },
      },
      on: {
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
