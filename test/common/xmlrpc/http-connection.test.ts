// The XML-RPC client's HTTP/1.1 connection against a raw server that writes scripted answers:
// bodies by Content-Length, in chunks, or up to the close; an interim 100 answer; answers cut
// into small pieces; a connection the server closes, while idle or after a `Connection: close`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ConnectionLost, HttpConnection } from '../../../common/xmlrpc/http-connection.js';

/** A server answering each request (whatever it is) with the next of `answers`, written in pieces of `piece` bytes. */
async function scriptedServer(
  t: { after(fn: () => void): void },
  answers: { text: string; close?: boolean }[],
  piece = Infinity,
): Promise<{ socketPath: string; connections: () => number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'http-connection-'));
  const socketPath = path.join(dir, 'server.sock');
  let connections = 0;
  let next = 0;
  const server = net.createServer((socket) => {
    connections += 1;
    socket.on('data', (request) => {
      if (!request.includes('\r\n\r\n')) return;
      const answer = answers[next++];
      if (answer === undefined) return;
      const bytes = Buffer.from(answer.text, 'latin1');
      for (let at = 0; at < bytes.length; at += piece) socket.write(bytes.subarray(at, at + piece));
      if (answer.close) socket.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  t.after(() => {
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { socketPath, connections: () => connections };
}

/** One exchange: the status, the headers and the body as read. */
async function ask(
  connection: HttpConnection,
): Promise<{ status: number; reason: string; headers: ReadonlyMap<string, string>; body: string }> {
  const answer = { status: 0, reason: '', headers: new Map<string, string>() as ReadonlyMap<string, string>, body: '' };
  await connection.exchange(Buffer.from('POST /RPC2 HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n'), {
    head: (status, reason, headers) => Object.assign(answer, { status, reason, headers }),
    body: (chunk) => (answer.body += chunk.toString('latin1')),
  });
  return answer;
}

const LENGTH_ANSWER = 'HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 5\r\n\r\nhello';
const CHUNKED_ANSWER = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n';

for (const piece of [Infinity, 1, 3]) {
  test(`bodies by length and in chunks on one kept-alive connection, in pieces of ${piece}`, async (t) => {
    const server = await scriptedServer(
      t,
      [{ text: LENGTH_ANSWER }, { text: CHUNKED_ANSWER }, { text: 'HTTP/1.1 100 Continue\r\n\r\n' + LENGTH_ANSWER }],
      piece,
    );
    const connection = new HttpConnection({ socketPath: server.socketPath });
    t.after(() => connection.close());
    const first = await ask(connection);
    assert.deepEqual([first.status, first.reason, first.headers.get('content-type'), first.body], [200, 'OK', 'text/xml', 'hello']);
    assert.equal((await ask(connection)).body, 'hello, world');
    assert.equal((await ask(connection)).body, 'hello', 'an interim 100 answer is skipped');
    assert.equal(server.connections(), 1);
  });
}

test('a body read up to the close (no length); a new connection after it and after Connection: close', async (t) => {
  const server = await scriptedServer(t, [
    { text: 'HTTP/1.0 200 OK\r\n\r\nuntil the end', close: true },
    { text: 'HTTP/1.1 500 Oops\r\nContent-Length: 2\r\nConnection: close\r\n\r\nno' },
    { text: LENGTH_ANSWER },
  ]);
  const connection = new HttpConnection({ socketPath: server.socketPath });
  t.after(() => connection.close());
  assert.equal((await ask(connection)).body, 'until the end');
  const failed = await ask(connection);
  assert.deepEqual([failed.status, failed.reason, failed.body], [500, 'Oops', 'no']);
  assert.equal((await ask(connection)).body, 'hello');
  assert.equal(server.connections(), 3);
});

test('closed before the answer is complete: ConnectionLost "socket hang up", saying whether the connection was reused', async (t) => {
  const server = await scriptedServer(t, [
    { text: LENGTH_ANSWER },
    { text: 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort', close: true },
  ]);
  const connection = new HttpConnection({ socketPath: server.socketPath });
  t.after(() => connection.close());
  await ask(connection);
  await assert.rejects(ask(connection), (e: unknown) => {
    assert.ok(e instanceof ConnectionLost);
    assert.deepEqual([e.message, e.code, e.reused, e.answerStarted], ['socket hang up', 'ECONNRESET', true, true]);
    return true;
  });
});

test('what is not an HTTP answer is refused (EPROTO)', async (t) => {
  const server = await scriptedServer(t, [{ text: 'SSH-2.0-OpenSSH\r\n\r\n' }]);
  const connection = new HttpConnection({ socketPath: server.socketPath });
  t.after(() => connection.close());
  await assert.rejects(ask(connection), { code: 'EPROTO', message: /^not an HTTP answer: "SSH-2\.0-OpenSSH"$/ });
});
