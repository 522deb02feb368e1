// Benchmark (not a test): how fast child output can be captured into a rotating log file.
//
//   node dist/bench/capture-throughput.js [--megabytes 512] [--trials 5] [--dir /tmp] [modes...]
//
// A child (`head -c N /dev/zero`) writes N MB to its stdout; every chunk read goes through
// RotatingFile (maxbytes 50MB, enough backups to keep everything, so the total is checked).
// Each run is a fresh process (so peak RSS is per run); modes are interleaved across trials
// because this machine is shared and noisy, and the median and best are reported.
//
// Modes:
//   ceiling  `head -c N /dev/zero > file` by the shell: what the disk allows, no Node at all
//   count    child.stdout 'data' events, nothing written: the cost of reading alone
//   data     child.stdout 'data' events, one RotatingFile.write per chunk
//   onread   the child's stdout is one end of a Unix socket pair whose other end we read with
//            net.Socket's `onread` into one reused 1MB buffer (no Buffer per chunk, no Readable
//            stream machinery, reads larger than libuv's default 64KB). Node's own 'pipe' stdio
//            is a Unix socket pair too, so the child sees the same kind of fd.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RotatingFile } from '../actors/logs/rotating-file.js';

const MODES = ['ceiling', 'count', 'data', 'onread'] as const;
type Mode = (typeof MODES)[number];

const MAX_BYTES = 50 * 1024 * 1024;
const ONREAD_BUFFER_BYTES = 1024 * 1024;

interface RunResult {
  mode: Mode;
  seconds: number;
  /** User + system CPU time of this process: less disturbed than wall time by other load. */
  cpuSeconds: number;
  chunks: number;
  peakRssMegabytes: number;
}

interface Capture {
  bytes: number;
  chunks: number;
}

function isMode(value: string): value is Mode {
  return (MODES as readonly string[]).includes(value);
}

function spawnProducer(totalBytes: number, stdout: 'pipe' | net.Socket): ReturnType<typeof spawn> {
  return spawn('head', ['-c', String(totalBytes), '/dev/zero'], { stdio: ['ignore', stdout, 'inherit'] });
}

function captureWithDataEvents(totalBytes: number, log: RotatingFile | null): Promise<Capture> {
  const child = spawnProducer(totalBytes, 'pipe');
  const capture: Capture = { bytes: 0, chunks: 0 };
  child.stdout?.on('data', (chunk: Buffer) => {
    capture.bytes += chunk.length;
    capture.chunks += 1;
    log?.write(chunk);
  });
  return new Promise((resolve) => child.on('close', () => resolve(capture)));
}

/** A connected Unix socket pair from public APIs: a listener on an abstract name, one connection. */
async function socketPair(onread: (bytesRead: number, buffer: Buffer) => void): Promise<{ ours: net.Socket; theirs: net.Socket }> {
  const server = net.createServer();
  const address = `\0capture-bench-${process.pid}`;
  await new Promise<void>((resolve) => server.listen(address, resolve));
  const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
  const buffer = Buffer.allocUnsafe(ONREAD_BUFFER_BYTES);
  const ours = net.connect({
    path: address,
    onread: {
      buffer,
      callback: (bytesRead) => {
        onread(bytesRead, buffer);
        return true;
      },
    },
  });
  const theirs = await accepted;
  server.close();
  return { ours, theirs };
}

async function captureWithOnread(totalBytes: number, log: RotatingFile): Promise<Capture> {
  const capture: Capture = { bytes: 0, chunks: 0 };
  const { ours, theirs } = await socketPair((bytesRead, buffer) => {
    capture.bytes += bytesRead;
    capture.chunks += 1;
    // The buffer is reused by the next read: the writer copies it out synchronously.
    log.write(buffer.subarray(0, bytesRead));
  });
  const ended = new Promise((resolve) => ours.on('end', resolve));
  const child = spawnProducer(totalBytes, theirs);
  theirs.destroy();
  await Promise.all([ended, new Promise((resolve) => child.on('close', resolve))]);
  return capture;
}

