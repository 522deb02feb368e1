// The system's processes as Linux's /proc shows them: who is whose parent, when each started
// (with the pid, that tells a process from a later one given the same pid), and what was in each
// one's environment when it was executed.
import fs from 'node:fs';

export interface ProcessEntry {
  pid: number;
  ppid: number;
  /** Clock ticks from boot to its start: a pid reused later has a later start. */
  start: number;
}

export interface ProcessTable {
  /** Every living process (zombies left out); null when there is no /proc to read. */
  list(): ProcessEntry[] | null;
  /** One living process, or null when it is gone (or a zombie). */
  entry(pid: number): ProcessEntry | null;
  /** Whether the environment `pid` was executed with holds `variable` (NAME=value); false when unreadable. */
  carries(pid: number, variable: string): boolean;
}

/** A /proc/PID/stat line's fields, read after the command name (which may hold spaces and parentheses). */
function parseStat(pid: number, text: string): ProcessEntry | null {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // Field 3 of proc(5) is the state, 4 the parent's pid, 22 the start time.
  const state = fields[0];
  if (state === 'Z' || state === 'X' || state === 'x') return null;
  return { pid, ppid: Number(fields[1]), start: Number(fields[19]) };
}

function readEntry(pid: number): ProcessEntry | null {
  try {
    return parseStat(pid, fs.readFileSync(`/proc/${pid}/stat`, 'latin1'));
  } catch {
    // Gone meanwhile.
    return null;
  }
}

export const PROC_TABLE: ProcessTable = {
  list() {
    let names: string[];
    try {
      names = fs.readdirSync('/proc');
    } catch {
      return null;
    }
    const entries: ProcessEntry[] = [];
    for (const name of names) {
      if (!/^\d+$/.test(name)) continue;
      const entry = readEntry(Number(name));
      if (entry) entries.push(entry);
    }
    return entries;
  },
  entry: readEntry,
  carries(pid, variable) {
    try {
      // NUL-separated NAME=value strings; latin1 keeps every byte as one character.
      return `\0${fs.readFileSync(`/proc/${pid}/environ`, 'latin1')}\0`.includes(`\0${variable}\0`);
    } catch {
      // Gone, or not ours to read (another user's, or made undumpable).
      return false;
    }
  },
};
