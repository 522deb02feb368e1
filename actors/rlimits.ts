// minfds / minprocs: raise the daemon's own RLIMIT_NOFILE / RLIMIT_NPROC to the configured
// minimum, as the reference does at startup. Node has no setrlimit, so util-linux `prlimit`
// changes this very process's limits by pid.
import { spawnSync } from 'node:child_process';
import { SupervisorError } from '../common/errors.js';
import fs from 'node:fs';

interface LimitSpec {
  name: 'RLIMIT_NOFILE' | 'RLIMIT_NPROC';
  /** The row of /proc/self/limits. */
  row: string;
  prlimitOption: string;
  setting: 'minfds' | 'minprocs';
  /** What the reference tells the user when the limit cannot be raised. */
  failure: (min: number, hard: number) => string;
}

const LIMITS: LimitSpec[] = [
  {
    name: 'RLIMIT_NOFILE',
    row: 'Max open files',
    prlimitOption: '--nofile',
    setting: 'minfds',
    failure: (min, hard) =>
      `The minimum number of file descriptors required to run this process is ${min} as per the "minfds" command-line argument or config file setting. The current environment will only allow you to open ${hard} file descriptors.  Either raise the number of usable file descriptors in your environment (see README.rst) or lower the minfds setting in the config file to allow the process to start.`,
  },
  {
    name: 'RLIMIT_NPROC',
    row: 'Max processes',
    prlimitOption: '--nproc',
    setting: 'minprocs',
    failure: (min, hard) =>
      `The minimum number of available processes required to run this program is ${min} as per the "minprocs" command-line argument or config file setting. The current environment will only allow you to open ${hard} processes.  Either raise the number of usable processes in your environment (see README.rst) or lower the minprocs setting in the config file to allow the program to start.`,
  },
];

/** Soft and hard limit of one /proc/self/limits row; Infinity for "unlimited". */
function readLimit(row: string): { soft: number; hard: number } | null {
  const line = fs
    .readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(row));
  if (!line) return null;
  const [soft, hard] = line.slice(row.length).trim().split(/\s+/);
  const parse = (v: string | undefined) => (v === 'unlimited' ? Infinity : Number(v));
  return { soft: parse(soft), hard: parse(hard) };
}

/**
 * Raises each limit below its minimum. Returns the info lines to log; throws a STARTUP error with
 * the reference's text when a limit cannot be raised.
 */
export function raiseLimits(minimums: { minfds: number; minprocs: number }): string[] {
  const infos: string[] = [];
  for (const spec of LIMITS) {
    const min = minimums[spec.setting];
    const current = readLimit(spec.row);
    if (!current || current.soft >= min) continue;
    const hard = current.hard < min ? min : current.hard;
    const hardText = hard === Infinity ? 'unlimited' : String(hard);
    const result = spawnSync('prlimit', ['--pid', String(process.pid), `${spec.prlimitOption}=${min}:${hardText}`], {
      stdio: 'ignore',
    });
    if (result.status !== 0) throw new SupervisorError('STARTUP', spec.failure(min, hard));
    infos.push(`Increased ${spec.name} limit to ${min}`);
  }
  return infos;
}
