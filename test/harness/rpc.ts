// XML-RPC test client: calls the daemon under test through Python's standard xmlrpc.client
// (an independent, widely used implementation) in a python3 child, over the unix socket or TCP,
// and hands back the results as JSON. Also runs the real Python supervisorctl against a daemon,
// and offers raw HTTP requests (for wire-level checks such as the 401 response).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import http from 'node:http';
import { Daemon, STEP_TIMEOUT } from './daemon.js';

/** Where to reach a daemon's XML-RPC endpoint. */
export type Target =
  | { kind: 'unix'; path: string; username?: string; password?: string }
  | { kind: 'tcp'; host: string; port: number; username?: string; password?: string };

/** JSON image of an XML-RPC value as decoded by xmlrpc.client (see PY_CLIENT). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * A parameter to send. Plain JSON maps to the obvious XML-RPC types (integers to <int>,
 * non-integral numbers to <double>); `{ $binary: base64 }`, `{ $datetime: 'YYYYMMDDTHH:MM:SS' }`,
 * `{ $double: n }` and `{ $nil: true }` give the other types.
 */
export type Param = Json;

export interface Call {
  method: string;
  params?: Param[];
}

export interface FaultInfo {
  faultCode: number;
  faultString: string;
}

/** Outcome of one call. */
export type Outcome =
  | { kind: 'ok'; value: Json }
  | { kind: 'fault'; fault: FaultInfo }
  | { kind: 'protocol'; status: number; reason: string; headers: Record<string, string> }
  | { kind: 'error'; error: string };

export interface RpcOptions {
  /** Socket timeout inside the python client, seconds (default 60). */
  timeoutSec?: number;
}

/**
 * The python side: reads {uri, socket, timeout, calls} as JSON on stdin, makes the calls in order
 * over one ServerProxy (one persistent connection, as supervisorctl does) and prints a JSON array
 * of outcomes. Floats come back as {"$double": x} so int/double stays visible; dates as ISO
 * strings; bytes as base64 strings.
 */
const PY_CLIENT = String.raw`
import base64, datetime, http.client, json, socket, sys, xmlrpc.client

class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, sockpath, timeout):
        http.client.HTTPConnection.__init__(self, 'localhost', timeout=timeout)
        self.sockpath = sockpath
    def connect(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(self.timeout)
        s.connect(self.sockpath)
        self.sock = s

class UnixTransport(xmlrpc.client.Transport):
    def __init__(self, sockpath, timeout):
        xmlrpc.client.Transport.__init__(self, use_builtin_types=True)
        self.sockpath = sockpath
        self.timeout = timeout
    def make_connection(self, host):
        if self._connection and host == self._connection[0]:
            return self._connection[1]
        chost, self._extra_headers, x509 = self.get_host_info(host)
        self._connection = host, UnixHTTPConnection(self.sockpath, self.timeout)
        return self._connection[1]

def to_param(v):
    if isinstance(v, dict):
        if set(v) == {'$binary'}:
            return xmlrpc.client.Binary(base64.b64decode(v['$binary']))
        if set(v) == {'$datetime'}:
            return xmlrpc.client.DateTime(v['$datetime'])
        if set(v) == {'$double'}:
            return float(v['$double'])
        if set(v) == {'$nil'}:
            return None
        return {k: to_param(x) for k, x in v.items()}
    if isinstance(v, list):
        return [to_param(x) for x in v]
    return v

def to_json(v):
    if isinstance(v, bool) or v is None or isinstance(v, (int, str)):
        return v
    if isinstance(v, float):
        return {'$double': v}
    if isinstance(v, (bytes, bytearray)):
        return base64.b64encode(bytes(v)).decode('ascii')
    if isinstance(v, datetime.datetime):
        return v.isoformat()
    if isinstance(v, xmlrpc.client.DateTime):
        return v.value
    if isinstance(v, xmlrpc.client.Binary):
        return base64.b64encode(v.data).decode('ascii')
    if isinstance(v, dict):
        return {str(k): to_json(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [to_json(x) for x in v]
    return {'$unknown': repr(v)}

req = json.load(sys.stdin)
socket.setdefaulttimeout(req['timeout'])
if req.get('socket'):
    proxy = xmlrpc.client.ServerProxy(req['uri'], transport=UnixTransport(req['socket'], req['timeout']),
                                      use_builtin_types=True, allow_none=True)
else:
    proxy = xmlrpc.client.ServerProxy(req['uri'], use_builtin_types=True, allow_none=True)

out = []
for c in req['calls']:
    try:
        # the method name is sent verbatim (getattr on the proxy would trip on dunder names)
        fn = xmlrpc.client._Method(proxy._ServerProxy__request, c['method'])
        value = fn(*[to_param(p) for p in c.get('params', [])])
        out.append({'kind': 'ok', 'value': to_json(value)})
    except xmlrpc.client.Fault as f:
        out.append({'kind': 'fault', 'fault': {'faultCode': f.faultCode, 'faultString': f.faultString}})
    except xmlrpc.client.ProtocolError as e:
        out.append({'kind': 'protocol', 'status': e.errcode, 'reason': e.errmsg,
                    'headers': {k.lower(): v for k, v in (e.headers or {}).items()}})
        proxy = xmlrpc.client.ServerProxy(req['uri'], transport=UnixTransport(req['socket'], req['timeout']),
                                          use_builtin_types=True, allow_none=True) if req.get('socket') else \
                xmlrpc.client.ServerProxy(req['uri'], use_builtin_types=True, allow_none=True)
    except Exception as e:
        out.append({'kind': 'error', 'error': '%s: %s' % (type(e).__name__, e)})
sys.stdout.write(json.dumps(out))
`;

