import { isSupervisorError } from '../../../common/errors.js';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ActivityLog } from '../../../actors/logs/activity-log.js';
import type { Credentials, InetHttpServerConfig, UnixHttpServerConfig } from '../../../config/types.js';
import { authenticatedUser, passwordMatches } from '../../../rpc/http/auth.js';
import { ADDRESS_IN_USE_MESSAGE } from '../../../rpc/http/errors.js';
import { HttpServers, sendWhole, type HttpServersOptions } from '../../../rpc/http/servers.js';

const tempDirs: string[] = [];
after(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'http-servers-'));
  tempDirs.push(dir);
  return dir;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

interface Capture {
  log: ActivityLog;
  /** The logged messages, without the timestamp. */
  text(): string;
}

function captureLog(dir: string, level: 'info' | 'trace' = 'info'): Capture {
  const file = path.join(dir, 'activity.log');
  const log = new ActivityLog(level);
  log.open({ logfile: file, maxBytes: 0, backups: 0, echoToStdout: false });
  return {
    log,
    text: () =>
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .map((line) => line.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} /, ''))
        .join('\n'),
  };
}

const unixConfig = (file: string, credentials: Credentials | null = null, chmod = 0o700): UnixHttpServerConfig => ({
  file,
  chmod,
  chown: null,
  credentials,
});
const inetConfig = (port: number, credentials: Credentials | null = null, host = '127.0.0.1'): InetHttpServerConfig => ({
  host,
  port,
  credentials,
});

/** Servers with a few trivial routes, closed after the test. */
async function startServers(
  configs: { unix: UnixHttpServerConfig | null; inet: InetHttpServerConfig | null },
  options: HttpServersOptions & { log?: ActivityLog } = {},
): Promise<HttpServers> {
  const servers = new HttpServers(configs, options.log ?? new ActivityLog('critical'), options);
  servers.route('POST', '/RPC2', (request, response) =>
    sendWhole(response, 200, 'text/plain', `${request.body.length} bytes from ${request.username ?? 'nobody'}`),
  );
  servers.route('GET', /^\/echo\//, (request, response) =>
    sendWhole(response, 200, 'text/plain', `${request.path}?${request.query.get('q') ?? ''}`),
  );
  servers.route('GET', '/big', (_request, response) => sendWhole(response, 200, 'text/plain', 'x'.repeat(300_000)));
  servers.route('GET', '/throws', () => {
    throw new Error('handler failed');
  });
  await servers.listen();
  after(() => servers.close());
  return servers;
}

type Target = { socketPath: string } | { host: string; port: number };

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  reusedSocket: boolean;
}

