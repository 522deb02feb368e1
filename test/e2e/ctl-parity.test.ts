// The real Python supervisorctl against the daemon under test: stdout text (pids and uptimes
// normalized) and exit codes, success and error cases. Runs against SUPERVISORD_UNDER_TEST=reference or ours.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { ctl } from '../harness/python-ctl.js';
import { withApi, type ApiDaemon } from '../harness/api-daemon.js';
import { normalizeCtl } from '../harness/normalize.js';
import { eventually } from '../harness/wait.js';
import { call, waitForState, pidOf, asStruct } from '../harness/rpc.js';
import { underTest } from '../harness/daemon.js';
import { lineOf } from '../harness/config-text.js';

const BODY = `
[program:sleeper]
command=sleep 1000
startsecs=0
[program:echo]
command=sh -c 'printf "0123456789abcdefghij"; printf "ERR" >&2; exec sleep 1000'
startsecs=0
stdout_logfile=%(tmp)s/echo.out
stderr_logfile=%(tmp)s/echo.err
[program:quick]
command=sh -c 'sleep 0.2; exit 3'
autostart=false
startretries=0
[program:nofile]
command=/nonexistent/prog
autostart=false
[group:g]
programs=ga,gb
[program:ga]
command=sleep 1000
startsecs=0
priority=1
[program:gb]
command=sleep 1000
autostart=false
priority=2
`;

/** One `status` line as supervisorctl formats it. */
const st = (name: string, state: string, desc: string): string => `${name.padEnd(32)} ${state.padEnd(10)}${desc}`;
const RUN = 'pid <pid>, uptime <uptime>';
const TOO_QUICK = 'Exited too quickly (process log may have details)';

/** Run supervisorctl against the daemon; [normalized stdout lines..., `exit N`]. */
async function sc(a: ApiDaemon, ...args: string[]): Promise<string[]> {
  const r = await ctl(a.d.configPath, args);
  const out = normalizeCtl(r.stdout, a.d.tmp);
  return [...out.split('\n').filter((l, i, all) => !(l === '' && i === all.length - 1)), `exit ${String(r.code)}`];
}

const sorted = (lines: string[]): string[] => [...lines].sort();

async function started(a: ApiDaemon): Promise<void> {
  for (const n of ['sleeper', 'echo', 'g:ga']) await waitForState(a.unix, n, ['RUNNING']);
  await eventually(async () => {
    try {
      return readFileSync(a.d.path('echo.out'), 'utf8').length === 20 && readFileSync(a.d.path('echo.err'), 'utf8').length === 3;
    } catch {
      return false;
    }
  }, 'echo logs');
}

