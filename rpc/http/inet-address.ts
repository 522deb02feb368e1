// Addresses for [inet_http_server]: the reference binds IPv4 only (AF_INET), "" meaning every
// interface, and names its host in a startup banner by reverse lookup.
import type dnsPromises from 'node:dns/promises';
import net from 'node:net';
import os from 'node:os';
import type { ActivityLog } from '../../actors/logs/activity-log.js';
import { logMedusa } from './medusa-log.js';

/**
 * Loaded by the daemons that have an [inet_http_server] only (~0.3 MiB otherwise resident); not
 * with import(), which would start the ES module loader in the CommonJS build.
 */
function resolver(): typeof dnsPromises {
  return process.getBuiltinModule('node:dns/promises');
}

/** The IPv4 address to bind for a configured host (a name resolves to its first IPv4 address). */
export async function resolveListenAddress(host: string): Promise<string> {
  if (!host) return '0.0.0.0';
  if (net.isIP(host)) return host;
  return (await resolver().lookup(host, { family: 4 })).address;
}

/**
 * The "Hostname:" of the startup banner: the reverse lookup of the bound address, or of this
 * machine's own address when bound to every interface. Only logged at trace level.
 */
export async function inetHostname(host: string, log: ActivityLog): Promise<string> {
  let ip = host;
  try {
    const dns = resolver();
    ip = host ? await resolveListenAddress(host) : (await dns.lookup(os.hostname(), { family: 4 })).address;
    return (await dns.lookupService(ip, 0)).hostname;
  } catch {
    logMedusa(log, `${host}:Cannot do reverse lookup`);
    return ip || os.hostname();
  }
}
