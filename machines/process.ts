// The life of one supervised process, as documented in subprocess.rst ("Process States").
// Pure: no I/O and no clock of its own. The runtime (actors/process.ts) provides the three
// side-effecting actions (spawn, signal, clearPid) and reports back with events; delays use
// XState's clock, so tests drive them with a SimulatedClock.
import { assign, emit, setup } from 'xstate';
import type { AutoRestart } from '../config/types.js';

export const PROCESS_STATES = {
  STOPPED: 0,
  STARTING: 10,
  RUNNING: 20,
  BACKOFF: 30,
  STOPPING: 40,
  EXITED: 100,
  FATAL: 200,
  UNKNOWN: 1000,
} as const;

export type ProcessStateName = keyof typeof PROCESS_STATES;

/** States in which the process is not running and not about to run (the reference's STOPPED_STATES). */
export const STOPPED_STATES: readonly ProcessStateName[] = ['STOPPED', 'EXITED', 'FATAL', 'UNKNOWN'];
/** States from which a start request is refused as "already started". */
export const RUNNING_STATES: readonly ProcessStateName[] = ['RUNNING', 'BACKOFF', 'STARTING'];

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
  | { type: 'EXIT'; status: ExitStatus }
  /** Signalling the child failed for a reason other than "no such process". */
  | { type: 'KILL_FAILED'; error: string };

/** Emitted on every change of top-level state, including the passing ones (EXITED → STARTING). */
export interface StateChange {
  type: 'stateChange';
  from: ProcessStateName;
  to: ProcessStateName;
  /** The event that caused it, so the runtime can word its log line. */
  cause: ProcessEvent;
  /** For EXITED: whether the exit code was one of exitcodes. Always true otherwise. */
  expected: boolean;
  /** Failed starts so far (PROCESS_STATE_STARTING/BACKOFF report it). */
  tries: number;
}

export interface SignalRequest {
  signal: NodeJS.Signals;
  /** Send to the child's whole process group. */
  group: boolean;
  /** The SIGKILL sent because the child outlived stopwaitsecs. */
  timedOut?: boolean;
}

export function exitStatusCode(status: ExitStatus): number {
  return status.code ?? -1;
}

export function isExpectedExit(context: ProcessContext, status: ExitStatus): boolean {
  return context.exitcodes.includes(exitStatusCode(status));
}

/** The change announced on entering `to`, as the event and the context before it describe it. */
export function describeStateChange(context: ProcessContext, event: ProcessEvent, to: ProcessStateName): StateChange {
  return {
    type: 'stateChange',
    from: context.state,
    to,
    cause: event,
    expected: to === 'EXITED' && event.type === 'EXIT' ? isExpectedExit(context, event.status) : true,
    tries: context.backoff,
  };
}

/** Entry actions of a top-level state: emit the change, then record the new state. */
function announce(to: ProcessStateName) {
  return [
    { type: 'announce', params: { to } },
    { type: 'record', params: { to } },
  ] as const;
}

export const processMachine = setup({
  types: {
    context: {} as ProcessContext,
    input: {} as ProcessMachineInput,
    events: {} as ProcessEvent,
    emitted: {} as StateChange,
  },
  actions: {
    // Entered a top-level state: tell the runtime, then record it (the previous state is still
    // in context.state while announcing). XState delivers emitted events only after the whole
    // macrostep, so the runtime, which must log each change before the I/O of the next state
    // (an "exited:" line before the "spawned:" of the restart), replaces this with a direct call.
    announce: emit(({ context, event }, params: { to: ProcessStateName }) => describeStateChange(context, event, params.to)),
    record: assign((_, params: { to: ProcessStateName }) => ({ state: params.to })),
    // The runtime provides spawn and signal; the defaults do nothing so the machine can run alone
    // (diagrams, simulated-clock tests).
    spawn: () => {},
    signal: (_args, _params: SignalRequest) => {},
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
              { guard: 'startsImmediately', target: '#process.RUNNING', actions: assign({ pid: ({ event }) => event.pid }) },
              { target: 'waiting', actions: assign({ pid: ({ event }) => event.pid }) },
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
        STOP: {
          target: 'STOPPING',
          actions: { type: 'signal', params: ({ context }) => ({ signal: context.stopsignal, group: context.stopasgroup }) },
        },
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
        STOP: {
          target: 'STOPPING',
          actions: { type: 'signal', params: ({ context }) => ({ signal: context.stopsignal, group: context.stopasgroup }) },
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
          entry: {
            type: 'signal',
            params: ({ context }) => ({ signal: 'SIGKILL', group: context.killasgroup, timedOut: true }),
          },
          after: { stopwaitsecs: { target: 'killing', reenter: true } },
        },
      },
      on: {
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
