// stopastree= (ours) in SupervisedProcess, on a fake system whose process table the test fills:
// who counts as the tree (descendants by parent pid, those carrying the spawn's variable after
// being re-parented away, and theirs), what each is sent and when, the activity-log lines, and
// what happens without /proc or with a descendant that may not be signalled.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TREE_VARIABLE } from '../../actors/process-tree.js';
import type { SignalCall } from '../harness/fake-system.js';
import { disposeSupervised, supervised } from '../harness/supervised-process.js';

afterEach(disposeSupervised);

/** The variable the latest spawn's tree inherits, as NAME=value. */
function treeVariable(s: ReturnType<typeof supervised>): string {
  const value = s.system.spawns.at(-1)?.options.env?.[TREE_VARIABLE];
  assert.ok(value, 'the spawn carries the tree variable');
  return `${TREE_VARIABLE}=${value}`;
}

/**
 * A RUNNING child 1000 with a tree: 1001 its child; 1002 a double-forked daemon re-parented to
 * PID 1, which inherited the variable, and 1003 its child, which did not keep it. Besides them
 * 2000 (nobody's) and 2001 (another spawn's tree). What ignores SIGTERM dies of SIGKILL only.
 */
function withTree(ignoresTerm: readonly number[] = [1002, 1003]) {
  const s = supervised({ stopastree: true, stopwaitsecs: 10 });
  s.running();
  const variable = treeVariable(s);
  const table = s.system.processes;
  table.add(1001, 1000);
  table.add(1002, 1, [variable]);
  table.add(1003, 1002);
  table.add(2000, 1);
  table.add(2001, 1, [`${TREE_VARIABLE}=another`]);
  s.system.killWith = ({ pid, signal }: SignalCall) => {
    if (pid === 1000) return;
    if (!table.has(pid)) throw Object.assign(new Error('ESRCH'), { code: 'ESRCH' });
    if (signal === 'SIGKILL' || !ignoresTerm.includes(pid)) table.end(pid);
  };
  return s;
}

const sentTo = (signals: readonly SignalCall[], signal: NodeJS.Signals) => signals.filter((c) => c.signal === signal).map((c) => c.pid);

describe('SupervisedProcess with stopastree', () => {
  it('stops the whole tree: SIGTERM to all, SIGKILL to survivors after stopwaitsecs, STOPPED once all are gone', async () => {
    const s = withTree();
    s.process.stop();
    assert.deepEqual(sentTo(s.system.signals, 'SIGTERM'), [1000, 1001, 1002, 1003]);
    assert.ok(s.log.at('info').includes("tree: sent SIGTERM to 3 descendants of 'x' (pids 1001, 1002, 1003)"));
    await s.system.child.die(null, 'SIGTERM');
    assert.equal(s.process.state, 'STOPPING');
    assert.ok(s.log.at('info').includes("tree: 'x' is gone; waiting for 2 descendants (pids 1002, 1003)"));
    assert.deepEqual(s.log.at('warn'), [], 'the stopped: line waits for the tree');
    s.system.advance(10_000);
    assert.deepEqual(sentTo(s.system.signals, 'SIGKILL'), [1002, 1003]);
    assert.ok(s.log.at('warn').includes("tree: killing 2 descendants of 'x' with SIGKILL (pids 1002, 1003)"));
    s.system.advance(100);
    assert.equal(s.process.state, 'STOPPED');
    assert.deepEqual(s.log.at('warn').slice(-1), ['stopped: x (terminated by SIGTERM)']);
    assert.ok(s.system.processes.has(2000) && s.system.processes.has(2001), 'nothing outside the tree was touched');
    assert.ok(!s.system.signals.some((c) => c.pid >= 2000));
    assert.deepEqual(s.events.at(-1)?.payload, 'processname:x groupname:g from_state:STOPPING pid:1000');
  });

  it('a tree that goes on SIGTERM is STOPPED as soon as it is gone, with no SIGKILL', async () => {
    const s = withTree([]);
    s.process.stop();
    await s.system.child.die(0);
    assert.equal(s.process.state, 'STOPPED');
    assert.deepEqual(sentTo(s.system.signals, 'SIGKILL'), []);
    assert.deepEqual(s.log.at('info').slice(-1), ['stopped: x (exit status 0)']);
  });

  it('a descendant that appears after the stop signal gets it once the others are gone', async () => {
    const s = withTree([1002]);
    s.process.stop();
    // 1002 forks once more on SIGTERM; the new one inherits the variable.
    s.system.processes.add(1004, 1002, [treeVariable(s)]);
    await s.system.child.die(0);
    s.system.processes.end(1002);
    s.system.advance(100);
    assert.deepEqual(sentTo(s.system.signals, 'SIGTERM'), [1000, 1001, 1002, 1003, 1004]);
    assert.ok(s.log.at('info').includes("tree: sent SIGTERM to 1 descendant of 'x' (pid 1004)"));
    s.system.advance(100);
    assert.equal(s.process.state, 'STOPPED');
  });

  it('names a descendant it may not signal, and does not wait for it', async () => {
    const s = withTree([]);
    const kill = s.system.killWith!;
    s.system.killWith = (call) => {
      if (call.pid === 1003) throw Object.assign(new Error('EPERM'), { code: 'EPERM' });
      kill(call);
    };
    s.process.stop();
    assert.ok(s.log.at('warn').includes("tree: cannot signal pid 1003, a descendant of 'x': EPERM; not waiting for it"));
    await s.system.child.die(0);
    assert.equal(s.process.state, 'STOPPED');
  });

  it('without /proc, stops the child alone and says so', async () => {
    const s = withTree();
    s.system.processes.readable = false;
    s.process.stop();
    assert.deepEqual(sentTo(s.system.signals, 'SIGTERM'), [1000]);
    assert.ok(s.log.at('warn').includes("tree: /proc cannot be read; only 'x' itself is signalled"));
    await s.system.child.die(0);
    assert.equal(s.process.state, 'STOPPED');
  });

  it('gives each spawn a variable of its own: a leftover of an earlier tree is not this one', async () => {
    const s = withTree([]);
    const first = treeVariable(s);
    s.process.stop();
    await s.system.child.die(0);
    s.running();
    assert.notEqual(treeVariable(s), first);
    s.system.processes.add(3000, 1, [first]);
    const from = s.system.signals.length;
    s.process.stop();
    assert.deepEqual(s.system.signals.slice(from), [{ pid: s.process.pid, signal: 'SIGTERM' }]);
  });
});

describe('SupervisedProcess without stopastree', () => {
  it('adds no variable and signals the child alone', async () => {
    const s = supervised();
    s.running();
    assert.equal(s.system.spawns[0]?.options.env?.[TREE_VARIABLE], undefined);
    s.system.processes.add(1001, 1000);
    s.process.stop();
    assert.deepEqual(s.system.signals, [{ pid: 1000, signal: 'SIGTERM' }]);
    await s.system.child.die(0);
    assert.equal(s.process.state, 'STOPPED');
  });
});
