// The programs of examples/readiness (which the health-check suites run, so that the examples
// keep working) and what an event listener in those suites received.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, fixturesDir } from '../paths.js';
import type { Daemon } from './daemon.js';
import { waitUntil } from './wait.js';

/** node web-server.mjs --port P [--listen-after S] [--warm-up S] [--hang-after S] */
export const WEB_SERVER = path.join(repoRoot, 'examples', 'readiness', 'web-server.mjs');
/** python3 notify-worker.py [--ready-after S] [--beats N]: READY=1, then WATCHDOG=1 N times. */
export const NOTIFY_WORKER = path.join(repoRoot, 'examples', 'readiness', 'notify-worker.py');

/** An [eventlistener:listen] writing every PROCESS_STATE event to %(tmp)s/events.jsonl. */
export const STATE_LISTENER =
  `[eventlistener:listen]\ncommand=python3 ${path.join(fixturesDir, 'listeners', 'py_listener.py')} %(tmp)s/events.jsonl\n` +
  'events=PROCESS_STATE\nbuffer_size=100\n';

export interface StateEvent {
  /** PROCESS_STATE_RUNNING → RUNNING. */
  state: string;
  /** The payload's tokens: processname, groupname, from_state, pid or tries... */
  fields: Record<string, string>;
}

/** The PROCESS_STATE events STATE_LISTENER received about `name`, in order. */
export function stateEvents(d: Daemon, name: string): StateEvent[] {
  const file = d.path('events.jsonl');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  // The last element is '' or a line still being written.
  return text
    .split('\n')
    .slice(0, -1)
    .map((line) => JSON.parse(line) as { headers: Record<string, string>; payload: string })
    .map(({ headers, payload }) => ({
      state: (headers['eventname'] ?? '').replace(/^PROCESS_STATE_/, ''),
      fields: Object.fromEntries(payload.split(' ').map((token) => token.split(':', 2) as [string, string])),
    }))
    .filter((event) => event.fields['processname'] === name);
}

/** Waits until the listener has received `count` state events about `name`; returns them all. */
export async function waitForStateEvents(d: Daemon, name: string, count: number, timeoutMs = 20_000): Promise<StateEvent[]> {
  if (!(await waitUntil(() => stateEvents(d, name).length >= count, timeoutMs))) {
    throw new Error(`${count} state events about ${name} expected, got ${JSON.stringify(stateEvents(d, name))}\n${d.describe()}`);
  }
  return stateEvents(d, name);
}
