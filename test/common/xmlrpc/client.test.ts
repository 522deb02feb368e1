// The XML-RPC client against a tiny node server (Unix socket and TCP): values, faults, basic
// auth, HTTP errors, keep-alive, and the connection errors supervisorctl prints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createXmlRpcClient, XmlRpcAuthError, XmlRpcConnectionError, XmlRpcHttpError } from '../../../common/xmlrpc/client.js';
import { parseMethodCall } from '../../../common/xmlrpc/parse.js';
import { serializeFault, serializeMethodResponse } from '../../../common/xmlrpc/serialize.js';
import { XmlRpcFault } from '../../../common/xmlrpc/types.js';
import { repoRoot } from '../../paths.js';

interface Seen {
  connections: number;
  requests: { url?: string; method?: string; headers: http.IncomingHttpHeaders }[];
}

/** A server answering echo (its params), status (an HTTP status), hang (never), drop, others (a fault). */
function createServer(auth?: string): { server: http.Server; seen: Seen } {
  const seen: Seen = { connections: 0, requests: [] };
  const servedOn = new WeakMap<Socket, number>();
  const server = http.createServer((req, res) => {
    seen.requests.push({ url: req.url, method: req.method, headers: req.headers });
    if (auth !== undefined && req.headers.authorization !== `Basic ${Buffer.from(auth).toString('base64')}`) {
      res.writeHead(401, 'Unauthorized', { 'Content-Length': 0 }).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const call = parseMethodCall(Buffer.concat(chunks));
      if (call.methodName === 'hang') return;
      if (call.methodName === 'status') {
        res.writeHead(call.params[0] as number, { 'Content-Length': 0 }).end();
        return;
      }
      if (call.methodName === 'dropAlways') {
        req.socket.destroy();
        return;
      }
      if (call.methodName === 'drop') {
        // Dropped if this connection served a request before, answered like echo if not.
        const served = servedOn.get(req.socket) ?? 0;
        servedOn.set(req.socket, served + 1);
        if (served > 0) {
          req.socket.destroy();
          return;
        }
        call.methodName = 'echo';
      } else {
        servedOn.set(req.socket, (servedOn.get(req.socket) ?? 0) + 1);
      }
      const body = call.methodName === 'echo' ? serializeMethodResponse(call.params) : serializeFault(new XmlRpcFault(10, 'BAD_NAME: x'));
      res.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body) }).end(body);
    });
  });
  server.on('connection', () => seen.connections++);
  return { server, seen };
}

