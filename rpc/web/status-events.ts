// GET /events: the daemon's state as a live stream. A snapshot first (and again whenever the set
// of groups or the daemon's state changes), then one event per process state change, straight
// from Supervisor.changes.
// The stream ends with the Supervisor's generation, and the browser reconnects to the next one.
import type { ServerResponse } from 'node:http';
import type { Subscription } from 'rxjs';
import type { HttpRequest } from '../http/router.js';
import type { DaemonHost } from '../host.js';
import { qualifiedName } from '../../actors/namespec.js';
import { openEventStream } from './event-stream.js';
import { processView, supervisorView, transitionView } from './process-view.js';

function snapshot(host: DaemonHost, withHistory: boolean) {
  const { supervisor } = host;
  return {
    supervisor: supervisorView(host),
    now: Date.now(),
    processes: supervisor.processes().map((process) => ({
      ...processView(process),
      history: withHistory ? process.history.map(transitionView) : undefined,
    })),
  };
}

export function streamStatus(host: DaemonHost, request: HttpRequest, response: ServerResponse): void {
  const supervisor = host.supervisor;
  const withHistory = request.query.get('history') === '1';
  const subscriptions: Subscription[] = [];
  const stream = openEventStream(request, response, () => subscriptions.forEach((s) => s.unsubscribe()));
  stream.send('snapshot', snapshot(host, withHistory));
  subscriptions.push(
    supervisor.changes.subscribe({
      next: (change) => {
        const now = Date.now();
        stream.send('process', {
          supervisor: supervisorView(host),
          now,
          process: processView(change.process, now),
          transition: { ...transitionView(change), namespec: qualifiedName(change.process) },
        });
      },
      complete: () => stream.end(),
    }),
    // Groups added or removed, and the daemon starting to stop: the page redraws from a snapshot.
    supervisor.events
      .observe(['PROCESS_GROUP', 'SUPERVISOR_STATE_CHANGE'])
      .subscribe(() => stream.send('snapshot', snapshot(host, withHistory))),
  );
}
