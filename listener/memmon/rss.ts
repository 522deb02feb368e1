// Resident memory of a process (and optionally its descendants), read from Linux's /proc.
import { readdirSync, readFileSync } from 'node:fs';

/** VmRSS of `pid` in bytes, or undefined if the process is gone (or a zombie, which has none). */
export function residentBytes(pid: number): number | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return m?.[1] === undefined ? undefined : Number(m[1]) * 1024;
}

/** Parent pid from /proc/<pid>/stat (the field after the parenthesized command name). */
function parentPid(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[1]);
  } catch {
    return undefined;
  }
}

/** Every process descending from `root`, found by walking the parent links of all processes. */
export function descendantPids(root: number): number[] {
  const childrenOf = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const ppid = parentPid(pid);
    if (ppid === undefined) continue;
    const siblings = childrenOf.get(ppid) ?? [];
    siblings.push(pid);
    childrenOf.set(ppid, siblings);
  }
  const found: number[] = [];
  const pending = [root];
  while (pending.length > 0) {
    const children = childrenOf.get(pending.pop() ?? root) ?? [];
    found.push(...children);
    pending.push(...children);
  }
  return found;
}

/** RSS of `pid`, plus that of all its descendants when `cumulative`; undefined if `pid` is gone. */
export function processRss(pid: number, cumulative: boolean): number | undefined {
  const own = residentBytes(pid);
  if (own === undefined || !cumulative) return own;
  return descendantPids(pid).reduce((sum, child) => sum + (residentBytes(child) ?? 0), own);
}
