// Time-based rotation (ours: *_logfile_rotate=, [supervisord] logfile_rotate=): when a log turns
// over. Boundaries are the starts of local hours or local days (midnight), as cron and logrotate
// count them. One timer waits for the next boundary; nothing polls. A timer runs on the
// monotonic clock, so after a jump of the wall clock (NTP, a resumed VM) it may fire late: the
// writer therefore also asks `passed()` before each write, so no output written after a boundary
// lands in the file of the period before.
import type { RotationPeriod } from '../../config/types.js';
import { REAL_CLOCK, type Clock } from '../clock.js';

const HOUR_MS = 3_600_000;

/** Timers and the time of day a time-rotated log uses; tests give a simulated clock. */
export interface LogTime {
  clock: Clock;
  /** Milliseconds since the epoch. */
  now(): number;
}

export const REAL_LOG_TIME: LogTime = { clock: REAL_CLOCK, now: () => Date.now() };

/** The first boundary after `now` (milliseconds since the epoch), in the local time zone. */
export function nextRotation(period: RotationPeriod, now: number): number {
  const at = new Date(now);
  if (period === 'daily') {
    // Date rolls over to the next day's midnight, in summer time or not.
    at.setHours(24, 0, 0, 0);
    return at.getTime();
  }
  // From the offset in force now, not the local clock's fields: an hour repeated when summer
  // time ends is then still two hours, and zones 30 or 45 minutes off get their own hours.
  const local = now - at.getTimezoneOffset() * 60_000;
  return now - (((local % HOUR_MS) + HOUR_MS) % HOUR_MS) + HOUR_MS;
}

export class RotationSchedule {
  private due = 0;
  private timer: unknown = null;

  /** @param onBoundary called when the timer finds a boundary passed */
  constructor(
    private readonly period: RotationPeriod,
    private readonly time: LogTime,
    private readonly onBoundary: () => void,
  ) {
    this.start();
  }

  /** Whether a boundary has passed by `now` since the last one was taken; taking it arms the next. */
  passed(now = this.time.now()): boolean {
    if (now < this.due) return false;
    this.arm();
    return true;
  }

  /** Arms the timer for the next boundary (again after stop()). */
  start(): void {
    if (this.timer === null) this.arm();
  }

  stop(): void {
    if (this.timer !== null) this.time.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private arm(): void {
    this.stop();
    const now = this.time.now();
    this.due = nextRotation(this.period, now);
    this.timer = this.time.clock.setTimeout(() => this.fire(), this.due - now);
  }

  private fire(): void {
    this.timer = null;
    // Early (the wall clock was set back, or a millisecond of rounding): wait for the boundary
    // the clock now says is next.
    if (this.passed()) this.onBoundary();
    else this.arm();
  }
}
