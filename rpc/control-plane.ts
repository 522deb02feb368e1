// The daemon's HTTP side for one generation: the servers of the configuration, with the
// XML-RPC endpoint and its namespaces mounted.
import type { ActivityLog } from '../actors/logs/activity-log.js';
import type { Config } from '../config/types.js';
import { RpcDispatcher } from './dispatch.js';
import { HttpServers } from './http/servers.js';
import { mountLogtailRoutes } from './logtail-routes.js';
import type { Namespaces } from './registry.js';
import { supervisorMethods, type ApiHost } from './supervisor-api.js';
import { systemMethods } from './system-api.js';
import { xmlRpcEndpoint } from './xmlrpc-endpoint.js';

export function createControlPlane(config: Config, log: ActivityLog, host: ApiHost): HttpServers {
  const servers = new HttpServers({ unix: config.unixHttpServer, inet: config.inetHttpServer }, log, {
    rpcInterfaceNames: config.rpcInterfaces.map((r) => r.name),
  });
  const namespaces: Namespaces = new Map();
  const dispatcher = new RpcDispatcher(namespaces, (method, error) =>
    log.error(`XML-RPC method ${method}() failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
  );
  namespaces.set('supervisor', supervisorMethods(host));
  namespaces.set('system', systemMethods(dispatcher));
  servers.route('POST', '/RPC2', xmlRpcEndpoint(dispatcher, log));
  mountLogtailRoutes(servers, host);
  return servers;
}
