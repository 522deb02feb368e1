// --check: the HTTP servers' addresses — a TCP port bound and closed again at once, a unix
// socket's directory and whether a live server holds the socket — and the [rpcinterface:x]
// factory modules, with the messages the daemon would stop with.
import { promises as fs, constants as fsConstants } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { BUILT_IN_RPC_FACTORY, RPC_FACTORY_KEY } from '../../config/schema/sections.js';
import type { ConfigProblem } from '../../config/problems.js';
import type { Config, InetHttpServerConfig, UnixHttpServerConfig } from '../../config/types.js';
import { ADDRESS_IN_USE_MESSAGE, httpServerErrorFrom } from '../../rpc/http/errors.js';
import { resolveListenAddress } from '../../rpc/http/inet-address.js';
import { socketInUse } from '../../rpc/http/unix-socket.js';
import type { PlaceOf } from './log-files.js';
import { whyNotLoadable } from './programs.js';

export async function serverProblems(config: Config, placeOf: PlaceOf): Promise<ConfigProblem[]> {
  const problems: ConfigProblem[] = [];
  if (config.inetHttpServer) {
    const message = await whyNoListen(config.inetHttpServer);
    if (message) problems.push({ severity: 'error', message, place: placeOf('inet_http_server', 'port') });
  }
  if (config.unixHttpServer) {
    const message = await whyNoSocket(config.unixHttpServer);
    if (message) problems.push({ severity: 'error', message, place: placeOf('unix_http_server', 'file') });
  }
  for (const { name, factory } of config.rpcInterfaces) {
    if (factory === BUILT_IN_RPC_FACTORY) continue;
    const message = await whyNotLoadable(factory, path.dirname(config.file));
    if (message) problems.push({ severity: 'error', message, place: placeOf(`rpcinterface:${name}`, RPC_FACTORY_KEY) });
  }
  return problems;
}

/** Binds the address as the daemon would (IPv4), and closes it again. */
async function whyNoListen(config: InetHttpServerConfig): Promise<string | null> {
  try {
    const address = await resolveListenAddress(config.host === '*' ? '' : config.host);
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: address, port: config.port }, () => resolve());
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return null;
  } catch (error) {
    return httpServerErrorFrom(error as NodeJS.ErrnoException).message;
  }
}

/**
 * The daemon binds the socket in its directory, replacing a stale socket file there but not a
 * live one. Nothing is bound here: that would leave a file behind.
 */
async function whyNoSocket(config: UnixHttpServerConfig): Promise<string | null> {
  try {
    await fs.access(path.dirname(config.file), fsConstants.W_OK | fsConstants.X_OK);
  } catch (error) {
    return httpServerErrorFrom(error as NodeJS.ErrnoException).message;
  }
  const existing = await fs.lstat(config.file).catch(() => null);
  if (existing?.isSocket() && (await socketInUse(config.file))) return ADDRESS_IN_USE_MESSAGE;
  return null;
}
