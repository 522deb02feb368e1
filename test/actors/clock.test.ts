// The real clock waits as long as asked, even past the longest timer Node keeps (it fires those
// after 1 ms): shown here with a small step standing for Node's limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { realClock } from '../../actors/clock.js';

const STEP_MS = 20;

test('a wait longer than a step is made of several steps, and fires once, no earlier than asked', async () => {
  const clock = realClock(STEP_MS);
  const asked = Date.now();
  const firedAt = await new Promise<number>((resolve) => clock.setTimeout(() => resolve(Date.now()), 5 * STEP_MS + 3));
  // Node may fire a timer up to a millisecond early; five of them, five.
  assert.ok(firedAt - asked >= 5 * STEP_MS + 3 - 5, `fired after ${firedAt - asked} ms`);
});

test('a long wait cleared between two of its steps never fires', async () => {
  const clock = realClock(STEP_MS);
  let fired = false;
  const long = clock.setTimeout(() => (fired = true), 4 * STEP_MS);
  // After the first step, before the last.
  await new Promise<void>((resolve) => clock.setTimeout(resolve, STEP_MS + STEP_MS / 2));
  clock.clearTimeout(long);
  // Well past the time it was set for, on the same clock.
  await new Promise<void>((resolve) => clock.setTimeout(resolve, 8 * STEP_MS));
  assert.equal(fired, false);
});

test('a wait of a step or less is one timer, and 0 fires on the next turn', async () => {
  const clock = realClock(STEP_MS);
  const order: string[] = [];
  await new Promise<void>((resolve) => {
    clock.setTimeout(() => {
      order.push('step');
      resolve();
    }, STEP_MS);
    clock.setTimeout(() => order.push('zero'), 0);
  });
  assert.deepEqual(order, ['zero', 'step']);
});
