// XML-RPC throughput against a daemon, from a Python client, and the daemon's CPU time meanwhile.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { scratchRoot } from './cleanup.js';
import type { Daemon } from './daemon.js';
import { KINDS, PYTHON, type Kind } from './installation.js';
import { CLOCK_TICKS, procSample } from './measurement.js';
import type { Results } from './results.js';

// Two clients, the same for both daemons: python's xmlrpc.client over one persistent unix-socket
// connection (what a Python program would use: its XML parsing costs about as much as the server),
// and a raw one that sends the same request bytes and reads the answer by its Content-Length
// without parsing it (the daemon's own cost per call, plus the transport).
const RPC_CLIENT_PY = `import http.client, json, re, socket, sys, time, xmlrpc.client

class UnixHTTPConnection(http.client.HTTPConnection):
    connects = 0
    def __init__(self, path):
        super().__init__('localhost')
        self.unix_path = path
    def connect(self):
        UnixHTTPConnection.connects += 1
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(self.unix_path)
        self.sock = sock

class UnixTransport(xmlrpc.client.Transport):
    def __init__(self, path):
        super().__init__()
        self.unix_path = path
    def make_connection(self, host):
        if self._connection and host == self._connection[0]:
            return self._connection[1]
        self._connection = host, UnixHTTPConnection(self.unix_path)
        return self._connection[1]

def raw_caller(path, method):
    body = xmlrpc.client.dumps((), 'supervisor.' + method).encode()
    request = (b'POST /RPC2 HTTP/1.1\\r\\nHost: localhost\\r\\nContent-Type: text/xml\\r\\n'
               b'Content-Length: %d\\r\\n\\r\\n' % len(body)) + body
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(path)
    UnixHTTPConnection.connects += 1
    length = re.compile(rb'(?im)^content-length: *(\\d+)')
    def call():
        sock.sendall(request)
        data = b''
        while True:
            chunk = sock.recv(1 << 20)
            if not chunk:
                raise SystemExit('connection closed by the daemon')
            data += chunk
            head = data.find(b'\\r\\n\\r\\n')
            if head >= 0:
                m = length.search(data, 0, head)
                if not m:
                    raise SystemExit('no Content-Length in the answer')
                if len(data) - head - 4 >= int(m.group(1)):
                    if not data.startswith(b'HTTP/1.1 200'):
                        raise SystemExit('answer: %r' % data[:200])
                    return data
    return call

socket_path, method, seconds, expected, mode = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
proxy = xmlrpc.client.ServerProxy('http://localhost', transport=UnixTransport(socket_path))
first = getattr(proxy.supervisor, method)()
if expected >= 0 and len(first) != expected:
    raise SystemExit('%s returned %d items, expected %d' % (method, len(first), expected))
call = raw_caller(socket_path, method) if mode == 'raw' else getattr(proxy.supervisor, method)
calls = 0
start = time.monotonic()
end = start + seconds
while time.monotonic() < end:
    call()
    calls += 1
elapsed = time.monotonic() - start
print(json.dumps({'calls': calls, 'seconds': elapsed, 'connects': UnixHTTPConnection.connects}))
`;

export interface RpcRun {
  calls: number;
  seconds: number;
  connects: number;
  /** Daemon CPU time (ms) spent during the run. */
  daemonCpuMs: number;
}

function rpcRun(daemon: Daemon, method: string, seconds: number, expected: number, mode: 'xmlrpc' | 'raw'): RpcRun {
  const script = path.join(scratchRoot, 'rpc_client.py');
  if (!fs.existsSync(script)) fs.writeFileSync(script, RPC_CLIENT_PY);
  const before = procSample(daemon.pid);
  const run = spawnSync(PYTHON, [script, daemon.socket, method, String(seconds), String(expected), mode], {
    encoding: 'utf8',
    timeout: (seconds + 20) * 1000,
    killSignal: 'SIGKILL',
  });
  const after = procSample(daemon.pid);
  if (run.status !== 0) throw new Error(`${daemon.kind}: ${method} client failed: ${run.stderr}`);
  const result = JSON.parse(run.stdout) as Omit<RpcRun, 'daemonCpuMs'>;
  return { ...result, daemonCpuMs: ((after.ticks - before.ticks) / CLOCK_TICKS) * 1000 };
}

/** Several interleaved runs against both daemons (the machine may be busy): summed per daemon. */
export function rpcCompare(
  results: Results,
  daemons: Record<Kind, Daemon>,
  method: string,
  seconds: number,
  rounds: number,
  expected: number,
  mode: 'xmlrpc' | 'raw',
): Record<Kind, RpcRun> {
  const sums: Record<Kind, RpcRun> = {
    reference: { calls: 0, seconds: 0, connects: 0, daemonCpuMs: 0 },
    ours: { calls: 0, seconds: 0, connects: 0, daemonCpuMs: 0 },
  };
  for (let round = 0; round < rounds; round += 1) {
    for (const kind of KINDS) {
      const run = rpcRun(daemons[kind], method, seconds / rounds, expected, mode);
      const sum = sums[kind];
      sum.calls += run.calls;
      sum.seconds += run.seconds;
      sum.connects += run.connects;
      sum.daemonCpuMs += run.daemonCpuMs;
    }
  }
  for (const kind of KINDS) {
    // One connection per run for the xmlrpc.client, two for raw (its first call goes through xmlrpc.client).
    const perRun = mode === 'raw' ? 2 : 1;
    if (sums[kind].connects > perRun * rounds) {
      results.note(`${kind}: the ${mode} client of ${method} had to reconnect (${sums[kind].connects} connections in ${rounds} runs)`);
    }
  }
  return sums;
}
