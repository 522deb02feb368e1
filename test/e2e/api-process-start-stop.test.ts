// XML-RPC API conformance: starting and stopping one process, a group or all of them, with the
// faults and per-process entries of each. Runs against SUPERVISORD_UNDER_TEST=reference or ours.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withApi } from '../harness/api-daemon.js';
import { normalizeInfo, normalizePaths, sortEntries } from '../harness/normalize.js';
import { entry, fault, ok } from '../harness/outcomes.js';
import { isAlive } from '../harness/pids.js';
import { call, rpcCalls, waitForState, asArray, pidOf, type Json, type Target } from '../harness/rpc.js';
import { underTest } from '../harness/daemon.js';

async function info(t: Target, name: string, tmp: string): Promise<Record<string, Json>> {
  return normalizeInfo(await call(t, 'supervisor.getProcessInfo', name), tmp);
}

describe(`API process start and stop (${underTest})`, { concurrency: true }, () => {
  it('startProcess: wait → RUNNING on return; wait=false → STARTING; ALREADY_STARTED; BAD_NAME; NO_FILE; NOT_EXECUTABLE; SPAWN_ERROR; g:* → group results', async () => {
    const body = `
[program:a]
command=sleep 1000
autostart=false
[program:b]
command=sleep 1000
autostart=false
startsecs=30
[program:fast]
command=sh -c 'sleep 0.2; exit 3'
autostart=false
startretries=0
[program:missing]
command=/nonexistent/prog
autostart=false
[program:relmissing]
command=nonexistent-prog-xyz --flag
autostart=false
[program:noexec]
command=%(tmp)s/noexec.sh
autostart=false
[program:isdir]
command=%(tmp)s/adir
autostart=false
[group:g]
programs=ga,gb
[program:ga]
command=sleep 1000
autostart=false
priority=1
[program:gb]
command=/nonexistent/prog
autostart=false
priority=2
`;
    await withApi(body, { files: { 'noexec.sh': { content: 'echo hi\n', mode: 0o644 }, 'adir/keep': '' } }, async ({ d, unix }) => {
      assert.equal(await call(unix, 'supervisor.startProcess', 'a'), true);
      assert.equal((await info(unix, 'a', d.tmp))['statename'], 'RUNNING');
      assert.equal(await call(unix, 'supervisor.startProcess', 'b', false), true);
      assert.equal((await info(unix, 'b', d.tmp))['statename'], 'STARTING');
      // Without waiting, the answer still comes once the child exists.
      const startedB = (await call(unix, 'supervisor.getProcessInfo', 'b')) as Record<string, Json>;
      assert.ok(isAlive(Number(startedB['pid'])), `b's pid ${String(startedB['pid'])} is a live process`);
      const r = await rpcCalls(unix, [
        { method: 'supervisor.startProcess', params: ['a'] },
        { method: 'supervisor.startProcess', params: ['a:a'] },
        { method: 'supervisor.startProcess', params: ['b', false] },
        { method: 'supervisor.startProcess', params: ['nope'] },
        { method: 'supervisor.startProcess', params: ['g'] },
        { method: 'supervisor.startProcess', params: ['ga'] },
        { method: 'supervisor.startProcess', params: ['missing'] },
        { method: 'supervisor.startProcess', params: ['relmissing'] },
        { method: 'supervisor.startProcess', params: ['noexec'] },
        { method: 'supervisor.startProcess', params: ['isdir'] },
        { method: 'supervisor.startProcess', params: ['fast'] },
        { method: 'supervisor.startProcess', params: ['g:*'] },
        { method: 'supervisor.startProcess', params: ['g:*'] },
        { method: 'supervisor.startProcess', params: ['g:ga'] },
        { method: 'supervisor.startProcess', params: ['nope:*'] },
      ]);
      assert.deepEqual(normalizePaths(r, d.tmp), [
        fault(60, 'ALREADY_STARTED: a'),
        fault(60, 'ALREADY_STARTED: a:a'),
        fault(60, 'ALREADY_STARTED: b'),
        fault(10, 'BAD_NAME: nope'),
        fault(10, 'BAD_NAME: g'),
        fault(10, 'BAD_NAME: ga'),
        fault(20, "NO_FILE: can't find command '/nonexistent/prog'"),
        fault(20, "NO_FILE: can't find command 'nonexistent-prog-xyz'"),
        fault(21, "NOT_EXECUTABLE: command at '%(tmp)s/noexec.sh' is not executable"),
        fault(21, "NOT_EXECUTABLE: command at '%(tmp)s/adir' is a directory"),
        fault(50, 'SPAWN_ERROR: fast'),
        ok([entry('gb', 'g', 20, "NO_FILE: can't find command '/nonexistent/prog'"), entry('ga', 'g')]),
        ok([entry('gb', 'g', 20, "NO_FILE: can't find command '/nonexistent/prog'")]),
        fault(60, 'ALREADY_STARTED: g:ga'),
        fault(10, 'BAD_NAME: nope:*'),
      ]);
      assert.equal((await info(unix, 'g:ga', d.tmp))['statename'], 'RUNNING');
    });
  });

  it('startProcessGroup / startAllProcesses: {name, group, status, description} for each process not running, priority order; [] when all run; BAD_NAME', async () => {
    const body = `
[program:p3]
command=sleep 1000
autostart=false
priority=30
[program:p1]
command=sleep 1000
autostart=false
priority=10
[program:bad]
command=/nonexistent/prog
autostart=false
priority=20
[program:fast]
command=sh -c 'sleep 0.2; exit 3'
autostart=false
startretries=0
priority=40
[group:g]
programs=gy,gx
priority=5
[program:gx]
command=sleep 1000
autostart=false
priority=2
[program:gy]
command=sleep 1000
autostart=false
priority=1
`;
    await withApi(body, {}, async ({ unix }) => {
      assert.deepEqual(sortEntries(await call(unix, 'supervisor.startProcessGroup', 'g')), [entry('gx', 'g'), entry('gy', 'g')]);
      assert.deepEqual(await call(unix, 'supervisor.startProcessGroup', 'g', false), []);
      const r = await rpcCalls(unix, [
        { method: 'supervisor.startProcessGroup', params: ['nope'] },
        { method: 'supervisor.startProcessGroup', params: ['g:*'] },
        { method: 'supervisor.startProcessGroup', params: ['g:gx'] },
      ]);
      assert.deepEqual(r, [fault(10, 'BAD_NAME: nope'), fault(10, 'BAD_NAME: g:*'), fault(10, 'BAD_NAME: g:gx')]);
      // immediate failures are listed first, then the waited-for processes as they finish
      const all = asArray(await call(unix, 'supervisor.startAllProcesses'));
      assert.deepEqual(all[0], entry('bad', 'bad', 20, "NO_FILE: can't find command '/nonexistent/prog'"));
      assert.deepEqual(sortEntries(all), [
        entry('bad', 'bad', 20, "NO_FILE: can't find command '/nonexistent/prog'"),
        entry('fast', 'fast', 50, 'SPAWN_ERROR: fast'),
        entry('p1', 'p1'),
        entry('p3', 'p3'),
      ]);
      await waitForState(unix, 'fast', ['FATAL']);
      assert.deepEqual(await call(unix, 'supervisor.startAllProcesses', false), [
        entry('bad', 'bad', 20, "NO_FILE: can't find command '/nonexistent/prog'"),
        entry('fast', 'fast'),
      ]);
    });
  });

  it('stopProcess / stopProcessGroup / stopAllProcesses: true or entries for running processes only, [] when none; NOT_RUNNING; BAD_NAME; g:*', async () => {
    const body = `
[program:a]
command=sleep 1000
startsecs=0
priority=1
[program:b]
command=sleep 1000
startsecs=0
priority=2
[program:off]
command=sleep 1000
autostart=false
[group:g]
programs=gx,gy
[program:gx]
command=sleep 1000
startsecs=0
priority=2
[program:gy]
command=sleep 1000
startsecs=0
priority=1
[program:stubborn]
command=sh -c 'trap "" TERM; while :; do sleep 0.1; done'
startsecs=0
stopwaitsecs=1
priority=3
stdout_logfile=NONE
stderr_logfile=NONE
`;
    await withApi(body, {}, async ({ d, unix }) => {
      for (const n of ['a', 'b', 'g:gx', 'g:gy', 'stubborn']) await waitForState(unix, n, ['RUNNING']);
      const aPid = pidOf(await call(unix, 'supervisor.getProcessInfo', 'a'));
      assert.equal(await call(unix, 'supervisor.stopProcess', 'a'), true);
      const a = await info(unix, 'a', d.tmp);
      assert.deepEqual([a['statename'], a['exitstatus'], a['pid']], ['STOPPED', -1, 0]);
      assert.equal(isAlive(aPid), false);
      const r = await rpcCalls(unix, [
        { method: 'supervisor.stopProcess', params: ['a'] },
        { method: 'supervisor.stopProcess', params: ['off'] },
        { method: 'supervisor.stopProcess', params: ['nope'] },
        { method: 'supervisor.stopProcess', params: ['gx'] },
        { method: 'supervisor.stopProcess', params: ['g'] },
        { method: 'supervisor.stopProcessGroup', params: ['nope'] },
        { method: 'supervisor.stopProcessGroup', params: ['g:*'] },
      ]);
      assert.deepEqual(r, [
        fault(70, 'NOT_RUNNING: a'),
        fault(70, 'NOT_RUNNING: off'),
        fault(10, 'BAD_NAME: nope'),
        fault(10, 'BAD_NAME: gx'),
        fault(10, 'BAD_NAME: g'),
        fault(10, 'BAD_NAME: nope'),
        fault(10, 'BAD_NAME: g:*'),
      ]);
      assert.deepEqual(sortEntries(await call(unix, 'supervisor.stopProcess', 'g:*')), [entry('gx', 'g'), entry('gy', 'g')]);
      assert.deepEqual(await call(unix, 'supervisor.stopProcessGroup', 'g'), []);
      assert.deepEqual(await call(unix, 'supervisor.stopProcess', 'g:*'), []);
      // SIGKILL escalation after stopwaitsecs still ends STOPPED with exitstatus -1
      assert.deepEqual(sortEntries(await call(unix, 'supervisor.stopAllProcesses')), [entry('b', 'b'), entry('stubborn', 'stubborn')]);
      const s = await info(unix, 'stubborn', d.tmp);
      assert.deepEqual([s['statename'], s['exitstatus'], s['description']], ['STOPPED', -1, '<stoptime>']);
      assert.deepEqual(await call(unix, 'supervisor.stopAllProcesses', false), []);
      // wait=false returns at once with the entries
      assert.equal(await call(unix, 'supervisor.startProcess', 'b'), true);
      assert.deepEqual(await call(unix, 'supervisor.stopAllProcesses', false), [entry('b', 'b')]);
      await waitForState(unix, 'b', ['STOPPED']);
    });
  });
});
