// supervisord's own state machine, through the actor that runs it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DaemonState } from '../../actors/daemon-state.js';

describe('daemon state', () => {
  it('runs, restarts, runs again', async () => {
    const daemon = new DaemonState();
    assert.equal(daemon.state, 'RUNNING');
    assert.equal(daemon.running, true);
    const request = daemon.stopRequested();
    assert.equal(daemon.requestRestart(), true);
    assert.equal(await request, 'RESTARTING');
    assert.equal(daemon.running, false);
    daemon.restarted();
    assert.equal(daemon.state, 'RUNNING');
  });

  it('refuses a restart while stopping, and a shutdown during a restart wins', async () => {
    const daemon = new DaemonState();
    daemon.requestRestart();
    assert.equal(daemon.requestRestart(), false);
    daemon.requestShutdown();
    assert.equal(daemon.state, 'SHUTDOWN');
    assert.equal(daemon.requestRestart(), false);
    daemon.restarted();
    assert.equal(daemon.state, 'SHUTDOWN', 'nothing leaves SHUTDOWN');
    assert.equal(await daemon.stopRequested(), 'SHUTDOWN', 'asked after the fact, the answer is still there');
  });
});
