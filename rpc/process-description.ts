// The one-line "description" of getProcessInfo, which supervisorctl status prints: worded and
// formatted exactly as the reference does.
import type { ProcessStateName } from '../machines/states.js';

export interface DescribedProcess {
  name: string;
  statename: ProcessStateName;
  /** Seconds since the epoch. */
  start: number;
  stop: number;
  now: number;
  pid: number;
  spawnerr: string;
}

/** Python's str(timedelta) for whole seconds: "0:00:05", "1 day, 2:03:04", "3 days, 0:00:00". */
export function formatUptime(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(seconds / 86400);
  const rest = seconds % 86400;
  const clock = `${Math.floor(rest / 3600)}:${String(Math.floor((rest % 3600) / 60)).padStart(2, '0')}:${String(rest % 60).padStart(2, '0')}`;
  return days ? `${days} day${days === 1 ? '' : 's'}, ${clock}` : clock;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** strftime('%b %d %I:%M %p') in local time, e.g. "Nov 24 04:29 AM". */
export function formatStopTime(epochSeconds: number): string {
  const when = new Date(epochSeconds * 1000);
  const hours = when.getHours();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[when.getMonth()]} ${pad(when.getDate())} ${pad(hours % 12 || 12)}:${pad(when.getMinutes())} ${hours < 12 ? 'AM' : 'PM'}`;
}

export function describeProcess(info: DescribedProcess): string {
  switch (info.statename) {
    case 'RUNNING':
      return `pid ${info.pid}, uptime ${formatUptime(info.now - info.start)}`;
    case 'FATAL':
    case 'BACKOFF':
      return info.spawnerr || `unknown error (try "tail ${info.name}")`;
    case 'STOPPED':
    case 'EXITED':
      return info.start ? formatStopTime(info.stop) : 'Not started';
    default:
      return '';
  }
}