function targetUri(t: Target): { uri: string; socket?: string } {
  const auth = t.username !== undefined ? `${encodeURIComponent(t.username)}:${encodeURIComponent(t.password ?? '')}@` : '';
  if (t.kind === 'unix') return { uri: `http://${auth}localhost/RPC2`, socket: t.path };
  return { uri: `http://${auth}${t.host}:${t.port}/RPC2` };
}

/** Run a child to completion, feeding `input` on stdin. */
export function runProcess(
  command: string,
  args: string[],
  opts: { input?: string; env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: opts.cwd,
      env: { ...process.env, ...(opts.env ?? {}) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (s: string) => (stdout += s));
    child.stderr.on('data', (s: string) => (stderr += s));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} timed out after ${opts.timeoutMs ?? 90_000} ms\n${stdout}\n${stderr}`));
    }, opts.timeoutMs ?? 90_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

/** Make the calls in order over one connection; one outcome per call. */
export async function rpcCalls(target: Target, calls: Call[], opts: RpcOptions = {}): Promise<Outcome[]> {
  const timeout = opts.timeoutSec ?? 60;
  const { uri, socket } = targetUri(target);
  const input = JSON.stringify({ uri, socket, timeout, calls });
  const r = await runProcess('python3', ['-c', PY_CLIENT], { input, timeoutMs: (timeout + 30) * 1000 });
  if (r.code !== 0) throw new Error(`python xmlrpc client failed (${r.code ?? r.signal}):\n${r.stderr}\n${r.stdout}`);
  return JSON.parse(r.stdout) as Outcome[];
}

/** Error thrown by `call` when the outcome is not a value. */
export class RpcFailure extends Error {
  constructor(
    readonly outcome: Outcome,
    method: string,
  ) {
    super(`${method}: expected a value, got ${JSON.stringify(outcome)}`);
  }
}

/** One call; resolves with its value, rejects with RpcFailure on a fault or transport problem. */
export async function call(target: Target, method: string, ...params: Param[]): Promise<Json> {
  const [o] = await rpcCalls(target, [{ method, params }]);
  if (o === undefined) throw new Error('no outcome');
  if (o.kind !== 'ok') throw new RpcFailure(o, method);
  return o.value;
}

/** One call that is expected to fault; resolves with {faultCode, faultString}, rejects otherwise. */
export async function callFault(target: Target, method: string, ...params: Param[]): Promise<FaultInfo> {
  const [o] = await rpcCalls(target, [{ method, params }]);
  if (o === undefined) throw new Error('no outcome');
  if (o.kind !== 'fault') throw new Error(`${method}: expected a fault, got ${JSON.stringify(o)}`);
  return o.fault;
}

/** One call, whatever the outcome. */
export async function outcome(target: Target, method: string, ...params: Param[]): Promise<Outcome> {
  const [o] = await rpcCalls(target, [{ method, params }]);
  if (o === undefined) throw new Error('no outcome');
  return o;
}

/** system.multicall with [{methodName, params}] structs; resolves with the raw result array. */
export async function multicall(
  target: Target,
  calls: Array<{ methodName?: string; params?: Param[] } & Record<string, Json>>,
): Promise<Json> {
  return call(target, 'system.multicall', calls);
}

/** Target for a daemon's unix socket at `rel` inside its temp dir (default s.sock). */
export function unixTarget(d: Daemon, rel = 's.sock', auth?: { username: string; password: string }): Target {
  return { kind: 'unix', path: d.path(rel), ...(auth ?? {}) };
}

/** Target for a daemon's inet server on 127.0.0.1:port. */
export function tcpTarget(port: number, auth?: { username: string; password: string }): Target {
  return { kind: 'tcp', host: '127.0.0.1', port, ...(auth ?? {}) };
}

/** A currently free TCP port on 127.0.0.1 (may race, but good enough for tests). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Raw HTTP exchange (no XML-RPC client in between), over the unix socket or TCP. */
export function httpRequest(
  target: Target,
  opts: { method?: string; path?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; reason: string; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const base: http.RequestOptions = target.kind === 'unix' ? { socketPath: target.path } : { host: target.host, port: target.port };
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(opts.body));
    const req = http.request({ ...base, method: opts.method ?? 'POST', path: opts.path ?? '/RPC2', headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (s: string) => (body += s));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, reason: res.statusMessage ?? '', headers: res.headers, body }));
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error('http request timed out')));
    req.on('error', reject);
    req.end(opts.body ?? '');
  });
}

/** XML text of a methodCall with string/int/boolean params (for raw requests). */
export function methodCallXml(method: string, params: Array<string | number | boolean> = []): string {
  const enc = (p: string | number | boolean): string =>
    typeof p === 'boolean'
      ? `<boolean>${p ? 1 : 0}</boolean>`
      : typeof p === 'number'
        ? `<int>${p}</int>`
        : `<string>${p.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</string>`;
  return (
    `<?xml version="1.0"?>\n<methodCall>\n<methodName>${method}</methodName>\n<params>\n` +
    params.map((p) => `<param>\n<value>${enc(p)}</value>\n</param>\n`).join('') +
    `</params>\n</methodCall>\n`
  );
}

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

/** The sections every API test config carries; `inetPort` adds an [inet_http_server]. */
export function apiConfig(
  opts: {
    inetPort?: number;
    auth?: { username: string; password: string };
    supervisord?: string;
    body?: string;
  } = {},
): string {
  const auth = opts.auth ? `username=${opts.auth.username}\npassword=${opts.auth.password}\n` : '';
  return (
    [
      '[supervisord]',
      'logfile=%(tmp)s/supervisord.log',
      'pidfile=%(tmp)s/supervisord.pid',
      'childlogdir=%(tmp)s',
      opts.supervisord ?? '',
      '[unix_http_server]',
      'file=%(tmp)s/s.sock',
      auth,
      opts.inetPort !== undefined ? `[inet_http_server]\nport=127.0.0.1:${opts.inetPort}\n${auth}` : '',
      '[supervisorctl]',
      'serverurl=unix://%(tmp)s/s.sock',
      opts.auth ? `username=${opts.auth.username}\npassword=${opts.auth.password}` : '',
      '[rpcinterface:supervisor]',
      'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface',
      opts.body ?? '',
    ].join('\n') + '\n'
  );
}

/** Wait until the daemon's RPC answers getState with RUNNING (the socket exists and serves). */
export async function waitForRpc(target: Target, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const [o] = await rpcCalls(target, [{ method: 'supervisor.getState' }], { timeoutSec: 5 });
      if (o?.kind === 'ok') return;
      last = JSON.stringify(o);
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`RPC did not come up within ${timeoutMs} ms: ${last}`);
}

/** Poll getProcessInfo(name) until its statename is one of `states`; returns that info. */
export async function waitForState(target: Target, name: string, states: string[], timeoutMs = 20_000): Promise<Record<string, Json>> {
  const deadline = Date.now() + timeoutMs;
  let last: Json = null;
  while (Date.now() < deadline) {
    const [o] = await rpcCalls(target, [{ method: 'supervisor.getProcessInfo', params: [name] }]);
    if (o?.kind === 'ok' && o.value !== null && typeof o.value === 'object' && !Array.isArray(o.value)) {
      last = o.value;
      if (states.includes(String(o.value['statename']))) return o.value;
    } else last = JSON.stringify(o);
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${name} did not reach ${states.join('/')} within ${timeoutMs} ms; last ${JSON.stringify(last)}`);
}

