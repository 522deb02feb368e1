// The time from a child's exit to its PROCESS_STATE_EXITED event reaching a Python
// event listener (stdlib only, the same for both daemons).
import fs from 'node:fs';
import path from 'node:path';
import { scratchRoot } from './cleanup.js';
import { withDaemon } from './daemon.js';
import { KINDS, PYTHON, type Kind } from './installation.js';
import { median, sleep } from './measurement.js';
import type { Results } from './results.js';

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

export async function listenerLatency(results: Results): Promise<void> {
  console.log('listener: exit → PROCESS_STATE_EXITED at a python listener, up to 12 s or 10 events each');
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
  results.add('Exit → event at listener, median', 'ms', 'lower', latencies);
}
