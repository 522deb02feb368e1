// Our extensions to the process machine, on a simulated clock: readiness gating RUNNING,
// liveness restarts, exponential backoff with a cap, retrying for ever.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backoffSeconds } from '../../machines/process.js';
import { harness } from '../harness/process-machine.js';

const READINESS = { timeout: 10, description: 'tcp://127.0.0.1:8080' };

describe('readiness', () => {
  it('stays STARTING until ready, also past startsecs; RUNNING the moment the check passes', () => {
    const h = harness({ readiness: READINESS, startsecs: 1 });
    h.send({ type: 'START' });
    assert.deepEqual(h.checks, ['readiness on']);
    h.advance(5);
    assert.equal(h.state(), 'STARTING');
    h.send({ type: 'READY' });
    assert.equal(h.state(), 'RUNNING');
    assert.deepEqual(h.checks, ['readiness on', 'readiness off', 'liveness on']);
    assert.deepEqual(h.changes, ['STOPPED->STARTING', 'STARTING->RUNNING']);
  });

  it('startsecs still applies as a minimum when it is ready at once', () => {
    const h = harness({ readiness: READINESS, startsecs: 3 });
    h.send({ type: 'START' });
    h.send({ type: 'READY' });
    h.advance(2.999);
    assert.equal(h.state(), 'STARTING');
    h.advance(0.001);
    assert.equal(h.state(), 'RUNNING');
  });

  it('startsecs=0 waits for the check only', () => {
    const h = harness({ readiness: READINESS, startsecs: 0 });
    h.send({ type: 'START' });
    assert.equal(h.state(), 'STARTING');
    h.send({ type: 'READY' });
    assert.equal(h.state(), 'RUNNING');
  });

  it('ready in time but startsecs longer than the timeout: RUNNING after startsecs, not abandoned', () => {
    const h = harness({ readiness: { ...READINESS, timeout: 1 }, startsecs: 3 });
    h.send({ type: 'START' });
    h.advance(0.5);
    h.send({ type: 'READY' });
    h.advance(2);
    assert.equal(h.state(), 'STARTING');
    assert.deepEqual(h.signals, []);
    h.advance(0.5);
    assert.equal(h.state(), 'RUNNING');
    assert.deepEqual(h.changes, ['STOPPED->STARTING', 'STARTING->RUNNING']);
  });

  it('not ready within the timeout: the child is stopped, then BACKOFF with a spawn error naming the check', () => {
    const h = harness({ readiness: READINESS, startsecs: 1, stopwaitsecs: 2, startretries: 1 });
    h.send({ type: 'START' });
    h.advance(10);
    assert.equal(h.state(), 'STARTING', 'still STARTING while the child is being stopped');
    assert.deepEqual(h.signals, [{ signal: 'SIGTERM', group: false, because: 'readiness' }]);
    h.advance(2);
    assert.deepEqual(h.signals.at(-1), { signal: 'SIGKILL', group: false, timedOut: true });
    h.exit(null, 'SIGKILL');
    assert.equal(h.state(), 'BACKOFF');
    assert.equal(h.actor.getSnapshot().context.spawnerr, 'readiness check tcp://127.0.0.1:8080 did not pass within 10 seconds');
    h.advance(1);
    assert.equal(h.state(), 'STARTING', 'retried as any failed start');
    assert.equal(h.spawns(), 2);
  });

  it('exiting while not ready is exiting too quickly', () => {
    const h = harness({ readiness: READINESS, startsecs: 1 });
    h.send({ type: 'START' });
    h.advance(3);
    h.exit(1);
    assert.equal(h.state(), 'BACKOFF');
    assert.equal(h.actor.getSnapshot().context.spawnerr, 'Exited too quickly (process log may have details)');
  });

  it('a stop while not ready stops it as usual', () => {
    const h = harness({ readiness: READINESS });
    h.send({ type: 'START' });
    h.send({ type: 'STOP' });
    assert.equal(h.state(), 'STOPPING');
    h.exit(null, 'SIGTERM');
    assert.equal(h.state(), 'STOPPED');
    h.advance(60);
    assert.equal(h.state(), 'STOPPED', 'no readiness timeout after the stop');
  });

  it('without readiness, READY changes nothing and no check is started', () => {
    const h = harness({ startsecs: 1 });
    h.send({ type: 'START' });
    h.send({ type: 'READY' });
    assert.equal(h.state(), 'STARTING');
    h.advance(1);
    assert.equal(h.state(), 'RUNNING');
    // Stopping a check is asked for on every way out of STARTING; the runtime ignores it when none runs.
    assert.deepEqual(h.checks, ['readiness off', 'liveness on']);
  });
});

