// SupervisedProcess in-process, on a fake system and a simulated clock: stopping (stopsignal,
// SIGKILL after stopwaitsecs, process groups, signals that fail) and signals sent without
// stopping, with the activity-log lines the reference writes for each.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { disposeSupervised, inState, supervised } from '../harness/supervised-process.js';

afterEach(disposeSupervised);

describe('SupervisedProcess: stopping', () => {
  it('sends stopsignal, then SIGKILL after stopwaitsecs, and is STOPPED once the child is gone', async () => {
    const s = supervised({ stopsignal: 'SIGINT', stopwaitsecs: 5 });
    s.running();
    assert.equal(s.process.stop(), true);
    assert.equal(s.process.state, 'STOPPING');
    assert.deepEqual(s.system.signals, [{ pid: 1000, signal: 'SIGINT' }]);
    s.system.advance(4999);
    assert.equal(s.system.signals.length, 1);
    s.system.advance(1);
    assert.deepEqual(s.system.signals, [
      { pid: 1000, signal: 'SIGINT' },
      { pid: 1000, signal: 'SIGKILL' },
    ]);
    assert.deepEqual(s.log.at('warn'), ["killing 'x' (1000) with SIGKILL"]);
    assert.ok(s.log.at('debug').includes('killing x (pid 1000) with signal SIGINT'));
    assert.ok(s.log.at('debug').includes('killing x (pid 1000) with signal SIGKILL'));
    // A child that survives SIGKILL gets it again every stopwaitsecs.
    s.system.advance(5000);
    assert.equal(s.system.signals.length, 3);
    await s.system.child.die(null, 'SIGKILL');
    assert.equal(s.process.state, 'STOPPED');
    assert.deepEqual(s.log.at('warn').slice(-1), ['stopped: x (terminated by SIGKILL)']);
    s.system.advance(60_000);
    assert.equal(s.system.signals.length, 3);
  });

  it('logs a child that exits on the stop signal with an expected status at info', async () => {
    const s = supervised();
    s.running();
    s.process.stop();
    await s.system.child.die(0);
    assert.equal(s.process.state, 'STOPPED');
    assert.deepEqual(s.log.at('info').slice(-1), ['stopped: x (exit status 0)']);
    assert.deepEqual(s.log.at('warn'), []);
    assert.equal(s.system.spawns.length, 1, 'a stopped process does not restart');
  });

  it('signals the process group with stopasgroup and killasgroup', () => {
    const s = supervised({ stopasgroup: true, killasgroup: true });
    s.running();
    s.process.stop();
    s.system.advance(10_000);
    assert.deepEqual(s.system.signals, [
      { pid: -1000, signal: 'SIGTERM' },
      { pid: -1000, signal: 'SIGKILL' },
    ]);
    assert.ok(s.log.at('debug').includes('killing x (pid 1000) process group with signal SIGTERM'));
  });

  it('with killasgroup alone, sends only the SIGKILL to the group', () => {
    const s = supervised({ killasgroup: true });
    s.running();
    s.process.stop();
    s.system.advance(10_000);
    assert.deepEqual(s.system.signals, [
      { pid: 1000, signal: 'SIGTERM' },
      { pid: -1000, signal: 'SIGKILL' },
    ]);
  });

  it('stops a process still STARTING by signalling its child', async () => {
    const s = supervised();
    s.process.start();
    s.process.stop();
    assert.deepEqual(s.system.signals, [{ pid: 1000, signal: 'SIGTERM' }]);
    await s.system.child.die(null, 'SIGTERM');
    assert.equal(s.process.state, 'STOPPED');
    assert.deepEqual(s.states(), ['STARTING', 'STOPPING', 'STOPPED']);
  });

  it('takes "no such process" as a child already on its way out', async () => {
    const s = supervised();
    s.running();
    s.system.killWith = () => {
      throw Object.assign(new Error('kill ESRCH'), { code: 'ESRCH' });
    };
    s.process.stop();
    assert.equal(s.process.state, 'STOPPING');
    assert.ok(
      s.log.at('debug').includes('unable to signal x (pid 1000), it probably just exited on its own: Error: kill ESRCH'),
      s.log.messages.join('\n'),
    );
    await s.system.child.die(0);
    assert.equal(s.process.state, 'STOPPED');
  });

  it('is UNKNOWN when a signal cannot be sent for another reason', async () => {
    const s = await inState('UNKNOWN');
    assert.deepEqual(s.log.at('critical'), ['unknown problem killing x (1000):Error: EPERM: operation not permitted, kill']);
    assert.deepEqual(s.states().slice(-2), ['STOPPING', 'UNKNOWN']);
  });
});

describe('SupervisedProcess: signals sent without stopping', () => {
  it('sends the signal to the child, and the process stays as it is', () => {
    const s = supervised();
    s.running();
    assert.equal(s.process.sendSignal('SIGHUP'), null);
    assert.deepEqual(s.system.signals, [{ pid: 1000, signal: 'SIGHUP' }]);
    assert.ok(s.log.at('debug').includes('sending x (pid 1000) sig SIGHUP'));
    assert.equal(s.process.state, 'RUNNING');
  });

  it('says why when there is no child, or the signal fails', () => {
    const s = supervised();
    assert.equal(s.process.sendSignal('SIGHUP'), "attempted to send x sig SIGHUP but it wasn't running");
    s.running();
    s.system.killWith = () => {
      throw Object.assign(new Error('kill ESRCH'), { code: 'ESRCH' });
    };
    assert.equal(s.process.sendSignal('SIGHUP'), null, 'a child that just exited counts as signalled');
    s.system.killWith = () => {
      throw Object.assign(new Error('kill EPERM'), { code: 'EPERM' });
    };
    assert.equal(s.process.sendSignal('SIGHUP'), 'unknown problem sending sig x (1000):Error: kill EPERM');
    assert.deepEqual(s.log.at('critical'), ['unknown problem sending sig x (1000):Error: kill EPERM']);
    assert.equal(s.process.state, 'RUNNING');
  });
});
