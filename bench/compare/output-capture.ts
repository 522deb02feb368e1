// How fast each daemon captures a child's stdout into a rotated log, at what CPU cost to the
// daemon, and whether every byte arrives.
import fs from 'node:fs';
import path from 'node:path';
import { spawnedPid, type LogLine } from './activity-log.js';
import { withDaemon } from './daemon.js';
import { KINDS, type Kind } from './installation.js';
import { CLOCK_TICKS, median, nowSeconds, procSample, sleep } from './measurement.js';
import { firstAnswer, rawCall } from './raw-rpc.js';
import type { Results } from './results.js';

const CAPTURE_BYTES = 512 * 1024 * 1024;

function capturedBytes(dir: string): number {
  // A backup listed may be renamed before it is looked at (the daemon rotating): not counted in
  // this poll, it is in the next.
  return fs
    .readdirSync(dir)
    .filter((name) => name.startsWith('capture.log'))
    .reduce((sum, name) => sum + (fs.statSync(path.join(dir, name), { throwIfNoEntry: false })?.size ?? 0), 0);
}

interface Capture {
  exitedMBs: number;
  drainedMBs: number;
  /** Bytes in the log and its backups once settled. */
  total: number;
  /** Daemon CPU time (ms) from the startProcess call to the settled log. */
  cpuMs: number;
}

/** Fine enough for a capture that takes ~0.3 s, coarse enough not to compete with it for the CPUs. */
const POLL_MS = 10;

async function captureOnce(kind: Kind): Promise<Capture> {
  return withDaemon(
    kind,
    (dir) => `[program:capture]
command=head -c ${CAPTURE_BYTES} /dev/zero
autostart=false
autorestart=false
startsecs=0
stdout_logfile=${dir}/capture.log
stdout_logfile_maxbytes=50MB
stdout_logfile_backups=20
stderr_logfile=NONE
`,
    async (daemon) => {
      // Started by a call once the daemon is up, so that the CPU time counted is the capture's,
      // not the daemon's start-up.
      await firstAnswer(daemon.socket, 'getState', 20_000);
      const before = procSample(daemon.pid);
      await rawCall(daemon.socket, 'startProcess', ['capture', false]);
      // Poll the logged total too: the time all bytes are on disk, should the exit be logged first.
      let allBytesAt = Number.NaN;
      let exitedLine: LogLine | undefined;
      const until = Date.now() + 60_000;
      while (Date.now() < until) {
        if (Number.isNaN(allBytesAt) && capturedBytes(daemon.dir) >= CAPTURE_BYTES) allBytesAt = nowSeconds();
        exitedLine ??= daemon.log().find((l) => /^\w+ exited: capture /.test(l.text));
        if (exitedLine && !Number.isNaN(allBytesAt)) break;
        if (daemon.exitedAt !== null) throw new Error(`${kind}: daemon exited`);
        await sleep(exitedLine ? 200 : POLL_MS);
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
      const cpuMs = ((procSample(daemon.pid).ticks - before.ticks) / CLOCK_TICKS) * 1000;
      const mb = CAPTURE_BYTES / 1024 / 1024;
      return {
        cpuMs,
        exitedMBs: mb / (exitedLine.time - spawned.time),
        drainedMBs: Number.isNaN(allBytesAt) ? Number.NaN : mb / (allBytesAt - spawned.time),
        total,
      };
    },
  );
}

export async function captureThroughput(results: Results): Promise<void> {
  const trials = 3;
  console.log(
    `capture: capture of ${CAPTURE_BYTES / 1024 / 1024} MB of child stdout into a 50MB-rotated log, ${trials} interleaved trials`,
  );
  const runs: Record<Kind, Capture[]> = { reference: [], ours: [] };
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
  const pick = (f: (r: Capture) => number): Record<Kind, number> => ({
    reference: median(runs.reference.map(f)),
    ours: median(runs.ours.map(f)),
  });
  results.add(
    `Capture of 512 MB child stdout, spawned→exited log lines, median of ${trials}`,
    'MB/s',
    'higher',
    pick((r) => r.exitedMBs),
  );
  const drained = pick((r) => r.drainedMBs);
  results.add(`Capture of 512 MB, spawned → all bytes in the log files (polled every ${POLL_MS} ms)`, 'MB/s', 'higher', drained, {
    op: '≥',
    limit: 1.2 * drained.reference,
    from: "1.2 × the reference's",
  });
  const cpu = pick((r) => r.cpuMs / (CAPTURE_BYTES / (100 * 1024 * 1024)));
  results.add(`Capture: daemon CPU per 100 MB captured, median of ${trials}`, 'ms', 'lower', cpu, {
    op: '≤',
    limit: cpu.reference,
    from: "the reference's",
  });
  const lost = (kind: Kind): number => runs[kind].reduce((sum, r) => sum + Math.abs(CAPTURE_BYTES - r.total), 0);
  results.add(
    `Capture: bytes lost (or extra) over the ${trials} runs`,
    'bytes',
    'lower',
    { reference: lost('reference'), ours: lost('ours') },
    { op: '≤', limit: 0 },
  );
}
