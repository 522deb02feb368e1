// A process's RSS sampled at a fixed interval while something else runs on the event loop (a load
// client, a wait): the series for the report, and its peak.
import { procSample } from './measurement.js';

export interface RssPoint {
  /** Seconds since the series began. */
  t: number;
  /** What was going on (e.g. "load", "settle"). */
  phase: string;
  rssMiB: number;
}

export class RssSeries {
  readonly points: RssPoint[] = [];
  private readonly started = process.hrtime.bigint();
  private readonly timer: NodeJS.Timeout;
  phase: string;

  constructor(
    readonly pid: number,
    phase: string,
    intervalMs = 250,
  ) {
    this.phase = phase;
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  /** Takes one sample now (also called by the timer); returns the RSS in MiB. */
  sample(): number {
    const rssMiB = procSample(this.pid).rssKiB / 1024;
    this.points.push({ t: Number(process.hrtime.bigint() - this.started) / 1e9, phase: this.phase, rssMiB });
    return rssMiB;
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  peak(phase?: string): number {
    return Math.max(...this.points.filter((p) => phase === undefined || p.phase === phase).map((p) => p.rssMiB));
  }

  first(phase: string): number {
    return this.points.find((p) => p.phase === phase)?.rssMiB ?? Number.NaN;
  }

  last(): number {
    return this.points.at(-1)?.rssMiB ?? Number.NaN;
  }

  /** The first sample taken at or after `t` seconds (allowing for timer jitter), if any. */
  at(t: number): RssPoint | undefined {
    return this.points.find((p) => p.t >= t - 0.05);
  }
}
