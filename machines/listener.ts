// The event-listener protocol as seen from the daemon, per listener process (events.rst):
// a listener says READY, receives one event (BUSY), answers with a RESULT and is then
// ACKNOWLEDGED until it says READY again. Anything else is a protocol violation: UNKNOWN, and
// no more events for that process until it is restarted. Pure: the runtime parses the
// listener's output into these events and provides the announce and rejectEvent actions.
import { setup } from 'xstate';

export const LISTENER_STATES = { ACKNOWLEDGED: 0, READY: 1, BUSY: 2, UNKNOWN: 3 } as const;
export type ListenerStateName = keyof typeof LISTENER_STATES;

export type ListenerEvent =
  /** The listener wrote "READY\n". */
  | { type: 'READY_TOKEN' }
  /** The listener wrote something the protocol does not allow at this point. */
  | { type: 'GARBAGE' }
  /** An event was written to the listener's stdin. */
  | { type: 'SENT' }
  /** A complete RESULT arrived and the result handler judged it. */
  | { type: 'RESULT'; accepted: boolean }
  /** The RESULT line could not be parsed, or the result handler failed. */
  | { type: 'BAD_RESULT' }
  /** The listener process exited (a new one starts ACKNOWLEDGED, waiting for READY). */
  | { type: 'PROCESS_EXITED' };

export const listenerMachine = setup({
  types: {
    events: {} as ListenerEvent,
  },
  actions: {
    // The runtime replaces both: log the change; put the event in hand back at the head of the
    // pool's buffer (the listener failed it, garbled its answer, or died holding it).
    announce: (_args, _params: { to: ListenerStateName }) => {},
    rejectEvent: () => {},
  },
}).createMachine({
  id: 'listener',
  initial: 'ACKNOWLEDGED',
  on: {
    PROCESS_EXITED: { target: '.ACKNOWLEDGED' },
  },
  states: {
    ACKNOWLEDGED: {
      entry: { type: 'announce', params: { to: 'ACKNOWLEDGED' } },
      on: {
        READY_TOKEN: 'READY',
        GARBAGE: 'UNKNOWN',
      },
    },
    READY: {
      entry: { type: 'announce', params: { to: 'READY' } },
      on: {
        SENT: 'BUSY',
        GARBAGE: 'UNKNOWN',
      },
    },
    BUSY: {
      entry: { type: 'announce', params: { to: 'BUSY' } },
      on: {
        RESULT: [
          { guard: ({ event }) => event.accepted, target: 'ACKNOWLEDGED' },
          { target: 'ACKNOWLEDGED', actions: 'rejectEvent' },
        ],
        BAD_RESULT: { target: 'UNKNOWN', actions: 'rejectEvent' },
        PROCESS_EXITED: { target: 'ACKNOWLEDGED', actions: 'rejectEvent' },
      },
    },
    UNKNOWN: {
      entry: { type: 'announce', params: { to: 'UNKNOWN' } },
    },
  },
});