describe(`supervisorctl parity (${underTest})`, { concurrency: true }, () => {
  it('status: all, names, group:*, unknown names; exit 3 when something is not running, 4 for unknown names', async () => {
    await withApi(BODY, {}, async (a) => {
      await started(a);
      assert.deepEqual(await sc(a, 'status'), [
        st('echo', 'RUNNING', RUN),
        st('g:ga', 'RUNNING', RUN),
        st('g:gb', 'STOPPED', 'Not started'),
        st('nofile', 'STOPPED', 'Not started'),
        st('quick', 'STOPPED', 'Not started'),
        st('sleeper', 'RUNNING', RUN),
        'exit 3',
      ]);
      assert.deepEqual(await sc(a, 'status', 'sleeper'), [st('sleeper', 'RUNNING', RUN), 'exit 0']);
      assert.deepEqual(await sc(a, 'status', 'sleeper', 'g:ga'), [st('sleeper', 'RUNNING', RUN), st('g:ga', 'RUNNING', RUN), 'exit 0']);
      assert.deepEqual(await sc(a, 'status', 'g:*'), [st('g:ga', 'RUNNING', RUN), st('g:gb', 'STOPPED', 'Not started'), 'exit 3']);
      assert.deepEqual(await sc(a, 'status', 'nope'), ['nope: ERROR (no such process)', 'exit 4']);
      assert.deepEqual(await sc(a, 'status', 'sleeper', 'nope'), [
        'nope: ERROR (no such process)',
        st('sleeper', 'RUNNING', RUN),
        'exit 4',
      ]);
      assert.deepEqual(await sc(a, 'status', 'g'), ['g: ERROR (no such process)', 'exit 4']);
      assert.deepEqual(await sc(a, 'status', 'gb'), ['gb: ERROR (no such process)', 'exit 4']);
      assert.deepEqual(await sc(a, 'status', 'nofile'), [st('nofile', 'STOPPED', 'Not started'), 'exit 3']);
    });
  });

  it('start / stop / restart: started, stopped, already started, not running, no such process, no such file, spawn error; exit codes', async () => {
    await withApi(BODY, {}, async (a) => {
      await started(a);
      assert.deepEqual(await sc(a, 'start', 'sleeper'), ['sleeper: ERROR (already started)', 'exit 0']);
      assert.deepEqual(await sc(a, 'start', 'nope'), ['nope: ERROR (no such process)', 'exit 1']);
      assert.deepEqual(await sc(a, 'start', 'nofile'), ['nofile: ERROR (no such file)', 'exit 1']);
      assert.deepEqual(await sc(a, 'start', 'quick'), ['quick: ERROR (spawn error)', 'exit 7']);
      await waitForState(a.unix, 'quick', ['FATAL']);
      assert.deepEqual(await sc(a, 'status', 'quick'), [st('quick', 'FATAL', TOO_QUICK), 'exit 3']);
      assert.deepEqual(await sc(a, 'start', 'g:*'), ['g:gb: started', 'exit 0']);
      assert.deepEqual(await sc(a, 'start', 'gb'), ['gb: ERROR (no such process)', 'exit 1']);
      assert.deepEqual(await sc(a, 'start', 'g:gb'), ['g:gb: ERROR (already started)', 'exit 0']);
      const startUsage = await sc(a, 'start');
      assert.deepEqual(startUsage, [
        'Error: start requires a process name',
        'start <name>\t\tStart a process',
        'start <gname>:*\t\tStart all processes in a group',
        'start <name> <name>\tStart multiple processes or groups',
        'start all\t\tStart all processes',
        'exit 2',
      ]);
      assert.deepEqual(await sc(a, 'stop', 'g:gb'), ['g:gb: stopped', 'exit 0']);
      assert.deepEqual(await sc(a, 'stop', 'g:gb'), ['g:gb: ERROR (not running)', 'exit 0']);
      assert.deepEqual(await sc(a, 'stop', 'nope'), ['nope: ERROR (no such process)', 'exit 1']);
      assert.deepEqual(await sc(a, 'stop'), [
        'Error: stop requires a process name',
        'stop <name>\t\tStop a process',
        'stop <gname>:*\t\tStop all processes in a group',
        'stop <name> <name>\tStop multiple processes or groups',
        'stop all\t\tStop all processes',
        'exit 1',
      ]);
      const before = pidOf(await call(a.unix, 'supervisor.getProcessInfo', 'sleeper'));
      assert.deepEqual(await sc(a, 'restart', 'sleeper'), ['sleeper: stopped', 'sleeper: started', 'exit 0']);
      assert.notEqual(pidOf(await call(a.unix, 'supervisor.getProcessInfo', 'sleeper')), before);
      assert.deepEqual(await sc(a, 'restart', 'nope'), ['nope: ERROR (no such process)', 'nope: ERROR (no such process)', 'exit 1']);
      assert.deepEqual(await sc(a, 'restart', 'quick'), ['quick: ERROR (not running)', 'quick: ERROR (spawn error)', 'exit 7']);
      assert.deepEqual(await sc(a, 'restart', 'g:*'), ['g:ga: stopped', 'g:ga: started', 'g:gb: started', 'exit 0']);
      // several waited-for stops finish in completion order: compare them sorted
      assert.deepEqual(sorted(await sc(a, 'stop', 'g:*')), ['exit 0', 'g:ga: stopped', 'g:gb: stopped']);
      assert.deepEqual(sorted(await sc(a, 'stop', 'all')), ['echo: stopped', 'exit 0', 'sleeper: stopped']);
      assert.deepEqual(await sc(a, 'stop', 'all'), ['exit 0']);
    });
  });

  it('tail: stdout, stderr, -N bytes, errors', async () => {
    await withApi(BODY, {}, async (a) => {
      await started(a);
      assert.deepEqual(await sc(a, 'tail', 'echo'), ['0123456789abcdefghij', 'exit 0']);
      assert.deepEqual(await sc(a, 'tail', 'echo', 'stdout'), ['0123456789abcdefghij', 'exit 0']);
      assert.deepEqual(await sc(a, 'tail', 'echo', 'stderr'), ['ERR', 'exit 0']);
      assert.deepEqual(await sc(a, 'tail', '-5', 'echo'), ['fghij', 'exit 0']);
      assert.deepEqual(await sc(a, 'tail', '-100', 'echo'), ['0123456789abcdefghij', 'exit 0']);
      assert.deepEqual(await sc(a, 'tail', '-2', 'echo', 'stderr'), ['RR', 'exit 0']);
      assert.deepEqual(await sc(a, 'tail', 'nope'), ['nope: ERROR (no such process name)', 'exit 1']);
      assert.deepEqual(await sc(a, 'tail', 'g:*'), ['g:*: ERROR (no such process name)', 'exit 1']);
      assert.deepEqual(await sc(a, 'tail', 'echo', 'bogus'), ["Error: bad channel 'bogus'", 'exit 1']);
      assert.deepEqual(await sc(a, 'tail', '-f'), ['Error: tail requires process name', 'exit 1']);
      const usage = await sc(a, 'tail');
      assert.deepEqual(usage[0], 'Error: too few arguments');
      assert.deepEqual(usage.at(-1), 'exit 1');
    });
  });

  it('avail, reread and update after editing the config; reread on a broken config', async () => {
    await withApi(BODY, {}, async (a) => {
      await started(a);
      const av = (n: string, inuse: string, auto: string, prio = '999:999'): string =>
        `${n.padEnd(32)} ${inuse.padEnd(9)} ${auto.padEnd(9)} ${prio}`;
      assert.deepEqual(await sc(a, 'avail'), [
        av('echo', 'in use', 'auto'),
        av('g:ga', 'in use', 'auto', '999:1'),
        av('g:gb', 'in use', 'manual', '999:2'),
        av('nofile', 'in use', 'manual'),
        av('quick', 'in use', 'manual'),
        av('sleeper', 'in use', 'auto'),
        'exit 0',
      ]);
      assert.deepEqual(await sc(a, 'reread'), ['No config updates to processes', 'exit 0']);
      assert.deepEqual(await sc(a, 'update'), ['exit 0']);
      const text = readFileSync(a.d.configPath, 'utf8');
      writeFileSync(
        a.d.configPath,
        text
          .replace('[program:sleeper]\ncommand=sleep 1000', '[program:sleeper]\ncommand=sleep 1001')
          .replace('[program:echo]', '[program:zecho]') + '[program:new1]\ncommand=sleep 1000\nstartsecs=0\n',
      );
      assert.deepEqual(await sc(a, 'reread'), ['echo: disappeared', 'new1: available', 'sleeper: changed', 'zecho: available', 'exit 0']);
      assert.deepEqual(
        (await sc(a, 'avail')).filter((l) => /^(new1|zecho) /.test(l)),
        [av('new1', 'avail', 'auto'), av('zecho', 'avail', 'auto')],
      );
      assert.deepEqual(await sc(a, 'update'), [
        'echo: stopped',
        'echo: removed process group',
        'sleeper: stopped',
        'sleeper: updated process group',
        'new1: added process group',
        'zecho: added process group',
        'exit 0',
      ]);
      assert.equal(asStruct(await call(a.unix, 'supervisor.getProcessInfo', 'new1'))['group'], 'new1');
      assert.deepEqual(await sc(a, 'reread'), ['No config updates to processes', 'exit 0']);
      writeFileSync(a.d.configPath, readFileSync(a.d.configPath, 'utf8') + '[program:bad]\nautostart=false\n');
      // Ours follows the reference's message with where the refused section is.
      const where = underTest === 'ours' ? ` ([program:bad] at %(tmp)s/supervisord.conf:${lineOf(a.d.configPath, '[program:bad]')})` : '';
      assert.deepEqual(await sc(a, 'reread'), [
        `ERROR: CANT_REREAD: program section program:bad does not specify a command in section 'program:bad' (file: '%(tmp)s/supervisord.conf')${where}`,
        'exit 1',
      ]);
    });
  });

  it('signal: signalled, bad signal name, not running, no such process, group and all; usage', async () => {
    await withApi(BODY, {}, async (a) => {
      await started(a);
      assert.deepEqual(await sc(a, 'signal', 'BOGUS', 'sleeper'), ['sleeper: ERROR (bad signal name)', 'exit 1']);
      assert.deepEqual(await sc(a, 'signal', 'HUP', 'nofile'), ['nofile: ERROR (not running)', 'exit 7']);
      assert.deepEqual(await sc(a, 'signal', 'HUP', 'nope'), ['nope: ERROR (no such process)', 'exit 1']);
      assert.deepEqual(await sc(a, 'signal', 'CONT', 'sleeper'), ['sleeper: signalled', 'exit 0']);
      assert.deepEqual(await sc(a, 'signal', 'CONT', 'g:*'), ['g:ga: signalled', 'exit 0']);
      assert.deepEqual(await sc(a, 'signal', 'CONT', 'all'), ['echo: signalled', 'g:ga: signalled', 'sleeper: signalled', 'exit 0']);
      const usage = [
        'Error: signal requires a signal name and a process name',
        'signal <signal name> <name>\t\tSignal a process',
        'signal <signal name> <gname>:*\t\tSignal all processes in a group',
        'signal <signal name> <name> <name>\tSignal multiple processes or groups',
        'signal <signal name> all\t\tSignal all processes',
        'exit 1',
      ];
      assert.deepEqual(await sc(a, 'signal', 'HUP'), usage);
      assert.deepEqual(await sc(a, 'signal'), usage);
    });
  });

  it('pid: the daemon, a process, a stopped one (0, exit 7), unknown (exit 1), all', async () => {
    await withApi(BODY, {}, async (a) => {
      await started(a);
      const sleeper = pidOf(await call(a.unix, 'supervisor.getProcessInfo', 'sleeper'));
      const echo = pidOf(await call(a.unix, 'supervisor.getProcessInfo', 'echo'));
      const ga = pidOf(await call(a.unix, 'supervisor.getProcessInfo', 'g:ga'));
      assert.deepEqual(await sc(a, 'pid'), [String(a.d.pid), 'exit 0']);
      assert.deepEqual(await sc(a, 'pid', 'sleeper'), [String(sleeper), 'exit 0']);
      assert.deepEqual(await sc(a, 'pid', 'g:ga'), [String(ga), 'exit 0']);
      assert.deepEqual(await sc(a, 'pid', 'nofile'), ['0', 'exit 7']);
      assert.deepEqual(await sc(a, 'pid', 'nope'), ['No such process nope', 'exit 1']);
      assert.deepEqual(await sc(a, 'pid', 'g:*'), ['No such process g:*', 'exit 1']);
      assert.deepEqual(await sc(a, 'pid', 'all'), [String(echo), String(ga), '0', '0', '0', String(sleeper), 'exit 0']);
    });
  });

  it('clear, version, add/remove errors', async () => {
    await withApi(BODY, {}, async (a) => {
      await started(a);
      assert.deepEqual(await sc(a, 'clear', 'echo'), ['echo: cleared', 'exit 0']);
      assert.equal(readFileSync(a.d.path('echo.out'), 'utf8'), '');
      assert.deepEqual(await sc(a, 'clear', 'nope'), ['nope: ERROR (no such process)', 'exit 1']);
      assert.deepEqual(await sc(a, 'clear', 'all'), [
        'echo: cleared',
        'g:ga: cleared',
        'g:gb: cleared',
        'nofile: cleared',
        'quick: cleared',
        'sleeper: cleared',
        'exit 0',
      ]);
      assert.deepEqual(await sc(a, 'version'), ['4.2.5', 'exit 0']);
      assert.deepEqual(await sc(a, 'add', 'nope'), ['ERROR: no such process/group: nope', 'exit 1']);
      assert.deepEqual(await sc(a, 'remove', 'nope'), ['ERROR: no such process/group: nope', 'exit 1']);
      assert.deepEqual(await sc(a, 'remove', 'sleeper'), ['ERROR: process/group still running: sleeper', 'exit 1']);
      assert.deepEqual(await sc(a, 'add', 'sleeper'), ['ERROR: process group already active', 'exit 0']);
    });
  });

  it('shutdown: "Shut down", exit 0; afterwards the socket is gone ("no such file", status exit 4, pid exit 7)', async () => {
    await withApi(BODY, {}, async (a) => {
      await started(a);
      assert.deepEqual(await sc(a, 'shutdown'), ['Shut down', 'exit 0']);
      assert.equal((await a.d.waitForExit()).code, 0);
      assert.deepEqual(await sc(a, 'status'), ['unix://%(tmp)s/s.sock no such file', 'exit 4']);
      assert.deepEqual(await sc(a, 'pid'), ['unix://%(tmp)s/s.sock no such file', 'exit 7']);
    });
  });

  it('authentication: without credentials "Server requires authentication" (exit 1); with -u/-p it works', async () => {
    const auth = { username: 'alice', password: 'pw' };
    await withApi(BODY, { auth }, async (a) => {
      // the [supervisorctl] section carries the credentials; -u/-p are given explicitly to override them
      const bad = await ctl(a.d.configPath, ['status', 'sleeper'], { username: 'alice', password: 'wrong' });
      assert.equal(bad.code, 1);
      assert.equal(bad.stdout.split('\n')[0], 'Server requires authentication');
      await waitForState(a.unix, 'sleeper', ['RUNNING']);
      const good = await ctl(a.d.configPath, ['status', 'sleeper'], { username: 'alice', password: 'pw' });
      assert.equal(good.code, 0);
      assert.equal(normalizeCtl(good.stdout), st('sleeper', 'RUNNING', RUN) + '\n');
    });
  });
});
