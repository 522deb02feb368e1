// The daemon's HTTP side for one generation: the servers of the configuration, with the
// XML-RPC endpoint and its namespaces mounted.
import path from 'node:path';
import type { ActivityLog } from '../actors/logs/activity-log.js';
import type { Config } from '../config/types.js';
import { RpcDispatcher } from './dispatch.js';
import { BUILT_IN_RPC_FACTORY } from '../config/schema/sections.js';
import { daemonApi, loadRpcInterface } from './extensions.js';
import { HttpServers } from './http/servers.js';
import { mountLogtailRoutes } from './logtail-routes.js';
import { mountMetricsRoutes } from './metrics-routes.js';
import type { Namespaces } from './registry.js';
import { supervisorMethods } from './api/index.js';
import type { DaemonHost } from './host.js';
import { systemMethods } from './system-api.js';
import { xmlRpcEndpoint, xmlRpcWrongMethod } from './xmlrpc-endpoint.js';

/** Throws a STARTUP error when an [rpcinterface:x] module cannot be loaded. */
export async function createControlPlane(config: Config, log: ActivityLog, host: DaemonHost): Promise<HttpServers> {
  const servers = new HttpServers({ unix: config.unixHttpServer, inet: config.inetHttpServer }, log, {
    rpcInterfaceNames: config.rpcInterfaces.map((r) => r.name),
    onQuiet: host.afterRequests && (() => host.afterRequests?.()),
    onAnswered: host.checkHeap && (() => host.checkHeap?.()),
    holdUntilServe: true,
  });
  const namespaces: Namespaces = new Map();
  const dispatcher = new RpcDispatcher(namespaces, (method, error) =>
    log.error(`XML-RPC method ${method}() failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
  );
  const builtIn = supervisorMethods(host);
  // Always there, so that a config without its [rpcinterface:supervisor] section still works.
  namespaces.set('supervisor', builtIn);
  namespaces.set('system', systemMethods(dispatcher));
  const api = daemonApi(dispatcher, log, host.supervisor.changes);
  for (const section of config.rpcInterfaces) {
    namespaces.set(
      section.name,
      section.factory === BUILT_IN_RPC_FACTORY ? builtIn : await loadRpcInterface(section, path.dirname(config.file), api),
    );
  }
  servers.route('POST', '/RPC2', xmlRpcEndpoint(dispatcher, log));
  servers.route('GET', '/RPC2', xmlRpcWrongMethod);
  mountLogtailRoutes(servers, host);
  mountMetricsRoutes(servers, host);
  // The web UI's code is loaded with its first request (most daemons never serve a page).
  servers.routeLater(async () => (await import('./web/routes.js')).mountWebUi(servers, host, builtIn));
  return servers;
}
