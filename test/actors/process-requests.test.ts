// SupervisedProcess in-process, on a fake system and a simulated clock: which start and stop
// requests each state accepts or refuses, and waiting for a start or a stop to come out.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { disposeSupervised, inState, supervised } from '../harness/supervised-process.js';

afterEach(disposeSupervised);

describe('SupervisedProcess: refusals', () => {
  for (const state of ['STARTING', 'RUNNING', 'BACKOFF'] as const) {
    it(`refuses to start in ${state}: already started`, async () => {
      const s = await inState(state);
      const spawns = s.system.spawns.length;
      assert.equal(s.process.start(), 'already-started');
      assert.equal(s.process.state, state);
      assert.equal(s.system.spawns.length, spawns);
    });
  }

  it('refuses to start in STOPPING, with the reference warning', async () => {
    const s = await inState('STOPPING');
    assert.equal(s.process.start(), 'stopping');
    assert.deepEqual(s.log.at('warn'), ["process 'x' already running"]);
    assert.equal(s.process.state, 'STOPPING');
  });

  it('refuses to start in UNKNOWN', async () => {
    const s = await inState('UNKNOWN');
    assert.equal(s.process.start(), 'unknown-state');
    assert.equal(s.process.state, 'UNKNOWN');
  });

  for (const state of ['STOPPED', 'EXITED', 'FATAL'] as const) {
    it(`starts again from ${state}`, async () => {
      const s = await inState(state);
      assert.equal(s.process.start(), null);
      assert.equal(s.process.state, 'STARTING');
    });

    it(`has nothing to stop in ${state}`, async () => {
      const s = await inState(state);
      assert.equal(s.process.stop(), false);
      assert.equal(s.process.state, state);
      assert.deepEqual(s.system.signals, []);
    });
  }

  it('stops a process in BACKOFF at once, without a signal', async () => {
    const s = await inState('BACKOFF');
    assert.equal(s.process.stop(), true);
    assert.equal(s.process.state, 'STOPPED');
    assert.deepEqual(s.system.signals, []);
    assert.ok(s.log.at('debug').includes('Attempted to kill x, which is in BACKOFF state.'));
    s.system.advance(60_000);
    assert.equal(s.process.state, 'STOPPED', 'no retry after the stop');
  });
});

describe('SupervisedProcess: waiting for a start or a stop', () => {
  it("whenStarted() is 'running' once past startsecs", async () => {
    const { system, process } = supervised();
    process.start();
    const outcome = process.whenStarted();
    system.advance(1000);
    assert.equal(await outcome, 'running');
  });

  it("whenStarted() is 'spawn-error' when the spawn failed or the child exited too quickly", async () => {
    const failed = supervised({ command: '/nonexistent/program' });
    failed.process.start();
    assert.equal(await failed.process.whenStarted(), 'spawn-error');

    const quick = supervised();
    quick.process.start();
    const outcome = quick.process.whenStarted();
    await quick.system.child.die(1);
    assert.equal(await outcome, 'spawn-error');
  });

  it("whenStarted() is 'abnormal' when the start ends otherwise", async () => {
    const { system, process } = supervised();
    process.start();
    const outcome = process.whenStarted();
    process.stop();
    assert.equal(await outcome, 'abnormal');
    await system.child.die(0);
  });

  it('whenStopped() settles at once for a stopped process, saying nothing', async () => {
    const s = await inState('EXITED');
    const lines = s.log.lines.length;
    await s.process.whenStopped();
    assert.equal(s.log.lines.length, lines);
  });

  it('whenStopped() says it waits at once and every 2 s, and settles once STOPPED', async () => {
    const s = supervised();
    s.running();
    s.process.stop();
    let settled = false;
    const stopped = s.process.whenStopped().then(() => (settled = true));
    const waiting = () => s.log.at('info').filter((m) => m === 'waiting for x to stop').length;
    assert.equal(waiting(), 1);
    s.system.clock.increment(1999);
    assert.equal(waiting(), 1);
    s.system.clock.increment(1);
    assert.equal(waiting(), 2);
    s.system.clock.increment(2000);
    assert.equal(waiting(), 3);
    assert.equal(settled, false);
    await s.system.child.die(0);
    await stopped;
    s.system.clock.increment(10_000);
    assert.equal(waiting(), 3, 'no report after the stop');
  });
});
