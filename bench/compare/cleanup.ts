// What a run leaves behind and its removal: one scratch directory for everything, and every
// process carrying our marker in its environment (the daemons pass it on to all they start).
// The directory is created on import together with the handlers that remove it, so that no path
// out of the process (normal end, error, signal) can leave it or a process behind.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const MARKER_VAR = 'SUPERVISOR_BENCH_MARKER';
export const MARKER = `compare-${process.pid}-${Date.now()}`;

export const scratchRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-compare-'));

/** Pids of live processes whose environment carries our marker (we run as whoever can read them). */
export function markedPids(): number[] {
  const needle = Buffer.from(`${MARKER_VAR}=${MARKER}\0`);
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/environ`).includes(needle)) pids.push(pid);
    } catch {
      // Gone, or not ours to read.
    }
  }
  return pids;
}

export function killMarked(): number {
  let killed = 0;
  for (let round = 0; round < 10; round += 1) {
    const pids = markedPids();
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
        killed += 1;
      } catch {
        // Already gone.
      }
    }
    // Let the kernel tear them down before looking again (a synchronous pause: used from 'exit').
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
  return killed;
}

const liveDaemons = new Set<ChildProcess>();

/** A daemon process whose group is killed if the run ends while it is alive. */
export function trackDaemon(child: ChildProcess): void {
  liveDaemons.add(child);
}

export function untrackDaemon(child: ChildProcess): void {
  liveDaemons.delete(child);
}

function cleanupEverything(): void {
  for (const child of liveDaemons) {
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
  liveDaemons.clear();
  killMarked();
  fs.rmSync(scratchRoot, { recursive: true, force: true });
}

process.on('exit', cleanupEverything);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    process.exit(130);
  });
}
