// The dashboard's view of the [supervisorctl:NAME] daemons (ours): GET /remote-events streams
// each host's state to the page, POST /api/remote/<action> {host, name} acts on one. Both are
// behind the local daemon's own authentication; the remote's credentials stay here.
import type { ServerResponse } from 'node:http';
import type { Subscription } from 'rxjs';
import { isSupervisorError } from '../../common/errors.js';
import { XmlRpcConnectionError, XmlRpcHttpError } from '../../common/xmlrpc/client.js';
import { XmlRpcFault, type XmlRpcValue } from '../../common/xmlrpc/types.js';
import { RUNNING_STATES } from '../../machines/states.js';
import type { DaemonHost } from '../host.js';
import type { HttpRequest, HttpServers } from '../http/servers.js';
import { ALL_ACTIONS, failures, PROCESS_ACTIONS, requestedString, sendJson, type AllAction, type ProcessAction } from './actions.js';
import { webActionRefusal } from './cross-site-guard.js';
import { openEventStream } from './event-stream.js';
import { failureOf, RemoteDaemon } from './remote-daemon.js';

type Call = (method: string, ...params: XmlRpcValue[]) => Promise<XmlRpcValue>;

const PROCESS_CALLS: Record<ProcessAction, (call: Call, namespec: string) => Promise<string[]>> = {
  start: async (call, namespec) => (await call('startProcess', namespec, false), []),
  stop: async (call, namespec) => (await call('stopProcess', namespec, false), []),
  // As the local page does: stop (waiting for it) when it runs, then start.
  restart: async (call, namespec) => {
    const info = (await call('getProcessInfo', namespec)) as Record<string, XmlRpcValue>;
    if ((RUNNING_STATES as readonly string[]).includes(String(info['statename']))) await call('stopProcess', namespec, true);
    await call('startProcess', namespec, false);
    return [];
  },
  clear: async (call, namespec) => (await call('clearProcessLogs', namespec), []),
};

const ALL_CALLS: Record<AllAction, (call: Call) => Promise<string[]>> = {
  'restart-all': async (call) => [...failures(await call('stopAllProcesses', true)), ...failures(await call('startAllProcesses', false))],
  'stop-all': async (call) => failures(await call('stopAllProcesses', false)),
};

/** Mounts the routes when the configuration names other daemons; without any, nothing changes. */
export function mountRemoteDaemons(servers: HttpServers, host: DaemonHost): void {
  const remotes = new Map(host.config.fleet.map((config) => [config.name, new RemoteDaemon(config)]));
  if (remotes.size === 0) return;

  servers.route('GET', '/remote-events', (request, response) => {
    const subscriptions: Subscription[] = [];
    const stream = openEventStream(request, response, () => subscriptions.forEach((s) => s.unsubscribe()));
    for (const remote of remotes.values())
      subscriptions.push(remote.view.subscribe((view) => stream.send('host', { ...view, now: Date.now() })));
    // The page reconnects to the next generation, which may name other daemons.
    subscriptions.push(host.supervisor.changes.subscribe({ complete: () => stream.end() }));
  });

  const act = async (action: ProcessAction | AllAction, request: HttpRequest, response: ServerResponse): Promise<void> => {
    const refusal = webActionRefusal(request);
    if (refusal) return sendJson(response, 403, { ok: false, error: refusal });
    let remote: RemoteDaemon | undefined;
    try {
      remote = remotes.get(requestedString(request, 'host', 'host name'));
      if (remote === undefined) return sendJson(response, 404, { ok: false, error: 'no such host' });
      const name = remote.config.name;
      const unreachable = await remote.reachable();
      if (unreachable !== null)
        return sendJson(response, 502, { ok: false, error: `${name}: ${failureOf(unreachable, remote.config.serverurl).reason}` });
      const call: Call = (method, ...params) => remote!.call(method, ...params);
      const problems =
        action === 'restart-all' || action === 'stop-all'
          ? await ALL_CALLS[action](call)
          : await PROCESS_CALLS[action](call, requestedString(request, 'name', 'process name'));
      const error = problems.map((problem) => `${name}:${problem}`).join('\n');
      sendJson(response, problems.length ? 409 : 200, problems.length ? { ok: false, error } : { ok: true });
    } catch (error) {
      const prefix = remote === undefined ? '' : `${remote.config.name}: `;
      if (error instanceof XmlRpcFault) sendJson(response, 409, { ok: false, error: `${prefix}${error.faultString}` });
      else if (error instanceof XmlRpcConnectionError || error instanceof XmlRpcHttpError) {
        sendJson(response, 502, { ok: false, error: `${prefix}${failureOf(error, remote!.config.serverurl).reason}` });
      } else if (isSupervisorError(error, 'USAGE')) sendJson(response, 400, { ok: false, error: error.message });
      else throw error;
    }
  };
  for (const action of [...PROCESS_ACTIONS, ...ALL_ACTIONS]) {
    servers.route('POST', `/api/remote/${action}`, (request, response) => act(action, request, response));
  }
}
