// httpCheck against real HTTP servers on loopback.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type net from 'node:net';
import { httpCheck } from '../../../actors/probes/http.js';
import { STEP_TIMEOUT, waitUntil } from '../../harness/wait.js';
import { closedPort, silentServer } from './servers.js';

const within = (timeoutMs: number, signal = new AbortController().signal) => ({ signal, timeoutMs });
/** A timeout no attempt that should succeed comes near, even on a loaded machine. */
const PLENTY = 30_000;

describe('httpCheck', () => {
  let base = '';
  const seen: { method: string; url: string }[] = [];
  const server = http.createServer((request, response) => {
    seen.push({ method: request.method ?? '', url: request.url ?? '' });
    const [, status, size] = /^\/status\/(\d+)(?:\/(\d+))?/.exec(request.url ?? '') ?? [];
    if (request.url === '/endless') {
      response.writeHead(200);
      const more = (): void => {
        if (!response.destroyed) response.write(Buffer.alloc(16 * 1024, 'x'), () => setImmediate(more));
      };
      more();
      return;
    }
    if (status === undefined) {
      response.writeHead(404).end('not found');
      return;
    }
    const headers = Number(status) === 302 ? { location: '/status/200' } : {};
    response.writeHead(Number(status), headers).end(Buffer.alloc(Number(size ?? 2), 'y'));
  });

  before(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('is ok on any 2xx answer to a GET, whatever its body', async () => {
    assert.deepEqual(await httpCheck(`${base}/status/200`)(within(PLENTY)), { ok: true, detail: 'HTTP 200' });
    assert.deepEqual(await httpCheck(`${base}/status/204/0`)(within(PLENTY)), { ok: true, detail: 'HTTP 204' });
    assert.deepEqual(await httpCheck(`${base}/status/299/300000`)(within(PLENTY)), { ok: true, detail: 'HTTP 299' });
    assert.deepEqual(seen.at(-1), { method: 'GET', url: '/status/299/300000' });
  });

  it('fails on any other status, and does not follow a redirect', async () => {
    assert.deepEqual(await httpCheck(`${base}/status/503`)(within(PLENTY)), { ok: false, detail: 'HTTP 503' });
    assert.deepEqual(await httpCheck(`${base}/nowhere`)(within(PLENTY)), { ok: false, detail: 'HTTP 404' });
    const before = seen.length;
    assert.deepEqual(await httpCheck(`${base}/status/302`)(within(PLENTY)), { ok: false, detail: 'HTTP 302' });
    assert.equal(seen.length, before + 1);
  });

  it('settles on the status when the body never ends', async () => {
    assert.deepEqual(await httpCheck(`${base}/endless`)(within(60_000)), { ok: true, detail: 'HTTP 200' });
  });

  it('fails with the errno name when nothing listens', async () => {
    const port = await closedPort();
    assert.deepEqual(await httpCheck(`http://127.0.0.1:${port}/`)(within(PLENTY)), { ok: false, detail: 'ECONNREFUSED' });
  });

  it('fails after its timeout when the server accepts but never answers', async () => {
    const silent = await silentServer();
    assert.deepEqual(await httpCheck(`http://127.0.0.1:${silent.port}/`)(within(200)), { ok: false, detail: 'timed out after 200 ms' });
  });

  it('fails when aborted while waiting for the answer', async () => {
    const silent = await silentServer();
    const controller = new AbortController();
    const pending = httpCheck(`http://127.0.0.1:${silent.port}/`)(within(60_000, controller.signal));
    assert.ok(await waitUntil(() => silent.sockets.length === 1, STEP_TIMEOUT));
    controller.abort();
    assert.deepEqual(await pending, { ok: false, detail: 'aborted' });
  });

  it('refuses URLs it cannot check instead of throwing', async () => {
    assert.deepEqual(await httpCheck('https://127.0.0.1/')(within(PLENTY)), { ok: false, detail: 'https: URLs are not supported' });
    assert.deepEqual(await httpCheck('not a url')(within(PLENTY)), { ok: false, detail: 'not a URL: not a url' });
  });
});
