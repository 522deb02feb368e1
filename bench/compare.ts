// Benchmark (not a test): our supervisord side by side with the reference (Supervisor 4.2.5,
// /usr/bin/supervisord) on this machine.
//
//   npm run build && node dist/bench/compare.js [--no-write] [--only name,name...]
//
// Every measurement starts each daemon in turn (the reference first) on the same generated config
// in a fresh temporary directory (unix socket server, rpcinterface section, logs inside the
// directory), in the foreground (-n), in its own process group. Everything the daemon started
// carries a marker variable in its environment; when a measurement ends the daemon's group is
// killed and then every process carrying the marker, and the directory is removed, whatever
// happened. Every wait is bounded; the whole run takes about 3 minutes. Only unix sockets.
//
// The table is printed and (unless --no-write) written between the generated-section markers of
// docs/benchmarks.md, whose other text is kept.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

type Kind = 'reference' | 'ours';
const KINDS: readonly Kind[] = ['reference', 'ours'];

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const OURS_DAEMON = path.join(repoRoot, 'dist', 'cli', 'supervisord.js');
const OURS_CTL = path.join(repoRoot, 'dist', 'cli', 'supervisorctl.js');
const REFERENCE_DAEMON = '/usr/bin/supervisord';
const REFERENCE_CTL = '/usr/bin/supervisorctl';
const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const DOC = path.join(repoRoot, 'docs', 'benchmarks.md');
const BEGIN_MARK = '<!-- compare.ts: generated section begins -->';
const END_MARK = '<!-- compare.ts: generated section ends -->';

const MARKER_VAR = 'SUPERVISOR_BENCH_MARKER';
const MARKER = `compare-${process.pid}-${Date.now()}`;
/** The whole run is aborted (and cleaned up) after this long. */
const DEADLINE_MS = 290_000;

const CAPTURE_BYTES = 512 * 1024 * 1024;
const MANY_PROGRAMS = 100;
const STOP_PROGRAMS = 20;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const nowSeconds = (): number => Date.now() / 1000;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

// ---------------------------------------------------------------------------------------------
// Cleanup: the scratch root, and every process carrying our marker.

const scratchRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-compare-'));

