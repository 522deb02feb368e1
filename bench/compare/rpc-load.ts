// RSS under sustained XML-RPC load and after it: two daemons with 100 programs each, side by side;
// each in turn gets getAllProcessInfo back to back from the raw client for a while, then is left
// alone, its RSS sampled throughout. Does it stay bounded, and does it come back toward idle?
import type { Results } from './results.js';
import { rssUnderLoad } from './rss-under-load.js';

const PROGRAMS = 100;
const LOAD_S = 10;
const SETTLE_S = 15;
const CLIENTS = 2;

export async function rpcLoadMemory(results: Results): Promise<void> {
  console.log(
    `load: ${PROGRAMS} programs, ${LOAD_S} s of getAllProcessInfo from ${CLIENTS} raw clients then ${SETTLE_S} s alone, each daemon in turn, RSS every 0.25 s`,
  );
  const { series, rate, pick } = await rssUnderLoad({
    programs: PROGRAMS,
    clients: CLIENTS,
    loadSeconds: LOAD_S,
    settleSeconds: SETTLE_S,
    startTimeoutMs: 30_000,
    idleMs: 1000,
  });
  const idle = pick((s) => s.first('idle'));
  const peak = pick((s) => s.peak('load'));
  results.add(`getAllProcessInfo, ${PROGRAMS} programs, ${CLIENTS} raw clients for ${LOAD_S} s`, 'calls/s', 'higher', rate);
  results.add('RSS under that load: before it (VmRSS)', 'MiB', 'lower', idle);
  results.add('RSS under that load: peak', 'MiB', 'lower', peak, { op: '≤', limit: 60 });
  // "Returns toward idle": at least half-way back from the peak (or within 5 MiB of idle).
  const settled = pick((s) => s.last());
  results.add(`RSS ${SETTLE_S} s after that load`, 'MiB', 'lower', settled, {
    op: '≤',
    limit: Math.max(idle.ours + 5, (idle.ours + peak.ours) / 2),
    from: 'half-way back from the peak to idle, or idle + 5 MiB',
  });
  results.addSeries(
    `RSS over time: ${LOAD_S} s of getAllProcessInfo (${PROGRAMS} programs, ${CLIENTS} raw clients), then ${SETTLE_S} s alone`,
    series,
    1,
  );
}
