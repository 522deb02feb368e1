// SupervisedProcess in-process, on a fake system and a simulated clock: what it spawns and
// signals, its states, and the activity-log lines the reference writes for each step.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SupervisorEvent } from '../../actors/events/types.js';
import { SupervisedProcess } from '../../actors/process.js';
import type { ProcessConfig } from '../../config/types.js';
import type { ProcessStateName } from '../../machines/states.js';
import { EPOCH, FakeChild, FakeSystem, processConfig, processEnvironment, RecordingLog } from '../harness/fake-system.js';

const created: SupervisedProcess[] = [];

afterEach(() => {
  for (const process of created.splice(0)) process.dispose();
});

/** Process `x` of group `g` on a fresh fake system, with the PROCESS_STATE events it published. */
function supervised(overrides: Partial<ProcessConfig> = {}) {
  const system = new FakeSystem();
  const log = new RecordingLog();
  const env = processEnvironment(system, log);
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
async function inState(state: ProcessStateName) {
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

describe('SupervisedProcess: stopping', () => {
  it('sends stopsignal, then SIGKILL after stopwaitsecs, and is STOPPED once the child is gone', async () => {
    const s = supervised({ stopsignal: 'SIGINT', stopwaitsecs: 5 });
    s.running();
    assert.equal(s.process.stop(), true);
    assert.equal(s.process.state, 'STOPPING');
    assert.deepEqual(s.system.signals, [{ pid: 1000, signal: 'SIGINT' }]);
    s.system.advance(4999);
    assert.equal(s.system.signals.length, 1);
    s.system.advance(1);
    assert.deepEqual(s.system.signals, [
      { pid: 1000, signal: 'SIGINT' },
      { pid: 1000, signal: 'SIGKILL' },
    ]);
    assert.deepEqual(s.log.at('warn'), ["killing 'x' (1000) with SIGKILL"]);
    assert.ok(s.log.at('debug').includes('killing x (pid 1000) with signal SIGINT'));
    assert.ok(s.log.at('debug').includes('killing x (pid 1000) with signal SIGKILL'));
    // A child that survives SIGKILL gets it again every stopwaitsecs.
    s.system.advance(5000);
    assert.equal(s.system.signals.length, 3);
    await s.system.child.die(null, 'SIGKILL');
    assert.equal(s.process.state, 'STOPPED');
    assert.deepEqual(s.log.at('warn').slice(-1), ['stopped: x (terminated by SIGKILL)']);
    s.system.advance(60_000);
    assert.equal(s.system.signals.length, 3);
  });

  it('logs a child that exits on the stop signal with an expected status at info', async () => {
    const s = supervised();
    s.running();
    s.process.stop();
    await s.system.child.die(0);
    assert.equal(s.process.state, 'STOPPED');
    assert.deepEqual(s.log.at('info').slice(-1), ['stopped: x (exit status 0)']);
    assert.deepEqual(s.log.at('warn'), []);
    assert.equal(s.system.spawns.length, 1, 'a stopped process does not restart');
  });

  it('signals the process group with stopasgroup and killasgroup', () => {
    const s = supervised({ stopasgroup: true, killasgroup: true });
    s.running();
    s.process.stop();
    s.system.advance(10_000);
    assert.deepEqual(s.system.signals, [
      { pid: -1000, signal: 'SIGTERM' },
      { pid: -1000, signal: 'SIGKILL' },
    ]);
    assert.ok(s.log.at('debug').includes('killing x (pid 1000) process group with signal SIGTERM'));
  });

  it('with killasgroup alone, sends only the SIGKILL to the group', () => {
    const s = supervised({ killasgroup: true });
    s.running();
    s.process.stop();
    s.system.advance(10_000);
    assert.deepEqual(s.system.signals, [
      { pid: 1000, signal: 'SIGTERM' },
      { pid: -1000, signal: 'SIGKILL' },
    ]);
  });

  it('stops a process still STARTING by signalling its child', async () => {
    const s = supervised();
    s.process.start();
    s.process.stop();
    assert.deepEqual(s.system.signals, [{ pid: 1000, signal: 'SIGTERM' }]);
    await s.system.child.die(null, 'SIGTERM');
    assert.equal(s.process.state, 'STOPPED');
    assert.deepEqual(s.states(), ['STARTING', 'STOPPING', 'STOPPED']);
  });

  it('takes "no such process" as a child already on its way out', async () => {
    const s = supervised();
    s.running();
    s.system.killWith = () => {
      throw Object.assign(new Error('kill ESRCH'), { code: 'ESRCH' });
    };
    s.process.stop();
    assert.equal(s.process.state, 'STOPPING');
    assert.ok(
      s.log.at('debug').includes('unable to signal x (pid 1000), it probably just exited on its own: Error: kill ESRCH'),
      s.log.messages.join('\n'),
    );
    await s.system.child.die(0);
    assert.equal(s.process.state, 'STOPPED');
  });

  it('is UNKNOWN when a signal cannot be sent for another reason', async () => {
    const s = await inState('UNKNOWN');
    assert.deepEqual(s.log.at('critical'), ['unknown problem killing x (1000):Error: EPERM: operation not permitted, kill']);
    assert.deepEqual(s.states().slice(-2), ['STOPPING', 'UNKNOWN']);
  });
});

describe('SupervisedProcess: signals sent without stopping', () => {
  it('sends the signal to the child, and the process stays as it is', () => {
    const s = supervised();
    s.running();
    assert.equal(s.process.sendSignal('SIGHUP'), null);
    assert.deepEqual(s.system.signals, [{ pid: 1000, signal: 'SIGHUP' }]);
    assert.ok(s.log.at('debug').includes('sending x (pid 1000) sig SIGHUP'));
    assert.equal(s.process.state, 'RUNNING');
  });

  it('says why when there is no child, or the signal fails', () => {
    const s = supervised();
    assert.equal(s.process.sendSignal('SIGHUP'), "attempted to send x sig SIGHUP but it wasn't running");
    s.running();
    s.system.killWith = () => {
      throw Object.assign(new Error('kill ESRCH'), { code: 'ESRCH' });
    };
    assert.equal(s.process.sendSignal('SIGHUP'), null, 'a child that just exited counts as signalled');
    s.system.killWith = () => {
      throw Object.assign(new Error('kill EPERM'), { code: 'EPERM' });
    };
    assert.equal(s.process.sendSignal('SIGHUP'), 'unknown problem sending sig x (1000):Error: kill EPERM');
    assert.deepEqual(s.log.at('critical'), ['unknown problem sending sig x (1000):Error: kill EPERM']);
    assert.equal(s.process.state, 'RUNNING');
  });
});

describe('SupervisedProcess: refusals', () => {
  for (const state of ['STARTING', 'RUNNING', 'BACKOFF'] as const) {
    it(`refuses to start in ${state}: already started`, async () => {
      const s = await inState(state);
      const spawns = s.system.spawns.length;
      assert.equal(s.process.start(), 'already-started');
      assert.equal(s.process.state, state);
      assert.equal(s.system.spawns.length, spawns);
    });
  }

  it('refuses to start in STOPPING, with the reference warning', async () => {
    const s = await inState('STOPPING');
    assert.equal(s.process.start(), 'stopping');
    assert.deepEqual(s.log.at('warn'), ["process 'x' already running"]);
    assert.equal(s.process.state, 'STOPPING');
  });

  it('refuses to start in UNKNOWN', async () => {
    const s = await inState('UNKNOWN');
    assert.equal(s.process.start(), 'unknown-state');
    assert.equal(s.process.state, 'UNKNOWN');
  });

  for (const state of ['STOPPED', 'EXITED', 'FATAL'] as const) {
    it(`starts again from ${state}`, async () => {
      const s = await inState(state);
      assert.equal(s.process.start(), null);
      assert.equal(s.process.state, 'STARTING');
    });

    it(`has nothing to stop in ${state}`, async () => {
      const s = await inState(state);
      assert.equal(s.process.stop(), false);
      assert.equal(s.process.state, state);
      assert.deepEqual(s.system.signals, []);
    });
  }

  it('stops a process in BACKOFF at once, without a signal', async () => {
    const s = await inState('BACKOFF');
    assert.equal(s.process.stop(), true);
    assert.equal(s.process.state, 'STOPPED');
    assert.deepEqual(s.system.signals, []);
    assert.ok(s.log.at('debug').includes('Attempted to kill x, which is in BACKOFF state.'));
    s.system.advance(60_000);
    assert.equal(s.process.state, 'STOPPED', 'no retry after the stop');
  });
});

describe('SupervisedProcess: waiting for a start or a stop', () => {
  it("whenStarted() is 'running' once past startsecs", async () => {
    const { system, process } = supervised();
    process.start();
    const outcome = process.whenStarted();
    system.advance(1000);
    assert.equal(await outcome, 'running');
  });

  it("whenStarted() is 'spawn-error' when the spawn failed or the child exited too quickly", async () => {
    const failed = supervised({ command: '/nonexistent/program' });
    failed.process.start();
    assert.equal(await failed.process.whenStarted(), 'spawn-error');

    const quick = supervised();
    quick.process.start();
    const outcome = quick.process.whenStarted();
    await quick.system.child.die(1);
    assert.equal(await outcome, 'spawn-error');
  });

  it("whenStarted() is 'abnormal' when the start ends otherwise", async () => {
    const { system, process } = supervised();
    process.start();
    const outcome = process.whenStarted();
    process.stop();
    assert.equal(await outcome, 'abnormal');
    await system.child.die(0);
  });

  it('whenStopped() settles at once for a stopped process, saying nothing', async () => {
    const s = await inState('EXITED');
    const lines = s.log.lines.length;
    await s.process.whenStopped();
    assert.equal(s.log.lines.length, lines);
  });

  it('whenStopped() says it waits at once and every 2 s, and settles once STOPPED', async () => {
    const s = supervised();
    s.running();
    s.process.stop();
    let settled = false;
    const stopped = s.process.whenStopped().then(() => (settled = true));
    const waiting = () => s.log.at('info').filter((m) => m === 'waiting for x to stop').length;
    assert.equal(waiting(), 1);
    s.system.clock.increment(1999);
    assert.equal(waiting(), 1);
    s.system.clock.increment(1);
    assert.equal(waiting(), 2);
    s.system.clock.increment(2000);
    assert.equal(waiting(), 3);
    assert.equal(settled, false);
    await s.system.child.die(0);
    await stopped;
    s.system.clock.increment(10_000);
    assert.equal(waiting(), 3, 'no report after the stop');
  });
});
