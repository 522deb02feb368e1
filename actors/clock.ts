// Time for the runtime: the real timers, or a simulated clock in tests (XState's SimulatedClock
// fits), and periodic reports on whichever is given.
import { Observable } from 'rxjs';

export interface Clock {
  setTimeout(fn: () => void, timeout: number): unknown;
  clearTimeout(id: unknown): void;
}

/** Node fires a timer set for longer than this (about 24.8 days) after 1 ms instead. */
const NODE_MAX_TIMEOUT_MS = 2 ** 31 - 1;

interface LongTimer {
  timer: NodeJS.Timeout | undefined;
}

/**
 * The real timers, waiting as long as asked: a longer wait than `stepMs` is made of several
 * (readiness_timeout=, a late exponential backoff or startsecs= can ask for weeks).
 */
export function realClock(stepMs = NODE_MAX_TIMEOUT_MS): Clock {
  return {
    setTimeout(fn, ms) {
      const handle: LongTimer = { timer: undefined };
      const wait = (left: number) => {
        handle.timer = setTimeout(() => (left > stepMs ? wait(left - stepMs) : fn()), Math.min(left, stepMs));
      };
      wait(ms);
      return handle;
    },
    clearTimeout: (id) => clearTimeout((id as LongTimer).timer),
  };
}

export const REAL_CLOCK: Clock = realClock();

/** Emits at once, then every `ms` on `clock`, until unsubscribed. */
export function every(clock: Clock, ms: number): Observable<number> {
  return new Observable<number>((subscriber) => {
    let count = 0;
    let timer: unknown;
    const tick = () => {
      subscriber.next(count++);
      timer = clock.setTimeout(tick, ms);
    };
    tick();
    return () => clock.clearTimeout(timer);
  });
}
