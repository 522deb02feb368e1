// Time for the runtime: the real timers, or a simulated clock in tests (XState's SimulatedClock
// fits), and periodic reports on whichever is given.
import { Observable } from 'rxjs';

export interface Clock {
  setTimeout(fn: () => void, timeout: number): unknown;
  clearTimeout(id: unknown): void;
}

export const REAL_CLOCK: Clock = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id as NodeJS.Timeout),
};

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
