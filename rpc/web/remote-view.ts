// What the dashboard is told about a [supervisorctl:NAME] daemon: its state and its processes, in
// the shape the local table's rows have, whether they came from getAllProcessInfo (Python
// Supervisor) or from the event stream of a daemon of ours.
import type { XmlRpcValue } from '../../common/xmlrpc/types.js';

export interface RemoteProcessView {
  /** "group:name". */
  namespec: string;
  name: string;
  group: string;
  state: string;
  description: string;
  pid: number;
  /** Milliseconds since the epoch on the local daemon's clock, 0 when never started. */
  start: number;
  exitstatus: number | null;
  spawnerr: string | null;
}

export interface HostView {
  name: string;
  /** connecting: not yet heard of; denied: HTTP 401 with the section's credentials. */
  status: 'connecting' | 'up' | 'down' | 'denied' | 'error';
  /** Why it is not up, for the page. */
  reason: string | null;
  /** How it is followed: its event stream, or XML-RPC asked again and again. */
  via: 'events' | 'polling' | null;
  supervisor: { identification: string; version: string; state: string } | null;
  processes: RemoteProcessView[];
}

/**
 * Start times move to the local clock only when the clocks differ by more than this: a remote's
 * XML-RPC `now` has whole seconds, and shifting by its rounding would make same-host uptimes jump.
 */
const CLOCK_SKEW_MS = 2000;

const onLocalClock = (start: number, skewMs: number): number => (start === 0 || Math.abs(skewMs) <= CLOCK_SKEW_MS ? start : start + skewMs);

const text = (value: XmlRpcValue | undefined): string => (typeof value === 'string' ? value : '');
const number = (value: XmlRpcValue | undefined): number => (typeof value === 'number' ? value : 0);

/** From one getAllProcessInfo entry; `now` is the local time the answer came. */
export function remoteProcessFromInfo(info: Record<string, XmlRpcValue>, now: number): RemoteProcessView {
  const start = number(info['start']) * 1000;
  return {
    namespec: `${text(info['group'])}:${text(info['name'])}`,
    name: text(info['name']),
    group: text(info['group']),
    state: text(info['statename']),
    description: text(info['description']),
    pid: number(info['pid']),
    start: onLocalClock(start, now - number(info['now']) * 1000),
    exitstatus: start === 0 ? null : number(info['exitstatus']),
    spawnerr: text(info['spawnerr']) || null,
  };
}

/** From a process of a daemon of ours' event stream (rpc/web/process-view.ts's ProcessView). */
export function remoteProcessFromView(view: unknown, skewMs: number): RemoteProcessView {
  const v = (view ?? {}) as Record<string, unknown>;
  const str = (key: string): string => (typeof v[key] === 'string' ? v[key] : '');
  const num = (key: string): number => (typeof v[key] === 'number' ? v[key] : 0);
  return {
    namespec: `${str('group')}:${str('name')}`,
    name: str('name'),
    group: str('group'),
    state: str('state'),
    description: str('description'),
    pid: num('pid'),
    start: onLocalClock(num('start'), skewMs),
    exitstatus: typeof v['exitstatus'] === 'number' ? v['exitstatus'] : null,
    spawnerr: typeof v['spawnerr'] === 'string' ? v['spawnerr'] : null,
  };
}
