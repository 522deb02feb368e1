// XML-RPC API conformance: getProcessInfo and getAllProcessInfo in every state, and the names
// they refuse. Runs against SUPERVISORD_UNDER_TEST=reference or ours.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withApi } from '../harness/api-daemon.js';
import { normalizeInfo } from '../harness/normalize.js';
import { fault } from '../harness/outcomes.js';
import { isAlive } from '../harness/pids.js';
import { call, callFault, rpcCalls, waitForState, asArray, asStruct, type Json, type Target } from '../harness/rpc.js';
import { underTest } from '../harness/daemon.js';

const TOO_QUICK = 'Exited too quickly (process log may have details)';

async function info(t: Target, name: string, tmp: string): Promise<Record<string, Json>> {
  return normalizeInfo(await call(t, 'supervisor.getProcessInfo', name), tmp);
}

describe(`API process info (${underTest})`, { concurrency: true }, () => {
  it('getProcessInfo: every field for RUNNING, never started, STOPPED after a stop, EXITED with a code, FATAL, STARTING and STOPPING', async () => {
    const body = `
[program:run]
command=sleep 1000
stdout_logfile=%(tmp)s/run.out
stderr_logfile=NONE
startsecs=0
[program:auto]
command=sleep 1000
autostart=false
[program:five]
; STARTING for 5 s, so a loaded machine still catches it there; then RUNNING, then exit 5.
command=sh -c 'sleep 8; exit 5'
startsecs=5
exitcodes=0,5
autostart=false
autorestart=false
stdout_logfile=%(tmp)s/five.out
stderr_logfile=%(tmp)s/five.err
[program:fast]
command=sh -c 'sleep 0.2; exit 3'
startretries=0
autostart=false
stdout_logfile=NONE
stderr_logfile=NONE
[program:slow]
command=sleep 1000
startsecs=30
autostart=false
stdout_logfile=NONE
stderr_logfile=NONE
[program:stubborn]
command=sh -c 'trap "" TERM; while :; do sleep 0.1; done'
stopwaitsecs=30
startsecs=0
stdout_logfile=NONE
stderr_logfile=NONE
`;
    await withApi(body, {}, async ({ d, unix }) => {
      const base = { spawnerr: '', exitstatus: 0 };
      await waitForState(unix, 'run', ['RUNNING']);
      const running = await info(unix, 'run', d.tmp);
      assert.deepEqual(running, {
        ...base,
        name: 'run',
        group: 'run',
        start: '<time>',
        stop: 0,
        now: '<time>',
        state: 20,
        statename: 'RUNNING',
        logfile: '%(tmp)s/run.out',
        stdout_logfile: '%(tmp)s/run.out',
        stderr_logfile: '',
        pid: '<pid>',
        description: 'pid <pid>, uptime <uptime>',
      });
      const raw = asStruct(await call(unix, 'supervisor.getProcessInfo', 'run'));
      assert.ok(isAlive(Number(raw['pid'])), 'pid is the live child');
      assert.ok(Number(raw['start']) <= Number(raw['now']));
      // same process under its full group:name
      assert.deepEqual(await info(unix, 'run:run', d.tmp), running);

      assert.deepEqual(await info(unix, 'auto', d.tmp), {
        ...base,
        name: 'auto',
        group: 'auto',
        start: 0,
        stop: 0,
        now: '<time>',
        state: 0,
        statename: 'STOPPED',
        logfile: '%(tmp)s/auto-stdout---supervisor-<rand>.log',
        stdout_logfile: '%(tmp)s/auto-stdout---supervisor-<rand>.log',
        stderr_logfile: '%(tmp)s/auto-stderr---supervisor-<rand>.log',
        pid: 0,
        description: 'Not started',
      });

      assert.equal(await call(unix, 'supervisor.stopProcess', 'run'), true);
      assert.deepEqual(await info(unix, 'run', d.tmp), {
        ...running,
        stop: '<time>',
        state: 0,
        statename: 'STOPPED',
        exitstatus: -1,
        pid: 0,
        description: '<stoptime>',
      });

      assert.equal(await call(unix, 'supervisor.startProcess', 'five', false), true);
      assert.deepEqual(await info(unix, 'five', d.tmp), {
        ...base,
        name: 'five',
        group: 'five',
        start: '<time>',
        stop: 0,
        now: '<time>',
        state: 10,
        statename: 'STARTING',
        logfile: '%(tmp)s/five.out',
        stdout_logfile: '%(tmp)s/five.out',
        stderr_logfile: '%(tmp)s/five.err',
        pid: '<pid>',
        description: '',
      });
      await waitForState(unix, 'five', ['EXITED']);
      assert.deepEqual(await info(unix, 'five', d.tmp), {
        ...base,
        name: 'five',
        group: 'five',
        start: '<time>',
        stop: '<time>',
        now: '<time>',
        state: 100,
        statename: 'EXITED',
        exitstatus: 5,
        logfile: '%(tmp)s/five.out',
        stdout_logfile: '%(tmp)s/five.out',
        stderr_logfile: '%(tmp)s/five.err',
        pid: 0,
        description: '<stoptime>',
      });

      assert.deepEqual(await callFault(unix, 'supervisor.startProcess', 'fast'), { faultCode: 50, faultString: 'SPAWN_ERROR: fast' });
      await waitForState(unix, 'fast', ['FATAL']);
      assert.deepEqual(await info(unix, 'fast', d.tmp), {
        name: 'fast',
        group: 'fast',
        start: '<time>',
        stop: '<time>',
        now: '<time>',
        state: 200,
        statename: 'FATAL',
        spawnerr: TOO_QUICK,
        exitstatus: 0,
        logfile: '',
        stdout_logfile: '',
        stderr_logfile: '',
        pid: 0,
        description: TOO_QUICK,
      });

      assert.equal(await call(unix, 'supervisor.startProcess', 'slow', false), true);
      const slow = await info(unix, 'slow', d.tmp);
      assert.equal(slow['statename'], 'STARTING');
      assert.equal(slow['state'], 10);
      assert.equal(slow['description'], '');

      await waitForState(unix, 'stubborn', ['RUNNING']);
      assert.equal(await call(unix, 'supervisor.stopProcess', 'stubborn', false), true);
      const stopping = await info(unix, 'stubborn', d.tmp);
      assert.deepEqual([stopping['state'], stopping['statename'], stopping['description'], stopping['pid']], [40, 'STOPPING', '', '<pid>']);
    });
  });

  it('getProcessInfo BAD_NAME: unknown, group:*, bare heterogeneous group, bare member name, unknown member', async () => {
    const body =
      '[group:g]\nprograms=ga,gb\n[program:ga]\ncommand=sleep 1000\nautostart=false\n[program:gb]\ncommand=sleep 1000\nautostart=false\n';
    await withApi(body, {}, async ({ unix }) => {
      const names = ['nope', 'g:*', 'g', 'ga', 'g:nope', 'nope:ga', ''];
      const r = await rpcCalls(
        unix,
        names.map((n) => ({ method: 'supervisor.getProcessInfo', params: [n] })),
      );
      assert.deepEqual(
        r,
        names.map((n) => fault(10, `BAD_NAME: ${n}`)),
      );
    });
  });

  it('failure to open the child log (directory removed after startup): SPAWN_ERROR, then "unknown error making dispatchers" as spawnerr/description', async () => {
    const body = '[program:badlog]\ncommand=sleep 1000\nautostart=false\nstartretries=0\nstdout_logfile=%(tmp)s/logs/x.log\n';
    await withApi(body, { files: { 'logs/keep': '' } }, async ({ d, unix }) => {
      const { rmSync } = await import('node:fs');
      rmSync(d.path('logs'), { recursive: true, force: true });
      assert.deepEqual(await callFault(unix, 'supervisor.startProcess', 'badlog'), { faultCode: 50, faultString: 'SPAWN_ERROR: badlog' });
      const st = await waitForState(unix, 'badlog', ['FATAL', 'BACKOFF']);
      const want = "unknown error making dispatchers for 'badlog': ENOENT";
      assert.equal(st['spawnerr'], want);
      assert.equal(st['description'], want);
      assert.equal(st['pid'], 0);
    });
  });

  it('getAllProcessInfo: lexical by group then process name, each entry equal to getProcessInfo', async () => {
    const body = `
[program:zeta]
command=sleep 1000
priority=1
autostart=false
[program:alpha]
command=sleep 1000
priority=900
startsecs=0
[group:g]
programs=zb,za
[program:zb]
command=sleep 1000
priority=2
autostart=false
[program:za]
command=sleep 1000
priority=3
autostart=false
`;
    await withApi(body, {}, async ({ d, unix }) => {
      await waitForState(unix, 'alpha', ['RUNNING']);
      const all = asArray(await call(unix, 'supervisor.getAllProcessInfo')).map((x) => normalizeInfo(x, d.tmp));
      assert.deepEqual(
        all.map((x) => [x['group'], x['name']]),
        [
          ['alpha', 'alpha'],
          ['g', 'za'],
          ['g', 'zb'],
          ['zeta', 'zeta'],
        ],
      );
      for (const x of all) {
        const one = await info(unix, `${String(x['group'])}:${String(x['name'])}`, d.tmp);
        assert.deepEqual(x, one);
      }
    });
  });
});
