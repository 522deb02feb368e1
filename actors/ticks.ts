// TICK_5, TICK_60 and TICK_3600: one event each time the clock crosses a multiple of the
// period, carrying that boundary ("when:"), as the reference sends them. Each period has one
// timer set for its next boundary; nothing polls.
import type { EventBus } from './events/bus.js';
import { tickEvent } from './events/payloads.js';

const PERIODS = [
  ['TICK_5', 5],
  ['TICK_60', 60],
  ['TICK_3600', 3600],
] as const;

export class Ticks {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly bus: EventBus,
    private readonly now: () => number = Date.now,
  ) {
    for (const [type, seconds] of PERIODS) this.schedule(type, seconds);
  }

  private schedule(type: (typeof PERIODS)[number][0], seconds: number): void {
    const periodMs = seconds * 1000;
    const nextBoundary = Math.floor(this.now() / periodMs) * periodMs + periodMs;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.bus.publish(tickEvent(type, nextBoundary / 1000));
      this.schedule(type, seconds);
    }, nextBoundary - this.now());
    // Ticks alone must not keep the daemon alive.
    timer.unref();
    this.timers.add(timer);
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
