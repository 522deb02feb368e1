// POST /api/<action>: what the page's buttons do. Each goes through the XML-RPC API's own methods,
// so the web UI refuses and reports exactly what supervisorctl would ("ALREADY_STARTED: web:x").
// Answers are JSON: {ok: true} or {ok: false, error}.
import type { ServerResponse } from 'node:http';
import { isSupervisorError, UsageError } from '../../common/errors.js';
import { RUNNING_STATES } from '../../machines/states.js';
import type { HttpRequest } from '../http/router.js';
import { sendWhole } from '../http/respond.js';
import { Faults } from '../faults.js';
import type { RpcMethod } from '../registry.js';
import type { DaemonHost } from '../host.js';
import { XmlRpcFault, type XmlRpcValue } from '../../common/xmlrpc/types.js';
import { webActionRefusal } from './cross-site-guard.js';

export const PROCESS_ACTIONS = ['start', 'stop', 'restart', 'clear'] as const;
export const ALL_ACTIONS = ['restart-all', 'stop-all'] as const;
export type ProcessAction = (typeof PROCESS_ACTIONS)[number];
export type AllAction = (typeof ALL_ACTIONS)[number];

export function sendJson(response: ServerResponse, status: number, value: unknown): void {
  sendWhole(response, status, 'application/json; charset=utf-8', JSON.stringify(value), { 'Cache-Control': 'no-store' });
}

/** A string member of the request's JSON body; UsageError when there is none. */
export function requestedString(request: HttpRequest, member: string, what: string): string {
  const type = request.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) throw new UsageError('expected a JSON body');
  let body: unknown;
  try {
    body = JSON.parse(request.body.toString('utf8'));
  } catch {
    throw new UsageError('malformed JSON body');
  }
  const value = body && typeof body === 'object' && member in body ? (body as Record<string, unknown>)[member] : undefined;
  if (typeof value !== 'string' || value === '') throw new UsageError(`no ${what} given`);
  return value;
}

/** The process name a JSON body `{"name": "group:proc"}` gives. */
const requestedName = (request: HttpRequest): string => requestedString(request, 'name', 'process name');

/** The outcomes of an *AllProcesses call that did not succeed, worded for the page. */
export function failures(results: XmlRpcValue): string[] {
  if (!Array.isArray(results)) return [];
  return results.flatMap((result) => {
    const { status, group, name, description } = result as Record<string, XmlRpcValue>;
    return status === Faults.SUCCESS ? [] : [`${String(group)}:${String(name)}: ${String(description)}`];
  });
}

/** @param api the `supervisor` namespace, so that the page refuses what the API refuses */
export function webActions(host: DaemonHost, api: ReadonlyMap<string, RpcMethod>) {
  const call = async (method: string, ...params: XmlRpcValue[]): Promise<XmlRpcValue> => (api.get(method) as RpcMethod).call(params);

  const processAction: Record<ProcessAction, (namespec: string) => Promise<string[]>> = {
    start: async (namespec) => (await call('startProcess', namespec, false), []),
    stop: async (namespec) => (await call('stopProcess', namespec, false), []),
    // As the reference's page: stop (waiting for it), then start.
    restart: async (namespec) => {
      const process = host.supervisor.find(namespec)?.process;
      if (process && RUNNING_STATES.includes(process.state)) await call('stopProcess', namespec, true);
      await call('startProcess', namespec, false);
      return [];
    },
    clear: async (namespec) => (await call('clearProcessLogs', namespec), []),
  };

  const allAction: Record<AllAction, () => Promise<string[]>> = {
    'restart-all': async () => {
      const stopped = failures(await call('stopAllProcesses', true));
      return [...stopped, ...failures(await call('startAllProcesses', false))];
    },
    'stop-all': async () => failures(await call('stopAllProcesses', false)),
  };

  return async function handle(action: ProcessAction | AllAction, request: HttpRequest, response: ServerResponse): Promise<void> {
    const refusal = webActionRefusal(request);
    if (refusal) {
      sendJson(response, 403, { ok: false, error: refusal });
      return;
    }
    try {
      const problems =
        action === 'restart-all' || action === 'stop-all' ? await allAction[action]() : await processAction[action](requestedName(request));
      sendJson(response, problems.length ? 409 : 200, problems.length ? { ok: false, error: problems.join('\n') } : { ok: true });
    } catch (error) {
      if (error instanceof XmlRpcFault) sendJson(response, 409, { ok: false, error: error.faultString });
      else if (isSupervisorError(error, 'USAGE')) sendJson(response, 400, { ok: false, error: error.message });
      else throw error;
    }
  };
}
