// tcpCheck against real sockets on loopback.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { tcpCheck } from '../../../actors/probes/tcp.js';
import { closedPort, silentServer, unansweredPort } from './servers.js';

const within = (timeoutMs: number, signal = new AbortController().signal) => ({ signal, timeoutMs });
/** A timeout no attempt that should succeed comes near, even on a loaded machine. */
const PLENTY = 30_000;

describe('tcpCheck', () => {
  it('is ok when the port accepts, and closes the connection at once', async () => {
    const server = await silentServer();
    assert.deepEqual(await tcpCheck('127.0.0.1', server.port)(within(PLENTY)), { ok: true, detail: 'connected' });
    const [accepted] = server.sockets;
    assert.ok(accepted);
    accepted.resume();
    if (!accepted.readableEnded) await once(accepted, 'end');
  });

  it('fails with the errno name when the connection is refused', async () => {
    const port = await closedPort();
    assert.deepEqual(await tcpCheck('127.0.0.1', port)(within(PLENTY)), { ok: false, detail: 'ECONNREFUSED' });
    assert.deepEqual(await tcpCheck('localhost', port)(within(PLENTY)), { ok: false, detail: 'ECONNREFUSED' });
  });

  it('fails when the host name does not resolve', async () => {
    const outcome = await tcpCheck('no-such-host.invalid', 80)(within(PLENTY));
    assert.equal(outcome.ok, false);
    assert.match(outcome.detail, /^(ENOTFOUND|EAI_AGAIN)$/);
  });

  it('fails after its timeout when the connection is never accepted', async () => {
    const port = await unansweredPort();
    assert.deepEqual(await tcpCheck('127.0.0.1', port)(within(200)), { ok: false, detail: 'timed out after 200 ms' });
  });

  it('fails at once when aborted, before or during the attempt', async () => {
    const port = await unansweredPort();
    const controller = new AbortController();
    const pending = tcpCheck('127.0.0.1', port)(within(60_000, controller.signal));
    controller.abort();
    assert.deepEqual(await pending, { ok: false, detail: 'aborted' });
    assert.deepEqual(await tcpCheck('127.0.0.1', port)(within(60_000, controller.signal)), { ok: false, detail: 'aborted' });
  });
});
