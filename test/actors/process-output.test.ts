// SupervisedProcess in-process: what it makes of its child's output (the output stream,
// PROCESS_LOG and PROCESS_COMMUNICATION events), the PROCESS_STATE events it publishes, and
// when it reports an exit relative to the child's pipes.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EventTypeName } from '../../config/event-types.js';
import type { SupervisorEvent } from '../../actors/events/types.js';
import { SupervisedProcess, type ChildOutput } from '../../actors/process.js';
import type { ProcessEnvironment } from '../../actors/process-environment.js';
import type { ChildLogConfig, ProcessConfig } from '../../config/types.js';
import { FakeSystem, processConfig, processEnvironment, RecordingLog, until } from '../harness/fake-system.js';

const created: SupervisedProcess[] = [];

afterEach(() => {
  for (const process of created.splice(0)) process.dispose();
});

/** Process `x` of group `g`, started and RUNNING, with what it publishes of `types` and what it reads. */
function running(overrides: Partial<ProcessConfig> = {}, types: EventTypeName[] = [], env: Partial<ProcessEnvironment> = {}) {
  const system = new FakeSystem();
  const log = new RecordingLog();
  const environment = processEnvironment(system, log, env);
  const events: SupervisorEvent[] = [];
  if (types.length) environment.bus.observe(types).subscribe((event) => events.push(event));
  const process = new SupervisedProcess(processConfig('x', overrides), 'g', environment);
  created.push(process);
  const output: ChildOutput[] = [];
  process.output.subscribe((chunk) => output.push(chunk));
  process.start();
  system.advance(1000);
  assert.equal(process.state, 'RUNNING');
  const text = (channel: ChildOutput['channel']) =>
    Buffer.concat(output.filter((c) => c.channel === channel).map((c) => c.data)).toString('utf8');
  return { system, log, process, events, output, text, child: system.child };
}

function channel(overrides: Partial<ChildLogConfig>): ChildLogConfig {
  return {
    logfile: null,
    maxbytes: 0,
    backups: 0,
    captureMaxbytes: 0,
    eventsEnabled: false,
    syslog: false,
    format: 'raw',
    rotate: null,
    ...overrides,
  };
}

describe('SupervisedProcess: output', () => {
  it('passes what the child writes on stdout and stderr to the output stream', async () => {
    const s = running();
    s.child.stdout.write('to stdout\n');
    s.child.stderr?.write('to stderr\n');
    await until(() => s.text('stdout') === 'to stdout\n' && s.text('stderr') === 'to stderr\n', 'both chunks read');
    assert.ok(s.log.at('debug').includes("'x' stdout output:\nto stdout\n"));
  });

  it('publishes PROCESS_LOG_STDOUT with stdout_events_enabled, and nothing for a channel without it', async () => {
    const s = running({ stdout: channel({ eventsEnabled: true }) }, ['PROCESS_LOG']);
    s.child.stdout.write('hello\n');
    s.child.stderr?.write('not evented\n');
    await until(() => s.text('stdout') !== '' && s.text('stderr') !== '', 'both chunks read');
    assert.deepEqual(s.events, [{ type: 'PROCESS_LOG_STDOUT', payload: 'processname:x groupname:g pid:1000 channel:stdout\nhello\n' }]);
  });

  it('publishes PROCESS_LOG_STDERR with stderr_events_enabled', async () => {
    const s = running({ stderr: channel({ eventsEnabled: true }) }, ['PROCESS_LOG_STDERR']);
    s.child.stderr?.write('oops\n');
    await until(() => s.events.length === 1, 'the event');
    assert.deepEqual(s.events[0], { type: 'PROCESS_LOG_STDERR', payload: 'processname:x groupname:g pid:1000 channel:stderr\noops\n' });
  });

  it('turns output between the capture tokens into PROCESS_COMMUNICATION_STDOUT', async () => {
    const s = running({ stdout: channel({ captureMaxbytes: 1024 }) }, ['PROCESS_COMMUNICATION']);
    s.child.stdout.write('before <!--XSUPERVISOR:BEGIN-->the message<!--XSUPERVISOR:END--> after');
    await until(() => s.events.length === 1, 'the event');
    assert.deepEqual(s.events[0], { type: 'PROCESS_COMMUNICATION_STDOUT', payload: 'processname:x groupname:g pid:1000\nthe message' });
    assert.ok(s.log.at('debug').includes("'x' stdout emitted a comm event"));
  });

  it("never events an event listener's stdout: it carries the protocol", async () => {
    const s = running({ stdout: channel({ eventsEnabled: true, captureMaxbytes: 1024 }) }, ['PROCESS_LOG', 'PROCESS_COMMUNICATION'], {
      isListener: true,
    });
    s.child.stdout.write('READY\n<!--XSUPERVISOR:BEGIN-->x<!--XSUPERVISOR:END-->');
    await until(() => s.text('stdout').endsWith('END-->'), 'the output read');
    assert.deepEqual(s.events, []);
  });
});

