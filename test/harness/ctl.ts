// Shared by the ctl-* suites: runs our supervisorctl (built) as a child, one-shot or kept
// running (tail -f, fg), and starts a daemon (ours or the reference, per SUPERVISORD_UNDER_TEST)
// whose [supervisorctl] section points at its socket.
import { spawn, type ChildProcess } from 'node:child_process';
import { builtCli } from '../paths.js';
import { runProcess } from './run-process.js';
import { withApi, type ApiDaemon } from './api-daemon.js';

export const OUR_CTL = builtCli('supervisorctl');

export interface CtlRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `supervisorctl <args>` to completion (the config, if any, is passed by the caller). */
export async function ourCtl(args: string[], opts: { input?: string; cwd?: string; env?: Record<string, string> } = {}): Promise<CtlRun> {
  const r = await runProcess(process.execPath, [OUR_CTL, ...args], { ...opts, timeoutMs: 90_000 });
  return { code: r.code, stdout: r.stdout, stderr: r.stderr };
}

/** A supervisorctl kept running: its output so far, waits on it, and its end. */
export class LiveCtl {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  private readonly ended: Promise<number | null>;

  constructor(args: string[]) {
    this.child = spawn(process.execPath, [OUR_CTL, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout!.setEncoding('utf8').on('data', (s: string) => (this.stdout += s));
    this.child.stderr!.setEncoding('utf8').on('data', (s: string) => (this.stderr += s));
    this.ended = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
  }

  /** Resolves once stdout contains `text` (after `from` characters); fails after timeoutMs. */
  async waitFor(text: string | RegExp, timeoutMs = 30_000, from = 0): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const seen = (): boolean => {
      const tail = this.stdout.slice(from);
      return typeof text === 'string' ? tail.includes(text) : text.test(tail);
    };
    while (!seen()) {
      if (Date.now() > deadline) throw new Error(`no ${String(text)} in output:\n${this.stdout}\n--- stderr ---\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The exit code, once it exits (killed after timeoutMs). */
  async exit(timeoutMs = 30_000): Promise<number | null> {
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.ended;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A daemon plus how to run our supervisorctl against it (`-c` its config). */
export interface CtlDaemon extends ApiDaemon {
  ctl(...args: string[]): Promise<CtlRun>;
  live(...args: string[]): LiveCtl;
}

/** Runs `fn` against a daemon; a supervisorctl it left running (a test failed) is killed. */
export function withCtlDaemon<T>(body: string, opts: Parameters<typeof withApi>[1], fn: (a: CtlDaemon) => Promise<T>): Promise<T> {
  const started: LiveCtl[] = [];
  return withApi(body, opts, async (a) => {
    try {
      return await fn({
        ...a,
        ctl: (...args) => ourCtl(['-c', a.d.configPath, ...args]),
        live: (...args) => {
          const live = new LiveCtl(['-c', a.d.configPath, ...args]);
          started.push(live);
          return live;
        },
      });
    } finally {
      // Node signals only a child it has not seen exit
      for (const live of started) live.child.kill('SIGKILL');
    }
  });
}

/** `pid N, uptime H:MM:SS` → `pid <pid>, uptime <uptime>`. */
export function normalizeUptimes(text: string): string {
  return text.replace(/pid \d+, uptime (\d+ days?, )?\d+:\d\d:\d\d/g, 'pid <pid>, uptime <uptime>');
}
