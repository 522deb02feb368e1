// End-to-end harness: runs a supervisord (the reference Python one or ours) in the
// foreground against a config written into a fresh temporary directory, and exposes
// its activity log (echoed on stdout with -n) as a stream of lines that tests can
// wait on. Everything the daemon started is killed and the directory removed in
// teardown, whatever happened.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { builtCli } from '../paths.js';
import { renderConfig, type ConfigText } from './config-text.js';
import { normalizeLine } from './normalize.js';
import { findMarkedPids, killQuietly, markerEnv } from './pids.js';
import { STEP_TIMEOUT, waitUntil } from './wait.js';

/** Which daemon the e2e suites exercise: SUPERVISORD_UNDER_TEST=reference or ours (default). */
export const underTest: 'reference' | 'ours' = process.env['SUPERVISORD_UNDER_TEST'] === 'reference' ? 'reference' : 'ours';

export const REFERENCE_BIN = '/usr/bin/supervisord';

/** Command and leading arguments that start the daemon under test (or the one asked for). */
export function daemonCommand(which: 'reference' | 'ours' = underTest): { command: string; args: string[] } {
  if (which === 'reference') return { command: REFERENCE_BIN, args: [] };
  return { command: process.execPath, args: [builtCli('supervisord')] };
}

/** Name → pid from a `spawned: 'name' with pid N` raw or normalized line; undefined otherwise. */
export function parseSpawned(line: string): { name: string; pid: number } | undefined {
  const m = /spawned: '([^']*)' with pid (\d+)/.exec(line);
  if (!m || m[1] === undefined || m[2] === undefined) return undefined;
  return { name: m[1], pid: Number(m[2]) };
}

