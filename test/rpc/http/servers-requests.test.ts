// HttpServers serving requests: routes and whole responses, the reference's error pages, kept-alive
// connections, one write per response, body limits, malformed HTTP, and Python's clients.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { sendWhole } from '../../../rpc/http/servers.js';
import { STEP_TIMEOUT, waitUntil } from '../../harness/wait.js';
import { freePort, inetConfig, request, startServers, tempDir, unixConfig, type Reply } from '../../harness/http-servers.js';

test('routes answer over TCP: exact and RegExp paths, query, whole responses with Content-Length', async () => {
  const port = await freePort();
  await startServers({ unix: null, inet: inetConfig(port) });
  const target = { host: '127.0.0.1', port };

  const post = await request(target, { method: 'POST', path: '/RPC2', body: 'hello' });
  assert.equal(post.status, 200);
  assert.equal(post.body, '5 bytes from nobody');
  assert.equal(post.headers['content-length'], '19');

  const echo = await request(target, { path: '/echo/a%20b?q=1&r=2' });
  assert.equal(echo.body, '/echo/a%20b?1');

  const big = await request(target, { path: '/big' });
  assert.equal(big.headers['content-length'], '300000');
  assert.equal(big.body.length, 300_000);
});

test('unknown path → 404 with the reference page; wrong method → 405; a failing handler → 500', async () => {
  const port = await freePort();
  await startServers({ unix: null, inet: inetConfig(port) });
  const target = { host: '127.0.0.1', port };

  const missing = await request(target, { path: '/nothing' });
  assert.equal(missing.status, 404);
  assert.equal(missing.headers['content-type'], 'text/html');
  assert.equal(
    missing.body,
    '<head>\r\n<title>Error response</title>\r\n</head>\r\n<body>\r\n<h1>Error response</h1>\r\n' +
      '<p>Error code 404.\r\n<p>Message: Not Found.\r\n</body>\r\n',
  );
  assert.equal(missing.headers['content-length'], '134');
  assert.equal((await request(target, { path: '/RPC2' })).status, 405);
  assert.equal((await request(target, { method: 'DELETE', path: '/big' })).status, 405);
  assert.equal((await request(target, { path: '/throws' })).status, 500);
  assert.equal((await request(target, { path: '/big' })).status, 200);
});

test('keep-alive: several requests share one connection', async () => {
  const port = await freePort();
  await startServers({ unix: null, inet: inetConfig(port) });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  after(() => agent.destroy());
  const replies: Reply[] = [];
  for (let i = 0; i < 4; i++) {
    replies.push(await request({ host: '127.0.0.1', port }, { method: 'POST', path: '/RPC2', body: 'abc', agent }));
  }
  assert.deepEqual(
    replies.map((reply) => [reply.status, reply.reusedSocket]),
    [
      [200, false],
      [200, true],
      [200, true],
      [200, true],
    ],
  );
});

test('a whole response leaves the server in one write', async () => {
  const port = await freePort();
  await startServers({ unix: null, inet: inetConfig(port) });
  // Count what server-side sockets hand to the kernel: one _writev/_write call each.
  type WriteFn = (this: net.Socket, ...args: unknown[]) => unknown;
  const proto = net.Socket.prototype as unknown as Record<'_write' | '_writev', WriteFn>;
  const originals = { _write: proto._write, _writev: proto._writev };
  let writes = 0;
  for (const name of ['_write', '_writev'] as const) {
    proto[name] = function (this: net.Socket, ...args: unknown[]) {
      if (this.localPort === port) writes++;
      return originals[name].apply(this, args);
    };
  }
  try {
    const reply = await request({ host: '127.0.0.1', port }, { path: '/big' });
    assert.equal(reply.body.length, 300_000);
  } finally {
    Object.assign(proto, originals);
  }
  assert.equal(writes, 1);
});

test('a declared body over the limit → 413 at once, nothing read', async () => {
  const port = await freePort();
  await startServers({ unix: null, inet: inetConfig(port) }, { limits: { maxBodyBytes: 1024 } });
  const socket = net.connect(port, '127.0.0.1');
  socket.write('POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: 104857600\r\n\r\n');
  const answer = await new Promise<string>((resolve) => {
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('close', () => resolve(text));
  });
  assert.match(answer, /^HTTP\/1\.1 413 /);
  assert.match(answer, /Connection: close/i);
});

