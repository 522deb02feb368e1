// depends_on= (ours) in the process actor, in-process on a fake system: a dependent waits in
// STARTING, starts what it depends on, spawns once that is RUNNING (or done), and goes FATAL
// when it goes FATAL.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SupervisedProcess } from '../../actors/process.js';
import type { Dependency, ProcessConfig } from '../../config/types.js';
import { FakeSystem, processConfig, processEnvironment, RecordingLog } from '../harness/fake-system.js';

const created: SupervisedProcess[] = [];
afterEach(() => created.splice(0).forEach((p) => p.dispose()));

/** Processes on one fake system, each in a group of its own name, that can find each other. */
function daemon(configs: Record<string, Partial<ProcessConfig>>) {
  const system = new FakeSystem();
  const log = new RecordingLog();
  const processes = new Map<string, SupervisedProcess>();
  const env = processEnvironment(system, log, { findProcess: (group, name) => (group === name ? processes.get(name) : undefined) });
  for (const [name, overrides] of Object.entries(configs)) {
    const process = new SupervisedProcess(processConfig(name, overrides), name, env);
    processes.set(name, process);
    created.push(process);
  }
  /** The child of the latest spawn of `name`. */
  const childOf = (name: string) => {
    const spawn = [...system.spawns].reverse().find((s) => s.options.env?.['SUPERVISOR_PROCESS_NAME'] === name);
    assert.ok(spawn, `${name} was spawned`);
    return spawn.child;
  };
  return {
    system,
    log,
    get: (name: string) => processes.get(name)!,
    childOf,
    spawned: () => system.spawns.map((s) => s.options.env?.['SUPERVISOR_PROCESS_NAME']),
  };
}

const on = (name: string, completed = false): Dependency => ({ group: name, name, completed });

describe('depends_on', () => {
  it('a dependent starts its dependency, waits in STARTING, and spawns once it is RUNNING', () => {
    const d = daemon({ db: { autostart: false }, web: { dependsOn: [on('db')] } });
    assert.equal(d.get('web').start(), null);
    assert.equal(d.get('web').state, 'STARTING');
    assert.equal(d.get('db').state, 'STARTING', 'the dependency was asked to start');
    assert.deepEqual(d.spawned(), ['db'], 'web is not spawned yet');
    assert.match(d.log.messages.join('\n'), /waiting: 'web' starts once db is ready/);
    d.system.advance(1000);
    assert.equal(d.get('db').state, 'RUNNING');
    assert.deepEqual(d.spawned(), ['db', 'web']);
    d.system.advance(1000);
    assert.equal(d.get('web').state, 'RUNNING');
  });

  it(':completed waits for an expected exit of a one-shot task, and does not run it twice', async () => {
    const d = daemon({ migrate: { autostart: false, autorestart: 'false', startsecs: 0 }, web: { dependsOn: [on('migrate', true)] } });
    d.get('web').start();
    assert.equal(d.get('migrate').state, 'RUNNING');
    assert.deepEqual(d.spawned(), ['migrate']);
    await d.childOf('migrate').die(0);
    assert.equal(d.get('migrate').state, 'EXITED');
    assert.deepEqual(d.spawned(), ['migrate', 'web']);
    d.get('web').stop();
    await d.childOf('web').die(null, 'SIGTERM');
    d.get('web').start();
    assert.deepEqual(d.spawned(), ['migrate', 'web', 'web'], 'done once is done');
  });

  it('a dependency that goes FATAL makes the waiting dependent FATAL, with a spawn error naming it', async () => {
    const d = daemon({ db: { autostart: false, startretries: 0 }, web: { dependsOn: [on('db')] } });
    d.get('web').start();
    await d.childOf('db').die(1);
    assert.equal(d.get('db').state, 'FATAL');
    assert.equal(d.get('web').state, 'FATAL');
    assert.equal(d.get('web').snapshot().spawnerr, 'dependency db entered FATAL');
    assert.ok(d.log.messages.includes('gave up: web entered FATAL state, dependency db entered FATAL'));
    assert.deepEqual(d.spawned(), ['db']);
  });

  it('a stop while it waits leaves it STOPPED without a child', () => {
    const d = daemon({ db: { autostart: false }, web: { dependsOn: [on('db')] } });
    d.get('web').start();
    assert.equal(d.get('web').stop(), true);
    assert.equal(d.get('web').state, 'STOPPED');
    d.system.advance(1000);
    assert.deepEqual(d.spawned(), ['db'], 'web is never spawned');
  });

  it('a dependency that is not there fails the start at once', () => {
    const d = daemon({ web: { dependsOn: [on('gone')] } });
    d.get('web').start();
    assert.equal(d.get('web').state, 'FATAL');
    assert.equal(d.get('web').snapshot().spawnerr, 'dependency gone is not in use');
  });
});
