// SupervisedProcess in-process, on a fake system and a simulated clock: how it starts (what it
// spawns, with which environment, spawn errors), how it takes its child's exits (autorestart,
// exitcodes, backoff until FATAL), and the activity-log lines the reference writes for each.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { ProcessConfig } from '../../config/types.js';
import { EPOCH, FakeChild } from '../harness/fake-system.js';
import { disposeSupervised, supervised } from '../harness/supervised-process.js';

afterEach(disposeSupervised);

describe('SupervisedProcess: starting', () => {
  it('spawns the resolved command with its argv, in its own process group, with the SUPERVISOR_* environment', () => {
    const { system, process, log } = supervised({ command: 'true --flag "two words"', environment: { HOME: '/home/x', EXTRA: '1' } });
    assert.equal(process.start(), null);
    assert.equal(system.spawns.length, 1);
    const [{ file, args, options }] = system.spawns as [(typeof system.spawns)[number]];
    assert.equal(file, '/usr/bin/true');
    assert.deepEqual(args, ['--flag', 'two words']);
    assert.equal(options.argv0, 'true');
    assert.equal(options.detached, true);
    assert.deepEqual(options.stdio, ['pipe', 'pipe', 'pipe']);
    assert.deepEqual(options.env, {
      PATH: '/usr/bin:/bin',
      HOME: '/home/x',
      EXTRA: '1',
      SUPERVISOR_ENABLED: '1',
      SUPERVISOR_SERVER_URL: 'unix:///run/supervisor.sock',
      SUPERVISOR_PROCESS_NAME: 'x',
      SUPERVISOR_GROUP_NAME: 'g',
    });
    assert.deepEqual(log.at('info'), ["spawned: 'x' with pid 1000"]);
    assert.equal(process.state, 'STARTING');
    assert.equal(process.pid, 1000);
    assert.equal(process.snapshot().laststart, EPOCH);
  });

  it("gives the program's serverurl= rather than the daemon's", () => {
    const { system, process } = supervised({ serverurl: 'http://127.0.0.1:9001' });
    process.start();
    assert.equal(system.spawns[0]?.options.env?.SUPERVISOR_SERVER_URL, 'http://127.0.0.1:9001');
  });

  it('is RUNNING once it stayed up startsecs, with the reference success line', () => {
    const { system, process, log } = supervised({ startsecs: 2 });
    process.start();
    system.advance(1999);
    assert.equal(process.state, 'STARTING');
    system.advance(1);
    assert.equal(process.state, 'RUNNING');
    assert.deepEqual(log.at('info'), [
      "spawned: 'x' with pid 1000",
      'success: x entered RUNNING state, process has stayed up for > than 2 seconds (startsecs)',
    ]);
  });

  it('is RUNNING at once with startsecs=0', () => {
    const { process, log } = supervised({ startsecs: 0 });
    process.start();
    assert.equal(process.state, 'RUNNING');
    assert.ok(log.messages.includes('success: x entered RUNNING state, process has stayed up for > than 0 seconds (startsecs)'));
  });

  it('does not spawn a command that is not there: a spawn error, then BACKOFF', () => {
    const { system, process, log } = supervised({ command: '/nonexistent/program' });
    process.start();
    assert.equal(system.spawns.length, 0);
    assert.equal(process.state, 'BACKOFF');
    assert.equal(process.snapshot().spawnerr, "can't find command '/nonexistent/program'");
    assert.deepEqual(log.at('info'), ["spawnerr: can't find command '/nonexistent/program'"]);
  });

  it('reports a spawn that throws as the reference words it', () => {
    const { system, process, log } = supervised();
    system.spawnWith = () => {
      throw Object.assign(new Error('spawn EACCES'), { code: 'EACCES' });
    };
    process.start();
    assert.equal(process.state, 'BACKOFF');
    assert.deepEqual(log.at('info'), ["spawnerr: couldn't exec /bin/true: EACCES"]);
  });

  it('takes a spawn that fails later, through an error event, as a spawn error', () => {
    const { system, process, log, states } = supervised();
    const child = new FakeChild(undefined);
    system.spawnWith = () => child;
    process.start();
    assert.equal(process.state, 'STARTING');
    child.emit('error', Object.assign(new Error('spawn /bin/true ENOENT'), { code: 'ENOENT' }));
    assert.equal(process.state, 'BACKOFF');
    assert.equal(process.snapshot().spawnerr, "couldn't exec /bin/true: ENOENT");
    assert.ok(log.at('info').includes("spawnerr: couldn't exec /bin/true: ENOENT"));
    assert.deepEqual(states(), ['STARTING', 'BACKOFF']);
  });

  it('takes a spawn still under way on return as spawned when its child appears', async () => {
    const { system, process, log, states } = supervised({ startsecs: 0 });
    const child = new FakeChild(undefined);
    system.spawnWith = () => child;
    process.start();
    assert.equal(process.state, 'STARTING');
    assert.equal(process.pid, 0);
    let spawned = false;
    const answered = process.whenSpawned().then(() => (spawned = true));
    await Promise.resolve();
    assert.equal(spawned, false, 'not before the child exists');
    assert.deepEqual(log.at('info'), []);
    child.appear(1234);
    await answered;
    assert.equal(process.pid, 1234);
    assert.deepEqual(log.at('info'), [
      "spawned: 'x' with pid 1234",
      'success: x entered RUNNING state, process has stayed up for > than 0 seconds (startsecs)',
    ]);
    assert.deepEqual(states(), ['STARTING', 'RUNNING']);
    await process.whenSpawned();
  });

  it('keeps no reference to the environment it spawned a child with, for as long as the child lives', async () => {
    v8.setFlagsFromString('--expose-gc');
    const collect = vm.runInNewContext('gc') as () => void;
    const { system, process } = supervised();
    const child = new FakeChild(undefined);
    system.spawnWith = () => child;
    process.start();
    const environment = new WeakRef(system.spawns[0]!.options.env);
    system.spawns.length = 0;
    child.appear(1234);
    assert.equal(process.pid, 1234);
    // A WeakRef's target stays alive until the job that made it has ended.
    await new Promise((resolve) => setImmediate(resolve));
    collect();
    assert.equal(environment.deref(), undefined, 'the environment (~6 KB a child) was collected');
    assert.equal(process.state, 'STARTING');
  });

  it('signals a child that appears after a stop was asked for while its spawn was under way', async () => {
    const { system, process, states } = supervised();
    const child = new FakeChild(undefined);
    system.spawnWith = () => child;
    process.start();
    assert.equal(process.stop(), true);
    assert.deepEqual(system.signals, []);
    child.appear(1234);
    assert.deepEqual(system.signals, [{ pid: 1234, signal: 'SIGTERM' }]);
    await child.die(null, 'SIGTERM');
    assert.equal(process.state, 'STOPPED');
    assert.deepEqual(states(), ['STARTING', 'STOPPING', 'STOPPED']);
  });

  it('ends STOPPED when a stop arrives between a spawn and its asynchronous failure', () => {
    const { system, process, log, states } = supervised();
    const child = new FakeChild(undefined);
    system.spawnWith = () => child;
    process.start();
    assert.equal(process.stop(), true);
    assert.equal(process.state, 'STOPPING');
    assert.deepEqual(system.signals, []);
    assert.ok(log.at('debug').includes("attempted to kill x with sig SIGTERM but it wasn't running"));
    child.emit('error', Object.assign(new Error('spawn /bin/true EACCES'), { code: 'EACCES' }));
    assert.equal(process.state, 'STOPPED');
    assert.deepEqual(states(), ['STARTING', 'STOPPING', 'STOPPED']);
    // Nothing is left to time out: a later stopwaitsecs does not revive the stop.
    system.advance(60_000);
    assert.equal(process.state, 'STOPPED');
    assert.deepEqual(system.signals, []);
  });
});

