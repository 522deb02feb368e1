// Benchmark (not a test): the XML-RPC codec on a getAllProcessInfo-like answer, and on a big
// string such as a readLog of a busy log.
//
//   node dist/bench/xmlrpc-codec.js [--processes 1000] [--rounds 20]
//
// Prints the median and best time of each step over the rounds (after a warm-up round).
import { parseMethodResponse } from '../common/xmlrpc/parse.js';
import { serializeMethodResponse } from '../common/xmlrpc/serialize.js';
import type { XmlRpcValue } from '../common/xmlrpc/types.js';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const processes = option('processes', 1000);
const rounds = option('rounds', 20);

function processInfo(i: number): XmlRpcValue {
  const now = Math.floor(Date.now() / 1000);
  return {
    name: `worker_${i}`,
    group: `group_${i % 10}`,
    description: `pid ${10000 + i}, uptime 1:02:03`,
    start: now - 3723,
    stop: 0,
    now,
    state: 20,
    statename: 'RUNNING',
    spawnerr: '',
    exitstatus: 0,
    logfile: `/var/log/supervisor/worker_${i}-stdout.log`,
    stdout_logfile: `/var/log/supervisor/worker_${i}-stdout.log`,
    stderr_logfile: `/var/log/supervisor/worker_${i}-stderr.log`,
    pid: 10000 + i,
    // Escaping and replacing on the way: a few special characters per struct.
    note: 'a < b & c\r\x07',
  };
}

function measure(label: string, step: () => unknown): void {
  step(); // warm-up
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    step();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] as number;
  console.log(`${label.padEnd(40)} median ${median.toFixed(2)} ms   best ${(times[0] as number).toFixed(2)} ms`);
}

const infos = Array.from({ length: processes }, (_, i) => processInfo(i));
const infosXml = serializeMethodResponse(infos);
console.log(`${processes} processes: ${(infosXml.length / 1024).toFixed(0)} KB of XML`);
measure(`serialize getAllProcessInfo (${processes})`, () => serializeMethodResponse(infos));
measure(`parse getAllProcessInfo (${processes}, string)`, () => parseMethodResponse(infosXml));
const infosBuffer = Buffer.from(infosXml);
measure(`parse getAllProcessInfo (${processes}, Buffer)`, () => parseMethodResponse(infosBuffer));

const log = 'INFO something happened & was logged <ok>\n'.repeat(250_000);
const logXml = Buffer.from(serializeMethodResponse(log));
console.log(`log string: ${(logXml.length / 1024 / 1024).toFixed(1)} MB of XML`);
measure('serialize 10 MB string', () => serializeMethodResponse(log));
measure('parse 10 MB string', () => parseMethodResponse(logXml));
