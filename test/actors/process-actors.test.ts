// The process actors run as children of one root actor per clock: they share its actor system
// (and its scheduler, on that clock), the root stops them, and their errors are still thrown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createActor, setup, SimulatedClock } from 'xstate';
import { processActorRoot, stopProcessActor } from '../../actors/process-actors.js';

const machine = setup({
  guards: {
    broken: () => {
      throw new Error('boom');
    },
  },
}).createMachine({
  initial: 'waiting',
  states: {
    waiting: { after: { 1000: 'done' }, on: { BREAK: { guard: 'broken', target: 'done' } } },
    done: {},
  },
});

test('actors on one clock share one system, and their delays run on that clock', () => {
  const clock = new SimulatedClock();
  const a = createActor(machine, { clock, parent: processActorRoot(clock) }).start();
  const b = createActor(machine, { clock, parent: processActorRoot(clock) }).start();
  const other = new SimulatedClock();
  const c = createActor(machine, { clock: other, parent: processActorRoot(other) }).start();
  assert.equal(a.system, b.system);
  assert.notEqual(a.system, c.system);
  clock.increment(1000);
  assert.deepEqual([a.getSnapshot().value, b.getSnapshot().value, c.getSnapshot().value], ['done', 'done', 'waiting']);
});

test('a stopped actor is stopped, and its delays never fire', () => {
  const clock = new SimulatedClock();
  const actor = createActor(machine, { clock, parent: processActorRoot(clock) }).start();
  stopProcessActor(clock, actor);
  assert.equal(actor.getSnapshot().status, 'stopped');
  clock.increment(1000);
  assert.equal(actor.getSnapshot().value, 'waiting');
});

test("an actor's error is thrown on a later turn, as XState throws a root actor's", () => {
  const clock = new SimulatedClock();
  const later: Array<() => void> = [];
  /** Sends BREAK with setTimeout collecting what it is asked to run. */
  const breakIt = (actor: { send(event: { type: 'BREAK' }): void }) => {
    const realSetTimeout = globalThis.setTimeout;
    globalThis.setTimeout = ((fn: () => void) => later.push(fn)) as unknown as typeof setTimeout;
    try {
      actor.send({ type: 'BREAK' });
    } finally {
      globalThis.setTimeout = realSetTimeout;
    }
  };
  const first = createActor(machine, { clock, parent: processActorRoot(clock) }).start();
  breakIt(first);
  assert.equal(first.getSnapshot().status, 'error');
  assert.equal(later.length, 1);
  assert.throws(() => later[0]?.(), /boom/);
  // The root goes on: another actor's error is thrown too.
  breakIt(createActor(machine, { clock, parent: processActorRoot(clock) }).start());
  assert.equal(later.length, 2);
  assert.throws(() => later[1]?.(), /boom/);
});