/** Pids of live processes whose environment carries our marker (we run as whoever can read them). */
function markedPids(): number[] {
  const needle = Buffer.from(`${MARKER_VAR}=${MARKER}\0`);
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/environ`).includes(needle)) pids.push(pid);
    } catch {
      // Gone, or not ours to read.
    }
  }
  return pids;
}

function killMarked(): number {
  let killed = 0;
  for (let round = 0; round < 10; round += 1) {
    const pids = markedPids();
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
        killed += 1;
      } catch {
        // Already gone.
      }
    }
    // Let the kernel tear them down before looking again (a synchronous pause: used from 'exit').
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
  return killed;
}

const liveDaemons = new Set<ChildProcess>();

function cleanupEverything(): void {
  for (const child of liveDaemons) {
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
  liveDaemons.clear();
  killMarked();
  fs.rmSync(scratchRoot, { recursive: true, force: true });
}

process.on('exit', cleanupEverything);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    process.exit(130);
  });
}
setTimeout(() => {
  console.error(`compare: still running after ${DEADLINE_MS / 1000} s, giving up`);
  process.exit(1);
}, DEADLINE_MS).unref();

// ---------------------------------------------------------------------------------------------
// Daemons.

interface LogLine {
  /** Seconds since the epoch (the activity log has millisecond resolution, local time). */
  time: number;
  /** Everything after the timestamp, e.g. `INFO spawned: 'x' with pid 42`. */
  text: string;
}

const LOG_LINE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}),(\d{3}) (.*)$/;

function parseLog(text: string): LogLine[] {
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
function spawnedPid(line: LogLine, name: string): number | undefined {
  const m = /spawned: '([^']*)' with pid (\d+)/.exec(line.text);
  return m && m[1] === name ? Number(m[2]) : undefined;
}

function commonSections(dir: string): string {
  return `[unix_http_server]
file=${dir}/supervisor.sock

[supervisord]
logfile=${dir}/supervisord.log
pidfile=${dir}/supervisord.pid
childlogdir=${dir}
loglevel=info

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://${dir}/supervisor.sock

`;
}

class Daemon {
  readonly conf: string;
  readonly socket: string;
  readonly child: ChildProcess;
  /** process.hrtime.bigint() when the daemon process was seen to exit, or null while it runs. */
  exitedAt: bigint | null = null;
  readonly exited: Promise<void>;
  private stderr = '';

  constructor(
    readonly kind: Kind,
    readonly dir: string,
    programs: string,
  ) {
    this.conf = path.join(dir, 'supervisord.conf');
    this.socket = path.join(dir, 'supervisor.sock');
    fs.writeFileSync(this.conf, commonSections(dir) + programs);
    const [command, args] = kind === 'reference' ? [REFERENCE_DAEMON, []] : [process.execPath, [OURS_DAEMON]];
    this.child = spawn(command, [...args, '-n', '-c', this.conf], {
      cwd: dir,
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, [MARKER_VAR]: MARKER },
    });
    liveDaemons.add(this.child);
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-4000);
    });
    this.exited = new Promise((resolve) => {
      this.child.on('exit', () => {
        this.exitedAt = process.hrtime.bigint();
        liveDaemons.delete(this.child);
        resolve();
      });
    });
  }

  static start(kind: Kind, programs: (dir: string) => string): Daemon {
    const dir = fs.mkdtempSync(path.join(scratchRoot, `${kind === 'reference' ? 'ref' : 'ours'}-`));
    return new Daemon(kind, dir, programs(dir));
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.kind}: daemon did not start`);
    return this.child.pid;
  }

  log(): LogLine[] {
    try {
      return parseLog(fs.readFileSync(path.join(this.dir, 'supervisord.log'), 'utf8'));
    } catch {
      return [];
    }
  }

  /** Poll the activity log until `done` holds; throws after `timeoutMs` or if the daemon died. */
  async waitLog(what: string, timeoutMs: number, done: (lines: LogLine[]) => boolean): Promise<LogLine[]> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const lines = this.log();
      if (done(lines)) return lines;
      if (this.exitedAt !== null) throw new Error(`${this.kind}: daemon exited while waiting for ${what}\n${this.stderr}`);
      if (Date.now() > until) throw new Error(`${this.kind}: timed out waiting for ${what}\n${this.stderr}`);
      await sleep(50);
    }
  }

  /** Kill the daemon's group and everything marked, and remove the directory. */
  async dispose(): Promise<void> {
    if (this.exitedAt === null) {
      try {
        process.kill(-this.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
      await Promise.race([this.exited, sleep(5000)]);
    }
    killMarked();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

async function withDaemon<T>(kind: Kind, programs: (dir: string) => string, body: (daemon: Daemon) => Promise<T>): Promise<T> {
  const daemon = Daemon.start(kind, programs);
  try {
    return await body(daemon);
  } finally {
    await daemon.dispose();
  }
}

function countMatching(lines: readonly LogLine[], pattern: RegExp): number {
  return lines.filter((line) => pattern.test(line.text)).length;
}

// ---------------------------------------------------------------------------------------------
// Results.

interface Row {
  metric: string;
  unit: string;
  better: 'higher' | 'lower';
  values: Record<Kind, number>;
}

const rows: Row[] = [];
const notes: string[] = [];

function addRow(metric: string, unit: string, better: Row['better'], values: Record<Kind, number>): void {
  rows.push({ metric, unit, better, values });
  console.log(`  ${metric}: reference ${format(values.reference)} ${unit}, ours ${format(values.ours)} ${unit}`);
}

function note(text: string): void {
  notes.push(text);
  console.log(`  note: ${text}`);
}

function format(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 10) return value.toFixed(1);
  if (magnitude >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

function verdict(row: Row): string {
  const { reference, ours } = row.values;
  if (!Number.isFinite(reference) || !Number.isFinite(ours) || reference <= 0 || ours <= 0) return '';
  const factor = row.better === 'higher' ? ours / reference : reference / ours;
  if (factor >= 1.1) return `ours ${format(factor)}× better`;
  if (factor <= 1 / 1.1) return `ours ${format(1 / factor)}× worse`;
  return 'same';
}

function table(): string {
  const header = '| Metric | Reference 4.2.5 | Ours | Ratio ours/ref | |';
  const lines = [header, '|---|---:|---:|---:|---|'];
  for (const row of rows) {
    const { reference, ours } = row.values;
    const ratio = reference > 0 && Number.isFinite(ours) ? format(ours / reference) : 'n/a';
    lines.push(
      `| ${row.metric} (${row.unit}, ${row.better} is better) | ${format(reference)} | ${format(ours)} | ${ratio} | ${verdict(row)} |`,
    );
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// 1. Exit → restart.

async function restartLatency(): Promise<void> {
  console.log('1. exit → restart (sh -c exit 1, autorestart, startsecs=0), ~5 s each');
  const windowSeconds = 5;
  const rates = {} as Record<Kind, number>;
  const latencies = {} as Record<Kind, number>;
  for (const kind of KINDS) {
    await withDaemon(
      kind,
      (dir) => `[program:flap]
command=/bin/sh -c 'echo $$ $(date +%%s.%%N) >> ${dir}/exits; exit 1'
autorestart=true
startsecs=0
stdout_logfile=NONE
stderr_logfile=NONE
`,
      async (daemon) => {
        const first = await daemon.waitLog('the first spawn', 15_000, (lines) => lines.some((l) => spawnedPid(l, 'flap')));
        const t0 = first.find((l) => spawnedPid(l, 'flap') !== undefined)?.time ?? nowSeconds();
        await sleep(Math.max(0, (t0 + windowSeconds + 0.3 - nowSeconds()) * 1000));
        process.kill(-daemon.pid, 'SIGKILL');
        const spawns = daemon.log().filter((l) => spawnedPid(l, 'flap') !== undefined);
        const inWindow = spawns.filter((l) => l.time > t0 && l.time <= t0 + windowSeconds).length;
        rates[kind] = inWindow / windowSeconds;
        // Each child wrote "pid exit-time" just before exiting: the next spawn after its own.
        const exits = fs.existsSync(path.join(daemon.dir, 'exits'))
          ? fs.readFileSync(path.join(daemon.dir, 'exits'), 'utf8').trim().split('\n')
          : [];
        const indexByPid = new Map<number, number>(spawns.map((l, i) => [spawnedPid(l, 'flap') ?? -1, i]));
        const samples: number[] = [];
        for (const record of exits) {
          const [pid, time] = record.split(' ').map(Number);
          const index = indexByPid.get(pid ?? -1);
          const next = index === undefined ? undefined : spawns[index + 1];
          if (next && time !== undefined) samples.push((next.time - time) * 1000);
        }
        latencies[kind] = median(samples);
        console.log(`  ${kind}: ${spawns.length} spawns, ${samples.length} exit→spawn samples`);
      },
    );
  }
  addRow('Restarts of an exiting program', 'restarts/s', 'higher', rates);
  addRow('Exit → next spawn, median', 'ms', 'lower', latencies);
}

// ---------------------------------------------------------------------------------------------
// 2. Exit → event listener.

const LISTENER_PY = `import sys, time
out = open(sys.argv[1], 'a')
while True:
    sys.stdout.write('READY\\n')
    sys.stdout.flush()
    line = sys.stdin.readline()
    now = time.time()
    if not line:
        break
    headers = dict(token.split(':', 1) for token in line.split())
    payload = sys.stdin.read(int(headers['len']))
    body = dict(token.split(':', 1) for token in payload.split() if ':' in token)
    out.write('%s %s %.6f\\n' % (body.get('processname'), body.get('pid'), now))
    out.flush()
    sys.stdout.write('RESULT 2\\nOK')
    sys.stdout.flush()
`;

async function listenerLatency(): Promise<void> {
  console.log('2. exit → PROCESS_STATE_EXITED at a python listener, up to 12 s or 10 events each');
  const listener = path.join(scratchRoot, 'listener.py');
  fs.writeFileSync(listener, LISTENER_PY);
  const latencies = {} as Record<Kind, number>;
  for (const kind of KINDS) {
    await withDaemon(
      kind,
      // The child lives 0.2..0.8 s (from its pid) so exits fall at varied phases of any tick.
      (dir) => `[program:exiter]
command=/bin/sh -c 'sleep 0.$(( $$ %% 7 + 2 )); echo $$ $(date +%%s.%%N) >> ${dir}/exits; exit 0'
autorestart=true
startsecs=0
stdout_logfile=NONE
stderr_logfile=NONE

[eventlistener:listener]
command=${PYTHON} -u ${listener} ${dir}/events
events=PROCESS_STATE_EXITED
stderr_logfile=${dir}/listener.err
`,
      async (daemon) => {
        const eventsFile = path.join(daemon.dir, 'events');
        const exitsFile = path.join(daemon.dir, 'exits');
        const read = (file: string): string[][] =>
          fs.existsSync(file)
            ? fs
                .readFileSync(file, 'utf8')
                .trim()
                .split('\n')
                .filter(Boolean)
                .map((l) => l.split(' '))
            : [];
        const samples = (): number[] => {
          const exitTimes = new Map(read(exitsFile).map(([pid, time]) => [pid ?? '', Number(time)]));
          const result: number[] = [];
          for (const [name, pid, time] of read(eventsFile)) {
            const exitTime = exitTimes.get(pid ?? '');
            if (name === 'exiter' && exitTime !== undefined) result.push((Number(time) - exitTime) * 1000);
          }
          return result;
        };
        const until = Date.now() + 12_000;
        while (Date.now() < until && samples().length < 10) {
          if (daemon.exitedAt !== null) throw new Error(`${kind}: daemon exited`);
          await sleep(100);
        }
        const got = samples();
        latencies[kind] = median(got);
        console.log(`  ${kind}: ${got.length} events matched to exits`);
      },
    );
  }
  addRow('Exit → event at listener, median', 'ms', 'lower', latencies);
}

// ---------------------------------------------------------------------------------------------
// 3. SIGTERM with 20 running children.

function sleepers(count: number, startsecs: number): string {
  let text = '';
  for (let i = 0; i < count; i += 1) {
    text += `[program:sleeper${String(i).padStart(3, '0')}]
command=sleep 1000
startsecs=${startsecs}
stdout_logfile=NONE
stderr_logfile=NONE

`;
  }
  return text;
}

async function stopTime(): Promise<void> {
  const trials = 2;
  console.log(`3. SIGTERM → daemon exit with ${STOP_PROGRAMS} running children (sleep 1000), ${trials} trials each`);
  const times: Record<Kind, number[]> = { reference: [], ours: [] };
  const leftovers: Record<Kind, number> = { reference: 0, ours: 0 };
  for (let trial = 0; trial < trials; trial += 1) {
    for (const kind of KINDS) {
      await withDaemon(
        kind,
        () => sleepers(STOP_PROGRAMS, 0),
        async (daemon) => {
          await daemon.waitLog(`${STOP_PROGRAMS} running`, 20_000, (lines) => countMatching(lines, /^INFO success: /) >= STOP_PROGRAMS);
          await sleep(500);
          const start = process.hrtime.bigint();
          process.kill(daemon.pid, 'SIGTERM');
          await Promise.race([daemon.exited, sleep(30_000)]);
          if (daemon.exitedAt === null) throw new Error(`${kind}: did not exit within 30 s of SIGTERM`);
          times[kind].push(Number(daemon.exitedAt - start) / 1e6);
          leftovers[kind] += markedPids().length;
        },
      );
    }
  }
  console.log(
    `  reference: ${times.reference.map((t) => t.toFixed(0)).join(', ')} ms; ours: ${times.ours.map((t) => t.toFixed(0)).join(', ')} ms`,
  );
  addRow(`SIGTERM → exit, ${STOP_PROGRAMS} children, median of ${trials}`, 'ms', 'lower', {
    reference: median(times.reference),
    ours: median(times.ours),
  });
  if (leftovers.reference + leftovers.ours > 0) {
    note(`processes left running after the daemon exited: reference ${leftovers.reference}, ours ${leftovers.ours}`);
  }
}

// ---------------------------------------------------------------------------------------------
// 4, 5, 6. One daemon with 100 programs: idle RSS and CPU, XML-RPC throughput, supervisorctl status.

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

interface RpcRun {
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
function rpcCompare(
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
      note(`${kind}: the ${mode} client of ${method} had to reconnect (${sums[kind].connects} connections in ${rounds} runs)`);
    }
  }
  return sums;
}

interface ProcSample {
  /** utime + stime, in clock ticks. */
  ticks: number;
  rssKiB: number;
  anonKiB: number;
  peakKiB: number;
}

function procSample(pid: number): ProcSample {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after "(comm) ": state is field 3, utime 14, stime 15 (1-based).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { ticks, rssKiB: kib('VmRSS'), anonKiB: kib('RssAnon'), peakKiB: kib('VmHWM') };
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
const HAVE_HYPERFINE = spawnSync('hyperfine', ['--version']).status === 0;

/** Fails unless `argv` (a `supervisorctl status`) exits 0 listing every program RUNNING. */
function checkStatus(argv: string[]): void {
  const check = spawnSync(argv[0] ?? '', argv.slice(1), { encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL' });
  const running = check.stdout.split('\n').filter((line) => /\sRUNNING\s/.test(line)).length;
  if (check.status !== 0 || running !== MANY_PROGRAMS) {
    throw new Error(`${argv.join(' ')}: exit ${check.status}, ${running} RUNNING lines\n${check.stdout.slice(0, 500)}${check.stderr}`);
  }
}

/** Median wall time in ms of each command over `runs` runs (hyperfine when installed, one after another). */
function wallTimes(commands: string[][], runs: number): number[] {
  for (const argv of commands) checkStatus(argv);
  if (HAVE_HYPERFINE) {
    const json = path.join(scratchRoot, 'hyperfine.json');
    const run = spawnSync(
      'hyperfine',
      ['-N', '--style', 'none', '--warmup', '2', '--runs', String(runs), '--export-json', json, ...commands.map((argv) => argv.join(' '))],
      { encoding: 'utf8', timeout: 150_000, killSignal: 'SIGKILL' },
    );
    if (run.status !== 0) throw new Error(`hyperfine failed: ${run.stderr}`);
    const parsed = JSON.parse(fs.readFileSync(json, 'utf8')) as { results: { median: number }[] };
    return commands.map((_, i) => (parsed.results[i]?.median ?? Number.NaN) * 1000);
  }
  const times: number[][] = commands.map(() => []);
  for (let i = 0; i < runs; i += 1) {
    commands.forEach((argv, c) => {
      const start = process.hrtime.bigint();
      spawnSync(argv[0] ?? '', argv.slice(1), { stdio: 'ignore', timeout: 20_000, killSignal: 'SIGKILL' });
      times[c]?.push(Number(process.hrtime.bigint() - start) / 1e6);
    });
  }
  return times.map(median);
}

/** Both daemons run side by side here so that interleaved measurements see the same machine load. */
async function manyPrograms(): Promise<void> {
  const idleSeconds = 10;
  const ctlRuns = 20;
  const haveOurCtl = fs.existsSync(OURS_CTL);
  console.log(
    `4-6. ${MANY_PROGRAMS} programs (sleep 1000), both daemons at once: idle RSS and CPU over ${idleSeconds} s, XML-RPC, supervisorctl status`,
  );
  await withDaemon(
    'reference',
    () => sleepers(MANY_PROGRAMS, 1),
    (reference) =>
      withDaemon(
        'ours',
        () => sleepers(MANY_PROGRAMS, 1),
        async (ours) => {
          const daemons: Record<Kind, Daemon> = { reference, ours };
          for (const kind of KINDS) {
            await daemons[kind].waitLog(
              `${MANY_PROGRAMS} running`,
              30_000,
              (lines) => countMatching(lines, /^INFO success: /) >= MANY_PROGRAMS,
            );
          }
          await sleep(2000);
          const before = { reference: procSample(reference.pid), ours: procSample(ours.pid) };
          await sleep(idleSeconds * 1000);
          const after = { reference: procSample(reference.pid), ours: procSample(ours.pid) };
          const pick = (f: (kind: Kind) => number): Record<Kind, number> => ({ reference: f('reference'), ours: f('ours') });

          const info = rpcCompare(daemons, 'getAllProcessInfo', 6, 3, MANY_PROGRAMS, 'xmlrpc');
          const infoRaw = rpcCompare(daemons, 'getAllProcessInfo', 3, 3, MANY_PROGRAMS, 'raw');
          const state = rpcCompare(daemons, 'getState', 3, 3, -1, 'xmlrpc');
          addRow(
            `getAllProcessInfo, ${MANY_PROGRAMS} programs, python xmlrpc.client`,
            'calls/s',
            'higher',
            pick((k) => info[k].calls / info[k].seconds),
          );
          addRow(
            `getAllProcessInfo, ${MANY_PROGRAMS} programs, raw HTTP client (no XML parsing)`,
            'calls/s',
            'higher',
            pick((k) => infoRaw[k].calls / infoRaw[k].seconds),
          );
          addRow(
            'Daemon CPU per getAllProcessInfo call (raw client)',
            'ms',
            'lower',
            pick((k) => infoRaw[k].daemonCpuMs / infoRaw[k].calls),
          );
          addRow(
            'getState, python xmlrpc.client',
            'calls/s',
            'higher',
            pick((k) => state[k].calls / state[k].seconds),
          );

          const commands: { label: string; argv: string[] }[] = [
            { label: 'python→reference', argv: [REFERENCE_CTL, '-c', reference.conf, 'status'] },
            { label: 'python→ours', argv: [REFERENCE_CTL, '-c', ours.conf, 'status'] },
          ];
          if (haveOurCtl) {
            commands.push({ label: 'ours→reference', argv: [process.execPath, OURS_CTL, '-c', reference.conf, 'status'] });
            commands.push({ label: 'ours→ours', argv: [process.execPath, OURS_CTL, '-c', ours.conf, 'status'] });
          }
          const times = wallTimes(
            commands.map((c) => c.argv),
            ctlRuns,
          );
          const time = (label: string): number => times[commands.findIndex((c) => c.label === label)] ?? Number.NaN;
          addRow(`\`supervisorctl status\` with the Python ctl, ${MANY_PROGRAMS} programs, median of ${ctlRuns}`, 'ms', 'lower', {
            reference: time('python→reference'),
            ours: time('python→ours'),
          });
          if (haveOurCtl) {
            addRow('`supervisorctl status`, each daemon with its own ctl', 'ms', 'lower', {
              reference: time('python→reference'),
              ours: time('ours→ours'),
            });
            addRow('`supervisorctl status` with our ctl', 'ms', 'lower', { reference: time('ours→reference'), ours: time('ours→ours') });
          } else {
            note('dist/cli/supervisorctl.js not built: our ctl not measured');
          }
          addRow(
            `Idle daemon RSS, ${MANY_PROGRAMS} programs`,
            'MiB',
            'lower',
            pick((k) => after[k].rssKiB / 1024),
          );
          addRow(
            'Idle RSS: of which anonymous (private) memory',
            'MiB',
            'lower',
            pick((k) => after[k].anonKiB / 1024),
          );
          addRow(
            'Idle RSS: peak (VmHWM) from start to idle',
            'MiB',
            'lower',
            pick((k) => after[k].peakKiB / 1024),
          );
          const loaded = { reference: procSample(reference.pid), ours: procSample(ours.pid) };
          addRow(
            'RSS after the XML-RPC and supervisorctl runs above',
            'MiB',
            'lower',
            pick((k) => loaded[k].rssKiB / 1024),
          );
          addRow(
            `Idle daemon CPU over ${idleSeconds} s (clock ticks are ${1000 / CLOCK_TICKS} ms), ${MANY_PROGRAMS} programs`,
            'ms',
            'lower',
            pick((k) => ((after[k].ticks - before[k].ticks) / CLOCK_TICKS) * 1000),
          );
        },
      ),
  );
}

// ---------------------------------------------------------------------------------------------
// 7. Child output capture.

function capturedBytes(dir: string): number {
  return fs
    .readdirSync(dir)
    .filter((name) => name.startsWith('capture.log'))
    .reduce((sum, name) => sum + fs.statSync(path.join(dir, name)).size, 0);
}

async function captureOnce(kind: Kind): Promise<{ exitedMBs: number; drainedMBs: number; total: number }> {
  return withDaemon(
    kind,
    (dir) => `[program:capture]
command=head -c ${CAPTURE_BYTES} /dev/zero
autorestart=false
startsecs=0
stdout_logfile=${dir}/capture.log
stdout_logfile_maxbytes=50MB
stdout_logfile_backups=20
stderr_logfile=NONE
`,
    async (daemon) => {
      // Poll the logged total too: the time all bytes are on disk, should the exit be logged first.
      let allBytesAt = Number.NaN;
      let exitedLine: LogLine | undefined;
      const until = Date.now() + 60_000;
      while (Date.now() < until) {
        if (Number.isNaN(allBytesAt) && capturedBytes(daemon.dir) >= CAPTURE_BYTES) allBytesAt = nowSeconds();
        exitedLine ??= daemon.log().find((l) => /^\w+ exited: capture /.test(l.text));
        if (exitedLine && !Number.isNaN(allBytesAt)) break;
        if (daemon.exitedAt !== null) throw new Error(`${kind}: daemon exited`);
        await sleep(exitedLine ? 200 : 50);
      }
      const spawned = daemon.log().find((l) => spawnedPid(l, 'capture') !== undefined);
      if (!spawned || !exitedLine) throw new Error(`${kind}: no spawned/exited lines for the capture program`);
      // Settle: the total must not move any more.
      let total = capturedBytes(daemon.dir);
      for (let i = 0; i < 10; i += 1) {
        await sleep(100);
        const again = capturedBytes(daemon.dir);
        if (again === total) break;
        total = again;
      }
      const mb = CAPTURE_BYTES / 1024 / 1024;
      return {
        exitedMBs: mb / (exitedLine.time - spawned.time),
        drainedMBs: Number.isNaN(allBytesAt) ? Number.NaN : mb / (allBytesAt - spawned.time),
        total,
      };
    },
  );
}

async function captureThroughput(): Promise<void> {
  const trials = 3;
  console.log(`7. capture of ${CAPTURE_BYTES / 1024 / 1024} MB of child stdout into a 50MB-rotated log, ${trials} interleaved trials`);
  const runs: Record<Kind, { exitedMBs: number; drainedMBs: number; total: number }[]> = { reference: [], ours: [] };
  for (let trial = 0; trial < trials; trial += 1) {
    for (const kind of KINDS) runs[kind].push(await captureOnce(kind));
  }
  for (const kind of KINDS) {
    console.log(`  ${kind}: ${runs[kind].map((r) => `${r.exitedMBs.toFixed(0)} MB/s, ${r.total} bytes`).join('; ')}`);
    const short = runs[kind].filter((r) => r.total !== CAPTURE_BYTES);
    note(
      short.length === 0
        ? `${kind}: every capture run logged exactly ${CAPTURE_BYTES} bytes (log + backups)`
        : `${kind}: logged ${short.map((r) => r.total).join(', ')} bytes instead of ${CAPTURE_BYTES}`,
    );
  }
  const pick = (f: (r: { exitedMBs: number; drainedMBs: number }) => number): Record<Kind, number> => ({
    reference: median(runs.reference.map(f)),
    ours: median(runs.ours.map(f)),
  });
  addRow(
    `Capture of 512 MB child stdout, spawned→exited log lines, median of ${trials}`,
    'MB/s',
    'higher',
    pick((r) => r.exitedMBs),
  );
  addRow(
    'Capture of 512 MB, spawned → all bytes in the log files (polled every 50 ms)',
    'MB/s',
    'higher',
    pick((r) => r.drainedMBs),
  );
}

// ---------------------------------------------------------------------------------------------

function machineFacts(): string[] {
  const referenceVersion = spawnSync(REFERENCE_DAEMON, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const pythonVersion = spawnSync(PYTHON, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return [
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${os.availableParallelism()} CPUs (nproc), ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Linux ${os.release()}, load average at start ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
    `- Ours: Node ${process.version}; reference: supervisord ${referenceVersion} on ${pythonVersion} (${PYTHON}), clients: ${pythonVersion} xmlrpc.client, ${HAVE_HYPERFINE ? 'hyperfine' : 'a timing loop'} for supervisorctl`,
  ];
}

const SECTIONS: Record<string, () => Promise<void>> = {
  restart: restartLatency,
  listener: listenerLatency,
  stop: stopTime,
  many: manyPrograms,
  capture: captureThroughput,
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const write = !args.includes('--no-write');
  const onlyIndex = args.indexOf('--only');
  const only = onlyIndex >= 0 ? (args[onlyIndex + 1] ?? '').split(',') : Object.keys(SECTIONS);
  const unknown = args.filter((arg, i) => arg !== '--no-write' && arg !== '--only' && !(onlyIndex >= 0 && i === onlyIndex + 1));
  if (unknown.length > 0) throw new Error(`unknown arguments ${unknown.join(' ')}; usage: compare.js [--no-write] [--only section,...]`);
  for (const name of only) {
    if (!SECTIONS[name]) throw new Error(`unknown section ${name}; sections are ${Object.keys(SECTIONS).join(', ')}`);
  }
  if (!fs.existsSync(OURS_DAEMON)) throw new Error(`${OURS_DAEMON} missing: run npm run build first`);
  if (!fs.existsSync(REFERENCE_DAEMON)) throw new Error(`${REFERENCE_DAEMON} missing: the reference is not installed`);
  const facts = machineFacts();
  const started = Date.now();
  for (const name of only) {
    const section = SECTIONS[name];
    if (!section) throw new Error(`unknown section ${name}; sections are ${Object.keys(SECTIONS).join(', ')}`);
    await section();
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  const generated = [
    BEGIN_MARK,
    `## Results (generated by \`node dist/bench/compare.js\`, ${seconds} s)`,
    '',
    ...facts,
    '',
    table(),
    '',
    ...(notes.length > 0 ? ['Notes from the run:', '', ...notes.map((text) => `- ${text}`), ''] : []),
    END_MARK,
  ].join('\n');
  console.log(`\n${facts.join('\n')}\n\n${table()}\n`);
  if (write && only.length === Object.keys(SECTIONS).length) {
    const existing = fs.existsSync(DOC) ? fs.readFileSync(DOC, 'utf8') : '';
    const begin = existing.indexOf(BEGIN_MARK);
    const end = existing.indexOf(END_MARK);
    const text =
      begin >= 0 && end > begin
        ? existing.slice(0, begin) + generated + existing.slice(end + END_MARK.length)
        : `${existing || '# Benchmarks\n\n'}${existing.endsWith('\n') || existing === '' ? '' : '\n'}\n${generated}\n`;
    fs.writeFileSync(DOC, text);
    console.log(`written to ${path.relative(repoRoot, DOC)}`);
  }
}

await main();
