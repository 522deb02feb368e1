// Starting many programs: a daemon with N programs `sleep 1000` (startsecs=0), from the first
// `spawned:` line to the N-th `success:` (RUNNING) line of its activity log, per program; for N
// of 50, 200 and 800, each daemon in turn. The cost per program should not grow with N.
import { withDaemon } from './daemon.js';
import { KINDS, type Kind } from './installation.js';
import type { Results } from './results.js';

const COUNTS = [50, 200, 800] as const;
const TARGET_MS = 1.5;
/** "Flat": the cost per program at the largest N at most this many times that at the smallest. */
const FLAT_FACTOR = 1.5;

async function startAll(kind: Kind, programs: number): Promise<number> {
  return withDaemon(
    kind,
    () => {
      let text = '';
      for (let i = 0; i < programs; i += 1) {
        text += `[program:p${String(i).padStart(4, '0')}]\ncommand=sleep 1000\nstartsecs=0\nstdout_logfile=NONE\nstderr_logfile=NONE\n\n`;
      }
      return text;
    },
    async (daemon) => {
      const lines = await daemon.waitRunning(programs, 120_000);
      const first = lines.find((l) => /^INFO spawned: /.test(l.text));
      const last = lines.filter((l) => /^INFO success: /.test(l.text))[programs - 1];
      if (!first || !last) throw new Error(`${kind}: no spawned/success lines`);
      return ((last.time - first.time) * 1000) / programs;
    },
  );
}

export async function startManyPrograms(results: Results): Promise<void> {
  console.log(`start-many: first spawned → all RUNNING (startsecs=0) for ${COUNTS.join(', ')} programs, each daemon in turn`);
  const perProgram = new Map<number, Record<Kind, number>>();
  for (const programs of COUNTS) {
    const row = {} as Record<Kind, number>;
    for (const kind of KINDS) row[kind] = await startAll(kind, programs);
    perProgram.set(programs, row);
    results.add(`Start ${programs} programs: first spawned → all RUNNING, per program`, 'ms', 'lower', row, { op: '≤', limit: TARGET_MS });
  }
  const smallest = perProgram.get(COUNTS[0]);
  const largest = perProgram.get(COUNTS[COUNTS.length - 1] ?? COUNTS[0]);
  if (!smallest || !largest) return;
  results.add(
    `Start programs: per-program time at ${COUNTS[COUNTS.length - 1]} over that at ${COUNTS[0]}`,
    '×',
    'lower',
    { reference: largest.reference / smallest.reference, ours: largest.ours / smallest.ours },
    { op: '≤', limit: FLAT_FACTOR, from: 'flat' },
  );
}