describe('SupervisedProcess: exits', () => {
  const cases: Array<{ autorestart: ProcessConfig['autorestart']; code: number; line: string; restarts: boolean }> = [
    { autorestart: 'unexpected', code: 0, line: 'exited: x (exit status 0; expected)', restarts: false },
    { autorestart: 'unexpected', code: 1, line: 'exited: x (exit status 1; not expected)', restarts: true },
    { autorestart: 'true', code: 0, line: 'exited: x (exit status 0; expected)', restarts: true },
    { autorestart: 'true', code: 1, line: 'exited: x (exit status 1; not expected)', restarts: true },
    { autorestart: 'false', code: 0, line: 'exited: x (exit status 0; expected)', restarts: false },
    { autorestart: 'false', code: 1, line: 'exited: x (exit status 1; not expected)', restarts: false },
  ];
  for (const { autorestart, code, line, restarts } of cases) {
    it(`autorestart=${autorestart}, exit status ${code}: ${restarts ? 'restarts' : 'stays EXITED'}`, async () => {
      const { system, process, log, states } = supervised({ autorestart });
      process.start();
      system.advance(1000);
      await system.child.die(code);
      const exited = log.lines.filter((l) => l.message.startsWith('exited:'));
      assert.deepEqual(exited, [{ level: code === 0 ? 'info' : 'warn', message: line }]);
      assert.equal(system.spawns.length, restarts ? 2 : 1);
      if (!restarts) {
        assert.equal(process.snapshot().exitstatus, code);
        assert.equal(process.snapshot().spawnerr, code === 0 ? null : `Bad exit code ${code}`);
      }
      assert.deepEqual(states(), ['STARTING', 'RUNNING', 'EXITED', ...(restarts ? ['STARTING'] : [])]);
      assert.equal(process.state, restarts ? 'STARTING' : 'EXITED');
    });
  }

  it('counts an exit code listed in exitcodes= as expected', async () => {
    const { system, process, log } = supervised({ exitcodes: [0, 3] });
    process.start();
    system.advance(1000);
    await system.child.die(3);
    assert.equal(process.state, 'EXITED');
    assert.deepEqual(log.at('info').slice(-1), ['exited: x (exit status 3; expected)']);
  });

  it('names the signal that killed it', async () => {
    const { system, process, log } = supervised({ autorestart: 'false' });
    process.start();
    system.advance(1000);
    await system.child.die(null, 'SIGKILL');
    assert.deepEqual(log.at('warn'), ['exited: x (terminated by SIGKILL; not expected)']);
    assert.equal(process.snapshot().exitstatus, -1);
  });

  it('backs off 1, 2, 3 s after exits before startsecs, then is FATAL after startretries', async () => {
    const { system, process, log, events } = supervised({ startretries: 2 });
    process.start();
    for (let tries = 1; tries <= 3; tries += 1) {
      assert.equal(process.state, 'STARTING');
      system.advance(999);
      await system.child.die(1);
      assert.equal(process.snapshot().spawnerr, 'Exited too quickly (process log may have details)');
      if (tries === 3) break;
      assert.equal(process.state, 'BACKOFF');
      system.advance(tries * 1000 - 1);
      assert.equal(process.state, 'BACKOFF', `still backing off after ${tries} failures`);
      system.advance(1);
    }
    assert.equal(process.state, 'FATAL');
    assert.equal(system.spawns.length, 3);
    assert.deepEqual(
      log.lines.filter((l) => l.level !== 'debug'),
      [
        { level: 'info', message: "spawned: 'x' with pid 1000" },
        { level: 'warn', message: 'exited: x (exit status 1; not expected)' },
        { level: 'info', message: "spawned: 'x' with pid 1001" },
        { level: 'warn', message: 'exited: x (exit status 1; not expected)' },
        { level: 'info', message: "spawned: 'x' with pid 1002" },
        { level: 'warn', message: 'exited: x (exit status 1; not expected)' },
        { level: 'info', message: 'gave up: x entered FATAL state, too many start retries too quickly' },
      ],
    );
    assert.deepEqual(
      events.map((e) => `${e.type} ${e.payload}`),
      [
        'PROCESS_STATE_STARTING processname:x groupname:g from_state:STOPPED tries:0',
        'PROCESS_STATE_BACKOFF processname:x groupname:g from_state:STARTING tries:1',
        'PROCESS_STATE_STARTING processname:x groupname:g from_state:BACKOFF tries:1',
        'PROCESS_STATE_BACKOFF processname:x groupname:g from_state:STARTING tries:2',
        'PROCESS_STATE_STARTING processname:x groupname:g from_state:BACKOFF tries:2',
        'PROCESS_STATE_BACKOFF processname:x groupname:g from_state:STARTING tries:3',
        'PROCESS_STATE_FATAL processname:x groupname:g from_state:BACKOFF',
      ],
    );
  });
});
