// One [supervisorctl:NAME] daemon as the dashboard shows it: a live view of its processes while at
// least one browser watches, and the actions its buttons ask for, sent to its XML-RPC API with
// that section's credentials (the browser never sees them).
//
// Live, without polling where the remote can tell: a daemon of ours streams its state changes
// (GET /events, the stream our own dashboard reads), which is followed as it comes. Python
// Supervisor has no such stream, only XML-RPC: it is asked every POLL_MS, but only while someone
// watches. Nobody watching means no connection and no timer at all (the view is a shared
// Observable that tears everything down with its last subscriber).
import { Observable, ReplaySubject, share, Subject } from 'rxjs';
import { createXmlRpcClient, XmlRpcAuthError, XmlRpcConnectionError, type XmlRpcClient } from '../../common/xmlrpc/client.js';
import type { XmlRpcValue } from '../../common/xmlrpc/types.js';
import type { FleetHostConfig } from '../../config/types.js';
import { openEventStreamClient, type StreamEvent } from './event-stream-client.js';
import { remoteProcessFromInfo, remoteProcessFromView, type HostView, type RemoteProcessView } from './remote-view.js';

/** How often a daemon without an event stream is asked, while watched. */
export const POLL_MS = 2000;
/** How soon an event stream that ended is opened again. */
const REOPEN_MS = 1000;
/** How soon a daemon that is down, refused us, or ended its stream is tried again, while watched. */
export const RETRY_MS = 5000;

type Status = Pick<HostView, 'status' | 'reason'>;

/** A failure to reach the daemon, worded for the page. */
export function failureOf(error: unknown, serverurl: string): Status {
  if (error instanceof XmlRpcAuthError) return { status: 'denied', reason: `${serverurl} refused the credentials (HTTP 401)` };
  if (error instanceof XmlRpcConnectionError) return { status: 'down', reason: error.message };
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code !== undefined) return { status: 'down', reason: new XmlRpcConnectionError(serverurl, code, error as Error).message };
  return { status: 'error', reason: error instanceof Error ? error.message : String(error) };
}

export class RemoteDaemon {
  /** Asks a polled daemon again at once (after an action). */
  private readonly nudges = new Subject<void>();
  readonly view: Observable<HostView>;

  constructor(readonly config: FleetHostConfig) {
    // A page that comes later gets the latest view at once (a down host stays silent until it changes).
    this.view = new Observable<HostView>((subscriber) => this.watch((view) => subscriber.next(view))).pipe(
      share({ connector: () => new ReplaySubject<HostView>(1) }),
    );
  }

  private client(timeoutMs?: number): XmlRpcClient {
    const { serverurl, username, password } = this.config;
    return createXmlRpcClient({
      serverurl,
      ...(username === null ? {} : { username }),
      ...(password === null ? {} : { password }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
  }

  /** Emits views until the returned teardown runs. */
  private watch(emit: (view: HostView) => void): () => void {
    const { name, serverurl, timeoutMs } = this.config;
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    let stream: { close(): void } | undefined;
    const client = this.client(timeoutMs);
    let last = '';
    const show = (view: HostView): void => {
      const text = JSON.stringify(view);
      if (text !== last) emit(view);
      last = text;
    };
    const later = (run: () => void, ms: number): void => {
      if (!stopped) timer = setTimeout(run, ms);
    };
    const failed = (error: unknown): void => {
      show({ name, ...failureOf(error, serverurl), via: null, supervisor: null, processes: [] });
      later(connect, RETRY_MS);
    };

    let polling = false;
    let pollAgain = false;
    const poll = async (): Promise<void> => {
      clearTimeout(timer);
      if (polling) {
        pollAgain = true;
        return;
      }
      polling = true;
      let view: HostView;
      try {
        // One after the other on the kept-alive connection: four small answers.
        const infos = await client.call('supervisor.getAllProcessInfo');
        const state = await client.call('supervisor.getState');
        const identification = await client.call('supervisor.getIdentification');
        const version = await client.call('supervisor.getSupervisorVersion');
        const now = Date.now();
        view = {
          name,
          status: 'up',
          reason: null,
          via: 'polling',
          supervisor: {
            identification: String(identification),
            version: String(version),
            state: String((state as Record<string, XmlRpcValue>)['statename']),
          },
          processes: (infos as XmlRpcValue[]).map((info) => remoteProcessFromInfo(info as Record<string, XmlRpcValue>, now)),
        };
      } catch (error) {
        polling = false;
        if (!stopped) failed(error);
        return;
      }
      polling = false;
      if (stopped) return;
      show(view);
      if (pollAgain) {
        pollAgain = false;
        void poll();
      } else later(() => void poll(), POLL_MS);
    };

    const follow = (): void => {
      let supervisor: HostView['supervisor'] = null;
      let processes: RemoteProcessView[] = [];
      const showStream = (): void => show({ name, status: 'up', reason: null, via: 'events', supervisor, processes });
      const onEvent = ({ event, data }: StreamEvent): void => {
        const parsed = JSON.parse(data) as { supervisor: HostView['supervisor']; now: number; processes?: unknown[]; process?: unknown };
        const { identification, version, state } = parsed.supervisor ?? { identification: '', version: '', state: '' };
        supervisor = { identification, version, state };
        const skew = Date.now() - parsed.now;
        if (event === 'snapshot' && parsed.processes) processes = parsed.processes.map((p) => remoteProcessFromView(p, skew));
        else if (event === 'process' && parsed.process) {
          const changed = remoteProcessFromView(parsed.process, skew);
          processes = processes.map((p) => (p.namespec === changed.namespec ? changed : p));
        }
        showStream();
      };
      openEventStreamClient(
        { serverurl, path: '/events', username: this.config.username, password: this.config.password, timeoutMs },
        {
          event: (event) => {
            try {
              onEvent(event);
            } catch (error) {
              stream?.close();
              failed(error);
            }
          },
          // A daemon of ours ends the stream when it reloads, and a daemon that dies ends it too:
          // connecting again tells which (as a browser's EventSource does, a second later).
          ended: () => later(connect, REOPEN_MS),
        },
      ).then(
        (opening) => {
          if (stopped) {
            if (opening.kind === 'streaming') opening.close();
            return;
          }
          if (opening.kind === 'streaming') stream = opening;
          else if (opening.status === 401) failed(new XmlRpcAuthError(serverurl, opening.reason));
          // No event stream (Python Supervisor): ask over XML-RPC instead.
          else void poll();
        },
        (error: unknown) => {
          if (!stopped) failed(error);
        },
      );
    };

    const connect = (): void => {
      stream?.close();
      stream = undefined;
      follow();
    };

    const nudged = this.nudges.subscribe(() => {
      if (last.includes('"via":"polling"')) void poll();
    });
    show({ name, status: 'connecting', reason: null, via: null, supervisor: null, processes: [] });
    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      nudged.unsubscribe();
      stream?.close();
      client.close();
    };
  }

  /** Sends one XML-RPC call with the section's credentials: no timeout, an action may wait for a stop. */
  async call(method: string, ...params: XmlRpcValue[]): Promise<XmlRpcValue> {
    const client = this.client();
    try {
      return await client.call(`supervisor.${method}`, ...params);
    } finally {
      client.close();
      this.nudges.next();
    }
  }

  /** Null when the daemon answers within its timeout, else the error it gave. */
  async reachable(): Promise<unknown> {
    const client = this.client(this.config.timeoutMs);
    try {
      await client.call('supervisor.getVersion');
      return null;
    } catch (error) {
      return error;
    } finally {
      client.close();
    }
  }
}
