// attemptWithin: what every check shares — the timeout, the caller's abort, no throwing, and
// the attempt told to clean up once its outcome is known.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { attemptWithin } from '../../../actors/probes/check.js';
import { SupervisorError } from '../../../common/errors.js';

const within = (timeoutMs: number, signal = new AbortController().signal) => ({ signal, timeoutMs });
const never = () => new Promise<never>(() => {});

describe('attemptWithin', () => {
  it("passes the attempt's outcome on, then aborts the attempt's signal", async () => {
    let signal: AbortSignal | null = null;
    const outcome = await attemptWithin(within(60_000), async (given) => {
      signal = given;
      return { ok: true, detail: 'fine' };
    });
    assert.deepEqual(outcome, { ok: true, detail: 'fine' });
    assert.equal((signal as AbortSignal | null)?.aborted, true);
  });

  it('turns a throw into a failed outcome: the errno name, or the message', async () => {
    const errno = Object.assign(new Error('connect ECONNRESET'), { code: 'ECONNRESET' });
    assert.deepEqual(await attemptWithin(within(60_000), () => Promise.reject(errno)), { ok: false, detail: 'ECONNRESET' });
    const thrown = () => Promise.reject(new SupervisorError('SPAWN', 'no such thing'));
    assert.deepEqual(await attemptWithin(within(60_000), thrown), { ok: false, detail: 'no such thing' });
  });

  it('settles on its timeout even when the attempt ignores its signal', async () => {
    assert.deepEqual(await attemptWithin(within(50), never), { ok: false, detail: 'timed out after 50 ms' });
  });

  it("settles when the caller's signal aborts, or has aborted already", async () => {
    const controller = new AbortController();
    const pending = attemptWithin(within(60_000, controller.signal), never);
    controller.abort();
    assert.deepEqual(await pending, { ok: false, detail: 'aborted' });
    let started = false;
    const attempt = () => {
      started = true;
      return never();
    };
    assert.deepEqual(await attemptWithin(within(60_000, controller.signal), attempt), { ok: false, detail: 'aborted' });
    assert.equal(started, false);
  });
});
