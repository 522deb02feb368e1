// ProcessGroup in-process, on a fake system: the order it starts and stops its processes in,
// as the reference does, and what a group stop does with a process that is retrying.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ProcessGroup } from '../../actors/group.js';
import { loadConfig } from '../../config/load.js';
import type { ProcessGroupConfig } from '../../config/types.js';
import { FakeSystem, processConfig, processEnvironment, RecordingLog } from '../harness/fake-system.js';

// A [group:x] keeps the order of programs= (whatever the priorities); a program's numprocs
// processes come in process_num order. No log files: AUTO ones are named by the daemon.
const CONFIG = `
[supervisord]
[program:web]
command=/bin/true
stdout_logfile=NONE
stderr_logfile=NONE
priority=300
numprocs=3
process_name=%(program_name)s_%(process_num)s
[program:db]
command=/bin/true
stdout_logfile=NONE
stderr_logfile=NONE
priority=100
[program:cache]
command=/bin/true
stdout_logfile=NONE
stderr_logfile=NONE
priority=200
autostart=false
[group:stack]
programs=web,db,cache
`;

let dir = '';
let stack: ProcessGroupConfig;

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'actors-group-'));
  writeFileSync(path.join(dir, 'supervisord.conf'), CONFIG);
  const config = loadConfig('supervisord.conf', { env: { PATH: '/usr/bin:/bin' }, cwd: dir });
  const found = config.groups.find((g) => g.name === 'stack');
  assert.ok(found);
  stack = found;
});

after(() => rmSync(dir, { recursive: true, force: true }));

const created: ProcessGroup[] = [];

afterEach(() => {
  for (const group of created.splice(0)) group.dispose();
});

function groupOf(config: ProcessGroupConfig) {
  const system = new FakeSystem();
  const group = new ProcessGroup(config, processEnvironment(system, new RecordingLog()));
  created.push(group);
  const nameOf = (pid: number) => group.processes.find((p) => p.pid === Math.abs(pid))?.name ?? `pid ${pid}`;
  return {
    system,
    group,
    process: (name: string) => {
      const found = group.processes.find((p) => p.name === name);
      assert.ok(found, name);
      return found;
    },
    /** Names in the order they were spawned. */
    spawned: () => system.spawns.map((s) => s.options.env?.SUPERVISOR_PROCESS_NAME),
    /** Names in the order they were signalled. */
    signalled: () => system.signals.map((s) => `${nameOf(s.pid)} ${s.signal}`),
  };
}

describe('ProcessGroup', () => {
  it('starts its autostart processes in the order of its configuration', () => {
    const g = groupOf(stack);
    assert.deepEqual(
      g.group.processes.map((p) => p.name),
      ['web_0', 'web_1', 'web_2', 'db', 'cache'],
    );
    g.group.startAutostarting();
    assert.deepEqual(g.spawned(), ['web_0', 'web_1', 'web_2', 'db']);
    assert.equal(g.process('cache').state, 'STOPPED');
  });

  it('stops the highest priority number first, equal priorities in reverse start order', () => {
    const g = groupOf(stack);
    g.group.startAutostarting();
    g.process('cache').start();
    g.system.advance(1000);
    g.group.stopAll();
    assert.deepEqual(g.signalled(), ['web_2 SIGTERM', 'web_1 SIGTERM', 'web_0 SIGTERM', 'cache SIGTERM', 'db SIGTERM']);
    assert.deepEqual(
      g.group.unstopped().map((p) => p.state),
      ['STOPPING', 'STOPPING', 'STOPPING', 'STOPPING', 'STOPPING'],
    );
  });

  it('orders a stop by priority, not by configuration order', () => {
    const config: ProcessGroupConfig = {
      kind: 'group',
      name: 'mixed',
      priority: 999,
      processes: [
        processConfig('low', { priority: 1 }),
        processConfig('high', { priority: 50 }),
        processConfig('middle', { priority: 10 }),
      ],
      location: { file: '/etc/supervisord.conf', line: 1 },
    };
    const g = groupOf(config);
    g.group.startAutostarting();
    assert.deepEqual(g.spawned(), ['low', 'high', 'middle']);
    g.group.stopAll();
    assert.deepEqual(g.signalled(), ['high SIGTERM', 'middle SIGTERM', 'low SIGTERM']);
  });

  it('gives up on a process in BACKOFF instead of stopping it, and leaves stopped ones alone', async () => {
    const g = groupOf(stack);
    g.group.startAutostarting();
    const db = g.process('db');
    await g.system.spawns.find((s) => s.options.env?.SUPERVISOR_PROCESS_NAME === 'db')?.child.die(1);
    assert.equal(db.state, 'BACKOFF');
    g.group.stopAll();
    assert.equal(db.state, 'FATAL');
    assert.equal(g.process('cache').state, 'STOPPED');
    assert.deepEqual(g.signalled(), ['web_2 SIGTERM', 'web_1 SIGTERM', 'web_0 SIGTERM']);
    // A given-up process is not retried.
    g.system.advance(60_000);
    assert.equal(db.state, 'FATAL');
    assert.equal(g.system.spawns.length, 4);
  });

  it('has no unstopped process once every child is gone', async () => {
    const g = groupOf(stack);
    g.group.startAutostarting();
    g.group.stopAll();
    for (const { child } of g.system.spawns) await child.die(0);
    assert.deepEqual(g.group.unstopped(), []);
    assert.deepEqual(
      g.group.processes.map((p) => p.state),
      ['STOPPED', 'STOPPED', 'STOPPED', 'STOPPED', 'STOPPED'],
    );
  });

  it('merges the state changes of all its processes', () => {
    const g = groupOf(stack);
    const changes: string[] = [];
    g.group.changes.subscribe((change) => changes.push(`${change.process.name} ${change.to}`));
    g.group.startAutostarting();
    assert.deepEqual(changes, ['web_0 STARTING', 'web_1 STARTING', 'web_2 STARTING', 'db STARTING']);
  });
});
