// A way into an e2e daemon over RPC: withApi starts one for the API suites; rpcTarget and
// sentinelStopped serve suites that start their own daemon on RPC_SECTIONS.
import { Daemon } from './daemon.js';
import { apiConfig, RPC_AUTH } from './config-text.js';
import { call, freePort, tcpTarget, unixTarget, waitForRpc, type Target } from './rpc.js';
import { STEP_TIMEOUT } from './wait.js';

/** Where RPC_SECTIONS listens. */
export function rpcTarget(d: Daemon): Target {
  return unixTarget(d, 's.sock', RPC_AUTH);
}

/**
 * Stops the sentinel over RPC and waits for its "stopped:" line: a positive sign that the daemon
 * has had its chance to act on everything it logged before (to restart a process that exited,
 * say), for a test about to assert that it did not. The reference reads the request in a later
 * pass of its loop than the one that logged, and reaps the sentinel only after that pass has
 * moved every process on; ours acts on an exit as it logs it.
 */
export async function sentinelStopped(d: Daemon): Promise<void> {
  const from = d.lines.length;
  await call(rpcTarget(d), 'supervisor.stopProcess', 'sentinel');
  await d.waitForLine(/stopped: sentinel /, STEP_TIMEOUT, from);
}

/** A started daemon plus how to reach it. */
export interface ApiDaemon {
  d: Daemon;
  unix: Target;
  /** Present when started with `inet: true`. */
  tcp?: Target;
  port?: number;
}

/**
 * Start a daemon on apiConfig(...) (+ `body` sections), wait until its RPC answers, run `fn`,
 * always tear down. `inet: true` adds an [inet_http_server] on a free port.
 */
export async function withApi<T>(
  body: string,
  opts: {
    inet?: boolean;
    auth?: { username: string; password: string };
    /** Password as written in the config (e.g. `{SHA}...`); defaults to auth.password. */
    configPassword?: string;
    supervisord?: string;
    files?: Record<string, string | { content: string; mode: number }>;
    args?: string[];
  },
  fn: (a: ApiDaemon) => Promise<T>,
): Promise<T> {
  const port = opts.inet ? await freePort() : undefined;
  const cfgAuth = opts.auth ? { username: opts.auth.username, password: opts.configPassword ?? opts.auth.password } : undefined;
  const text = apiConfig({ inetPort: port, auth: cfgAuth, supervisord: opts.supervisord, body });
  const d = Daemon.start(text, { files: opts.files, args: opts.args });
  try {
    const unix = unixTarget(d, 's.sock', opts.auth);
    const tcp = port !== undefined ? tcpTarget(port, opts.auth) : undefined;
    await waitForRpc(unix);
    return await fn({ d, unix, tcp, port });
  } finally {
    await d.teardown();
  }
}
