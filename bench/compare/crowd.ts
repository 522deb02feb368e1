// A large daemon under many clients: 1000 programs `sleep 1000`, both daemons side by side; each
// in turn gets 50 concurrent raw getAllProcessInfo clients for a while, its RSS sampled: idle RSS
// before, the peak meanwhile, and where it is a few seconds later.
import { Daemon, sleeperPrograms } from './daemon.js';
import { KINDS, type Kind } from './installation.js';
import { sleep } from './measurement.js';
import { rawLoad } from './raw-rpc.js';
import type { Results } from './results.js';
import { RssSeries } from './rss-series.js';

const PROGRAMS = 1000;
const CLIENTS = 50;
const LOAD_S = 10;
const SETTLE_S = 5;

export async function crowdedDaemon(results: Results): Promise<void> {
  console.log(`crowd: ${PROGRAMS} programs, ${CLIENTS} concurrent raw getAllProcessInfo clients for ${LOAD_S} s, each daemon in turn`);
  const daemons: Daemon[] = [];
  try {
    for (const kind of KINDS) daemons.push(Daemon.start(kind, () => sleeperPrograms(PROGRAMS, 1)));
    for (const daemon of daemons) await daemon.waitRunning(PROGRAMS, 180_000);
    await sleep(2000);
    const series = {} as Record<Kind, RssSeries>;
    const rate = {} as Record<Kind, number>;
    for (const daemon of daemons) {
      const rss = new RssSeries(daemon.pid, 'idle');
      series[daemon.kind] = rss;
      rss.phase = 'load';
      const load = await rawLoad(daemon.socket, 'getAllProcessInfo', CLIENTS, LOAD_S);
      rate[daemon.kind] = load.calls / load.seconds;
      rss.phase = 'settle';
      await sleep(SETTLE_S * 1000);
      rss.stop();
    }
    const pick = (f: (s: RssSeries) => number): Record<Kind, number> => ({ reference: f(series.reference), ours: f(series.ours) });
    results.add(
      `${PROGRAMS} programs: idle RSS (VmRSS)`,
      'MiB',
      'lower',
      pick((s) => s.first('idle')),
      { op: '≤', limit: 100 },
    );
    results.add(
      `${PROGRAMS} programs, ${CLIENTS} concurrent getAllProcessInfo clients: peak RSS`,
      'MiB',
      'lower',
      pick((s) => s.peak('load')),
      {
        op: '≤',
        limit: 150,
      },
    );
    results.add(
      `${PROGRAMS} programs: RSS ${SETTLE_S} s after the ${CLIENTS} clients`,
      'MiB',
      'lower',
      pick((s) => s.last()),
    );
    results.add(`${PROGRAMS} programs, ${CLIENTS} concurrent raw clients: getAllProcessInfo answers`, 'calls/s', 'higher', rate);
    results.addSeries(
      `RSS over time: ${PROGRAMS} programs, ${CLIENTS} concurrent getAllProcessInfo clients for ${LOAD_S} s, then ${SETTLE_S} s alone`,
      series,
      1,
    );
  } finally {
    for (const daemon of daemons) await daemon.dispose();
  }
}
