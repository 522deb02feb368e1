// Every event in every reachable state of the process machine, on a simulated clock, against a
// model of the world (children that spawn or fail, live, die when signalled): no state may get
// stuck, and no child may escape supervision.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createActor } from 'xstate';
import { processMachine, type ProcessEvent, type ProcessMachineInput } from '../../machines/process.js';
import { STOPPED_STATES, type ProcessStateName } from '../../machines/states.js';

const PLAIN: ProcessMachineInput = {
  startsecs: 1,
  startretries: 2,
  stopwaitsecs: 2,
  autorestart: 'unexpected',
  exitcodes: [0],
  stopsignal: 'SIGTERM',
  stopasgroup: false,
  killasgroup: false,
  backoffKind: 'linear',
  backoffMax: null,
  readiness: null,
  dependsOn: false,
};

/** The same with a readiness check (ours), which adds the states that wait for it. */
const WITH_READINESS: ProcessMachineInput = { ...PLAIN, readiness: { timeout: 3, description: 'tcp://127.0.0.1:1' } };

/** With depends_on= (ours): each start first waits for the dependencies. */
const WITH_DEPENDENCIES: ProcessMachineInput = { ...PLAIN, dependsOn: true };

/** A clock whose pending timers can be listed and fired one at a time. */
class StepClock {
  private now = 0;
  private nextId = 0;
  private readonly timers = new Map<number, { due: number; fn: () => void }>();

  setTimeout(fn: () => void, timeout: number): number {
    this.timers.set(++this.nextId, { due: this.now + timeout, fn });
    return this.nextId;
  }

  clearTimeout(id: unknown): void {
    this.timers.delete(id as number);
  }

  get pending(): number[] {
    return [...this.timers.values()].map((t) => t.due - this.now).sort((a, b) => a - b);
  }

  /** Fires the earliest timer (and any due with it). */
  fireNext(): void {
    const [earliest] = [...this.timers.entries()].sort((a, b) => a[1].due - b[1].due);
    if (!earliest) return;
    this.now = earliest[1].due;
    this.timers.delete(earliest[0]);
    earliest[1].fn();
  }
}

/** What can happen next: a command, an answer of the world, or time passing. */
type Step = ProcessEvent | { type: 'TIME' };

/** The machine in a world that remembers what it was asked to do. */
function world(input: ProcessMachineInput, steps: readonly Step[]) {
  const clock = new StepClock();
  const actor = createActor(processMachine, { input, clock });
  const model = { spawnPending: false, alive: 0, doomed: false, lastPid: 0, doubleSpawns: 0, awaitingDependencies: false };
  actor.on('dependencies', ({ run }) => {
    model.awaitingDependencies = run;
  });
  actor.on('spawn', () => {
    if (model.spawnPending || model.alive !== 0) model.doubleSpawns += 1;
    model.spawnPending = true;
  });
  actor.on('signal', ({ pid }) => {
    // A stop or kill signal to the living child makes it exit; to no child it does nothing.
    if (pid !== 0 && pid === model.alive) model.doomed = true;
  });
  actor.start();
  const apply = (step: Step) => {
    if (step.type === 'TIME') return clock.fireNext();
    if (step.type === 'SPAWNED') {
      model.spawnPending = false;
      model.alive = step.pid;
      model.lastPid = step.pid;
    } else if (step.type === 'SPAWN_FAILED') {
      model.spawnPending = false;
    } else if (step.type === 'EXIT') {
      model.alive = 0;
      model.doomed = false;
    }
    actor.send(step);
  };
  for (const step of steps) apply(step);
  const state = (): ProcessStateName => actor.getSnapshot().context.state;
  /** The steps possible now: commands always, answers of the world when they make sense. */
  const possible = (): Step[] => {
    const next: Step[] = [{ type: 'START' }, { type: 'STOP' }, { type: 'SHUTDOWN' }, { type: 'GIVE_UP' }];
    if (model.spawnPending) next.push({ type: 'SPAWNED', pid: model.lastPid + 1 }, { type: 'SPAWN_FAILED', error: 'no such file' });
    if (model.alive) {
      // A health check may pass or fail whenever there is a child to check.
      next.push({ type: 'READY' }, { type: 'LIVENESS_FAILED', detail: 'x' });
      next.push({ type: 'EXIT', pid: model.alive, status: { code: 0, signal: null } });
      next.push({ type: 'EXIT', pid: model.alive, status: { code: 1, signal: null } });
    }
    if (model.awaitingDependencies) next.push({ type: 'DEPENDENCIES_MET' }, { type: 'DEPENDENCY_FAILED', detail: 'x' });
    if (clock.pending.length) next.push({ type: 'TIME' });
    return next;
  };
  const key = () => {
    const { value, context } = actor.getSnapshot();
    const { state: _state, ...facts } = context;
    return JSON.stringify([value, facts, model.spawnPending, model.alive !== 0, model.doomed, model.awaitingDependencies, clock.pending]);
  };
  return { actor, model, clock, apply, state, possible, key };
}

/** Every distinct configuration reachable from the start, with a shortest way there. */
function reachable(input: ProcessMachineInput): Map<string, Step[]> {
  const seen = new Map<string, Step[]>([[world(input, []).key(), []]]);
  const queue: Step[][] = [[]];
  while (queue.length) {
    const path = queue.shift()!;
    for (const step of world(input, path).possible()) {
      const next = [...path, step];
      const key = world(input, next).key();
      if (seen.has(key)) continue;
      seen.set(key, next);
      queue.push(next);
    }
  }
  return seen;
}

