// XML-RPC API conformance: process info, config info, start/stop/signal (single, group, all),
// stdin and remote communication events. Runs against SUPERVISORD_UNDER_TEST=reference or ours.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { withApi } from '../harness/api-daemon.js';
import { normalizeInfo, normalizePaths, sortEntries } from '../harness/normalize.js';
import { waitForFileContent, eventually } from '../harness/wait.js';
import { isAlive } from '../harness/pids.js';
import { call, callFault, rpcCalls, waitForState, asArray, asStruct, pidOf, type Json, type Target } from '../harness/rpc.js';
import { underTest } from '../harness/daemon.js';

const fault = (faultCode: number, faultString: string): Json => ({ kind: 'fault', fault: { faultCode, faultString } });
const ok = (value: Json): Json => ({ kind: 'ok', value });
const entry = (name: string, group: string, status = 80, description = 'OK'): Json => ({ name, group, status, description });
const TOO_QUICK = 'Exited too quickly (process log may have details)';

async function info(t: Target, name: string, tmp: string): Promise<Record<string, Json>> {
  return normalizeInfo(await call(t, 'supervisor.getProcessInfo', name), tmp);
}

/** Text of a file, '' if missing. */
function readOr(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

describe(`API process control (${underTest})`, { concurrency: true }, () => {
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

  it('getAllConfigInfo: every member for a fully specified program, a default one and a group member; sorted by name; none/auto strings', async () => {
    const body = `
[program:plain]
command=sleep 1000
autostart=false
[program:cfg]
command=/bin/sleep 1000
autostart=false
directory=%(tmp)s
priority=5
startsecs=2
startretries=7
exitcodes=0,2
stopsignal=INT
stopwaitsecs=3
stopasgroup=true
killasgroup=true
redirect_stderr=true
stdout_logfile=%(tmp)s/cfg.out
stdout_logfile_maxbytes=1KB
stdout_logfile_backups=2
stdout_capture_maxbytes=100
stdout_events_enabled=true
serverurl=AUTO
[group:grp]
programs=member
priority=50
[program:member]
command=sleep 1000
autostart=false
stderr_logfile=%(tmp)s/member.err
stderr_logfile_maxbytes=0
stderr_syslog=true
stdout_logfile=NONE
`;
    await withApi(body, {}, async ({ d, unix }) => {
      const all = normalizePaths(await call(unix, 'supervisor.getAllConfigInfo'), d.tmp);
      const defaults = {
        autostart: false,
        directory: 'none',
        uid: 'none',
        exitcodes: [0],
        inuse: true,
        killasgroup: false,
        redirect_stderr: false,
        startretries: 3,
        startsecs: 1,
        stdout_capture_maxbytes: 0,
        stdout_events_enabled: false,
        stdout_logfile_backups: 10,
        stdout_logfile_maxbytes: 52428800,
        stdout_syslog: false,
        stopsignal: 15,
        stopwaitsecs: 10,
        stderr_capture_maxbytes: 0,
        stderr_events_enabled: false,
        stderr_logfile_backups: 10,
        stderr_logfile_maxbytes: 52428800,
        stderr_syslog: false,
        serverurl: 'none',
      };
      assert.deepEqual(all, [
        {
          ...defaults,
          command: '/bin/sleep 1000',
          directory: '%(tmp)s',
          exitcodes: [0, 2],
          group: 'cfg',
          group_prio: 5,
          killasgroup: true,
          name: 'cfg',
          process_prio: 5,
          redirect_stderr: true,
          startretries: 7,
          startsecs: 2,
          stdout_capture_maxbytes: 100,
          stdout_events_enabled: true,
          stdout_logfile: '%(tmp)s/cfg.out',
          stdout_logfile_backups: 2,
          stdout_logfile_maxbytes: 1024,
          stopsignal: 2,
          stopwaitsecs: 3,
          stderr_logfile: 'none',
          serverurl: 'none', // AUTO reads as unset
        },
        {
          ...defaults,
          command: 'sleep 1000',
          group: 'grp',
          group_prio: 50,
          name: 'member',
          process_prio: 999,
          stdout_logfile: 'none',
          stderr_logfile: '%(tmp)s/member.err',
          stderr_logfile_maxbytes: 0,
          stderr_syslog: true,
        },
        {
          ...defaults,
          command: 'sleep 1000',
          group: 'plain',
          group_prio: 999,
          name: 'plain',
          process_prio: 999,
          stdout_logfile: '%(tmp)s/plain-stdout---supervisor-<rand>.log',
          stderr_logfile: '%(tmp)s/plain-stderr---supervisor-<rand>.log',
        },
      ]);
    });
  });

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
