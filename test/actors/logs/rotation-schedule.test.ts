// When time-rotated logs turn over (nextRotation, in local time, summer time included) and the
// one timer that waits for it (RotationSchedule), on a simulated clock.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SimulatedClock } from 'xstate';
import { nextRotation, RotationSchedule } from '../../../actors/logs/rotation-schedule.js';

const originalZone = process.env['TZ'];

/** Node reads TZ again whenever it is set, so each test picks its zone. */
function inZone(zone: string): void {
  process.env['TZ'] = zone;
}

afterEach(() => {
  if (originalZone === undefined) delete process.env['TZ'];
  else process.env['TZ'] = originalZone;
});

const iso = (ms: number) => new Date(ms).toISOString();

describe('nextRotation', () => {
  it('hourly: the start of the next hour; daily: the next midnight (UTC)', () => {
    inZone('UTC');
    const now = Date.UTC(2026, 4, 1, 13, 59, 59, 999);
    assert.equal(iso(nextRotation('hourly', now)), '2026-05-01T14:00:00.000Z');
    assert.equal(iso(nextRotation('hourly', now + 1)), '2026-05-01T15:00:00.000Z', 'exactly on a boundary: the next one');
    assert.equal(iso(nextRotation('daily', now)), '2026-05-02T00:00:00.000Z');
    assert.equal(iso(nextRotation('daily', Date.UTC(2026, 11, 31, 23, 0))), '2027-01-01T00:00:00.000Z');
  });

  it('counts in local time: midnight in Paris, and the hours of zones 30 and 45 minutes off', () => {
    inZone('Europe/Paris');
    assert.equal(iso(nextRotation('daily', Date.UTC(2026, 0, 15, 12))), '2026-01-15T23:00:00.000Z');
    assert.equal(iso(nextRotation('daily', Date.UTC(2026, 6, 15, 12))), '2026-07-15T22:00:00.000Z');
    inZone('Asia/Kolkata');
    assert.equal(iso(nextRotation('hourly', Date.UTC(2026, 0, 15, 12, 10))), '2026-01-15T12:30:00.000Z');
    inZone('Asia/Kathmandu');
    assert.equal(iso(nextRotation('hourly', Date.UTC(2026, 0, 15, 12, 10))), '2026-01-15T12:15:00.000Z');
  });

  it('across a change to or from summer time: days of 23 and 25 hours, hours stay hours', () => {
    inZone('Europe/Paris');
    // 29 March 2026: 02:00 local becomes 03:00; 25 October: 03:00 local becomes 02:00.
    assert.equal(iso(nextRotation('daily', Date.UTC(2026, 2, 28, 23, 30))), '2026-03-29T22:00:00.000Z');
    assert.equal(iso(nextRotation('daily', Date.UTC(2026, 9, 24, 22, 30))), '2026-10-25T23:00:00.000Z');
    assert.equal(iso(nextRotation('hourly', Date.UTC(2026, 2, 29, 0, 30))), '2026-03-29T01:00:00.000Z');
    assert.equal(iso(nextRotation('hourly', Date.UTC(2026, 9, 25, 0, 30))), '2026-10-25T01:00:00.000Z');
    assert.equal(iso(nextRotation('hourly', Date.UTC(2026, 9, 25, 1, 30))), '2026-10-25T02:00:00.000Z', 'the repeated hour');
  });
});

describe('RotationSchedule', () => {
  function schedule(start: number) {
    inZone('UTC');
    const clock = new SimulatedClock();
    const offset = { ms: 0 };
    const boundaries: string[] = [];
    const time = { clock, now: () => start + clock.now() + offset.ms };
    const s = new RotationSchedule('hourly', time, () => boundaries.push(iso(time.now())));
    return { clock, offset, boundaries, schedule: s };
  }

  it('one timer to each boundary, and none in between', () => {
    const s = schedule(Date.UTC(2026, 4, 1, 13, 30));
    s.clock.increment(30 * 60_000 - 1);
    assert.deepEqual(s.boundaries, []);
    s.clock.increment(1);
    assert.deepEqual(s.boundaries, ['2026-05-01T14:00:00.000Z']);
    s.clock.increment(60 * 60_000);
    assert.deepEqual(s.boundaries, ['2026-05-01T14:00:00.000Z', '2026-05-01T15:00:00.000Z']);
    s.schedule.stop();
    s.clock.increment(3 * 60 * 60_000);
    assert.equal(s.boundaries.length, 2, 'stopped: no more');
  });

  it('passed(): a wall clock that jumped past the boundary is noticed at once; the timer then waits for the next', () => {
    const s = schedule(Date.UTC(2026, 4, 1, 13, 30));
    assert.equal(s.schedule.passed(), false);
    s.offset.ms = 45 * 60_000;
    assert.equal(s.schedule.passed(), true);
    assert.equal(s.schedule.passed(), false, 'taken once');
    s.clock.increment(30 * 60_000);
    assert.deepEqual(s.boundaries, [], 'the old timer was replaced');
    s.clock.increment(15 * 60_000);
    assert.deepEqual(s.boundaries, ['2026-05-01T15:00:00.000Z']);
  });

  it('a timer that finds the wall clock set back waits for the boundary it now says is next', () => {
    const s = schedule(Date.UTC(2026, 4, 1, 13, 30));
    s.offset.ms = -2 * 60 * 60_000;
    s.clock.increment(30 * 60_000);
    assert.deepEqual(s.boundaries, [], 'it is 12:00 now: not 14:00 yet');
    s.clock.increment(60 * 60_000);
    assert.deepEqual(s.boundaries, ['2026-05-01T13:00:00.000Z']);
  });
});
