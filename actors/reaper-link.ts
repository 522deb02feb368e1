// The daemon's side of the orphan reaper (orphan-reaper.ts): finding out that it runs under one,
// the orphans the reaper reports on their pipe, and the pipe's end when the reaper is gone.
import fs from 'node:fs';
import net from 'node:net';
import { REAPER_VARIABLE } from './orphan-reaper.js';
import { signalName } from './exit-status.js';

export interface ReaperLink {
  /** The reaper's pid: 1, or the child subreaper's. */
  readonly pid: number;
  /**
   * Calls `onReaped` with each orphan the reaper reaped and how it ended, and `onGone` once the
   * reaper is gone (killed, most likely: it outlives the daemon otherwise). Keeps nothing alive.
   */
  watch(onReaped: (pid: number, how: string) => void, onGone: () => void): void;
}

/** A raw wait status in the reference's words (its decode_wait_status). */
export function describeWaitStatus(status: number): string {
  const signal = status & 0x7f;
  if (signal === 0) return `exit status ${(status >> 8) & 0xff}`;
  return `terminated by ${signalName(signal)}${status & 0x80 ? ' (core dumped)' : ''}`;
}

/** A pipe (the reaper's) or a socket pair (a test's stand-in for it). */
function isPipe(fd: number): boolean {
  try {
    const stats = fs.fstatSync(fd);
    return stats.isFIFO() || stats.isSocket();
  } catch {
    return false;
  }
}

/**
 * The reaper this process runs under, or null. The variable is removed either way, so that the
 * daemon's children do not inherit it; one inherited from further up (whose pid is not our
 * parent's) is no link.
 */
export function takeReaperLink(env: NodeJS.ProcessEnv = process.env): ReaperLink | null {
  const value = env[REAPER_VARIABLE];
  delete env[REAPER_VARIABLE];
  const match = /^(\d+):(\d+)$/.exec(value ?? '');
  if (!match) return null;
  const pid = Number(match[1]);
  const fd = Number(match[2]);
  if (pid !== process.ppid || !isPipe(fd)) return null;
  return {
    pid,
    watch(onReaped, onGone) {
      const reports = new net.Socket({ fd, readable: true, writable: false });
      reports.unref();
      reports.setEncoding('latin1');
      let carry = '';
      reports.on('data', (text: string) => {
        const lines = (carry + text).split('\n');
        carry = lines.pop() ?? '';
        for (const line of lines) {
          const [orphan, status] = line.split(' ').map(Number);
          if (orphan !== undefined && status !== undefined) onReaped(orphan, describeWaitStatus(status));
        }
      });
      reports.on('error', () => {});
      reports.once('close', onGone);
    },
  };
}
