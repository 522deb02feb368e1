// Making a FastCGI socket: bound, listening, and accepted on only by the children that get it.
//
// Node cannot keep a listening socket without accepting on it: a listening net.Server is polled
// by the event loop, which takes each connection first (measured with php-cgi children sharing
// one: the daemon swallowed requests, and as a child turns the socket blocking, the daemon's next
// accept would block it whole). spawn() does not take a net.Server for a child's stdio either.
// So the socket is bound through net._createServerHandle, which binds without listening (Node's
// cluster binds its workers' shared servers with it), and a five-line Perl helper that gets the
// socket as its fd 0 calls listen(2) on it and exits. The daemon then holds the socket unpolled;
// libuv opens it close-on-exec, so only the children given it as fd 0 see it.
//
// All of it is synchronous, as in the reference (a few milliseconds, at the first spawn of a
// group): the spawns then follow one another in the reference's order. A host name is looked up
// with getent, through the C library's resolver as Python's bind does.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { constants as osConstants } from 'node:os';
import path from 'node:path';
import { describeError, SupervisorError } from '../../common/errors.js';
import type { FcgiSocketConfig } from '../../config/types.js';
import { resolveCommand } from '../command-line.js';
import { errorCode, osErrorText } from './os-error.js';

/** A bound, listening socket; `close` closes it (and removes a unix socket's file). */
export interface ListeningSocket {
  readonly fd: number;
  close(): void;
}

type ServerHandle = ListeningSocket;
/** A bound handle, or a (negative) libuv error number. Port and address type -1 mean a unix socket. */
type CreateServerHandle = (address: string, port: number, addressType: number) => ServerHandle | number;

/** The backlog the reference passes by default (Python's socket.SOMAXCONN; the kernel caps it). */
const SOMAXCONN = 4096;

/**
 * Prints an errno and fails when listen(2) would. libuv keeps a bind's EADDRINUSE for the listen
 * it would make itself, leaving the socket unbound (port 0), where listen(2) would pick a random
 * port: so an IPv4 socket without a port is refused with the errno given as the second argument.
 */
const LISTEN_HELPER = String.raw`
use Socket qw(AF_INET sockaddr_family unpack_sockaddr_in);
my ($backlog, $unbound) = @ARGV;
my $name = getsockname(STDIN) or do { print 0 + $!; exit 1 };
if (sockaddr_family($name) == AF_INET && !(unpack_sockaddr_in($name))[0]) { print $unbound; exit 1 }
listen(STDIN, $backlog) or do { print 0 + $!; exit 1 };`;

/** Why it failed, as the reference words it: "[Errno 98] Address already in use". */
function failure(text: string, cause?: unknown): SupervisorError {
  return new SupervisorError('SPAWN', text, { cause });
}

function createServerHandle(): CreateServerHandle {
  const create = (net as unknown as { _createServerHandle?: unknown })._createServerHandle;
  if (typeof create !== 'function') throw failure(`this Node (${process.version}) has no net._createServerHandle to bind it with`);
  return create as CreateServerHandle;
}

export function openListeningSocket(config: FcgiSocketConfig): ListeningSocket {
  const socket = config.kind === 'tcp' ? bindTcp(config.host, config.port) : bindUnix(config);
  try {
    listen(socket.fd, config.backlog ?? SOMAXCONN);
  } catch (error) {
    socket.close();
    throw error;
  }
  return socket;
}

/** IPv4 only, as the reference's AF_INET socket; a host name is looked up at each creation. */
function bindTcp(host: string, port: number): ServerHandle {
  const handle = createServerHandle()(ipv4Address(host), port, 4);
  if (typeof handle === 'number') throw failure(osErrorText(errorCode(handle)));
  return handle;
}

/** The first IPv4 address getaddrinfo gives for `host`, as Python's bind takes it. */
function ipv4Address(host: string): string {
  if (net.isIPv4(host)) return host;
  const found = spawnSync('getent', ['ahostsv4', host], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const address = found.status === 0 ? found.stdout.split(/\s/)[0] : undefined;
  if (address && net.isIPv4(address)) return address;
  // getent says only "not found" (exit status 2): getaddrinfo's EAI_NONAME, as Python words it.
  throw failure(found.error ? `couldn't run getent: ${describeError(found.error)}` : '[Errno -2] Name or service not known');
}

function bindUnix(config: Extract<FcgiSocketConfig, { kind: 'unix' }>): ServerHandle {
  const { path: file, owner, mode } = config;
  // As the reference: whatever is at the path goes first, a socket file left behind included.
  try {
    if (fs.existsSync(file)) fs.unlinkSync(file);
  } catch (error) {
    throw failure(osErrorText(errorCode(error), file), error);
  }
  const handle = createServerHandle()(file, -1, -1);
  if (typeof handle === 'number') throw failure(osErrorText(unixBindErrorCode(handle, file)));
  try {
    if (owner) changeSocketFile('ownership', () => fs.chownSync(file, owner.uid, owner.gid), file);
    changeSocketFile('permissions', () => fs.chmodSync(file, mode), file);
  } catch (error) {
    // Closing a bound unix socket removes its file, as the reference does here.
    handle.close();
    throw error;
  }
  return handle;
}

/** libuv reports ENOENT from bind as EACCES (as Windows would); the directory tells which it was. */
function unixBindErrorCode(uvError: number, file: string): string {
  const code = errorCode(uvError);
  if (code !== 'EACCES') return code;
  try {
    fs.statSync(path.dirname(file));
    return code;
  } catch (error) {
    return errorCode(error);
  }
}

function changeSocketFile(what: 'ownership' | 'permissions', change: () => void, file: string): void {
  try {
    change();
  } catch (error) {
    throw failure(`Could not change ${what} of socket file: ${osErrorText(errorCode(error), file)}`, error);
  }
}

function listen(fd: number, backlog: number): void {
  let perl: string;
  try {
    perl = resolveCommand('perl', process.env).filename;
  } catch (error) {
    throw failure(`it needs perl (Debian package perl-base), which is missing: ${describeError(error)}`, error);
  }
  // No environment: PERL5OPT and the like must not change what the script does.
  const args = ['-e', LISTEN_HELPER, String(backlog), String(osConstants.errno.EADDRINUSE)];
  const helper = spawnSync(perl, args, { env: {}, encoding: 'utf8', stdio: [fd, 'pipe', 'ignore'] });
  if (helper.error) throw failure(`couldn't run ${perl}: ${describeError(helper.error)}`, helper.error);
  if (helper.status === 0) return;
  const errno = Number(helper.stdout);
  throw failure(
    Number.isInteger(errno) && errno > 0 ? osErrorText(errorCode(errno)) : `listen failed (${perl} exit status ${helper.status})`,
  );
}
