// How soon a readiness check (ours; the reference has none) turns a program RUNNING
// after it becomes ready: a line on stdout, a READY=1 datagram, a port that starts listening
// (checked every readiness_interval=0.05 s). Each program notes the time it became ready, then
// exits after a while and is restarted, so each cycle gives one sample.
import fs from 'node:fs';
import path from 'node:path';
import { withDaemon } from './daemon.js';
import { PYTHON } from './installation.js';
import { median } from './measurement.js';
import type { Results } from './results.js';

const SAMPLES = 10;

const NOTIFY_PY = `import os, socket, sys, time
time.sleep(0.2)
open(sys.argv[1], 'a').write('%.6f\\n' % time.time())
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.sendto(b'READY=1', os.environ['NOTIFY_SOCKET'])
time.sleep(0.3)
`;

const LISTEN_PY = `import socket, sys, time
time.sleep(0.2)
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', int(sys.argv[2])))
s.listen(8)
open(sys.argv[1], 'a').write('%.6f\\n' % time.time())
time.sleep(0.3)
`;

interface Case {
  label: string;
  program: (dir: string) => string;
}

const CASES: Case[] = [
  {
    label: 'stdout: line',
    program: (dir) => `command=/bin/sh -c 'sleep 0.2; echo $(date +%%s.%%N) >> ${dir}/ready; echo listening; sleep 0.3'
readiness=stdout:listening`,
  },
  {
    label: 'notify: READY=1',
    program: (dir) => `command=${PYTHON} ${dir}/notify.py ${dir}/ready
readiness=notify`,
  },
  {
    label: 'tcp:// port (interval 0.05 s)',
    program: (dir) => `command=${PYTHON} ${dir}/listen.py ${dir}/ready 47211
readiness=tcp://127.0.0.1:47211
readiness_interval=0.05`,
  },
];

export async function readinessLatency(results: Results): Promise<void> {
  console.log(`readiness: readiness → RUNNING (ours only), ${SAMPLES} starts each`);
  for (const { label, program } of CASES) {
    const latency = await withDaemon(
      'ours',
      (dir) => {
        fs.writeFileSync(path.join(dir, 'listen.py'), LISTEN_PY);
        fs.writeFileSync(path.join(dir, 'notify.py'), NOTIFY_PY);
        return `[program:ready]
${program(dir)}
autorestart=true
startsecs=0
stdout_logfile=NONE
stderr_logfile=${dir}/ready.err
`;
      },
      async (daemon) => {
        const lines = await daemon.waitLog(
          `${SAMPLES} RUNNING`,
          60_000,
          (all) => all.filter((l) => /success: ready /.test(l.text)).length >= SAMPLES,
        );
        const running = lines.filter((l) => /success: ready /.test(l.text)).map((l) => l.time);
        const ready = fs.readFileSync(path.join(daemon.dir, 'ready'), 'utf8').trim().split('\n').map(Number);
        // The i-th RUNNING follows the i-th moment of readiness; the log has millisecond resolution.
        return median(running.slice(0, SAMPLES).map((time, i) => (time - (ready[i] ?? NaN)) * 1000));
      },
    );
    results.add(`Readiness ${label} → RUNNING, median`, 'ms', 'lower', { reference: NaN, ours: latency });
  }
}