function request(
  target: Target,
  options: { method?: string; path?: string; body?: string; auth?: string; agent?: http.Agent } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      { ...target, method: options.method ?? 'GET', path: options.path ?? '/', auth: options.auth, agent: options.agent },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () =>
          resolve({
            status: incoming.statusCode ?? 0,
            headers: incoming.headers,
            body: Buffer.concat(chunks).toString(),
            reusedSocket: outgoing.reusedSocket,
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

const sha = (text: string): string => `{SHA}${createHash('sha1').update(text).digest('hex')}`;

/** Leaves a socket file nobody listens on, as a killed daemon does. */
function makeStaleSocket(file: string): void {
  execFileSync('python3', ['-c', `import socket; socket.socket(socket.AF_UNIX).bind(${JSON.stringify(file)})`]);
}

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

test('unix socket: mode applied, serverUrl, removed on close, bound again right after', async () => {
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
  const started = Date.now();
  await servers.close();
  assert.ok(Date.now() - started < 1000, 'close is prompt');
  assert.equal(fs.existsSync(file), false);

  const again = new HttpServers({ unix: unixConfig(file), inet: null }, new ActivityLog('critical'));
  again.route('GET', '/', (_request, response) => sendWhole(response, 200, 'text/plain', 'second'));
  await again.listen();
  after(() => again.close());
  assert.equal((await request({ socketPath: file })).body, 'second');
  assert.equal(fs.statSync(file).mode & 0o777, 0o700);
});

test('TCP: closing with a kept-alive connection open is prompt and the port can be bound again', async () => {
  const port = await freePort();
  const servers = new HttpServers({ unix: null, inet: inetConfig(port) }, new ActivityLog('critical'));
  servers.route('GET', '/', (_request, response) => sendWhole(response, 200, 'text/plain', 'first'));
  await servers.listen();
  const agent = new http.Agent({ keepAlive: true });
  after(() => agent.destroy());
  await request({ host: '127.0.0.1', port }, { agent });
  const started = Date.now();
  await servers.close();
  assert.ok(Date.now() - started < 1000, 'close is prompt');
  const again = await startServers({ unix: null, inet: inetConfig(port) });
  assert.equal((await request({ host: '127.0.0.1', port }, { path: '/big' })).status, 200);
  await again.close();
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

async function freeToBind(port: number): Promise<void> {
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(port, '127.0.0.1', resolve);
  });
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}

test('serverUrl: the unix socket wins; an all-interfaces inet server is reached via localhost', () => {
  const log = new ActivityLog('critical');
  assert.equal(new HttpServers({ unix: unixConfig('/run/s.sock'), inet: inetConfig(9001) }, log).serverUrl, 'unix:///run/s.sock');
  assert.equal(new HttpServers({ unix: null, inet: inetConfig(9001) }, log).serverUrl, 'http://127.0.0.1:9001');
  assert.equal(new HttpServers({ unix: null, inet: inetConfig(9001, null, '') }, log).serverUrl, 'http://localhost:9001');
  assert.equal(new HttpServers({ unix: null, inet: null }, log).serverUrl, null);
});

test('basic auth per server: plain and {SHA} passwords; wrong or missing → 401 with the realm', async () => {
  const port = await freePort();
  const file = path.join(tempDir(), 'auth.sock');
  await startServers({
    unix: unixConfig(file, { username: 'bob', password: sha('s3cret') }),
    inet: inetConfig(port, { username: 'alice', password: 'plain' }),
  });
  const tcp = { host: '127.0.0.1', port };
  const unix = { socketPath: file };
  const post = { method: 'POST', path: '/RPC2', body: 'x' };

  assert.equal((await request(tcp, { ...post, auth: 'alice:plain' })).body, '1 bytes from alice');
  assert.equal((await request(unix, { ...post, auth: 'bob:s3cret' })).body, '1 bytes from bob');

  for (const [target, auth] of [
    [tcp, 'alice:wrong'],
    [tcp, 'bob:s3cret'],
    [tcp, undefined],
    [unix, 'alice:plain'],
    [unix, `bob:${sha('s3cret')}`],
    [unix, undefined],
  ] as const) {
    const denied = await request(target, { ...post, auth });
    assert.equal(denied.status, 401, `${auth} refused`);
    assert.equal(denied.headers['www-authenticate'], 'Basic realm="default"');
    assert.equal(denied.headers.connection, 'close');
    assert.match(denied.body, /<p>Error code 401\.\r\n<p>Message: Unauthorized\./);
  }
  // Every path is protected, known or not, as in the reference.
  assert.equal((await request(tcp, { path: '/nothing' })).status, 401);
});

test('auth helpers: header parsing and password forms', () => {
  const credentials = { username: 'user', password: '123' };
  const header = (text: string): string => `Basic ${Buffer.from(text).toString('base64')}`;
  assert.equal(authenticatedUser(header('user:123'), credentials), 'user');
  assert.equal(authenticatedUser(header('user:123').replace('Basic', 'basic'), credentials), 'user');
  assert.equal(authenticatedUser(header('user:1234'), credentials), null);
  assert.equal(authenticatedUser(header('user'), credentials), null);
  assert.equal(authenticatedUser(header('user:123').replace('Basic', 'Digest'), credentials), null);
  assert.equal(authenticatedUser(undefined, credentials), null);
  assert.equal(authenticatedUser(header('user:pa:ss'), { username: 'user', password: 'pa:ss' }), 'user');
  assert.ok(passwordMatches('{SHA}40bd001563085fc35165329ea1ff5c5ecbdbbeef', '123'));
  assert.ok(!passwordMatches('{SHA}40BD001563085FC35165329EA1FF5C5ECBDBBEEF', '123'), 'hex compared as written');
  assert.ok(!passwordMatches('{SHA}40bd001563085fc35165329ea1ff5c5ecbdbbeef', '{SHA}40bd001563085fc35165329ea1ff5c5ecbdbbeef'));
});

test('startup lines: inet then unix, RPC interfaces per server, CRIT only without credentials', async () => {
  const dir = tempDir();
  const port = await freePort();
  const capture = captureLog(dir);
  await startServers(
    { unix: unixConfig(path.join(dir, 'log.sock')), inet: inetConfig(port, { username: 'u', password: 'p' }) },
    { log: capture.log, rpcInterfaceNames: ['supervisor', 'extra'] },
  );
  assert.equal(
    capture.text(),
    [
      "INFO RPC interface 'supervisor' initialized",
      "INFO RPC interface 'extra' initialized",
      "INFO RPC interface 'supervisor' initialized",
      "INFO RPC interface 'extra' initialized",
      "CRIT Server 'unix_http_server' running without any HTTP authentication checking",
      '',
    ].join('\n'),
  );
});

test('trace level: Medusa banner and access lines; a request line mentioning "error" logs as an error', async () => {
  const dir = tempDir();
  const port = await freePort();
  const capture = captureLog(dir, 'trace');
  await startServers({ unix: null, inet: inetConfig(port) }, { log: capture.log });
  await request({ host: '127.0.0.1', port }, { path: '/nothing' });
  await request({ host: '127.0.0.1', port }, { path: '/error' });
  const text = capture.text();
  assert.match(
    text,
    /^TRAC 127\.0\.0\.1:Medusa \(V1\.12\) started at \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\n\tHostname: \S+\n\tPort:\d+\n/,
  );
  assert.match(text, /CRIT Server 'inet_http_server' running without any HTTP authentication checking\n/);
  assert.match(text, /\nTRAC 127\.0\.0\.1:\d+ - - \[\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] "GET \/nothing HTTP\/1\.1" 404 \d+\n/);
  assert.match(text, /\nERRO 127\.0\.0\.1:\d+ - - \[[^\]]+\] "GET \/error HTTP\/1\.1" 404 \d+\n/);
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
