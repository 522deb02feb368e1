// A wall clock an e2e test can move forward: the daemon runs with libfaketime (Debian's
// `faketime` package) preloaded, reading its offset from a file the test rewrites. No hook in
// the daemon: its Date.now() and its timers simply see a later time, as after a long wait.
import { existsSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** libfaketime's path (/usr/lib/<arch>/faketime/libfaketime.so.1), or null when not installed. */
export function findLibfaketime(): string | null {
  const root = '/usr/lib';
  const dirs = existsSync(root) ? readdirSync(root) : [];
  for (const dir of ['', ...dirs]) {
    const candidate = path.join(root, dir, 'faketime', 'libfaketime.so.1');
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

export class MovableWallClock {
  private readonly file: string;

  /** Keeps its offset in `dir`; starts at the real time. */
  constructor(
    private readonly library: string,
    dir: string,
  ) {
    this.file = path.join(dir, 'faketime.rc');
    this.setOffset(0);
  }

  /**
   * The environment that makes a process (and its children) see this clock, in UTC. Both the
   * wall clock and the monotonic one move, so timers set before a jump fire at once after it.
   * The offset file is read at every clock call, so a jump is seen at once.
   */
  get env(): Record<string, string> {
    return { LD_PRELOAD: this.library, FAKETIME_TIMESTAMP_FILE: this.file, FAKETIME_NO_CACHE: '1', TZ: 'UTC' };
  }

  /** Moves the clock to `seconds` ahead of the real time; written whole, so no reader sees half of it. */
  setOffset(seconds: number): void {
    writeFileSync(`${this.file}.new`, `+${seconds}\n`);
    renameSync(`${this.file}.new`, this.file);
  }
}
