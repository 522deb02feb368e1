// SIGTERM to a daemon with running children, until the daemon has exited; and whether
// any of its processes outlived it.
import { countMatching } from './activity-log.js';
import { markedPids } from './cleanup.js';
import { sleeperPrograms, withDaemon } from './daemon.js';
import { KINDS, type Kind } from './installation.js';
import { median, sleep } from './measurement.js';
import type { Results } from './results.js';

const STOP_PROGRAMS = 20;

export async function stopTime(results: Results): Promise<void> {
  const trials = 2;
  console.log(`stop: SIGTERM → daemon exit with ${STOP_PROGRAMS} running children (sleep 1000), ${trials} trials each`);
  const times: Record<Kind, number[]> = { reference: [], ours: [] };
  const leftovers: Record<Kind, number> = { reference: 0, ours: 0 };
  for (let trial = 0; trial < trials; trial += 1) {
    for (const kind of KINDS) {
      await withDaemon(
        kind,
        () => sleeperPrograms(STOP_PROGRAMS, 0),
        async (daemon) => {
          await daemon.waitLog(`${STOP_PROGRAMS} running`, 20_000, (lines) => countMatching(lines, /^INFO success: /) >= STOP_PROGRAMS);
          await sleep(500);
          const start = process.hrtime.bigint();
          process.kill(daemon.pid, 'SIGTERM');
          await Promise.race([daemon.exited, sleep(30_000)]);
          if (daemon.exitedAt === null) throw new Error(`${kind}: did not exit within 30 s of SIGTERM`);
          times[kind].push(Number(daemon.exitedAt - start) / 1e6);
          leftovers[kind] += markedPids().length;
        },
      );
    }
  }
  console.log(
    `  reference: ${times.reference.map((t) => t.toFixed(0)).join(', ')} ms; ours: ${times.ours.map((t) => t.toFixed(0)).join(', ')} ms`,
  );
  results.add(`SIGTERM → exit, ${STOP_PROGRAMS} children, median of ${trials}`, 'ms', 'lower', {
    reference: median(times.reference),
    ours: median(times.ours),
  });
  if (leftovers.reference + leftovers.ours > 0) {
    results.note(`processes left running after the daemon exited: reference ${leftovers.reference}, ours ${leftovers.ours}`);
  }
}
