// What the event bus carries: which concrete types a subscription to a type receives, and one
// event as it is buffered and sent to listeners. The types themselves: config/event-types.ts.
import { EVENT_PARENT, type EventTypeName } from '../../config/event-types.js';

/** Types that are only ever subscribed to, never sent. */
const ABSTRACT: ReadonlySet<EventTypeName> = new Set([
  'EVENT',
  'PROCESS_STATE',
  'PROCESS_COMMUNICATION',
  'PROCESS_LOG',
  'SUPERVISOR_STATE_CHANGE',
  'TICK',
  'PROCESS_GROUP',
]);

/** Whether an event of `type` is delivered to a subscription to `subscribed`. */
export function isA(type: EventTypeName, subscribed: EventTypeName): boolean {
  for (let t: EventTypeName | null = type; t; t = EVENT_PARENT[t]) if (t === subscribed) return true;
  return false;
}

/** The concrete types a subscription to `subscribed` receives. */
export function concreteTypes(subscribed: EventTypeName): EventTypeName[] {
  return (Object.keys(EVENT_PARENT) as EventTypeName[]).filter((t) => !ABSTRACT.has(t) && isA(t, subscribed));
}

/** One event as it is buffered and sent to listeners. */
export interface SupervisorEvent {
  type: EventTypeName;
  /** Rendered when the event happens, so later changes (a new pid) do not alter it. */
  payload: string;
  /** Assigned when a pool first accepts the event (the reference's global serial). */
  serial?: number;
}
