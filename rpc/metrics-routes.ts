// GET /metrics on every HTTP server, behind its authentication: the daemon's metrics for
// Prometheus. The metrics module, and prom-client with it, is loaded on the first scrape, so
// that a daemon nobody scrapes starts as fast and stays as small as before.
import type { DaemonHost } from './host.js';
import type { HttpServers } from './http/servers.js';
import { sendWhole } from './http/respond.js';
import type { DaemonMetrics } from './metrics.js';

export function mountMetricsRoutes(servers: HttpServers, host: DaemonHost): void {
  let metrics: Promise<DaemonMetrics> | null = null;
  const load = async () => {
    const { DaemonMetrics } = await import('./metrics.js');
    return new DaemonMetrics({
      supervisor: host.supervisor,
      daemonState: host.state,
      identifier: host.config.supervisord.identifier,
      httpRequests: () => servers.requests.list(),
    });
  };
  servers.route('GET', '/metrics', async (_request, response) => {
    metrics ??= load().catch((error: unknown) => {
      metrics = null; // the next scrape tries again
      throw error;
    });
    const loaded = await metrics;
    sendWhole(response, 200, loaded.contentType, await loaded.render());
  });
}
