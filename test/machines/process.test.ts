// Every transition of the process machine, driven by a simulated clock.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createActor, SimulatedClock } from 'xstate';
import { processMachine, type ProcessMachineInput, type StateChange } from '../../machines/process.js';
import { defaults, harness } from '../harness/process-machine.js';

describe('process machine', () => {
  it('starts in STOPPED without announcing a change', () => {
    const h = harness();
    assert.equal(h.state(), 'STOPPED');
    assert.deepEqual(h.changes, []);
  });

  it('STOPPED -> STARTING -> RUNNING after startsecs', () => {
    const h = harness({ startsecs: 2 });
    h.send({ type: 'START' });
    assert.equal(h.state(), 'STARTING');
    assert.equal(h.actor.getSnapshot().context.pid, 100);
    h.advance(1.999);
    assert.equal(h.state(), 'STARTING');
    h.advance(0.001);
    assert.equal(h.state(), 'RUNNING');
    assert.deepEqual(h.changes, ['STOPPED->STARTING', 'STARTING->RUNNING']);
  });

  it('startsecs=0 reaches RUNNING at once, and a quick exit is then a normal exit', () => {
    const h = harness({ startsecs: 0 });
    h.send({ type: 'START' });
    assert.equal(h.state(), 'RUNNING');
    h.exit(0);
    assert.equal(h.state(), 'EXITED');
    assert.deepEqual(h.changes, ['STOPPED->STARTING', 'STARTING->RUNNING', 'RUNNING->EXITED']);
  });

  it('a spawn error goes to BACKOFF and records the error', () => {
    const h = harness({ startretries: 0 }, () => "can't find command 'nope'");
    h.send({ type: 'START' });
    assert.deepEqual(h.changes, ['STOPPED->STARTING', 'STARTING->BACKOFF', 'BACKOFF->FATAL']);
    assert.equal(h.actor.getSnapshot().context.spawnerr, "can't find command 'nope'");
  });

  it('exiting before startsecs retries with a delay growing by one second, then FATAL', () => {
    const h = harness({ startretries: 3 });
    h.send({ type: 'START' });
    h.exit(1);
    assert.equal(h.state(), 'BACKOFF');
    assert.equal(h.actor.getSnapshot().context.spawnerr, 'Exited too quickly (process log may have details)');
    for (const delay of [1, 2, 3]) {
      h.advance(delay - 0.001);
      assert.equal(h.state(), 'BACKOFF', `still waiting before retry after ${delay}s`);
      h.advance(0.001);
      assert.equal(h.state(), 'STARTING');
      h.exit(1);
    }
    assert.equal(h.state(), 'FATAL');
    assert.equal(h.spawns(), 4, 'startretries=3 means four attempts');
    assert.deepEqual(h.changes.slice(-2), ['STARTING->BACKOFF', 'BACKOFF->FATAL']);
  });

  it('a success resets the retry count', () => {
    const h = harness({ startretries: 1 });
    h.send({ type: 'START' });
    h.exit(1);
    h.advance(1);
    h.advance(1); // stays up: RUNNING
    assert.equal(h.state(), 'RUNNING');
    assert.equal(h.actor.getSnapshot().context.backoff, 0);
    h.exit(1); // unexpected: restart
    assert.equal(h.state(), 'STARTING');
    h.exit(1);
    assert.equal(h.state(), 'BACKOFF', 'one retry is left again');
  });

  it('FATAL is left only by a START', () => {
    const h = harness({ startretries: 0 });
    h.send({ type: 'START' });
    h.exit(1);
    assert.equal(h.state(), 'FATAL');
    h.advance(3600);
    assert.equal(h.state(), 'FATAL');
    h.send({ type: 'START' });
    assert.equal(h.state(), 'STARTING');
  });

  describe('autorestart', () => {
    const run = (autorestart: ProcessMachineInput['autorestart'], code: number, exitcodes = [0]) => {
      const h = harness({ autorestart, exitcodes });
      h.send({ type: 'START' });
      h.advance(1);
      h.exit(code);
      return h;
    };
    it('true restarts after any exit', () => {
      const h = run('true', 0);
      assert.deepEqual(h.changes.slice(-2), ['RUNNING->EXITED', 'EXITED->STARTING']);
      assert.deepEqual(h.expectations, [true]);
    });
    it('false never restarts', () => {
      const h = run('false', 1);
      assert.equal(h.state(), 'EXITED');
      assert.deepEqual(h.expectations, [false]);
      assert.equal(h.actor.getSnapshot().context.spawnerr, 'Bad exit code 1');
    });
    it('unexpected restarts only when the code is not in exitcodes', () => {
      assert.equal(run('unexpected', 0).state(), 'EXITED');
      assert.equal(run('unexpected', 2).state(), 'STARTING');
      assert.equal(run('unexpected', 2, [0, 2]).state(), 'EXITED');
    });
    it('a death by signal counts as exit status -1', () => {
      const h = harness({ autorestart: 'false' });
      h.send({ type: 'START' });
      h.advance(1);
      h.exit(null, 'SIGKILL');
      assert.equal(h.actor.getSnapshot().context.exitstatus, -1);
      assert.deepEqual(h.expectations, [false]);
    });
    it('nothing restarts once the daemon is shutting down', () => {
      const h = harness({ autorestart: 'true' });
      h.send({ type: 'START' });
      h.advance(1);
      h.send({ type: 'SHUTDOWN' });
      h.exit(0);
      assert.equal(h.state(), 'EXITED');
    });
  });

  describe('stopping', () => {
    it('RUNNING -> STOPPING with stopsignal, STOPPED on exit', () => {
      const h = harness({ stopsignal: 'SIGINT' });
      h.send({ type: 'START' });
      h.advance(1);
      h.send({ type: 'STOP' });
      assert.equal(h.state(), 'STOPPING');
      assert.deepEqual(h.signals, [{ signal: 'SIGINT', group: false }]);
      h.exit(null, 'SIGINT');
      assert.equal(h.state(), 'STOPPED');
      assert.deepEqual(h.changes.slice(-2), ['RUNNING->STOPPING', 'STOPPING->STOPPED']);
    });

    it('STARTING can be stopped too', () => {
      const h = harness();
      h.send({ type: 'START' });
      h.send({ type: 'STOP' });
      assert.equal(h.state(), 'STOPPING');
    });

    it('SIGKILL after stopwaitsecs, repeated while the child survives', () => {
      const h = harness({ stopwaitsecs: 5 });
      h.send({ type: 'START' });
      h.advance(1);
      h.send({ type: 'STOP' });
      h.advance(4.999);
      assert.equal(h.signals.length, 1);
      h.advance(0.001);
      assert.deepEqual(h.signals[1], { signal: 'SIGKILL', group: false, timedOut: true });
      h.advance(5);
      assert.equal(h.signals.length, 3);
      h.exit(null, 'SIGKILL');
      assert.equal(h.state(), 'STOPPED');
      h.advance(60);
      assert.equal(h.signals.length, 3, 'no signal after the exit');
    });

    it('stopasgroup and killasgroup choose the target of each signal', () => {
      const h = harness({ stopasgroup: false, killasgroup: true, stopwaitsecs: 1 });
      h.send({ type: 'START' });
      h.advance(1);
      h.send({ type: 'STOP' });
      h.advance(1);
      assert.deepEqual(h.signals, [
        { signal: 'SIGTERM', group: false },
        { signal: 'SIGKILL', group: true, timedOut: true },
      ]);
    });

    it('BACKOFF -> STOPPED on STOP, and no retry follows', () => {
      const h = harness();
      h.send({ type: 'START' });
      h.exit(1);
      h.send({ type: 'STOP' });
      assert.equal(h.state(), 'STOPPED');
      h.advance(10);
      assert.equal(h.state(), 'STOPPED');
      assert.deepEqual(h.signals, []);
    });

    it('BACKOFF -> FATAL when the daemon gives up on it', () => {
      const h = harness();
      h.send({ type: 'START' });
      h.exit(1);
      h.send({ type: 'SHUTDOWN' });
      h.advance(10);
      assert.equal(h.state(), 'BACKOFF', 'no retry while shutting down');
      h.send({ type: 'GIVE_UP' });
      assert.equal(h.state(), 'FATAL');
    });

    it('STOP is ignored where nothing runs', () => {
      for (const setupState of ['STOPPED', 'EXITED', 'FATAL'] as const) {
        const h = harness({ autorestart: 'false', startretries: 0 });
        if (setupState !== 'STOPPED') {
          h.send({ type: 'START' });
          if (setupState === 'EXITED') h.advance(1);
          h.exit(1);
        }
        assert.equal(h.state(), setupState);
        h.send({ type: 'STOP' });
        assert.equal(h.state(), setupState);
      }
    });
  });

  it('a failure to signal leaves the state UNKNOWN', () => {
    const h = harness();
    h.send({ type: 'START' });
    h.advance(1);
    h.send({ type: 'STOP' });
    h.send({ type: 'KILL_FAILED', error: 'EPERM' });
    assert.equal(h.state(), 'UNKNOWN');
  });

  it('START is ignored while the process is running or stopping', () => {
    const h = harness();
    h.send({ type: 'START' });
    h.send({ type: 'START' });
    h.advance(1);
    h.send({ type: 'START' });
    h.send({ type: 'STOP' });
    h.send({ type: 'START' });
    assert.equal(h.spawns(), 1);
    assert.equal(h.state(), 'STOPPING');
  });
});

describe('state change reports', () => {
  it('count the failed starts in tries, this failure included', () => {
    const clock = new SimulatedClock();
    const tries: Array<[string, number]> = [];
    const actor = createActor(processMachine, { input: { ...defaults, startretries: 1 }, clock });
    actor.on('stateChange', (change: StateChange) => tries.push([change.to, change.tries]));
    actor.start();
    actor.send({ type: 'START' });
    actor.send({ type: 'SPAWNED', pid: 1 });
    actor.send({ type: 'EXIT', pid: actor.getSnapshot().context.pid, status: { code: 1, signal: null } });
    clock.increment(1000);
    actor.send({ type: 'SPAWNED', pid: 2 });
    actor.send({ type: 'EXIT', pid: actor.getSnapshot().context.pid, status: { code: 1, signal: null } });
    assert.deepEqual(tries, [
      ['STARTING', 0],
      ['BACKOFF', 1],
      ['STARTING', 1],
      ['BACKOFF', 2],
      ['FATAL', 2],
    ]);
  });
});