// ---- a way into an e2e daemon, and a positive sign that it has acted on what it logged ----

/** Credentials of RPC_SECTIONS: with a password set, the daemon logs no CRIT line about the socket. */
export const RPC_AUTH = { username: 'harness', password: 'harness' };

/** An authenticated unix socket (s.sock in the temp dir) serving the supervisor RPC interface. */
export const RPC_SECTIONS = [
  '[unix_http_server]',
  'file=%(tmp)s/s.sock',
  `username=${RPC_AUTH.username}`,
  `password=${RPC_AUTH.password}`,
  '[rpcinterface:supervisor]',
  'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface',
  '',
].join('\n');

/** Where RPC_SECTIONS listens. */
export function rpcTarget(d: Daemon): Target {
  return unixTarget(d, 's.sock', RPC_AUTH);
}

/** A program that runs until sentinelStopped() stops it (needs RPC_SECTIONS too). */
export const SENTINEL_PROGRAM = '[program:sentinel]\ncommand=sleep 1000\nstartsecs=0\n';

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

// ---- fixtures shared by the API suites ----

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

function asRecord(v: Json, what: string): Record<string, Json> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${what}: expected a struct, got ${JSON.stringify(v)}`);
  return v;
}

/** Narrow a JSON value to an array (throws otherwise). */
export function asArray(v: Json, what = 'value'): Json[] {
  if (!Array.isArray(v)) throw new Error(`${what}: expected an array, got ${JSON.stringify(v)}`);
  return v;
}

/** Narrow a JSON value to a struct (throws otherwise). */
export function asStruct(v: Json, what = 'value'): Record<string, Json> {
  return asRecord(v, what);
}

/**
 * Normalize a getProcessInfo struct: checks the variable parts for consistency and replaces them
 * by tokens. start/stop: `<time>` when non-zero (0 kept); now: `<time>`; pid: `<pid>` when
 * non-zero; RUNNING description `pid <pid>, uptime <uptime>` (pid must equal the pid member);
 * a stop-time description must equal formatStopTime(stop) and becomes `<stoptime>`; paths normalized.
 */
export function normalizeInfo(value: Json, tmp: string): Record<string, Json> {
  const info = { ...asRecord(value, 'process info') };
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
    const s = asRecord(e, 'entry');
    return `${String(s['group'])}:${String(s['name'])}`;
  };
  return arr.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Poll until `condition` returns true (async), or fail after timeoutMs. */
export async function eventually(condition: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A getProcessInfo-style result's pid as a number. */
export function pidOf(info: Json): number {
  return Number(asRecord(info, 'process info')['pid']);
}

/** Replace `pid N, uptime H:MM:SS` in supervisorctl output. */
export function normalizeCtl(text: string, tmp?: string): string {
  let t = text.replace(/pid \d+, uptime (\d+ days?, )?\d+:\d\d:\d\d/g, 'pid <pid>, uptime <uptime>');
  if (tmp !== undefined) t = t.split(tmp).join('%(tmp)s');
  return t;
}