const describeSteps = (steps: readonly Step[]) => steps.map((s) => s.type).join(' ') || '(start)';

/**
 * Stops the process as a stop request does (STOP), or as the daemon's shutdown does (SHUTDOWN,
 * then STOP — GIVE_UP in BACKOFF — on every change, as ProcessGroup.stopAll), with a
 * cooperative world; true once it is stopped with nothing left behind.
 */
function stopsCleanly(
  input: ProcessMachineInput,
  path: readonly Step[],
  how: 'stop' | 'shutdown',
  spawnAnswer: 'SPAWNED' | 'SPAWN_FAILED',
): boolean {
  const w = world(input, path);
  const stop = () => w.apply(w.state() === 'BACKOFF' && how === 'shutdown' ? { type: 'GIVE_UP' } : { type: 'STOP' });
  if (how === 'shutdown') w.apply({ type: 'SHUTDOWN' });
  stop();
  for (let step = 0; step < 50; step++) {
    if (how === 'shutdown') stop();
    if (STOPPED_STATES.includes(w.state()) && !w.model.alive && !w.model.spawnPending) return true;
    if (w.model.spawnPending) {
      w.apply(spawnAnswer === 'SPAWNED' ? { type: 'SPAWNED', pid: w.model.lastPid + 1 } : { type: 'SPAWN_FAILED', error: 'x' });
    } else if (w.model.doomed) {
      w.apply({ type: 'EXIT', pid: w.model.alive, status: { code: null, signal: 'SIGTERM' } });
    } else if (w.clock.pending.length) {
      w.apply({ type: 'TIME' });
    } else {
      return false;
    }
  }
  return false;
}

for (const [label, input] of [
  ['as the reference', PLAIN],
  ['with a readiness check', WITH_READINESS],
  ['with dependencies', WITH_DEPENDENCIES],
] as const) {
  describe(`process machine ${label}, every event in every state`, () => {
    const configurations = reachable(input);

    it('reaches every state of the machine', () => {
      const states = new Set([...configurations.values()].map((path) => world(input, path).state()));
      assert.deepEqual([...states].sort(), ['BACKOFF', 'EXITED', 'FATAL', 'RUNNING', 'STARTING', 'STOPPED', 'STOPPING'].sort());
    });

    it('takes every event in every state without failing', () => {
      const events: ProcessEvent[] = [
        { type: 'START' },
        { type: 'STOP' },
        { type: 'SHUTDOWN' },
        { type: 'GIVE_UP' },
        { type: 'SPAWNED', pid: 999 },
        { type: 'SPAWN_FAILED', error: 'x' },
        { type: 'EXIT', pid: 999, status: { code: 0, signal: null } },
        { type: 'KILL_FAILED', error: 'x' },
        { type: 'READY' },
        { type: 'LIVENESS_FAILED', detail: 'x' },
        { type: 'DEPENDENCIES_MET' },
        { type: 'DEPENDENCY_FAILED', detail: 'x' },
      ];
      for (const path of configurations.values()) {
        for (const event of events) {
          const w = world(input, path);
          w.actor.send(event);
          assert.equal(w.actor.getSnapshot().status, 'active', `${describeSteps(path)} then ${event.type}`);
        }
      }
    });

    it('never waits in a passing state for something that cannot come', () => {
      for (const path of configurations.values()) {
        const w = world(input, path);
        if (!['STARTING', 'STOPPING', 'BACKOFF'].includes(w.state())) continue;
        // Retrying is off while the daemon shuts down: BACKOFF then waits for the daemon to give
        // up on it, as the reference's stop_all does (covered by the stop test below).
        if (w.state() === 'BACKOFF' && w.actor.getSnapshot().context.shuttingDown) continue;
        const waiting = w.model.spawnPending || w.model.alive !== 0 || w.model.awaitingDependencies || w.clock.pending.length > 0;
        assert.ok(waiting, `stuck in ${w.state()} after ${describeSteps(path)}`);
      }
    });

    it('loses no child: one at a time, RUNNING has one, the stopped states have none', () => {
      for (const path of configurations.values()) {
        const w = world(input, path);
        assert.equal(w.model.doubleSpawns, 0, `a second child spawned beside the first after ${describeSteps(path)}`);
        const { pid } = w.actor.getSnapshot().context;
        if (w.state() === 'RUNNING')
          assert.ok(w.model.alive && pid === w.model.alive, `RUNNING without its child after ${describeSteps(path)}`);
        if (['STOPPED', 'EXITED', 'FATAL'].includes(w.state())) {
          assert.ok(!w.model.alive && !w.model.spawnPending, `${w.state()} with a child left after ${describeSteps(path)}`);
        }
      }
    });

    it('stops from every state, whatever a spawn under way turns out to be', () => {
      for (const path of configurations.values()) {
        for (const how of ['stop', 'shutdown'] as const) {
          for (const answer of ['SPAWNED', 'SPAWN_FAILED'] as const) {
            assert.ok(stopsCleanly(input, path, how, answer), `no clean ${how} after ${describeSteps(path)} (the spawn answers ${answer})`);
          }
        }
      }
    });
  });
}
