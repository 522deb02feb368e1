// A large daemon under many clients: 1000 programs `sleep 1000`, both daemons side by side; each
// in turn gets 50 concurrent raw getAllProcessInfo clients for a while, its RSS sampled: idle RSS
// before, the peak meanwhile, and where it is a few seconds later.
import type { Results } from './results.js';
import { rssUnderLoad } from './rss-under-load.js';

const PROGRAMS = 1000;
const CLIENTS = 50;
const LOAD_S = 10;
const SETTLE_S = 5;

export async function crowdedDaemon(results: Results): Promise<void> {
  console.log(`crowd: ${PROGRAMS} programs, ${CLIENTS} concurrent raw getAllProcessInfo clients for ${LOAD_S} s, each daemon in turn`);
  const { series, rate, pick } = await rssUnderLoad({
    programs: PROGRAMS,
    clients: CLIENTS,
    loadSeconds: LOAD_S,
    settleSeconds: SETTLE_S,
    startTimeoutMs: 180_000,
    idleMs: 0,
  });
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
}
