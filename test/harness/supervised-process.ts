// Shared by the actors/process-* suites: a SupervisedProcess on a fresh fake system and a
// simulated clock, with the PROCESS_STATE events it published, or one driven into a given state.
import assert from 'node:assert/strict';
import type { SupervisorEvent } from '../../actors/events/types.js';
import { SupervisedProcess } from '../../actors/process.js';
import type { ProcessEnvironment } from '../../actors/process-environment.js';
import type { ProcessConfig } from '../../config/types.js';
import type { ProcessStateName } from '../../machines/states.js';
import { FakeSystem, processConfig, processEnvironment, RecordingLog } from './fake-system.js';

const created: SupervisedProcess[] = [];

/** For afterEach: disposes of every process supervised() made. */
export function disposeSupervised(): void {
  for (const process of created.splice(0)) process.dispose();
}

/**
 * Process `x` of group `g` on a fresh fake system, with the PROCESS_STATE events it published;
 * `daemon` changes what the daemon gives it.
 */
export function supervised(overrides: Partial<ProcessConfig> = {}, daemon: Partial<ProcessEnvironment> = {}) {
  const system = new FakeSystem();
  const log = new RecordingLog();
  const env = processEnvironment(system, log, daemon);
  const events: SupervisorEvent[] = [];
  env.bus.observe(['PROCESS_STATE']).subscribe((event) => events.push(event));
  const process = new SupervisedProcess(processConfig('x', overrides), 'g', env);
  created.push(process);
  return {
    system,
    log,
    process,
    events,
    /** The states entered, in order. */
    states: () => events.map((event) => event.type.replace('PROCESS_STATE_', '') as ProcessStateName),
    /** Started and past startsecs. */
    running: () => {
      assert.equal(process.start(), null);
      system.advance(process.config.startsecs * 1000);
      assert.equal(process.state, 'RUNNING');
    },
  };
}

/** A process driven into `state`. */
export async function inState(state: ProcessStateName) {
  const s = supervised({ startretries: state === 'FATAL' ? 0 : 3 });
  if (state === 'STOPPED') return s;
  s.process.start();
  if (state === 'STARTING') return s;
  if (state === 'BACKOFF' || state === 'FATAL') {
    await s.system.child.die(1);
    assert.equal(s.process.state, state);
    return s;
  }
  s.system.advance(1000);
  if (state === 'RUNNING') return s;
  if (state === 'EXITED') {
    await s.system.child.die(0);
  } else if (state === 'STOPPING') {
    s.process.stop();
  } else {
    s.system.killWith = () => {
      throw Object.assign(new Error('EPERM: operation not permitted, kill'), { code: 'EPERM' });
    };
    s.process.stop();
  }
  assert.equal(s.process.state, state);
  return s;
}
