// XML-RPC test client: calls the daemon under test through Python's standard xmlrpc.client
// (an independent, widely used implementation) in a python3 child, over the unix socket or TCP,
// and hands back the results as JSON; plus waits on what the daemon reports over it and
// narrowing of the JSON it gives back.
import { createServer } from 'node:net';
import type { Daemon } from './daemon.js';
import { runProcess } from './run-process.js';

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

/** A getProcessInfo-style result's pid as a number. */
export function pidOf(info: Json): number {
  return Number(asRecord(info, 'process info')['pid']);
}
