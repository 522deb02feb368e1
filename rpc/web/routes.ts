// The web UI's routes, mounted on every server of a daemon generation. Pages and streams look
// the Supervisor up through the host on each request: a SIGHUP brings a new one.
import type { ServerResponse } from 'node:http';
import type { HttpRequest, HttpServers } from '../http/servers.js';
import { sendError, sendWhole } from '../http/respond.js';
import type { DaemonHost } from '../host.js';
import type { RpcMethod } from '../registry.js';
import { ALL_ACTIONS, PROCESS_ACTIONS, webActions } from './actions.js';
import { COMMON_SCRIPT } from './assets/common-script.js';
import { DASHBOARD_SCRIPT } from './assets/dashboard-script.js';
import { PROCESS_SCRIPT } from './assets/process-script.js';
import { STYLES } from './assets/styles.js';
import { TAIL_SCRIPT } from './assets/tail-script.js';
import { dependencyGraphSvg } from './dependency-graph.js';
import { streamLog } from './log-events.js';
import { dashboardPage, mainLogPage, processPage, processTailPage, type LogChannel } from './pages.js';
import { supervisorView } from './process-view.js';
import { REMOTE_SCRIPT } from './assets/remote-script.js';
import { mountRemoteDaemons } from './remote-routes.js';
import { streamStatus } from './status-events.js';

/** Pages load only our own scripts and styles, talk only to us, and are never framed. */
const PAGE_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

const ASSETS = new Map<string, { type: string; body: string }>([
  ['web.css', { type: 'text/css; charset=utf-8', body: STYLES }],
  ['common.js', { type: 'text/javascript; charset=utf-8', body: COMMON_SCRIPT }],
  ['dashboard.js', { type: 'text/javascript; charset=utf-8', body: DASHBOARD_SCRIPT }],
  ['tail.js', { type: 'text/javascript; charset=utf-8', body: TAIL_SCRIPT }],
  ['process.js', { type: 'text/javascript; charset=utf-8', body: PROCESS_SCRIPT }],
  ['remote.js', { type: 'text/javascript; charset=utf-8', body: REMOTE_SCRIPT }],
]);

const sendPage = (response: ServerResponse, html: string) => sendWhole(response, 200, 'text/html; charset=utf-8', html, PAGE_HEADERS);

/** The part of the path after `prefix`, percent-decoded; null when it does not decode. */
function pathRest(request: HttpRequest, prefix: string): string | null {
  try {
    return decodeURIComponent(request.path.slice(prefix.length));
  } catch {
    return null;
  }
}

export function mountWebUi(servers: HttpServers, host: DaemonHost, api: ReadonlyMap<string, RpcMethod>): void {
  const processAt = (request: HttpRequest, prefix: string) => {
    const namespec = pathRest(request, prefix);
    return namespec === null ? undefined : (host.supervisor.find(namespec)?.process ?? undefined);
  };
  const dashboard = (_request: HttpRequest, response: ServerResponse) =>
    sendPage(
      response,
      dashboardPage(
        supervisorView(host),
        dependencyGraphSvg(host.supervisor.processes()),
        host.config.fleet.map((remote) => remote.name),
      ),
    );
  servers.route('GET', '/', dashboard);
  servers.route('GET', '/index.html', dashboard);
  servers.route('GET', /^\/assets\/[^/]+$/, (request, response) => {
    const asset = ASSETS.get(request.path.slice('/assets/'.length));
    if (!asset) sendError(response, 404);
    else sendWhole(response, 200, asset.type, asset.body, { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' });
  });
  servers.route('GET', '/events', (request, response) => streamStatus(host, request, response));
  servers.route('GET', /^\/process\/[^/]+$/, (request, response) => {
    const process = processAt(request, '/process/');
    if (!process) sendError(response, 404);
    else sendPage(response, processPage(supervisorView(host), process));
  });
  servers.route('GET', /^\/tail\/[^/]+$/, (request, response) => {
    const process = processAt(request, '/tail/');
    const channel: LogChannel = request.query.get('channel') === 'stderr' ? 'stderr' : 'stdout';
    if (!process) sendError(response, 404);
    else sendPage(response, processTailPage(supervisorView(host), process, channel));
  });
  servers.route('GET', '/log', (_request, response) => sendPage(response, mainLogPage(supervisorView(host))));
  servers.route('GET', '/log-events/main', (request, response) => streamLog(host.log.file, request, response));
  servers.route('GET', /^\/log-events\/process\/[^/]+\/(stdout|stderr)$/, (request, response) => {
    const channel: LogChannel = request.path.endsWith('/stderr') ? 'stderr' : 'stdout';
    const rest = request.path.slice(0, -channel.length - 1);
    const process = processAt({ ...request, path: rest }, '/log-events/process/');
    if (!process) sendError(response, 404);
    else streamLog(process.logs.file(channel), request, response);
  });
  mountRemoteDaemons(servers, host);
  const act = webActions(host, api);
  for (const action of [...PROCESS_ACTIONS, ...ALL_ACTIONS]) {
    servers.route('POST', `/api/${action}`, (request, response) => act(action, request, response));
  }
}
