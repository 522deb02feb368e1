// HttpServers binding and closing: the unix socket's mode and removal, a close that waits neither
// for kept-alive connections nor for answers still being sent, a stale socket replaced, an
// address in use refused with the reference message, and serverUrl.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { isSupervisorError } from '../../../common/errors.js';
import { ActivityLog } from '../../../actors/logs/activity-log.js';
import { ADDRESS_IN_USE_MESSAGE } from '../../../rpc/http/errors.js';
import { HttpServers, sendWhole } from '../../../rpc/http/servers.js';
import {
  freePort,
  freeToBind,
  inetConfig,
  makeStaleSocket,
  request,
  startServers,
  tempDir,
  unixConfig,
} from '../../harness/http-servers.js';

/**
 * A close that waited for an idle kept-alive connection would wait out its keep-alive timeout
 * (30 minutes): the test then fails on this guard instead of hanging.
 */
const HANG_GUARD = { timeout: 60_000 };

/** The one connection the agent keeps open between requests. */
function keptAlive(agent: http.Agent): net.Socket {
  const sockets = Object.values(agent.freeSockets).flat();
  assert.equal(sockets.length, 1, 'the agent keeps its connection open');
  return sockets[0] as net.Socket;
}

/**
 * Resolves once the connection is closed: by the server, since the client never closes it. (The
 * agent unrefs the connections it keeps: referenced again, it keeps the test alive till then.)
 */
function closedByServer(socket: net.Socket): Promise<void> {
  socket.ref();
  return new Promise((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));
}

test('unix socket: mode applied, serverUrl, removed on close, bound again right after', HANG_GUARD, async () => {
  const dir = tempDir();
  const file = path.join(dir, 'supervisor.sock');
  const servers = new HttpServers({ unix: unixConfig(file, null, 0o770), inet: null }, new ActivityLog('critical'));
  servers.route('GET', '/', (_request, response) => sendWhole(response, 200, 'text/plain', 'first'));
  await servers.listen();
  assert.equal(servers.serverUrl, `unix://${file}`);
  assert.equal(fs.statSync(file).mode & 0o777, 0o770);
  assert.ok(fs.statSync(file).isSocket());
  assert.deepEqual(fs.readdirSync(dir), ['supervisor.sock'], 'the temporary name is gone');

  // A keep-alive connection stays open across close(); close must not wait for it.
  const agent = new http.Agent({ keepAlive: true });
  after(() => agent.destroy());
  assert.equal((await request({ socketPath: file }, { agent })).body, 'first');
  const kept = keptAlive(agent);
  await servers.close();
  await closedByServer(kept);
  assert.equal(fs.existsSync(file), false);

  const again = new HttpServers({ unix: unixConfig(file), inet: null }, new ActivityLog('critical'));
  again.route('GET', '/', (_request, response) => sendWhole(response, 200, 'text/plain', 'second'));
  await again.listen();
  after(() => again.close());
  assert.equal((await request({ socketPath: file })).body, 'second');
  assert.equal(fs.statSync(file).mode & 0o777, 0o700);
});

test('TCP: closing with a kept-alive connection open is prompt and the port can be bound again', HANG_GUARD, async () => {
  const port = await freePort();
  const servers = new HttpServers({ unix: null, inet: inetConfig(port) }, new ActivityLog('critical'));
  servers.route('GET', '/', (_request, response) => sendWhole(response, 200, 'text/plain', 'first'));
  await servers.listen();
  const agent = new http.Agent({ keepAlive: true });
  after(() => agent.destroy());
  await request({ host: '127.0.0.1', port }, { agent });
  const kept = keptAlive(agent);
  await servers.close();
  await closedByServer(kept);
  const again = await startServers({ unix: null, inet: inetConfig(port) });
  assert.equal((await request({ host: '127.0.0.1', port }, { path: '/big' })).status, 200);
  await again.close();
});