test('a streamed 100 MB body is cut off near the limit; memory stays bounded', async () => {
  const port = await freePort();
  await startServers({ unix: null, inet: inetConfig(port) }, { limits: { maxBodyBytes: 1024 * 1024 } });
  const rssBefore = process.memoryUsage().rss;
  const socket = net.connect(port, '127.0.0.1');
  let answer = '';
  socket.on('data', (chunk) => (answer += chunk.toString()));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('error', () => undefined); // the server resets a connection it stopped reading
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  socket.write('POST /RPC2 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n');
  const chunk = Buffer.alloc(64 * 1024, 'a');
  const framed = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
  let sent = 0;
  while (sent < 100 * 1024 * 1024 && !socket.destroyed) {
    sent += chunk.length;
    if (!socket.write(framed)) {
      await Promise.race([new Promise((resolve) => socket.once('drain', resolve)), closed]);
    }
  }
  await closed;
  assert.ok(sent < 20 * 1024 * 1024, `cut off after ${sent} bytes`);
  if (answer) assert.match(answer, /^HTTP\/1\.1 413 /);
  assert.ok(process.memoryUsage().rss - rssBefore < 50 * 1024 * 1024, 'no 100 MB buffered');
});

test('malformed HTTP gets 400 and the server carries on', async () => {
  const port = await freePort();
  await startServers({ unix: null, inet: inetConfig(port) });
  const socket = net.connect(port, '127.0.0.1');
  socket.write('THIS IS NOT HTTP\r\n\r\n');
  const answer = await new Promise<string>((resolve) => {
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('close', () => resolve(text));
  });
  assert.match(answer, /^HTTP\/1\.1 400 Bad Request\r\n/);
  assert.equal((await request({ host: '127.0.0.1', port }, { path: '/big' })).status, 200);
});

/** The reference's own Python, which can import its supervisorctl transport. */
const python = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

test("Python clients: xmlrpc.client and supervisorctl's transport keep one connection", async (t) => {
  const port = await freePort();
  const file = path.join(tempDir(), 'py.sock');
  const servers = await startServers({ unix: unixConfig(file), inet: inetConfig(port, { username: 'u', password: 'p' }) });
  servers.route('POST', '/RPC2x', (request, response) => {
    const calls = /<methodName>([^<]*)<\/methodName>/.exec(request.body.toString())?.[1] ?? '';
    const xml =
      `<?xml version="1.0"?><methodResponse><params><param><value><string>${calls} by ${request.username}` +
      '</string></value></param></params></methodResponse>';
    sendWhole(response, 200, 'text/xml', xml);
  });
  const script = `
import sys, xmlrpc.client
port, sock = int(sys.argv[1]), sys.argv[2]
proxy = xmlrpc.client.ServerProxy('http://u:p@127.0.0.1:%d/RPC2x' % port)
print([proxy.a(), proxy.b(), proxy.c()])
try:
    from supervisor.xmlrpc import SupervisorTransport
except ImportError:
    sys.exit(0)
for url, user in (('http://127.0.0.1:%d' % port, 'u'), ('unix://' + sock, None)):
    transport = SupervisorTransport(user, user and 'p', url)
    proxy = xmlrpc.client.ServerProxy('http://127.0.0.1/RPC2x', transport=transport)
    first = proxy.one()
    connection = transport.connection.sock
    print([first, proxy.two(), transport.connection.sock is connection])
`;
  // Asynchronously: the servers answer from this very event loop.
  const run = await new Promise<{ error: Error | null; stdout: string; stderr: string }>((resolve) =>
    execFile(python, ['-c', script, String(port), file], { timeout: 20_000 }, (error, stdout, stderr) =>
      resolve({ error, stdout, stderr }),
    ),
  );
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT') {
    t.skip('no python3');
    return;
  }
  assert.equal(run.stderr, '');
  const lines = run.stdout.trim().split('\n');
  assert.equal(lines[0], "['a by u', 'b by u', 'c by u']");
  const referenceInstalled = fs.existsSync('/usr/lib/python3/dist-packages/supervisor/xmlrpc.py');
  if (referenceInstalled || lines.length > 1) {
    assert.deepEqual(lines.slice(1), ["['one by u', 'two by u', True]", "['one by null', 'two by null', True]"]);
  }
});

