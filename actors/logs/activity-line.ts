// One line of the activity log, laid out as the reference writes it:
// "2026-11-24 03:55:00,123 INFO spawned: 'x' with pid 123\n" (local time, milliseconds after a comma).
import type { LogLevelName } from '../../config/types.js';
import { LOG_LEVEL_LABELS } from './log-levels.js';

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** The last second formatted, and its text: a busy daemon writes many lines a second. */
let cachedSecond = Number.NaN;
let cachedText = '';

/** "YYYY-MM-DD HH:MM:SS,mmm" in local time. */
export function formatLogTime(when: Date): string {
  const ms = when.getTime();
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    const date = `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())}`;
    cachedText = `${date} ${pad(when.getHours())}:${pad(when.getMinutes())}:${pad(when.getSeconds())}`;
    cachedSecond = second;
  }
  return `${cachedText},${pad(ms - second * 1000, 3)}`;
}

export function formatActivityLine(level: LogLevelName, message: string, when: Date = new Date()): string {
  return `${formatLogTime(when)} ${LOG_LEVEL_LABELS[level]} ${message}\n`;
}
