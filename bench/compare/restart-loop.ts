// A restart loop: a program that exits at once (`/bin/false`, autorestart, startsecs=0), each
// daemon alone in turn for a few seconds, with its RSS sampled: the restart rate and whether the
// loop makes the daemon grow. Beside it, the floor: each interpreter spawning the same command and
// waiting for it, one at a time, as fast as it can.
import { spawnedPid } from './activity-log.js';
import { withDaemon } from './daemon.js';
import { FLOOR_LABEL, FloorProcess, SPAWN_LOOP_SCRIPT } from './floors.js';
import { KINDS, type Kind } from './installation.js';
import { nowSeconds, sleep } from './measurement.js';
import type { Results } from './results.js';
import { RssSeries } from './rss-series.js';

const COMMAND = '/bin/false';
const WINDOW_S = 5;
const FLOOR_S = 3;

async function spawnFloor(kind: Kind): Promise<number> {
  const floor = FloorProcess.start(kind, SPAWN_LOOP_SCRIPT, [String(FLOOR_S), COMMAND]);
  try {
    const code = await Promise.race([floor.exited, sleep((FLOOR_S + 20) * 1000).then(() => 'timeout')]);
    if (code !== 0) throw new Error(`${kind} spawn loop floor: ${String(code)}`);
    return Number(floor.stdout.trim());
  } finally {
    await floor.dispose();
  }
}

export async function restartLoop(results: Results): Promise<void> {
  console.log(`restart-loop: ${COMMAND} with autorestart, startsecs=0, ${WINDOW_S} s each; RSS every 0.25 s`);
  const rates = {} as Record<Kind, number>;
  const series = {} as Record<Kind, RssSeries>;
  const growth = {} as Record<Kind, number>;
  for (const kind of KINDS) {
    await withDaemon(
      kind,
      () => `[program:flap]
command=${COMMAND}
autorestart=true
startsecs=0
stdout_logfile=NONE
stderr_logfile=NONE
`,
      async (daemon) => {
        const first = await daemon.waitLog('the first spawn', 15_000, (lines) => lines.some((l) => spawnedPid(l, 'flap')));
        const rss = new RssSeries(daemon.pid, 'restart loop');
        series[kind] = rss;
        const t0 = first.find((l) => spawnedPid(l, 'flap') !== undefined)?.time ?? nowSeconds();
        await sleep(Math.max(0, (t0 + WINDOW_S - nowSeconds()) * 1000));
        rss.stop();
        growth[kind] = rss.last() - rss.first('restart loop');
        // Stop the loop before reading the log, so that it is read whole.
        process.kill(-daemon.pid, 'SIGKILL');
        await daemon.exited;
        const spawns = daemon.log().filter((l) => spawnedPid(l, 'flap') !== undefined);
        rates[kind] = spawns.filter((l) => l.time > t0 && l.time <= t0 + WINDOW_S).length / WINDOW_S;
      },
    );
  }
  const floor = { reference: await spawnFloor('reference'), ours: await spawnFloor('ours') };
  results.add(`Restart loop of \`${COMMAND}\` (autorestart, startsecs=0), over ${WINDOW_S} s`, 'restarts/s', 'higher', rates, {
    op: '≥',
    limit: 500,
    nodeFloor: floor.ours,
  });
  results.addFloor(
    `Floor: \`${COMMAND}\` spawned and waited for one at a time by bare ${FLOOR_LABEL.reference} / ${FLOOR_LABEL.ours}, ${FLOOR_S} s`,
    'spawns/s',
    'higher',
    floor,
  );
  results.add(`RSS growth over the ${WINDOW_S} s restart loop (last − first sample)`, 'MiB', 'lower', growth, { op: '≤', limit: 2 });
  results.add('RSS peak during the restart loop', 'MiB', 'lower', { reference: series.reference.peak(), ours: series.ours.peak() });
  results.addSeries(`RSS over time: the ${WINDOW_S} s restart loop of \`${COMMAND}\``, series, 0.5);
}