test('every answered request is counted by server section, method and status (401, 404 and 405 too)', async () => {
  const port = await freePort();
  const file = path.join(tempDir(), 'count.sock');
  const credentials = { username: 'u', password: 'p' };
  const servers = await startServers({ unix: unixConfig(file, credentials), inet: inetConfig(port, credentials) });
  const inet = { host: '127.0.0.1', port };
  await request(inet, { path: '/big', auth: 'u:p' });
  await request(inet, { path: '/big', auth: 'u:p' });
  await request(inet, { path: '/big' });
  await request(inet, { method: 'DELETE', path: '/big', auth: 'u:p' });
  await request({ socketPath: file }, { method: 'POST', path: '/RPC2', body: 'x', auth: 'u:p' });
  await request({ socketPath: file }, { path: '/nothing', auth: 'u:p' });
  // Counted as each response closes on the server's side.
  await waitUntil(() => servers.requests.list().reduce((sum, entry) => sum + entry.count, 0) === 6, STEP_TIMEOUT);
  const counts = servers.requests
    .list()
    .sort((a, b) => `${a.server}${a.method}${a.status}`.localeCompare(`${b.server}${b.method}${b.status}`));
  assert.deepEqual(counts, [
    { server: 'inet_http_server', method: 'DELETE', status: 405, count: 1 },
    { server: 'inet_http_server', method: 'GET', status: 200, count: 2 },
    { server: 'inet_http_server', method: 'GET', status: 401, count: 1 },
    { server: 'unix_http_server', method: 'GET', status: 404, count: 1 },
    { server: 'unix_http_server', method: 'POST', status: 200, count: 1 },
  ]);
});

test('routeLater: the routes are added with the first request that matches none, after the others', async () => {
  const port = await freePort();
  const servers = await startServers({ unix: null, inet: inetConfig(port) });
  const target = { host: '127.0.0.1', port };
  let loads = 0;
  servers.routeLater(async () => {
    loads += 1;
    servers.route('GET', '/late', (_request, response) => sendWhole(response, 200, 'text/plain', 'late'));
    // Tried after the earlier routes: this one never answers /big.
    servers.route('GET', '/big', (_request, response) => sendWhole(response, 200, 'text/plain', 'shadowed'));
  });
  assert.equal((await request(target, { path: '/big' })).body.length, 300_000);
  assert.equal(loads, 0);
  const [late, again] = await Promise.all([request(target, { path: '/late' }), request(target, { path: '/late' })]);
  assert.deepEqual([late.body, again.body, loads], ['late', 'late', 1]);
  assert.equal((await request(target, { path: '/nothing' })).status, 404);
  assert.equal((await request(target, { path: '/big' })).body.length, 300_000);
  assert.equal(loads, 1);
});

test('onQuiet: called once, a while after the last of several answered requests', async () => {
  const port = await freePort();
  let quiet = 0;
  await startServers({ unix: null, inet: inetConfig(port) }, { onQuiet: () => (quiet += 1) });
  assert.equal(quiet, 0);
  for (let i = 0; i < 3; i++) await request({ host: '127.0.0.1', port }, { path: '/big' });
  assert.ok(await waitUntil(() => quiet > 0, STEP_TIMEOUT), 'onQuiet after the requests');
  assert.equal(quiet, 1);
});

test('onAnswered: called once for each request answered, refused ones too', async () => {
  const port = await freePort();
  let answered = 0;
  await startServers({ unix: null, inet: inetConfig(port) }, { onAnswered: () => (answered += 1) });
  const target = { host: '127.0.0.1', port };
  await request(target, { path: '/big' });
  await request(target, { path: '/nothing' });
  await request(target, { method: 'DELETE', path: '/big' });
  // Called as each response closes on the server's side.
  assert.ok(await waitUntil(() => answered === 3, STEP_TIMEOUT), `3 answered, ${answered} reported`);
});

test('holdUntilServe: a request received before serve() is answered only after it', async () => {
  const port = await freePort();
  const servers = await startServers({ unix: null, inet: inetConfig(port) }, { holdUntilServe: true });
  const socket = net.connect(port, '127.0.0.1');
  after(() => socket.destroy());
  let answer = '';
  let served = false;
  let answeredBeforeServe = false;
  socket.on('data', (chunk) => {
    answeredBeforeServe ||= !served;
    answer += chunk.toString();
  });
  await new Promise<void>((resolve) => socket.write('GET /echo/held?q=1 HTTP/1.1\r\nHost: x\r\n\r\n', () => resolve()));
  // A few turns of the event loop: the server has read and parsed the request by then.
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  served = true;
  servers.serve();
  assert.ok(await waitUntil(() => answer.endsWith('/echo/held?1'), STEP_TIMEOUT), 'the held request is answered');
  assert.equal(answeredBeforeServe, false);
  assert.match(answer, /^HTTP\/1\.1 200 /);
});
