// What the kernel says a process uses right now, from /proc (Linux): resident memory from
// /proc/PID/statm, CPU time from /proc/PID/stat. Read when asked (a metrics scrape), never polled.
import fs from 'node:fs';
import os from 'node:os';

export interface ProcessUsage {
  residentBytes: number;
  /** User plus system time of the process itself (not of its children). */
  cpuSeconds: number;
}

/** The auxiliary-vector entries (getauxval) that give the units /proc counts in. */
const AT_PAGESZ = 6;
const AT_CLKTCK = 17;

interface ProcUnits {
  pageBytes: number;
  ticksPerSecond: number;
}

/** What nearly every Linux uses, for a kernel that hides /proc/self/auxv. */
const USUAL_UNITS: ProcUnits = { pageBytes: 4096, ticksPerSecond: 100 };

let units: ProcUnits | null = null;

/**
 * The page size and clock-tick rate of this machine, as the kernel handed them to this process
 * (arm64 and ppc64 kernels may use 16 or 64 KiB pages; Node has no sysconf()).
 */
function procUnits(): ProcUnits {
  if (units) return units;
  units = { ...USUAL_UNITS };
  try {
    const auxv = fs.readFileSync('/proc/self/auxv');
    const word = ['arm', 'ia32'].includes(process.arch) ? 4 : 8;
    const read = (offset: number) => {
      if (word === 4) return os.endianness() === 'LE' ? auxv.readUInt32LE(offset) : auxv.readUInt32BE(offset);
      return Number(os.endianness() === 'LE' ? auxv.readBigUInt64LE(offset) : auxv.readBigUInt64BE(offset));
    };
    for (let offset = 0; offset + 2 * word <= auxv.length; offset += 2 * word) {
      const type = read(offset);
      if (type === AT_PAGESZ) units.pageBytes = read(offset + word);
      else if (type === AT_CLKTCK) units.ticksPerSecond = read(offset + word);
    }
  } catch {
    // Keep the usual units.
  }
  return units;
}

/**
 * The CPU ticks in the text of /proc/PID/stat: utime + stime, fields 14 and 15. The command name
 * (field 2, in parentheses) may hold spaces and parentheses itself, so fields count from the last ')'.
 */
export function cpuTicksFromStat(stat: string): number | null {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (the state).
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) && fields.length > 12 ? utime + stime : null;
}

/** The resident pages in the text of /proc/PID/statm (its second field). */
export function residentPagesFromStatm(statm: string): number | null {
  const pages = Number(statm.split(' ')[1]);
  return Number.isFinite(pages) ? pages : null;
}

/** What `pid` uses now; null when it is gone (or /proc cannot tell). */
export function processUsage(pid: number): ProcessUsage | null {
  let stat: string;
  let statm: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    statm = fs.readFileSync(`/proc/${pid}/statm`, 'latin1');
  } catch {
    return null;
  }
  const ticks = cpuTicksFromStat(stat);
  const pages = residentPagesFromStatm(statm);
  if (ticks === null || pages === null) return null;
  const { pageBytes, ticksPerSecond } = procUnits();
  return { residentBytes: pages * pageBytes, cpuSeconds: ticks / ticksPerSecond };
}
