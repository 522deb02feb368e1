// What the load and crowd sections share: both daemons with the same sleeping programs, side by
// side; each in turn idles, gets raw getAllProcessInfo clients back to back for a while, then is
// left alone, its RSS sampled throughout.
import { Daemon, sleeperPrograms } from './daemon.js';
import { KINDS, type Kind } from './installation.js';
import { sleep } from './measurement.js';
import { rawLoad } from './raw-rpc.js';
import { RssSeries } from './rss-series.js';

export interface LoadPlan {
  programs: number;
  clients: number;
  loadSeconds: number;
  settleSeconds: number;
  /** How long the programs may take to be RUNNING. */
  startTimeoutMs: number;
  /** Idle sampling of each daemon before its load begins. */
  idleMs: number;
}

export interface LoadMeasurement {
  series: Record<Kind, RssSeries>;
  /** getAllProcessInfo answers per second under the load. */
  rate: Record<Kind, number>;
  pick(f: (s: RssSeries) => number): Record<Kind, number>;
}

export async function rssUnderLoad(plan: LoadPlan): Promise<LoadMeasurement> {
  const daemons: Daemon[] = [];
  try {
    for (const kind of KINDS) daemons.push(Daemon.start(kind, () => sleeperPrograms(plan.programs, 1)));
    for (const daemon of daemons) await daemon.waitRunning(plan.programs, plan.startTimeoutMs);
    await sleep(2000);
    const series = {} as Record<Kind, RssSeries>;
    const rate = {} as Record<Kind, number>;
    for (const daemon of daemons) {
      const rss = new RssSeries(daemon.pid, 'idle');
      series[daemon.kind] = rss;
      await sleep(plan.idleMs);
      rss.phase = 'load';
      const load = await rawLoad(daemon.socket, 'getAllProcessInfo', plan.clients, plan.loadSeconds);
      rate[daemon.kind] = load.calls / load.seconds;
      rss.phase = 'settle';
      await sleep(plan.settleSeconds * 1000);
      rss.stop();
    }
    return { series, rate, pick: (f) => ({ reference: f(series.reference), ours: f(series.ours) }) };
  } finally {
    for (const daemon of daemons) await daemon.dispose();
  }
}
