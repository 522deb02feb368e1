// Supervisor's event types (events.rst): each concrete type, and the abstract parents a
// listener may subscribe to instead (PROCESS_STATE matches every PROCESS_STATE_*, EVENT all).

export const EVENT_PARENT = {
  EVENT: null,
  PROCESS_STATE: 'EVENT',
  PROCESS_STATE_STOPPED: 'PROCESS_STATE',
  PROCESS_STATE_EXITED: 'PROCESS_STATE',
  PROCESS_STATE_STARTING: 'PROCESS_STATE',
  PROCESS_STATE_STOPPING: 'PROCESS_STATE',
  PROCESS_STATE_BACKOFF: 'PROCESS_STATE',
  PROCESS_STATE_FATAL: 'PROCESS_STATE',
  PROCESS_STATE_RUNNING: 'PROCESS_STATE',
  PROCESS_STATE_UNKNOWN: 'PROCESS_STATE',
  PROCESS_COMMUNICATION: 'EVENT',
  PROCESS_COMMUNICATION_STDOUT: 'PROCESS_COMMUNICATION',
  PROCESS_COMMUNICATION_STDERR: 'PROCESS_COMMUNICATION',
  PROCESS_LOG: 'EVENT',
  PROCESS_LOG_STDOUT: 'PROCESS_LOG',
  PROCESS_LOG_STDERR: 'PROCESS_LOG',
  REMOTE_COMMUNICATION: 'EVENT',
  SUPERVISOR_STATE_CHANGE: 'EVENT',
  SUPERVISOR_STATE_CHANGE_RUNNING: 'SUPERVISOR_STATE_CHANGE',
  SUPERVISOR_STATE_CHANGE_STOPPING: 'SUPERVISOR_STATE_CHANGE',
  TICK: 'EVENT',
  TICK_5: 'TICK',
  TICK_60: 'TICK',
  TICK_3600: 'TICK',
  PROCESS_GROUP: 'EVENT',
  PROCESS_GROUP_ADDED: 'PROCESS_GROUP',
  PROCESS_GROUP_REMOVED: 'PROCESS_GROUP',
} as const satisfies Record<string, string | null>;

export type EventTypeName = keyof typeof EVENT_PARENT;

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

export function isEventTypeName(name: string): name is EventTypeName {
  return Object.hasOwn(EVENT_PARENT, name);
}

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
