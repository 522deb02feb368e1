// XML-RPC API conformance: signals to one process, a group or all of them; input to a process's
// stdin; remote communication events. Runs against SUPERVISORD_UNDER_TEST=reference or ours.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { withApi } from '../harness/api-daemon.js';
import { entry, fault, ok } from '../harness/outcomes.js';
import { waitForFileContent, eventually } from '../harness/wait.js';
import { call, rpcCalls, waitForState, pidOf } from '../harness/rpc.js';
import { underTest } from '../harness/daemon.js';

/** Text of a file, '' if missing. */
function readOr(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

describe(`API process signals and stdin (${underTest})`, { concurrency: true }, () => {
  it('signalProcess / signalProcessGroup / signalAllProcesses: names, numbers, BAD_SIGNAL (checked before running state), NOT_RUNNING, BAD_NAME, per-process entries', async () => {
    const trap = (n: string): string =>
      `[program:${n}]\ncommand=sh -c 'trap "echo got-HUP" HUP; trap "echo got-USR1" USR1; while :; do sleep 0.1; done'\nstartsecs=0\nstdout_logfile=%(tmp)s/${n}.out\nstderr_logfile=NONE\n`;
    const body =
      trap('t') +
      '[program:off]\ncommand=sleep 1000\nautostart=false\n[group:g]\nprograms=gt,goff\n' +
      trap('gt') +
      '[program:goff]\ncommand=sleep 1000\nautostart=false\n[group:quiet]\nprograms=q1\n[program:q1]\ncommand=sleep 1000\nautostart=false\n';
    await withApi(body, {}, async ({ d, unix }) => {
      await waitForState(unix, 't', ['RUNNING']);
      await waitForState(unix, 'g:gt', ['RUNNING']);
      const tPid = pidOf(await call(unix, 'supervisor.getProcessInfo', 't'));
      const r = await rpcCalls(unix, [
        { method: 'supervisor.signalProcess', params: ['t', 'HUP'] },
        { method: 'supervisor.signalProcess', params: ['t', 'usr1'] },
        { method: 'supervisor.signalProcess', params: ['t', '1'] },
        { method: 'supervisor.signalProcess', params: ['t', 10] },
        { method: 'supervisor.signalProcess', params: ['t', 'SIGHUP'] },
        { method: 'supervisor.signalProcess', params: ['t', 'BOGUS'] },
        { method: 'supervisor.signalProcess', params: ['t', '999'] },
        { method: 'supervisor.signalProcess', params: ['off', 'BOGUS'] },
        { method: 'supervisor.signalProcess', params: ['off', 'HUP'] },
        { method: 'supervisor.signalProcess', params: ['nope', 'HUP'] },
        { method: 'supervisor.signalProcess', params: ['g:goff', 'HUP'] },
        { method: 'supervisor.signalProcess', params: ['g:*', 'HUP'] },
        { method: 'supervisor.signalProcess', params: ['g:*', 'BOGUS'] },
        { method: 'supervisor.signalProcessGroup', params: ['g', 'USR1'] },
        { method: 'supervisor.signalProcessGroup', params: ['g', 'BOGUS'] },
        { method: 'supervisor.signalProcessGroup', params: ['quiet', 'HUP'] },
        { method: 'supervisor.signalProcessGroup', params: ['nope', 'HUP'] },
        { method: 'supervisor.signalProcessGroup', params: ['g:*', 'HUP'] },
        { method: 'supervisor.signalAllProcesses', params: ['BOGUS'] },
        { method: 'supervisor.signalAllProcesses', params: ['HUP'] },
      ]);
      assert.deepEqual(r, [
        ok(true),
        ok(true),
        ok(true),
        ok(true),
        ok(true),
        fault(11, 'BAD_SIGNAL: BOGUS'),
        fault(11, 'BAD_SIGNAL: 999'),
        fault(11, 'BAD_SIGNAL: BOGUS'),
        fault(70, 'NOT_RUNNING: off'),
        fault(10, 'BAD_NAME: nope'),
        fault(70, 'NOT_RUNNING: g:goff'),
        ok([entry('gt', 'g')]),
        ok([entry('gt', 'g', 11, 'BAD_SIGNAL: BOGUS')]),
        ok([entry('gt', 'g')]),
        ok([entry('gt', 'g', 11, 'BAD_SIGNAL: BOGUS')]),
        ok([]),
        fault(10, 'BAD_NAME: nope'),
        fault(10, 'BAD_NAME: g:*'),
        ok([entry('gt', 'g', 11, 'BAD_SIGNAL: BOGUS'), entry('t', 't', 11, 'BAD_SIGNAL: BOGUS')]),
        ok([entry('gt', 'g'), entry('t', 't')]),
      ]);
      // the signals really arrived (repeats of one signal may coalesce), and did not kill t
      await eventually(
        async () => ['got-HUP', 'got-USR1'].every((w) => readOr(d.path('t.out')).split('\n').includes(w)),
        't.out shows HUP and USR1',
      );
      await eventually(async () => readOr(d.path('gt.out')).split('\n').includes('got-USR1'), 'group member got USR1');
      assert.equal(pidOf(await call(unix, 'supervisor.getProcessInfo', 't')), tPid);
    });
  });

  it('sendProcessStdin: text, base64 and non-ASCII reach a cat child; INCORRECT_PARAMETERS (checked first), NOT_RUNNING, BAD_NAME', async () => {
    const body =
      '[program:cat]\ncommand=cat\nstartsecs=0\nstdout_logfile=%(tmp)s/cat.out\n[program:off]\ncommand=cat\nautostart=false\n[group:g]\nprograms=gc\n[program:gc]\ncommand=cat\nautostart=false\n';
    await withApi(body, {}, async ({ d, unix }) => {
      await waitForState(unix, 'cat', ['RUNNING']);
      const r = await rpcCalls(unix, [
        { method: 'supervisor.sendProcessStdin', params: ['cat', 'hello\n'] },
        { method: 'supervisor.sendProcessStdin', params: ['cat', { $binary: Buffer.from('bin\n').toString('base64') }] },
        { method: 'supervisor.sendProcessStdin', params: ['cat:cat', 'caf\u00e9\n'] },
        { method: 'supervisor.sendProcessStdin', params: ['cat', 5] },
        { method: 'supervisor.sendProcessStdin', params: ['nope', 5] },
        { method: 'supervisor.sendProcessStdin', params: ['off', 'x'] },
        { method: 'supervisor.sendProcessStdin', params: ['g:gc', 'x'] },
        { method: 'supervisor.sendProcessStdin', params: ['nope', 'x'] },
        { method: 'supervisor.sendProcessStdin', params: ['g:*', 'x'] },
        { method: 'supervisor.sendProcessStdin', params: ['cat'] },
      ]);
      assert.deepEqual(r, [
        ok(true),
        ok(true),
        ok(true),
        fault(2, 'INCORRECT_PARAMETERS: 5'),
        fault(2, 'INCORRECT_PARAMETERS: 5'),
        fault(70, 'NOT_RUNNING: off'),
        fault(70, 'NOT_RUNNING: g:gc'),
        fault(10, 'BAD_NAME: nope'),
        fault(10, 'BAD_NAME: g:*'),
        fault(2, 'INCORRECT_PARAMETERS'),
      ]);
      await eventually(async () => readOr(d.path('cat.out')) === 'hello\nbin\ncaf\u00e9\n', 'cat echoed the input');
      assert.ok(await waitForFileContent(d.path('cat.out')));
    });
  });

  it('sendRemoteCommEvent: true (also with non-ASCII data); missing parameter → INCORRECT_PARAMETERS', async () => {
    await withApi('', {}, async ({ unix }) => {
      const r = await rpcCalls(unix, [
        { method: 'supervisor.sendRemoteCommEvent', params: ['mytype', 'some data'] },
        { method: 'supervisor.sendRemoteCommEvent', params: ['t', 'd\u00e9j\u00e0'] },
        { method: 'supervisor.sendRemoteCommEvent', params: ['t'] },
      ]);
      assert.deepEqual(r, [ok(true), ok(true), fault(2, 'INCORRECT_PARAMETERS')]);
    });
  });
});
