// The reference's own supervisorctl (Python), run non-interactively against a daemon.
import { runProcess } from './run-process.js';

export const SUPERVISORCTL = '/usr/bin/supervisorctl';

export interface CtlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run the real Python supervisorctl non-interactively: `supervisorctl -c <config> [pre...] args`
 * (the config's [supervisorctl] section says where to connect), or with `server` given,
 * `supervisorctl -c <config> -s <url> args`.
 */
export async function ctl(
  config: string,
  args: string[],
  opts: { server?: string; username?: string; password?: string; timeoutMs?: number } = {},
): Promise<CtlResult> {
  const pre = ['-c', config];
  if (opts.server !== undefined) pre.push('-s', opts.server);
  if (opts.username !== undefined) pre.push('-u', opts.username);
  if (opts.password !== undefined) pre.push('-p', opts.password);
  const r = await runProcess(SUPERVISORCTL, [...pre, ...args], { timeoutMs: opts.timeoutMs ?? 90_000 });
  return { code: r.code, stdout: r.stdout, stderr: r.stderr };
}
