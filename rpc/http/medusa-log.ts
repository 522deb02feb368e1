// The lines the reference's HTTP layer (Medusa) writes to the activity log: a startup banner
// per server and one access line per request, at trace level unless the text mentions "error".
import type { ActivityLog } from '../../actors/logs/activity-log.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** The reference routes Medusa's messages by sniffing them: any mention of "error" is an error. */
export function logMedusa(log: ActivityLog, message: string): void {
  const level = message.toLowerCase().includes('error') ? 'error' : 'trace';
  if (log.isEnabledFor(level)) log.log(level, message);
}

/** Python's time.ctime(): "Tue Nov  4 04:31:01 2026", local time. */
export function ctime(date: Date): string {
  const time = `${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}`;
  const day = String(date.getDate()).padStart(2, ' ');
  return `${DAYS[date.getDay()]} ${MONTHS[date.getMonth()]} ${day} ${time} ${date.getFullYear()}`;
}

/** "<ip>:Medusa (V1.12) started at <ctime>\n\tHostname: <name>\n\tPort:<port>" */
export function startupBanner(ip: string, hostname: string, port: number | string, now = new Date()): string {
  return `${ip}:Medusa (V1.12) started at ${ctime(now)}\n\tHostname: ${hostname}\n\tPort:${port}`;
}

/**
 * Medusa's access-log date: UTC time followed by the local *standard-time* offset (it never
 * applies daylight saving, since it asks gmtime() whether DST is in effect).
 */
export function accessLogDate(date: Date): string {
  const year = date.getUTCFullYear();
  const westMinutes = Math.max(new Date(year, 0, 1).getTimezoneOffset(), new Date(year, 6, 1).getTimezoneOffset());
  const sign = westMinutes > 0 ? '-' : '+';
  const offset = Math.abs(westMinutes);
  const utc =
    `${pad2(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${year}:` +
    `${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())}`;
  return `${utc} ${sign}${pad2(Math.floor(offset / 60))}${pad2(offset % 60)}`;
}

/** '127.0.0.1:53614 - - [24/Nov/2026:04:31:21 +0000] "GET / HTTP/1.1" 401 330' */
export function accessLine(client: string, requestLine: string, status: number, bytes: number, now = new Date()): string {
  return `${client} - - [${accessLogDate(now)}] "${requestLine}" ${status} ${bytes}`;
}
