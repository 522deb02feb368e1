// Replaces the parts of what a daemon says that vary from run to run (timestamps, pids, the temp
// dir, AUTO log names, completion order) by tokens, so that ours and the reference compare equal.
import { asArray, asStruct, type Json } from './rpc.js';

const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} /;

/** `2024-01-01 10:00:00,123 INFO spawned: 'x' with pid 42` → `INFO spawned: 'x' with pid <pid>`. */
export function normalizeLine(line: string): string {
  return normalizePids(line.replace(TIMESTAMP, ''));
}

/** Replace pids in the known places of activity-log messages by `<pid>`. */
export function normalizePids(text: string): string {
  return text
    .replace(/\bpid \d+/g, 'pid <pid>')
    .replace(/^(WARN killing '[^']*' )\(\d+\)/, '$1(<pid>)')
    .replace(/^(CRIT unknown problem killing \S+ )\(\d+\)/, '$1(<pid>)');
}

/** Replace the program path in a `For help, use <prog> -h` line by `<prog>`. */
export function normalizeUsage(stderr: string): string {
  return stderr.replace(/^For help, use .+ -h$/m, 'For help, use <prog> -h');
}

/** `%b %d %I:%M %p` of a unix time in local time, as the reference's stopped-process description. */
export function formatStopTime(unixSeconds: number): string {
  const t = new Date(unixSeconds * 1000);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number): string => String(n).padStart(2, '0');
  const h = t.getHours() % 12 === 0 ? 12 : t.getHours() % 12;
  return `${months[t.getMonth()]} ${pad(t.getDate())} ${pad(h)}:${pad(t.getMinutes())} ${t.getHours() < 12 ? 'AM' : 'PM'}`;
}

/** Replace the temp dir by `%(tmp)s` and the random part of AUTO child log names by `<rand>`. */
export function normalizePath(p: string, tmp: string): string {
  return p
    .split(tmp)
    .join('%(tmp)s')
    .replace(/---supervisor-[a-z0-9_]{8}\.log$/, '---supervisor-<rand>.log');
}

/**
 * Normalize a getProcessInfo struct: checks the variable parts for consistency and replaces them
 * by tokens. start/stop: `<time>` when non-zero (0 kept); now: `<time>`; pid: `<pid>` when
 * non-zero; RUNNING description `pid <pid>, uptime <uptime>` (pid must equal the pid member);
 * a stop-time description must equal formatStopTime(stop) and becomes `<stoptime>`; paths normalized.
 */
export function normalizeInfo(value: Json, tmp: string): Record<string, Json> {
  const info = { ...asStruct(value, 'process info') };
  const nowSec = Date.now() / 1000;
  for (const k of ['start', 'stop', 'now']) {
    const v = info[k];
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new Error(`${k} is not an int: ${JSON.stringify(info)}`);
    if (v !== 0 && Math.abs(v - nowSec) > 600) throw new Error(`${k}=${v} is not a recent unix time`);
  }
  const pid = info['pid'];
  const desc = info['description'];
  if (typeof desc === 'string') {
    const running = /^pid (\d+), uptime (\d+ days?, )?\d+:\d\d:\d\d$/.exec(desc);
    if (running) {
      if (Number(running[1]) !== pid) throw new Error(`description pid ${running[1]} != pid ${String(pid)}`);
      info['description'] = 'pid <pid>, uptime <uptime>';
    } else if (/^[A-Z][a-z]{2} \d{2} \d{2}:\d{2} [AP]M$/.test(desc)) {
      const expected = formatStopTime(Number(info['stop']));
      if (desc !== expected) throw new Error(`stop-time description ${desc} != ${expected} (stop=${String(info['stop'])})`);
      info['description'] = '<stoptime>';
    }
  }
  if (info['start'] !== 0) info['start'] = '<time>';
  if (info['stop'] !== 0) info['stop'] = '<time>';
  info['now'] = '<time>';
  if (typeof pid === 'number' && pid !== 0) info['pid'] = '<pid>';
  for (const k of ['logfile', 'stdout_logfile', 'stderr_logfile']) {
    const v = info[k];
    if (typeof v === 'string') info[k] = normalizePath(v, tmp);
  }
  return info;
}

/** Paths (temp dir, AUTO log names) normalized inside any JSON-like value (outcomes included). */
export function normalizePaths<T>(value: T, tmp: string): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return normalizePath(v, tmp);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x);
      return out;
    }
    return v;
  };
  // same shape as the input, only strings replaced
  return walk(value) as T;
}

/**
 * Group/all results ({name, group, status, description}) sorted by group then name: the reference
 * appends immediate failures first and deferred completions as they finish, so only the set is
 * stable when several processes complete together.
 */
export function sortEntries(value: Json): Json {
  const arr = asArray(value, 'result entries').slice();
  const key = (e: Json): string => {
    const s = asStruct(e, 'entry');
    return `${String(s['group'])}:${String(s['name'])}`;
  };
  return arr.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Replace `pid N, uptime H:MM:SS` in supervisorctl output. */
export function normalizeCtl(text: string, tmp?: string): string {
  let t = text.replace(/pid \d+, uptime (\d+ days?, )?\d+:\d\d:\d\d/g, 'pid <pid>, uptime <uptime>');
  if (tmp !== undefined) t = t.split(tmp).join('%(tmp)s');
  return t;
}