test('closing with an answer still being sent (a followed log) ends that answer', HANG_GUARD, async () => {
  const file = path.join(tempDir(), 'supervisor.sock');
  const servers = new HttpServers({ unix: unixConfig(file), inet: null }, new ActivityLog('critical'));
  servers.route('GET', '/follow', (_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/plain' });
    response.write('first line\n'); // and never ends, as a followed log does not
  });
  await servers.listen();
  const incoming = await new Promise<http.IncomingMessage>((resolve, reject) =>
    http.get({ socketPath: file, path: '/follow' }, resolve).on('error', reject),
  );
  const firstChunk = await new Promise<string>((resolve) => incoming.once('data', (chunk: Buffer) => resolve(chunk.toString())));
  assert.equal(firstChunk, 'first line\n');
  await servers.close();
  await closedByServer(incoming.socket);
});

test('a stale socket file is replaced, with the reference notice', async () => {
  const file = path.join(tempDir(), 'stale.sock');
  makeStaleSocket(file);
  const warnings: string[] = [];
  await startServers({ unix: unixConfig(file), inet: null }, { warn: (text) => warnings.push(text) });
  assert.deepEqual(warnings, [`Unlinking stale socket ${file}\n`]);
  assert.equal((await request({ socketPath: file }, { path: '/big' })).status, 200);
});

test('a live server on the socket is left alone and we refuse to start', async () => {
  const file = path.join(tempDir(), 'live.sock');
  const first = await startServers({ unix: unixConfig(file), inet: null });
  const second = new HttpServers({ unix: unixConfig(file), inet: null }, new ActivityLog('critical'));
  await assert.rejects(second.listen(), (error: unknown) => {
    assert.ok(isSupervisorError(error, 'STARTUP'));
    assert.equal(error.message, ADDRESS_IN_USE_MESSAGE);
    return true;
  });
  assert.equal(
    ADDRESS_IN_USE_MESSAGE,
    'Another program is already listening on a port that one of our HTTP servers is configured to use.  ' +
      'Shut this program down first before starting supervisord.',
  );
  assert.equal((await request({ socketPath: file }, { path: '/big' })).status, 200, 'the first still serves');
  await first.close();
  assert.equal(fs.existsSync(file), false);
});

test('any program accepting on the socket counts as live', async () => {
  const file = path.join(tempDir(), 'other.sock');
  const other = net.createServer((socket) => socket.end());
  await new Promise<void>((resolve) => other.listen(file, resolve));
  after(() => other.close());
  const servers = new HttpServers({ unix: unixConfig(file), inet: null }, new ActivityLog('critical'));
  await assert.rejects(servers.listen(), { message: ADDRESS_IN_USE_MESSAGE });
  assert.ok(fs.existsSync(file));
});

test('a TCP port in use is refused with the same message, also when binding all interfaces', async () => {
  const port = await freePort();
  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
  after(() => holder.close());
  for (const host of ['127.0.0.1', '']) {
    const servers = new HttpServers({ unix: null, inet: inetConfig(port, null, host) }, new ActivityLog('critical'));
    await assert.rejects(servers.listen(), { code: 'STARTUP', message: ADDRESS_IN_USE_MESSAGE });
  }
});

test('when the second server fails the first is closed again', async () => {
  const port = await freePort();
  const file = path.join(tempDir(), 'no', 'such', 'dir.sock');
  const servers = new HttpServers({ unix: unixConfig(file), inet: inetConfig(port) }, new ActivityLog('critical'));
  await assert.rejects(servers.listen(), {
    message: 'Cannot open an HTTP server: socket.error reported errno.ENOENT (2)',
  });
  await freeToBind(port);
});

test('serverUrl: the unix socket wins; an all-interfaces inet server is reached via localhost', () => {
  const log = new ActivityLog('critical');
  assert.equal(new HttpServers({ unix: unixConfig('/run/s.sock'), inet: inetConfig(9001) }, log).serverUrl, 'unix:///run/s.sock');
  assert.equal(new HttpServers({ unix: null, inet: inetConfig(9001) }, log).serverUrl, 'http://127.0.0.1:9001');
  assert.equal(new HttpServers({ unix: null, inet: inetConfig(9001, null, '') }, log).serverUrl, 'http://localhost:9001');
  assert.equal(new HttpServers({ unix: null, inet: null }, log).serverUrl, null);
});
