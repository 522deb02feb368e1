// Processes by pid (Linux /proc): whether one lives, and every process a test started, found by
// a marker in its environment that its descendants inherit.
import { readdirSync, readFileSync } from 'node:fs';
import { STEP_TIMEOUT, waitUntil } from './wait.js';

/** Environment variable carried by the daemon and (inherited) all its children; used to find strays. */
const MARKER_VAR = 'SUPERVISOR_E2E_MARKER';

/** Signal a pid or process group (negative pid), ignoring one that is already gone. */
export function killQuietly(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** Environment that marks a process, and through inheritance its descendants, for findMarkedPids(marker). */
export function markerEnv(marker: string): Record<string, string> {
  return { [MARKER_VAR]: marker };
}

/** Pids whose environment carries MARKER_VAR=marker. Best effort; Linux only. */
export function findMarkedPids(marker: string): number[] {
  const needle = `${MARKER_VAR}=${marker}\0`;
  const out: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const env = readFileSync(`/proc/${e}/environ`, 'latin1');
      if ((env + '\0').includes(needle)) out.push(Number(e));
    } catch {
      // raced with exit or no permission
    }
  }
  return out;
}

/** True if a process with this pid exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Wait until pid is gone. Returns whether it went away. */
export function waitForPidGone(pid: number, timeoutMs = STEP_TIMEOUT): Promise<boolean> {
  return waitUntil(() => !isAlive(pid), timeoutMs);
}

/** State and parent of every process in /proc (one that exits meanwhile is left out). */
function processTable(): Array<{ pid: number; state: string; ppid: number }> {
  const out: Array<{ pid: number; state: string; ppid: number }> = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.push({ pid: Number(e), state: state ?? '', ppid: Number(ppid) });
    } catch {
      // raced with exit
    }
  }
  return out;
}

/** Zombies whose parent is one of `parents`: exited, and nobody has waited for them yet. */
export function zombiesOf(parents: number[]): number[] {
  const wanted = new Set(parents);
  return processTable()
    .filter((p) => p.state === 'Z' && wanted.has(p.ppid))
    .map((p) => p.pid);
}

/** The pids whose parent is `pid`. */
export function childrenOf(pid: number): number[] {
  return processTable()
    .filter((p) => p.ppid === pid)
    .map((p) => p.pid);
}
