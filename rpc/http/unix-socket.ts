// Binding the unix_http_server socket the way the reference does: bind a private name, set its
// mode, then hard-link it into place. The link fails if the name exists; the file is then either
// a live server (refuse to start) or stale (unlink it and try again). The socket is never
// visible under its real name with the wrong mode.
// The file calls are synchronous: a few metadata calls on one path, at start and stop only, and
// fs.promises would load Node's file-handle machinery (~0.5 MiB resident) for them.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Server } from 'node:http';
import type { UnixHttpServerConfig } from '../../config/types.js';
import { colonSeparatedUserGroup } from '../../config/datatypes.js';
import { lookupUser } from '../../config/users.js';
import { isSupervisorError } from '../../common/errors.js';
import { ADDRESS_IN_USE_MESSAGE, httpServerError, httpServerErrorFrom } from './errors.js';

/** How long a server found on the socket may take to answer the probe before we assume it lives. */
const PROBE_TIMEOUT_MS = 5000;
/** The reference retries forever; a file that keeps coming back is someone else's problem. */
const MAX_STALE_RETRIES = 10;

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(path, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * Whether something answers on the socket: it must accept a connection and reply (or hang up
 * cleanly) to a request, as the reference's check does.
 */
export function socketInUse(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.connect(path);
    let connected = false;
    const done = (used: boolean): void => {
      probe.destroy();
      resolve(used);
    };
    probe.setTimeout(PROBE_TIMEOUT_MS, () => done(true));
    probe.on('connect', () => {
      connected = true;
      probe.write('GET / HTTP/1.0\r\n\r\n');
    });
    probe.on('data', () => done(true));
    probe.on('end', () => done(connected));
    probe.on('error', () => done(false));
  });
}

function unlinkQuietly(path: string): void {
  try {
    fs.unlinkSync(path);
  } catch {
    // Already gone, or never made.
  }
}

function chownSocket(file: string, chown: string): void {
  let ids: { uid: number; gid: number };
  try {
    ids = colonSeparatedUserGroup(chown);
  } catch (error) {
    throw httpServerError((error as Error).message, error);
  }
  try {
    fs.chownSync(file, ids.uid, ids.gid);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM') throw httpServerErrorFrom(error as NodeJS.ErrnoException);
    const euid = process.geteuid?.() ?? -1;
    const user = lookupUser(String(euid), true)?.name ?? String(euid);
    throw httpServerError(
      `Not permitted to chown ${file} to uid/gid (${ids.uid}, ${ids.gid}); adjust "sockchown" value in config ` +
        `file or on command line to values that the current user (${user}) can successfully chown`,
    );
  }
}

/**
 * Makes `server` listen on config.file with its mode and owner. Returns the socket file's inode,
 * so that close can tell its own socket from one a later daemon created. `warn` receives the
 * reference's stderr notice when a stale socket is removed.
 */
export async function listenOnUnixSocket(server: Server, config: UnixHttpServerConfig, warn: (text: string) => void): Promise<number> {
  const file = config.file;
  const temporary = `${file}.${process.pid}`;
  unlinkQuietly(temporary);
  try {
    // libuv reports a missing directory as EACCES; the reference says ENOENT.
    fs.accessSync(path.dirname(file));
    await listen(server, temporary);
  } catch (error) {
    throw httpServerErrorFrom(error as NodeJS.ErrnoException);
  }
  let linked = false;
  try {
    fs.chmodSync(temporary, config.chmod);
    for (let attempt = 0; !linked; attempt++) {
      try {
        fs.linkSync(temporary, file);
        linked = true;
      } catch (error) {
        const linkError = error as NodeJS.ErrnoException;
        if (linkError.code !== 'EEXIST' || attempt >= MAX_STALE_RETRIES) throw linkError;
        if (await socketInUse(file)) throw httpServerError(ADDRESS_IN_USE_MESSAGE);
        warn(`Unlinking stale socket ${file}\n`);
        unlinkQuietly(file);
      }
    }
    if (config.chown !== null) chownSocket(file, config.chown);
    return fs.statSync(file).ino;
  } catch (error) {
    await closeServer(server);
    if (linked) unlinkQuietly(file);
    if (isSupervisorError(error, 'STARTUP')) throw error;
    throw httpServerErrorFrom(error as NodeJS.ErrnoException);
  } finally {
    unlinkQuietly(temporary);
  }
}