function loggedBytes(dir: string): number {
  return fs.readdirSync(dir).reduce((sum, name) => sum + fs.statSync(path.join(dir, name)).size, 0);
}

/** One measurement, in this process. */
async function runOnce(mode: Mode, totalBytes: number, parentDir: string): Promise<RunResult> {
  const dir = fs.mkdtempSync(path.join(parentDir, 'capture-bench-'));
  try {
    const logPath = path.join(dir, 'capture.log');
    const log = mode === 'count' || mode === 'ceiling' ? null : new RotatingFile(logPath, { maxBytes: MAX_BYTES, backups: 100 });
    const started = process.hrtime.bigint();
    const cpuBefore = process.cpuUsage();
    let capture: Capture;
    if (mode === 'ceiling') {
      execFileSync('sh', ['-c', `head -c ${totalBytes} /dev/zero > "$0"`, logPath]);
      capture = { bytes: totalBytes, chunks: 0 };
    } else if (mode === 'onread' && log) {
      capture = await captureWithOnread(totalBytes, log);
    } else {
      capture = await captureWithDataEvents(totalBytes, log);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    log?.close();
    const logged = mode === 'count' ? capture.bytes : loggedBytes(dir);
    if (capture.bytes !== totalBytes || logged !== totalBytes) {
      throw new Error(`${mode}: read ${capture.bytes}, logged ${logged}, expected ${totalBytes}`);
    }
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    return { mode, seconds, cpuSeconds, chunks: capture.chunks, peakRssMegabytes: process.resourceUsage().maxRSS / 1024 };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

interface Options {
  megabytes: number;
  trials: number;
  dir: string;
  modes: Mode[];
  child: boolean;
}

function parseOptions(args: string[]): Options {
  const options: Options = { megabytes: 512, trials: 5, dir: os.tmpdir(), modes: [], child: false };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '--megabytes') options.megabytes = Number(args[++i]);
    else if (arg === '--trials') options.trials = Number(args[++i]);
    else if (arg === '--dir') options.dir = args[++i] ?? options.dir;
    else if (arg === '--child') options.child = true;
    else if (isMode(arg)) options.modes.push(arg);
    else throw new Error(`unknown argument ${arg}; modes are ${MODES.join(', ')}`);
  }
  if (options.modes.length === 0) options.modes = [...MODES];
  return options;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const totalBytes = options.megabytes * 1024 * 1024;
  if (options.child) {
    const result = await runOnce(options.modes[0] ?? 'data', totalBytes, options.dir);
    process.stdout.write(JSON.stringify(result));
    return;
  }
  const results = new Map<Mode, RunResult[]>(options.modes.map((mode) => [mode, []]));
  const script = fileURLToPath(import.meta.url);
  for (let trial = 0; trial < options.trials; trial += 1) {
    for (const mode of options.modes) {
      const args = [script, '--child', '--megabytes', String(options.megabytes), '--dir', options.dir, mode];
      const run = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      if (run.status !== 0) throw new Error(`${mode} run failed`);
      results.get(mode)?.push(JSON.parse(run.stdout) as RunResult);
    }
  }
  console.log(`${options.megabytes} MB per run, ${options.trials} trials, logs in ${options.dir}, maxbytes 50MB`);
  for (const [mode, runs] of results) {
    const speeds = runs.map((run) => options.megabytes / run.seconds);
    const chunks = median(runs.map((run) => run.chunks));
    const averageChunk = chunks > 0 ? `, median ${chunks} chunks (avg ${(totalBytes / chunks / 1024).toFixed(0)} KB)` : '';
    console.log(
      `${mode.padEnd(8)} median ${median(speeds).toFixed(0)} MB/s, best ${Math.max(...speeds).toFixed(0)} MB/s` +
        `${mode === 'ceiling' ? '' : `, median CPU ${median(runs.map((run) => run.cpuSeconds)).toFixed(2)} s`}` +
        `${averageChunk}, peak RSS ${median(runs.map((run) => run.peakRssMegabytes)).toFixed(0)} MB`,
    );
  }
}

await main();
