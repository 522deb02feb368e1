// The daemon's own full collections: none during start-up, one once the heap grew by the step,
// a doubled step while growth is live data, back to the step once a collection frees most.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COLLECT_STEP_BYTES as STEP, HeapGrowthCollections } from '../../cli/heap-growth-collections.js';

const MB = 1024 * 1024;

/** A heap of `heap` bytes in use, of which `live` survive a collection. */
interface FakeHeap {
  heap: number;
  live: number;
  collections: number;
  policy: HeapGrowthCollections;
}

function fakeHeap(): FakeHeap {
  const state: Omit<FakeHeap, 'policy'> = { heap: 10 * MB, live: 10 * MB, collections: 0 };
  const policy = new HeapGrowthCollections(
    () => state.heap,
    () => {
      state.collections += 1;
      state.heap = state.live;
    },
  );
  return Object.assign(state, { policy });
}

test('nothing is collected before begin(), whatever the heap grew by', () => {
  const h = fakeHeap();
  h.heap += 50 * MB;
  h.policy.check();
  assert.equal(h.collections, 0);
});

test('garbage: one collection each time the heap grew by the step since the last', () => {
  const h = fakeHeap();
  h.policy.begin();
  h.heap += STEP - 1;
  h.policy.check();
  assert.equal(h.collections, 0, 'below the step');
  h.heap += 1;
  h.policy.check();
  assert.equal(h.collections, 1);
  assert.equal(h.heap, h.live);
  h.policy.check();
  assert.equal(h.collections, 1, 'measured from the heap after the collection');
  h.heap += STEP;
  h.policy.check();
  assert.equal(h.collections, 2, 'the step stays while collections free the growth');
});

test('live data: the step doubles while a collection frees little, and comes back once one frees most', () => {
  const h = fakeHeap();
  h.policy.begin();
  h.heap += STEP;
  h.live += STEP; // more programs: nothing to free
  h.policy.check();
  assert.equal(h.collections, 1);
  h.heap += STEP;
  h.policy.check();
  assert.equal(h.collections, 1, 'twice the step now');
  h.heap += STEP;
  h.policy.check();
  assert.equal(h.collections, 2, 'and garbage this time');
  h.heap += STEP;
  h.policy.check();
  assert.equal(h.collections, 3, 'the step is back');
});

test("a collection of V8's own lowers what growth is measured from", () => {
  const h = fakeHeap();
  h.policy.begin();
  h.heap -= 5 * MB;
  h.policy.check();
  h.heap += STEP;
  h.policy.check();
  assert.equal(h.collections, 1);
});