function tmpDir(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xmlrpc-client-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function listen(server: http.Server, where: string | number, t: { after(fn: () => void): void }): Promise<string> {
  await new Promise<void>((resolve) =>
    typeof where === 'string' ? server.listen(where, resolve) : server.listen(where, '127.0.0.1', resolve),
  );
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return typeof where === 'string' ? `unix://${where}` : `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

for (const transport of ['unix', 'tcp'] as const) {
  test(`${transport}: values, faults and one kept-alive connection`, async (t) => {
    const { server, seen } = createServer();
    const url = await listen(server, transport === 'unix' ? path.join(tmpDir(t), 'rpc.sock') : 0, t);
    const client = createXmlRpcClient({ serverurl: url });
    t.after(() => client.close());
    const params = [1, 'två', [true, null], { a: Buffer.from('x') }];
    assert.deepEqual(await client.call('echo', ...params), params);
    assert.deepEqual(await client.call('echo'), []);
    await assert.rejects(client.call('other'), new XmlRpcFault(10, 'BAD_NAME: x'));
    assert.deepEqual(await client.call('echo', 'again'), ['again']);
    assert.equal(seen.connections, 1);
    const first = seen.requests[0];
    assert.equal(first?.url, '/RPC2');
    assert.equal(first?.method, 'POST');
    assert.equal(first?.headers['content-type'], 'text/xml');
    assert.equal(first?.headers.authorization, undefined);
    if (transport === 'unix') assert.equal(first?.headers.host, 'localhost');
  });
}

test('basic auth: credentials are sent; 401 is its own error carrying the status', async (t) => {
  const { server, seen } = createServer('user:pä:ss');
  const url = await listen(server, path.join(tmpDir(t), 'rpc.sock'), t);
  const good = createXmlRpcClient({ serverurl: url, username: 'user', password: 'pä:ss' });
  const bad = createXmlRpcClient({ serverurl: url, username: 'user', password: 'wrong' });
  const none = createXmlRpcClient({ serverurl: url });
  t.after(() => [good, bad, none].forEach((c) => c.close()));
  assert.deepEqual(await good.call('echo', 1), [1]);
  assert.equal(seen.requests[0]?.headers.authorization, `Basic ${Buffer.from('user:pä:ss').toString('base64')}`);
  for (const client of [bad, none]) {
    await assert.rejects(client.call('echo'), (e: unknown) => {
      assert.ok(e instanceof XmlRpcAuthError);
      assert.ok(e instanceof XmlRpcHttpError);
      assert.equal(e.status, 401);
      assert.equal(e.message, `${url}: HTTP 401 Unauthorized`);
      return true;
    });
  }
});

test('other HTTP statuses are XmlRpcHttpError; the client goes on working after one', async (t) => {
  const { server } = createServer();
  const url = await listen(server, 0, t);
  const client = createXmlRpcClient({ serverurl: url });
  t.after(() => client.close());
  await assert.rejects(client.call('status', 500), (e: unknown) => {
    assert.ok(e instanceof XmlRpcHttpError && !(e instanceof XmlRpcAuthError));
    assert.equal(e.status, 500);
    return true;
  });
  assert.deepEqual(await client.call('echo', 2), [2]);
});

test('a kept-alive connection lost at the next request is retried once on a new one', async (t) => {
  const { server, seen } = createServer();
  const url = await listen(server, 0, t);
  const client = createXmlRpcClient({ serverurl: url });
  t.after(() => client.close());
  assert.deepEqual(await client.call('echo', 1), [1]);
  // 'drop' on a connection that served before: as when the server closed it while idle.
  assert.deepEqual(await client.call('drop', 2), [2]);
  assert.equal(seen.connections, 2);
  // Lost on a fresh connection, the request may have been handled: no retry.
  const fresh = createXmlRpcClient({ serverurl: url });
  t.after(() => fresh.close());
  await assert.rejects(fresh.call('dropAlways'), { systemCode: 'ECONNRESET', message: `${url} socket hang up` });
  assert.equal(seen.requests.length, 4);
});

test('timeoutMs: no answer in time is a connection error', async (t) => {
  const { server } = createServer();
  const url = await listen(server, 0, t);
  const client = createXmlRpcClient({ serverurl: url, timeoutMs: 100 });
  t.after(() => client.close());
  await assert.rejects(client.call('hang'), (e: unknown) => {
    assert.ok(e instanceof XmlRpcConnectionError);
    assert.equal(e.systemCode, 'ETIMEDOUT');
    assert.equal(e.message, `${url} timed out`);
    return true;
  });
});

test('a missing socket file: "<url> no such file"', async (t) => {
  const url = `unix://${path.join(tmpDir(t), 'missing.sock')}`;
  const client = createXmlRpcClient({ serverurl: url });
  await assert.rejects(client.call('echo'), (e: unknown) => {
    assert.ok(e instanceof XmlRpcConnectionError);
    assert.equal(e.systemCode, 'ENOENT');
    assert.equal(e.message, `${url} no such file`);
    return true;
  });
});

test('a refused port: "<url> refused connection"', async () => {
  // A port just freed: nothing listens there.
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  const url = `http://127.0.0.1:${port}`;
  const client = createXmlRpcClient({ serverurl: url });
  await assert.rejects(client.call('echo'), (e: unknown) => {
    assert.ok(e instanceof XmlRpcConnectionError);
    assert.equal(e.systemCode, 'ECONNREFUSED');
    assert.equal(e.message, `${url} refused connection`);
    return true;
  });
});

const isRoot = process.getuid?.() === 0;
const canDropPrivileges = !isRoot || fs.existsSync('/usr/bin/setpriv');

test(
  'a socket we may not open: "<url> permission denied"',
  canDropPrivileges ? {} : { skip: 'running as root without setpriv: cannot be denied' },
  async (t) => {
    const dir = tmpDir(t);
    fs.chmodSync(dir, 0o755);
    const { server } = createServer();
    const socket = path.join(dir, 'rpc.sock');
    const url = await listen(server, socket, t);
    fs.chmodSync(socket, 0o700);
    if (!isRoot) {
      fs.chmodSync(socket, 0o000);
      const client = createXmlRpcClient({ serverurl: url });
      await assert.rejects(client.call('echo'), { code: 'EACCES', message: `${url} permission denied` });
      return;
    }
    // Root is never denied: the attempt is made by a child running as nobody.
    const clientModule = path.join(repoRoot, 'dist', 'common', 'xmlrpc', 'client.js');
    const script =
      `import { createXmlRpcClient } from ${JSON.stringify(clientModule)};\n` +
      `createXmlRpcClient({ serverurl: ${JSON.stringify(url)} }).call('echo')` +
      '.then(() => console.log("connected"), (e) => console.log(JSON.stringify({ code: e.systemCode, message: e.message })));';
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        'setpriv',
        ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--input-type=module', '-e', script],
        { cwd: '/' },
        (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
      ),
    );
    assert.deepEqual(JSON.parse(out), { code: 'EACCES', message: `${url} permission denied` });
  },
);

test('serverurl must be unix:// or http://', () => {
  assert.throws(() => createXmlRpcClient({ serverurl: 'https://x' }), /Unknown protocol for serverurl https:\/\/x/);
});
