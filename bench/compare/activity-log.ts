// Reading a daemon's activity log: its lines with their millisecond timestamps.

export interface LogLine {
  /** Seconds since the epoch (the activity log has millisecond resolution, local time). */
  time: number;
  /** Everything after the timestamp, e.g. `INFO spawned: 'x' with pid 42`. */
  text: string;
}

const LOG_LINE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}),(\d{3}) (.*)$/;

export function parseLog(text: string): LogLine[] {
  const lines: LogLine[] = [];
  for (const raw of text.split('\n')) {
    const m = LOG_LINE.exec(raw);
    if (!m) continue;
    const [, y, mo, d, h, mi, s, ms, rest] = m;
    const time = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms)).getTime();
    lines.push({ time: time / 1000, text: rest ?? '' });
  }
  return lines;
}

/** `spawned: 'name' with pid N` → pid. */
export function spawnedPid(line: LogLine, name: string): number | undefined {
  const m = /spawned: '([^']*)' with pid (\d+)/.exec(line.text);
  return m && m[1] === name ? Number(m[2]) : undefined;
}

export function countMatching(lines: readonly LogLine[], pattern: RegExp): number {
  return lines.filter((line) => pattern.test(line.text)).length;
}