describe('SupervisedProcess: PROCESS_STATE events', () => {
  it('publishes each change with the reference payload', async () => {
    const s = running({ autorestart: 'true' }, ['PROCESS_STATE']);
    await s.child.die(0);
    s.system.advance(1000);
    s.process.stop();
    await s.system.child.die(null, 'SIGTERM');
    assert.deepEqual(
      s.events.map((e) => `${e.type} ${e.payload}`),
      [
        'PROCESS_STATE_STARTING processname:x groupname:g from_state:STOPPED tries:0',
        'PROCESS_STATE_RUNNING processname:x groupname:g from_state:STARTING pid:1000',
        'PROCESS_STATE_EXITED processname:x groupname:g from_state:RUNNING expected:1 pid:1000',
        'PROCESS_STATE_STARTING processname:x groupname:g from_state:EXITED tries:0',
        'PROCESS_STATE_RUNNING processname:x groupname:g from_state:STARTING pid:1001',
        'PROCESS_STATE_STOPPING processname:x groupname:g from_state:RUNNING pid:1001',
        'PROCESS_STATE_STOPPED processname:x groupname:g from_state:STOPPING pid:1001',
      ],
    );
  });

  it('reports an unexpected exit as expected:0', async () => {
    const s = running({ autorestart: 'false' }, ['PROCESS_STATE_EXITED']);
    await s.child.die(2);
    assert.deepEqual(s.events, [
      { type: 'PROCESS_STATE_EXITED', payload: 'processname:x groupname:g from_state:RUNNING expected:0 pid:1000' },
    ]);
  });

  it('reports UNKNOWN with no extra fields', () => {
    const s = running({}, ['PROCESS_STATE_UNKNOWN']);
    s.system.killWith = () => {
      throw Object.assign(new Error('EPERM'), { code: 'EPERM' });
    };
    s.process.stop();
    assert.deepEqual(s.events, [{ type: 'PROCESS_STATE_UNKNOWN', payload: 'processname:x groupname:g from_state:STOPPING' }]);
  });
});

describe('SupervisedProcess: the exit and the pipes', () => {
  it('reports an exit only once both pipes ended, after their last output', async () => {
    const s = running({ autorestart: 'false' });
    const seen: string[] = [];
    s.process.output.subscribe(({ data }) => seen.push(`output ${data.toString('utf8')}`));
    s.process.changes.subscribe(({ to }) => seen.push(`state ${to}`));
    s.child.stdout.write('last words');
    s.child.exit(0);
    assert.equal(s.process.state, 'RUNNING', 'the exit waits for the pipes');
    s.child.stdout.end();
    await until(() => s.child.stdout.readableEnded, 'stdout ended');
    assert.equal(s.process.state, 'RUNNING', 'stderr is still open');
    s.child.stderr?.end();
    await until(() => s.process.state === 'EXITED', 'the exit reported');
    assert.deepEqual(seen, ['output last words', 'state EXITED']);
  });

  it('reports an exit after the 50 ms drain grace when a pipe stays open', () => {
    const s = running({ autorestart: 'false' });
    s.child.exit(0);
    s.system.advance(49);
    assert.equal(s.process.state, 'RUNNING');
    s.system.advance(1);
    assert.equal(s.process.state, 'EXITED');
    assert.equal(s.process.pid, 0);
    // What the child's descendants still write is no longer read.
    assert.ok(s.child.stdout.destroyed);
    assert.ok(s.child.stderr?.destroyed);
    assert.ok(s.child.stdin.destroyed);
  });

  it('reports an exit at once when the pipes ended first', async () => {
    const s = running({ autorestart: 'false' });
    await s.child.closePipes();
    assert.equal(s.process.state, 'RUNNING');
    s.child.exit(0);
    assert.equal(s.process.state, 'EXITED');
  });

  it('waits only for stdout with redirect_stderr, where stderr is not piped', async () => {
    const s = running({ autorestart: 'false', redirectStderr: true });
    assert.equal(s.system.spawns[0]?.options.stdio?.[2], 'ignore');
    assert.equal(s.child.stderr, null);
    s.child.exit(0);
    s.child.stdout.end();
    await until(() => s.process.state === 'EXITED', 'the exit reported');
  });
});
