// The event-listener protocol as seen from the daemon, per listener process (events.rst):
// a listener says READY, receives one event (BUSY), answers with a RESULT and is then
// ACKNOWLEDGED until it says READY again. Anything else is a protocol violation: UNKNOWN, and
// no more events for that process until it is restarted. Pure: the runtime parses the
// listener's output into these events, and carries out what the machine emits: each state
// change (to log it) and the rejection of the event the listener held.
import { assign, emit, setup } from 'xstate';
import type { ListenerStateName } from './states.js';

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

export type ListenerEffect =
  /** Entered `to` (also when re-entering the state it was in). */
  | { type: 'stateChange'; from: ListenerStateName; to: ListenerStateName }
  /** The event in hand goes back to the head of the pool's buffer: the listener failed it, garbled its answer, or died holding it. */
  | { type: 'reject' };

export const listenerMachine = setup({
  types: {
    context: {} as { state: ListenerStateName },
    events: {} as ListenerEvent,
    emitted: {} as ListenerEffect,
  },
  actions: {
    // The previous state is still in context.state while announcing.
    announce: emit(({ context }, params: { to: ListenerStateName }) => ({
      type: 'stateChange' as const,
      from: context.state,
      to: params.to,
    })),
    record: assign((_, params: { to: ListenerStateName }) => ({ state: params.to })),
    rejectEvent: emit({ type: 'reject' } as const),
  },
}).createMachine({
  id: 'listener',
  context: { state: 'ACKNOWLEDGED' },
  initial: 'ACKNOWLEDGED',
  on: {
    PROCESS_EXITED: { target: '.ACKNOWLEDGED' },
  },
  states: {
    ACKNOWLEDGED: {
      entry: [
        { type: 'announce', params: { to: 'ACKNOWLEDGED' } },
        { type: 'record', params: { to: 'ACKNOWLEDGED' } },
      ],
      on: {
        READY_TOKEN: 'READY',
        GARBAGE: 'UNKNOWN',
      },
    },
    READY: {
      entry: [
        { type: 'announce', params: { to: 'READY' } },
        { type: 'record', params: { to: 'READY' } },
      ],
      on: {
        SENT: 'BUSY',
        GARBAGE: 'UNKNOWN',
      },
    },
    BUSY: {
      entry: [
        { type: 'announce', params: { to: 'BUSY' } },
        { type: 'record', params: { to: 'BUSY' } },
      ],
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
      entry: [
        { type: 'announce', params: { to: 'UNKNOWN' } },
        { type: 'record', params: { to: 'UNKNOWN' } },
      ],
    },
  },
});
