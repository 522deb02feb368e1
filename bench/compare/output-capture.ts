// Section 7: how fast each daemon captures a child's stdout into a rotated log, and whether every
// byte arrives.
import fs from 'node:fs';
import path from 'node:path';
import { spawnedPid, type LogLine } from './activity-log.js';
import { withDaemon } from './daemon.js';
import { KINDS, type Kind } from './installation.js';
import { median, nowSeconds, sleep } from './measurement.js';
import type { Results } from './results.js';

const CAPTURE_BYTES = 512 * 1024 * 1024;

function capturedBytes(dir: string): number {
  return fs
    .readdirSync(dir)
    .filter((name) => name.startsWith('capture.log'))
    .reduce((sum, name) => sum + fs.statSync(path.join(dir, name)).size, 0);
}

async function captureOnce(kind: Kind): Promise<{ exitedMBs: number; drainedMBs: number; total: number }> {
  return withDaemon(
    kind,
    (dir) => `[program:capture]
command=head -c ${CAPTURE_BYTES} /dev/zero
autorestart=false
startsecs=0
stdout_logfile=${dir}/capture.log
stdout_logfile_maxbytes=50MB
stdout_logfile_backups=20
stderr_logfile=NONE
`,
    async (daemon) => {
      // Poll the logged total too: the time all bytes are on disk, should the exit be logged first.
      let allBytesAt = Number.NaN;
      let exitedLine: LogLine | undefined;
      const until = Date.now() + 60_000;
      while (Date.now() < until) {
        if (Number.isNaN(allBytesAt) && capturedBytes(daemon.dir) >= CAPTURE_BYTES) allBytesAt = nowSeconds();
        exitedLine ??= daemon.log().find((l) => /^\w+ exited: capture /.test(l.text));
        if (exitedLine && !Number.isNaN(allBytesAt)) break;
        if (daemon.exitedAt !== null) throw new Error(`${kind}: daemon exited`);
        await sleep(exitedLine ? 200 : 50);
      }
      const spawned = daemon.log().find((l) => spawnedPid(l, 'capture') !== undefined);
      if (!spawned || !exitedLine) throw new Error(`${kind}: no spawned/exited lines for the capture program`);
      // Settle: the total must not move any more.
      let total = capturedBytes(daemon.dir);
      for (let i = 0; i < 10; i += 1) {
        await sleep(100);
        const again = capturedBytes(daemon.dir);
        if (again === total) break;
        total = again;
      }
      const mb = CAPTURE_BYTES / 1024 / 1024;
      return {
        exitedMBs: mb / (exitedLine.time - spawned.time),
        drainedMBs: Number.isNaN(allBytesAt) ? Number.NaN : mb / (allBytesAt - spawned.time),
        total,
      };
    },
  );
}

export async function captureThroughput(results: Results): Promise<void> {
  const trials = 3;
  console.log(`7. capture of ${CAPTURE_BYTES / 1024 / 1024} MB of child stdout into a 50MB-rotated log, ${trials} interleaved trials`);
  const runs: Record<Kind, { exitedMBs: number; drainedMBs: number; total: number }[]> = { reference: [], ours: [] };
  for (let trial = 0; trial < trials; trial += 1) {
    for (const kind of KINDS) runs[kind].push(await captureOnce(kind));
  }
  for (const kind of KINDS) {
    console.log(`  ${kind}: ${runs[kind].map((r) => `${r.exitedMBs.toFixed(0)} MB/s, ${r.total} bytes`).join('; ')}`);
    const short = runs[kind].filter((r) => r.total !== CAPTURE_BYTES);
    results.note(
      short.length === 0
        ? `${kind}: every capture run logged exactly ${CAPTURE_BYTES} bytes (log + backups)`
        : `${kind}: logged ${short.map((r) => r.total).join(', ')} bytes instead of ${CAPTURE_BYTES}`,
    );
  }
  const pick = (f: (r: { exitedMBs: number; drainedMBs: number }) => number): Record<Kind, number> => ({
    reference: median(runs.reference.map(f)),
    ours: median(runs.ours.map(f)),
  });
  results.add(
    `Capture of 512 MB child stdout, spawned→exited log lines, median of ${trials}`,
    'MB/s',
    'higher',
    pick((r) => r.exitedMBs),
  );
  results.add(
    'Capture of 512 MB, spawned → all bytes in the log files (polled every 50 ms)',
    'MB/s',
    'higher',
    pick((r) => r.drainedMBs),
  );
}