export interface StartOptions {
  /** Extra command-line arguments after `-n -c <file>`. */
  args?: string[];
  /** Replace the default `-n -c <file>` entirely (for option-error tests). */
  rawArgs?: string[];
  /** Extra environment for the daemon. */
  env?: Record<string, string>;
  /** Name of the config file inside the temp dir. */
  configName?: string;
  /** Files to create in the temp dir before start: relative path → content (+ optional mode). */
  files?: Record<string, string | { content: string; mode: number }>;
  /** This daemon rather than the one under test (a suite that needs both at once). */
  daemon?: 'reference' | 'ours';
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Waiter {
  re: RegExp;
  from: number;
  resolve: (hit: { index: number; line: string }) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export class Daemon {
  readonly tmp: string;
  readonly configPath: string;
  readonly child: ChildProcess;
  /** Raw stdout lines, in arrival order. */
  readonly lines: string[] = [];
  stderr = '';
  exit: ExitInfo | undefined;
  private partial = '';
  private waiters: Waiter[] = [];
  private exitWaiters: Array<(e: ExitInfo) => void> = [];
  private readonly marker: string;
  private readonly seenPids = new Set<number>();

  private constructor(tmp: string, configPath: string, argv: string[], env: Record<string, string>, which?: 'reference' | 'ours') {
    this.tmp = tmp;
    this.configPath = configPath;
    this.marker = tmp;
    const { command, args } = daemonCommand(which);
    this.child = spawn(command, [...args, ...argv], {
      cwd: tmp,
      env: { ...process.env, ...env, ...markerEnv(this.marker) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // own process group, so teardown can kill it wholesale
    });
    this.child.stdout?.setEncoding('utf8');
    this.child.stderr?.setEncoding('utf8');
    this.child.stdout?.on('data', (chunk: string) => this.onStdout(chunk));
    this.child.stderr?.on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.child.on('error', (err) => {
      this.stderr += `\n[harness] spawn error: ${err.message}\n`;
    });
    this.child.on('close', (code, signal) => {
      if (this.partial) this.pushLine(this.partial);
      this.partial = '';
      this.exit = { code, signal };
      for (const w of this.waiters) {
        clearTimeout(w.timer);
        w.reject(new Error(`daemon exited (${code ?? signal}) before a line matched ${w.re}\n${this.describe()}`));
      }
      this.waiters = [];
      for (const r of this.exitWaiters) r(this.exit);
      this.exitWaiters = [];
    });
  }

  /** Write the config (and files) into a new temp dir and start the daemon with `-n -c file`. */
  static start(config: ConfigText, opts: StartOptions = {}): Daemon {
    const tmp = mkdtempSync(path.join(tmpdir(), 'sv-e2e-'));
    const configPath = path.join(tmp, opts.configName ?? 'supervisord.conf');
    writeFileSync(configPath, renderConfig(config, tmp));
    for (const [rel, spec] of Object.entries(opts.files ?? {})) {
      const content = typeof spec === 'string' ? spec : spec.content;
      const mode = typeof spec === 'string' ? 0o644 : spec.mode;
      const target = path.join(tmp, rel);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, renderConfig(content, tmp), { mode });
    }
    const argv = opts.rawArgs ?? ['-n', '-c', configPath, ...(opts.args ?? [])];
    const d = new Daemon(
      tmp,
      configPath,
      argv.map((a) => renderConfig(a, tmp)),
      opts.env ?? {},
      opts.daemon,
    );
    live.add(d);
    return d;
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('daemon has no pid');
    return this.child.pid;
  }

  private onStdout(chunk: string): void {
    this.partial += chunk;
    let nl: number;
    while ((nl = this.partial.indexOf('\n')) >= 0) {
      this.pushLine(this.partial.slice(0, nl));
      this.partial = this.partial.slice(nl + 1);
    }
  }

  private pushLine(line: string): void {
    const index = this.lines.length;
    this.lines.push(line);
    const sp = parseSpawned(line);
    if (sp) this.seenPids.add(sp.pid);
    for (const w of [...this.waiters]) {
      if (index >= w.from && w.re.test(line)) {
        clearTimeout(w.timer);
        this.waiters = this.waiters.filter((x) => x !== w);
        w.resolve({ index, line });
      }
    }
  }

  /** Normalized activity lines (`LEVEL message`, pids as `<pid>`). */
  activity(): string[] {
    return this.lines.map((l) => normalizeLine(l).split(this.tmp).join('%(tmp)s'));
  }

  /** Normalized activity lines that mention process `name` in one of the per-process message forms. */
  about(name: string): string[] {
    const q = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const re = new RegExp(
      `(spawned: '${q}' |success: ${q} |exited: ${q} |gave up: ${q} |stopped: ${q} |killing '?${q}'? |spawnerr: .*'${q}'|Attempted to kill ${q},)`,
    );
    return this.activity().filter((l) => re.test(l));
  }

  /** Normalized activity lines matching `re` (tested against the normalized text). */
  matching(re: RegExp): string[] {
    return this.activity().filter((l) => re.test(l));
  }

  /**
   * Resolve with the first line at index >= `from` whose raw text matches `re`;
   * checks lines already received, then waits on the stream. Rejects on timeout or daemon exit.
   */
  waitForLine(re: RegExp, timeoutMs = STEP_TIMEOUT, from = 0): Promise<{ index: number; line: string }> {
    for (let i = from; i < this.lines.length; i++) {
      const line = this.lines[i];
      if (line !== undefined && re.test(line)) return Promise.resolve({ index: i, line });
    }
    if (this.exit) {
      return Promise.reject(new Error(`daemon already exited; no line matched ${re}\n${this.describe()}`));
    }
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        re,
        from,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((x) => x !== w);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${re}\n${this.describe()}`));
        }, timeoutMs),
      };
      this.waiters.push(w);
    });
  }

  /** Wait until `count` lines (from index `from`) match `re`; resolves with their indexes/lines. */
  async waitForCount(re: RegExp, count: number, timeoutMs = STEP_TIMEOUT, from = 0): Promise<Array<{ index: number; line: string }>> {
    const hits: Array<{ index: number; line: string }> = [];
    let next = from;
    const deadline = Date.now() + timeoutMs;
    while (hits.length < count) {
      const hit = await this.waitForLine(re, Math.max(1, deadline - Date.now()), next);
      hits.push(hit);
      next = hit.index + 1;
    }
    return hits;
  }

  /** Send a signal to the daemon process. */
  signal(sig: NodeJS.Signals): void {
    process.kill(this.pid, sig);
  }

  /** Wait for the daemon to exit. */
  waitForExit(timeoutMs = 30_000): Promise<ExitInfo> {
    if (this.exit) return Promise.resolve(this.exit);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`daemon did not exit within ${timeoutMs} ms\n${this.describe()}`)), timeoutMs);
      this.exitWaiters.push((e) => {
        clearTimeout(timer);
        resolve(e);
      });
    });
  }

  /** Path inside the temp dir. */
  path(rel: string): string {
    return path.join(this.tmp, rel);
  }

  /** Read a file from the temp dir (utf8). */
  read(rel: string): string {
    return readFileSync(this.path(rel), 'utf8');
  }

  /**
   * Text of a file in the temp dir once `complete(text)` holds: a child writes its files in its
   * own time, whatever the daemon has logged meanwhile. Throws, showing the text, if it never does.
   */
  async readWhen(rel: string, complete: (text: string) => boolean, timeoutMs = STEP_TIMEOUT): Promise<string> {
    const text = (): string => (existsSync(this.path(rel)) ? this.read(rel) : '');
    if (!(await waitUntil(() => complete(text()), timeoutMs))) {
      throw new Error(`${rel} is not complete after ${timeoutMs} ms: ${JSON.stringify(text())}\n${this.describe()}`);
    }
    return text();
  }

  /** Size of a file in the temp dir, or undefined if it does not exist. */
  size(rel: string): number | undefined {
    const p = this.path(rel);
    return existsSync(p) ? statSync(p).size : undefined;
  }

  /** Names of the entries of the temp dir (or a subdir). */
  list(rel = '.'): string[] {
    return readdirSync(this.path(rel)).sort();
  }

  /** Pids of every process started with this daemon's marker in its environment (Linux /proc). */
  strayPids(): number[] {
    return findMarkedPids(this.marker).filter((p) => p !== this.child.pid || !this.exit);
  }

  /** Human-readable dump for assertion messages. */
  describe(): string {
    return `--- stdout (${this.lines.length} lines) ---\n${this.lines.join('\n')}\n--- stderr ---\n${this.stderr}`;
  }

  /** Kill the daemon, its process group, every spawned child's group and marked strays; remove the temp dir. */
  async teardown(): Promise<void> {
    live.delete(this);
    if (!this.exit) {
      killQuietly(-this.pid, 'SIGKILL');
      killQuietly(this.pid, 'SIGKILL');
    }
    for (const pid of this.seenPids) {
      killQuietly(-pid, 'SIGKILL');
      killQuietly(pid, 'SIGKILL');
    }
    for (const pid of findMarkedPids(this.marker)) killQuietly(pid, 'SIGKILL');
    if (!this.exit) await this.waitForExit(10_000).catch(() => undefined);
    for (const w of this.waiters) clearTimeout(w.timer);
    this.waiters = [];
    rmSync(this.tmp, { recursive: true, force: true });
  }
}

/** For readWhen: the text is one or more whole lines. */
export const wholeLines = (text: string): boolean => text.endsWith('\n');

const live = new Set<Daemon>();
process.on('exit', () => {
  for (const d of live) {
    killQuietly(-d.pid, 'SIGKILL');
    for (const pid of findMarkedPids(d.tmp)) killQuietly(pid, 'SIGKILL');
  }
});

/**
 * Run `fn` with a daemon started on `config`; always tears it down afterwards.
 */
export async function withDaemon<T>(config: ConfigText, opts: StartOptions, fn: (d: Daemon) => Promise<T>): Promise<T> {
  const d = Daemon.start(config, opts);
  try {
    return await fn(d);
  } finally {
    await d.teardown();
  }
}

/** Stop the daemon with SIGTERM and wait for it; returns the exit code. */
export async function terminate(d: Daemon): Promise<number | null> {
  d.signal('SIGTERM');
  const e = await d.waitForExit();
  return e.code;
}

/**
 * Run the daemon command once to completion (for option/config errors), in a fresh temp dir.
 * `argv` may contain `%(tmp)s`.
 */
export async function runToExit(
  argv: string[],
  files: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; tmp: string }> {
  const d = Daemon.start('', { rawArgs: argv, files, configName: '.unused.conf' });
  try {
    const e = await d.waitForExit(timeoutMs);
    return { code: e.code, signal: e.signal, stdout: d.lines.join('\n'), stderr: d.stderr, tmp: d.tmp };
  } finally {
    await d.teardown();
  }
}
