// The time from a child's exit to the daemon's next spawn of it (the restart rate is in
// restart-loop.ts, with a program that does less).
import fs from 'node:fs';
import path from 'node:path';
import { spawnedPid } from './activity-log.js';
import { withDaemon } from './daemon.js';
import { KINDS, type Kind } from './installation.js';
import { median, nowSeconds, sleep } from './measurement.js';
import type { Results } from './results.js';

export async function restartLatency(results: Results): Promise<void> {
  console.log('restart: exit → next spawn (sh -c exit 1, autorestart, startsecs=0), ~5 s each');
  const windowSeconds = 5;
  const latencies = {} as Record<Kind, number>;
  for (const kind of KINDS) {
    await withDaemon(
      kind,
      (dir) => `[program:flap]
command=/bin/sh -c 'echo $$ $(date +%%s.%%N) >> ${dir}/exits; exit 1'
autorestart=true
startsecs=0
stdout_logfile=NONE
stderr_logfile=NONE
`,
      async (daemon) => {
        const first = await daemon.waitLog('the first spawn', 15_000, (lines) => lines.some((l) => spawnedPid(l, 'flap')));
        const t0 = first.find((l) => spawnedPid(l, 'flap') !== undefined)?.time ?? nowSeconds();
        await sleep(Math.max(0, (t0 + windowSeconds + 0.3 - nowSeconds()) * 1000));
        process.kill(-daemon.pid, 'SIGKILL');
        const spawns = daemon.log().filter((l) => spawnedPid(l, 'flap') !== undefined);
        // Each child wrote "pid exit-time" just before exiting: the next spawn after its own.
        const exits = fs.existsSync(path.join(daemon.dir, 'exits'))
          ? fs.readFileSync(path.join(daemon.dir, 'exits'), 'utf8').trim().split('\n')
          : [];
        const indexByPid = new Map<number, number>(spawns.map((l, i) => [spawnedPid(l, 'flap') ?? -1, i]));
        const samples: number[] = [];
        for (const record of exits) {
          const [pid, time] = record.split(' ').map(Number);
          const index = indexByPid.get(pid ?? -1);
          const next = index === undefined ? undefined : spawns[index + 1];
          if (next && time !== undefined) samples.push((next.time - time) * 1000);
        }
        latencies[kind] = median(samples);
        console.log(`  ${kind}: ${spawns.length} spawns, ${samples.length} exit→spawn samples`);
      },
    );
  }
  results.add('Exit → next spawn, median', 'ms', 'lower', latencies);
}
