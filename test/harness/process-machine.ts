// The process machine alone, with a world that answers at once: each spawn succeeds (or fails)
// immediately, signals are recorded, time is a simulated clock.
import { createActor, SimulatedClock } from 'xstate';
import { processMachine, type ProcessMachineInput, type SignalRequest, type StateChange } from '../../machines/process.js';
import type { ProcessStateName } from '../../machines/states.js';

export const defaults: ProcessMachineInput = {
  startsecs: 1,
  startretries: 3,
  stopwaitsecs: 10,
  autorestart: 'unexpected',
  exitcodes: [0],
  stopsignal: 'SIGTERM',
  stopasgroup: false,
  killasgroup: false,
  stopastree: false,
  backoffKind: 'linear',
  backoffMax: null,
  readiness: null,
  dependsOn: false,
};

/** A machine whose spawn succeeds (or fails) at once, with a log of what it did. */
export function harness(input: Partial<ProcessMachineInput> = {}, spawnOutcome: () => number | string = () => 100) {
  const clock = new SimulatedClock();
  const changes: string[] = [];
  const signals: Array<Pick<SignalRequest, 'signal' | 'group'> & Partial<Pick<SignalRequest, 'pid' | 'tree' | 'timedOut' | 'because'>>> =
    [];
  /** The health checks and tree watches asked for, in order: "readiness on", "tree off", ... */
  const checks: string[] = [];
  let spawns = 0;
  const actor = createActor(processMachine, { input: { ...defaults, ...input }, clock });
  // The effects the runtime would carry out, answered as a child that spawns (or fails) at once.
  actor.on('spawn', () => {
    spawns += 1;
    const outcome = spawnOutcome();
    if (typeof outcome === 'number') actor.send({ type: 'SPAWNED', pid: outcome });
    else actor.send({ type: 'SPAWN_FAILED', error: outcome });
  });
  actor.on('signal', ({ pid, signal, group, tree, timedOut, because }) => {
    // The pid and the tree flag only with stopastree, so that other tests read as before.
    signals.push({ signal, group, ...(tree ? { pid, tree } : {}), ...(timedOut ? { timedOut } : {}), ...(because ? { because } : {}) });
  });
  actor.on('readiness', ({ run }) => checks.push(`readiness ${run ? 'on' : 'off'}`));
  actor.on('liveness', ({ run }) => checks.push(`liveness ${run ? 'on' : 'off'}`));
  actor.on('dependencies', ({ run }) => checks.push(`dependencies ${run ? 'on' : 'off'}`));
  actor.on('tree', ({ watch }) => checks.push(`tree ${watch ? 'on' : 'off'}`));
  const expectations: boolean[] = [];
  /** Every state change as emitted. */
  const reports: StateChange[] = [];
  actor.on('stateChange', (change: StateChange) => {
    reports.push(change);
    changes.push(`${change.from}->${change.to}`);
    if (change.to === 'EXITED') expectations.push(change.expected);
  });
  actor.start();
  const state = (): ProcessStateName => actor.getSnapshot().context.state;
  return {
    actor,
    clock,
    changes,
    signals,
    checks,
    expectations,
    reports,
    state,
    spawns: () => spawns,
    send: actor.send.bind(actor),
    exit: (code: number | null, signal: NodeJS.Signals | null = null) =>
      actor.send({ type: 'EXIT', pid: actor.getSnapshot().context.pid, status: { code, signal } }),
    advance: (seconds: number) => clock.increment(seconds * 1000),
  };
}
