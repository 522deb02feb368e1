// Daemon start → first XML-RPC answer: from the spawn of the daemon (100 programs) to the first
// complete getState answer on its unix socket, polled every millisecond. Beside it, the same
// with no programs (both daemons answer only after their autostart pass, so the difference is
// what spawning the programs costs) and the floor: each interpreter starting a bare server on a
// unix socket and answering the same request.
import path from 'node:path';
import { scratchRoot } from './cleanup.js';
import { Daemon, sleeperPrograms } from './daemon.js';
import { FLOOR_LABEL, FloorProcess, ANSWER_SCRIPT } from './floors.js';
import { KINDS, type Kind } from './installation.js';
import { median } from './measurement.js';
import { firstAnswer } from './raw-rpc.js';
import type { Results } from './results.js';

const PROGRAMS = 100;
const TRIALS = 5;

async function daemonTrial(kind: Kind, programs: number): Promise<number> {
  const daemon = Daemon.start(kind, () => sleeperPrograms(programs, 1));
  try {
    const answer = await firstAnswer(daemon.socket, 'getState', 20_000);
    const ms = Number(process.hrtime.bigint() - daemon.spawnedAt) / 1e6;
    if (!answer.includes('statecode')) throw new Error(`${kind}: getState answered ${answer.slice(0, 300)}`);
    return ms;
  } finally {
    await daemon.dispose();
  }
}

async function floorTrial(kind: Kind, trial: number): Promise<number> {
  const socket = path.join(scratchRoot, `floor-${kind}-${trial}.sock`);
  const floor = FloorProcess.start(kind, ANSWER_SCRIPT, [socket]);
  try {
    await firstAnswer(socket, 'getState', 20_000);
    return Number(process.hrtime.bigint() - floor.spawnedAt) / 1e6;
  } finally {
    await floor.dispose();
  }
}

export async function firstAnswerLatency(results: Results): Promise<void> {
  console.log(`first-answer: spawn → first getState answer, ${PROGRAMS} programs, ${TRIALS} interleaved trials`);
  const times: Record<Kind, number[]> = { reference: [], ours: [] };
  const empty: Record<Kind, number[]> = { reference: [], ours: [] };
  const floors: Record<Kind, number[]> = { reference: [], ours: [] };
  for (let trial = 0; trial < TRIALS; trial += 1) {
    for (const kind of KINDS) {
      times[kind].push(await daemonTrial(kind, PROGRAMS));
      empty[kind].push(await daemonTrial(kind, 0));
      floors[kind].push(await floorTrial(kind, trial));
    }
  }
  console.log(
    `  reference: ${times.reference.map((t) => t.toFixed(0)).join(', ')} ms; ours: ${times.ours.map((t) => t.toFixed(0)).join(', ')} ms`,
  );
  const floor = { reference: median(floors.reference), ours: median(floors.ours) };
  results.add(
    `Daemon start → first XML-RPC answer (getState), ${PROGRAMS} programs, median of ${TRIALS}`,
    'ms',
    'lower',
    { reference: median(times.reference), ours: median(times.ours) },
    { op: '≤', limit: 250, nodeFloor: floor.ours },
  );
  results.add(`Daemon start → first XML-RPC answer (getState), no programs, median of ${TRIALS}`, 'ms', 'lower', {
    reference: median(empty.reference),
    ours: median(empty.ours),
  });
  results.addFloor(
    `Floor: bare ${FLOOR_LABEL.reference} / ${FLOOR_LABEL.ours} listening on a unix socket → first HTTP answer, median of ${TRIALS}`,
    'ms',
    'lower',
    floor,
  );
}
