// stopastree= (ours) in the process machine, on a simulated clock: a stop lasts until the
// child's whole tree is gone, SIGKILL reaches every survivor stopwaitsecs after the stop signal,
// and restarts, readiness and liveness stops all wait for the tree. Without the key, nothing
// changes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { harness } from '../harness/process-machine.js';

const READINESS = { timeout: 3, description: 'tcp://127.0.0.1:8080' };

/** A process RUNNING as pid 100, stopastree unless told otherwise. */
function running(input: Parameters<typeof harness>[0] = {}) {
  const h = harness({ stopastree: true, stopwaitsecs: 10, ...input });
  h.send({ type: 'START' });
  h.advance(1);
  assert.equal(h.state(), 'RUNNING');
  return h;
}

describe('process machine with stopastree', () => {
  it('signals the tree, stays STOPPING once the child is gone, and is STOPPED once its tree is', () => {
    const h = running();
    h.send({ type: 'STOP' });
    assert.deepEqual(h.signals, [{ signal: 'SIGTERM', group: false, pid: 100, tree: true }]);
    h.exit(null, 'SIGTERM');
    assert.equal(h.state(), 'STOPPING');
    assert.equal(h.actor.getSnapshot().context.pid, 0, 'the child is gone');
    assert.deepEqual(h.checks.slice(-1), ['tree on']);
    h.send({ type: 'TREE_GONE' });
    assert.equal(h.state(), 'STOPPED');
    assert.deepEqual(h.checks.slice(-1), ['tree off']);
    assert.deepEqual(h.changes.slice(-2), ['RUNNING->STOPPING', 'STOPPING->STOPPED']);
    // The change reports the child's end, as a plain stop's does.
    const stopped = h.reports.at(-1)!;
    assert.deepEqual([stopped.pid, stopped.exit, stopped.cause.type], [100, { code: null, signal: 'SIGTERM' }, 'TREE_GONE']);
    assert.equal(h.actor.getSnapshot().context.exitstatus, -1);
  });

  it('SIGKILLs whatever survives stopwaitsecs after the stop signal, however early the child went, and again every stopwaitsecs', () => {
    const h = running();
    h.send({ type: 'STOP' });
    h.advance(3);
    h.exit(0);
    h.advance(6.999);
    assert.equal(h.signals.length, 1, 'the clock of the signals was not restarted by the exit');
    h.advance(0.001);
    assert.deepEqual(h.signals.slice(1), [{ signal: 'SIGKILL', group: false, pid: 0, tree: true, timedOut: true }]);
    h.advance(10);
    assert.equal(h.signals.length, 3);
    assert.equal(h.state(), 'STOPPING');
    h.send({ type: 'TREE_GONE' });
    assert.equal(h.state(), 'STOPPED');
    h.advance(60);
    assert.equal(h.signals.length, 3, 'nothing is signalled once stopped');
  });

  it('a child that outlives stopwaitsecs gets SIGKILL with its tree', () => {
    const h = running({ stopasgroup: true, killasgroup: true });
    h.send({ type: 'STOP' });
    h.advance(10);
    assert.deepEqual(h.signals, [
      { signal: 'SIGTERM', group: true, pid: 100, tree: true },
      { signal: 'SIGKILL', group: true, pid: 100, tree: true, timedOut: true },
    ]);
    h.exit(null, 'SIGKILL');
    h.send({ type: 'TREE_GONE' });
    assert.equal(h.state(), 'STOPPED');
  });

  it('ignores TREE_GONE while the child lives', () => {
    const h = running();
    h.send({ type: 'STOP' });
    h.send({ type: 'TREE_GONE' });
    assert.equal(h.state(), 'STOPPING');
    h.exit(0);
    assert.equal(h.state(), 'STOPPING');
  });

  it('a failed liveness check starts the program again only once its tree is gone', () => {
    const h = running();
    h.send({ type: 'LIVENESS_FAILED', detail: 'HTTP 503' });
    h.exit(0);
    assert.equal(h.state(), 'STOPPING');
    assert.equal(h.spawns(), 1);
    h.send({ type: 'TREE_GONE' });
    assert.equal(h.spawns(), 2);
    assert.deepEqual(h.changes.slice(-3), ['RUNNING->STOPPING', 'STOPPING->STOPPED', 'STOPPED->STARTING']);
  });

  it('a start abandoned for readiness retries only once its tree is gone', () => {
    const h = harness({ stopastree: true, readiness: READINESS, stopwaitsecs: 10 });
    h.send({ type: 'START' });
    h.advance(3);
    assert.deepEqual(h.signals, [{ signal: 'SIGTERM', group: false, pid: 100, tree: true, because: 'readiness' }]);
    h.exit(null, 'SIGTERM');
    assert.equal(h.state(), 'STARTING');
    assert.deepEqual(h.checks.slice(-1), ['tree on']);
    h.send({ type: 'TREE_GONE' });
    assert.equal(h.state(), 'BACKOFF');
    assert.equal(h.reports.at(-1)?.exit?.signal, 'SIGTERM');
    assert.match(h.actor.getSnapshot().context.spawnerr ?? '', /did not pass within 3 seconds/);
  });

  it('a stop while an abandoned start waits for its tree keeps waiting, in STOPPING', () => {
    const h = harness({ stopastree: true, readiness: READINESS, stopwaitsecs: 10 });
    h.send({ type: 'START' });
    h.advance(3);
    h.exit(null, 'SIGTERM');
    h.send({ type: 'STOP' });
    assert.equal(h.state(), 'STOPPING');
    assert.deepEqual(h.signals.at(-1), { signal: 'SIGTERM', group: false, pid: 0, tree: true });
    assert.deepEqual(h.checks.slice(-3), ['tree off', 'readiness off', 'tree on']);
    h.advance(10);
    assert.deepEqual(h.signals.at(-1), { signal: 'SIGKILL', group: false, pid: 0, tree: true, timedOut: true });
    h.send({ type: 'TREE_GONE' });
    assert.equal(h.state(), 'STOPPED');
    assert.equal(h.spawns(), 1);
  });
});

describe('process machine without stopastree', () => {
  it('is STOPPED the moment the child is gone, and never watches a tree', () => {
    const h = running({ stopastree: false });
    h.send({ type: 'STOP' });
    assert.deepEqual(h.signals, [{ signal: 'SIGTERM', group: false }]);
    h.exit(0);
    assert.equal(h.state(), 'STOPPED');
    assert.equal(h.reports.at(-1)?.cause.type, 'EXIT');
    assert.ok(!h.checks.some((c) => c.startsWith('tree')));
  });
});