describe('liveness', () => {
  it('a failed liveness check restarts the program the normal way, through STOPPING and STOPPED', () => {
    const h = harness({ startsecs: 0 });
    h.send({ type: 'START' });
    h.send({ type: 'LIVENESS_FAILED', detail: 'HTTP 503' });
    assert.equal(h.state(), 'STOPPING');
    assert.deepEqual(h.signals, [{ signal: 'SIGTERM', group: false, because: 'liveness' }]);
    h.exit(null, 'SIGTERM');
    assert.equal(h.state(), 'RUNNING', 'started again (startsecs=0)');
    assert.deepEqual(h.changes, [
      'STOPPED->STARTING',
      'STARTING->RUNNING',
      'RUNNING->STOPPING',
      'STOPPING->STOPPED',
      'STOPPED->STARTING',
      'STARTING->RUNNING',
    ]);
    assert.equal(h.spawns(), 2);
  });

  it('a stop during that restart keeps it stopped; so does a shutdown', () => {
    for (const event of [{ type: 'STOP' }, { type: 'SHUTDOWN' }] as const) {
      const h = harness({ startsecs: 0 });
      h.send({ type: 'START' });
      h.send({ type: 'LIVENESS_FAILED', detail: 'timed out' });
      h.send(event);
      h.exit(null, 'SIGTERM');
      assert.equal(h.state(), 'STOPPED', event.type);
      assert.equal(h.spawns(), 1);
    }
  });

  it('is asked for only while RUNNING', () => {
    const h = harness({ startsecs: 0 });
    h.send({ type: 'START' });
    h.send({ type: 'STOP' });
    assert.deepEqual(h.checks, ['readiness off', 'liveness on', 'liveness off']);
    h.send({ type: 'LIVENESS_FAILED', detail: 'x' });
    assert.equal(h.state(), 'STOPPING', 'ignored once stopping');
  });
});

describe('restart policy', () => {
  it('linear is the reference: 1, 2, 3 s; exponential doubles; both capped by backoff_max', () => {
    const waits = (backoffKind: 'linear' | 'exponential', backoffMax: number | null) =>
      [1, 2, 3, 4, 5, 6].map((tries) => backoffSeconds({ backoffKind, backoffMax }, tries));
    assert.deepEqual(waits('linear', null), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(waits('exponential', null), [1, 2, 4, 8, 16, 32]);
    assert.deepEqual(waits('exponential', 10), [1, 2, 4, 8, 10, 10]);
    assert.deepEqual(waits('linear', 2.5), [1, 2, 2.5, 2.5, 2.5, 2.5]);
  });

  it('exponential backoff waits 1, 2, 4 s between failed starts', () => {
    const h = harness({ backoffKind: 'exponential', startretries: 3 });
    h.send({ type: 'START' });
    for (const wait of [1, 2, 4]) {
      h.exit(1);
      h.advance(wait - 0.001);
      assert.equal(h.state(), 'BACKOFF', `still waiting before the ${wait} s retry`);
      h.advance(0.001);
      assert.equal(h.state(), 'STARTING');
    }
  });

  it('startretries=infinite never gives up, and backoff_max keeps the wait bounded', () => {
    const h = harness({ startretries: Infinity, backoffMax: 3 });
    h.send({ type: 'START' });
    for (let attempt = 0; attempt < 50; attempt++) {
      h.exit(1);
      assert.equal(h.state(), 'BACKOFF');
      h.advance(3);
      assert.equal(h.state(), 'STARTING');
    }
    assert.equal(h.spawns(), 51);
  });
});

describe('dependencies', () => {
  it('each start waits for DEPENDENCIES_MET before it spawns', () => {
    const h = harness({ dependsOn: true, startsecs: 0 });
    h.send({ type: 'START' });
    assert.equal(h.state(), 'STARTING');
    assert.equal(h.spawns(), 0);
    assert.deepEqual(h.checks, ['dependencies on']);
    h.send({ type: 'DEPENDENCIES_MET' });
    assert.equal(h.state(), 'RUNNING');
    assert.equal(h.spawns(), 1);
    assert.deepEqual(h.checks.slice(0, 2), ['dependencies on', 'dependencies off']);
  });

  it('DEPENDENCY_FAILED is FATAL with its detail as the spawn error; a stop while waiting is STOPPED', () => {
    const failed = harness({ dependsOn: true });
    failed.send({ type: 'START' });
    failed.send({ type: 'DEPENDENCY_FAILED', detail: 'dependency db entered FATAL' });
    assert.equal(failed.state(), 'FATAL');
    assert.equal(failed.actor.getSnapshot().context.spawnerr, 'dependency db entered FATAL');
    const stopped = harness({ dependsOn: true });
    stopped.send({ type: 'START' });
    stopped.send({ type: 'STOP' });
    assert.equal(stopped.state(), 'STOPPED');
    assert.deepEqual(stopped.changes, ['STOPPED->STARTING', 'STARTING->STOPPED']);
    assert.equal(stopped.spawns(), 0);
  });
});
