// End-to-end: how the daemon reacts to signals (TERM/INT/QUIT shutdown, SIGKILL escalation,
// stop order, process-group kills, HUP reload, USR2 log reopen). Runs against
// SUPERVISORD_UNDER_TEST=reference or ours.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renameSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { supervisordSection, renderConfig } from '../harness/config-text.js';
import { waitForFileContent } from '../harness/wait.js';
import { isAlive, waitForPidGone } from '../harness/pids.js';
import { type Daemon, withDaemon, underTest } from '../harness/daemon.js';

const ROOT_CRIT =
  'CRIT Supervisor is running as root.  Privileges were not dropped because no user is specified in the config file.  If you intend to run as root, you can set user=root in the config file to avoid this message.';
const isRoot = process.getuid?.() === 0;
const spawned = (name: string): string => `INFO spawned: '${name}' with pid <pid>`;
const success = (name: string): string =>
  `INFO success: ${name} entered RUNNING state, process has stayed up for > than 1 seconds (startsecs)`;

/** A child that ignores SIGTERM (and so needs SIGKILL). */
const IGNORES_TERM = `sh -c 'trap "" TERM; while :; do sleep 0.2; done'`;

/** Activity after index `from`, with the throttled repeats of "waiting for ... to die" removed (their count is timing-dependent). */
function afterWithoutRepeatedWaiting(d: Daemon, from: number): string[] {
  const rest = d.activity().slice(from);
  const first = rest.findIndex((l) => l.startsWith('INFO waiting for '));
  return rest.filter((l, i) => !(l.startsWith('INFO waiting for ') && i !== first));
}

/** Read a pid the child printed as its first stdout line into a log file. */
async function grandchildPid(d: Daemon, rel: string): Promise<number> {
  await d.waitForLine(/success: /);
  const pid = Number((await d.readWhen(rel, (t) => /^\d+\n/.test(t))).split('\n')[0]);
  assert.ok(pid > 0, `pid in ${rel}`);
  return pid;
}

describe(`e2e signals (${underTest})`, { concurrency: true }, () => {
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGQUIT'] as const) {
    it(`${sig}: "received ${sig} indicating exit request", children stopped with SIGTERM, exit code 0`, async () => {
      await withDaemon(supervisordSection() + '[program:a]\ncommand=sleep 1000\n[program:b]\ncommand=sleep 1000\n', {}, async (d) => {
        await d.waitForCount(/success: /, 2);
        const from = d.lines.length;
        d.signal(sig);
        const e = await d.waitForExit();
        assert.equal(e.code, 0);
        assert.deepEqual(afterWithoutRepeatedWaiting(d, from), [
          `WARN received ${sig} indicating exit request`,
          'INFO waiting for a, b to die',
          'WARN stopped: b (terminated by SIGTERM)',
          'WARN stopped: a (terminated by SIGTERM)',
        ]);
      });
    });
  }

  it('a child that ignores SIGTERM is killed after stopwaitsecs: exact WARN lines, exit code 0', async () => {
    await withDaemon(
      supervisordSection() + `[program:ign]\ncommand=${IGNORES_TERM}\nstopwaitsecs=2\n[program:ok]\ncommand=sleep 1000\n`,
      {},
      async (d) => {
        await d.waitForCount(/success: /, 2);
        const from = d.lines.length;
        d.signal('SIGTERM');
        const e = await d.waitForExit();
        assert.equal(e.code, 0);
        assert.deepEqual(afterWithoutRepeatedWaiting(d, from), [
          'WARN received SIGTERM indicating exit request',
          'INFO waiting for ign, ok to die',
          'WARN stopped: ok (terminated by SIGTERM)',
          "WARN killing 'ign' (<pid>) with SIGKILL",
          'WARN stopped: ign (terminated by SIGKILL)',
        ]);
        const ignPid = /with pid (\d+)/.exec(d.lines.find((l) => l.includes("spawned: 'ign'")) ?? '')?.[1];
        assert.ok(
          d.lines.some((l) => l.endsWith(`WARN killing 'ign' (${ignPid}) with SIGKILL`)),
          'SIGKILL line carries the child pid',
        );
      },
    );
  });

  it('-e debug: the DEBG "killing" lines around a SIGKILL escalation', async () => {
    await withDaemon(
      supervisordSection() + `[program:ign]\ncommand=${IGNORES_TERM}\nstopwaitsecs=1\n`,
      { args: ['-e', 'debug'] },
      async (d) => {
        await d.waitForLine(/success: ign /);
        const from = d.lines.length;
        d.signal('SIGTERM');
        assert.equal((await d.waitForExit()).code, 0);
        const got = afterWithoutRepeatedWaiting(d, from).filter((l) => !/^DEBG fd \d+ closed, stopped monitoring /.test(l));
        assert.deepEqual(got, [
          'WARN received SIGTERM indicating exit request',
          // the first group is signalled in the same pass, before the first report
          'DEBG killing ign (pid <pid>) with signal SIGTERM',
          'INFO waiting for ign to die',
          "WARN killing 'ign' (<pid>) with SIGKILL",
          'DEBG killing ign (pid <pid>) with signal SIGKILL',
          'WARN stopped: ign (terminated by SIGKILL)',
          'DEBG received SIGCHLD indicating a child quit',
        ]);
      },
    );
  });

  it('a child that exits 0 on its stopsignal is logged "stopped: x (exit status 0)" at INFO; a non-expected status at WARN', async () => {
    // Each child says when its handler is in place: on a loaded machine startsecs can pass first.
    const py = (code: number): string =>
      `python3 -c 'import signal,sys,time; signal.signal(signal.SIGINT, lambda *a: sys.exit(${code})); open("armed-${code}", "w").write("1"); time.sleep(1000)'`;
    await withDaemon(
      supervisordSection() + `[program:zero]\ncommand=${py(0)}\nstopsignal=INT\n[program:nine]\ncommand=${py(9)}\nstopsignal=INT\n`,
      {},
      async (d) => {
        await d.waitForCount(/success: /, 2);
        for (const code of [0, 9]) assert.ok(await waitForFileContent(path.join(d.tmp, `armed-${code}`)), `child ${code} armed`);
        d.signal('SIGTERM');
        assert.equal((await d.waitForExit()).code, 0);
        assert.deepEqual(d.matching(/stopped: /), ['INFO stopped: zero (exit status 0)', 'WARN stopped: nine (exit status 9)']);
      },
    );
  });

  it('start order is ascending priority, stop order is descending priority, one group at a time', async () => {
    await withDaemon(
      supervisordSection() +
        `
[program:low]
command=sleep 1000
priority=10
[program:mid]
command=${IGNORES_TERM}
priority=20
stopwaitsecs=2
[program:high]
command=sleep 1000
priority=30
[program:zz]
command=sleep 1000
priority=10
`,
      {},
      async (d) => {
        await d.waitForCount(/success: /, 4);
        assert.deepEqual(d.matching(/spawned: /), [spawned('low'), spawned('zz'), spawned('mid'), spawned('high')]);
        const from = d.lines.length;
        d.signal('SIGTERM');
        assert.equal((await d.waitForExit()).code, 0);
        // mid must be SIGKILLed before low/zz are even signalled
        assert.deepEqual(afterWithoutRepeatedWaiting(d, from), [
          'WARN received SIGTERM indicating exit request',
          'INFO waiting for low, zz, mid, high to die',
          'WARN stopped: high (terminated by SIGTERM)',
          "WARN killing 'mid' (<pid>) with SIGKILL",
          'WARN stopped: mid (terminated by SIGKILL)',
          'WARN stopped: zz (terminated by SIGTERM)',
          'WARN stopped: low (terminated by SIGTERM)',
        ]);
      },
    );
  });

  it('stopasgroup=true: the grandchild is killed with the group', async () => {
    await withDaemon(
      supervisordSection() +
        `[program:tree]\ncommand=sh -c 'sleep 1000 & echo $!; wait'\nstopasgroup=true\nstdout_logfile=%(tmp)s/tree.log\n`,
      { args: ['-e', 'debug'] },
      async (d) => {
        const gc = await grandchildPid(d, 'tree.log');
        assert.ok(isAlive(gc));
        d.signal('SIGTERM');
        assert.equal((await d.waitForExit()).code, 0);
        assert.ok(d.activity().includes('DEBG killing tree (pid <pid>) process group with signal SIGTERM'));
        assert.ok(d.activity().includes('WARN stopped: tree (terminated by SIGTERM)'));
        assert.ok(await waitForPidGone(gc), 'grandchild gone');
      },
    );
  });

  it('without stopasgroup the grandchild survives the stop (only the child is signalled)', async () => {
    await withDaemon(
      supervisordSection() + `[program:tree]\ncommand=sh -c 'sleep 1000 & echo $!; wait'\nstdout_logfile=%(tmp)s/tree.log\n`,
      { args: ['-e', 'debug'] },
      async (d) => {
        const gc = await grandchildPid(d, 'tree.log');
        d.signal('SIGTERM');
        assert.equal((await d.waitForExit()).code, 0);
        assert.ok(d.activity().includes('DEBG killing tree (pid <pid>) with signal SIGTERM'));
        assert.ok(isAlive(gc), 'grandchild still alive (teardown kills it)');
      },
    );
  });

  it('killasgroup=true: the SIGKILL escalation goes to the whole group', async () => {
    await withDaemon(
      supervisordSection() +
        `[program:tree]\ncommand=sh -c 'trap "" TERM; sleep 1000 & echo $!; wait'\nkillasgroup=true\nstopwaitsecs=1\nstdout_logfile=%(tmp)s/tree.log\n`,
      { args: ['-e', 'debug'] },
      async (d) => {
        const gc = await grandchildPid(d, 'tree.log');
        d.signal('SIGTERM');
        assert.equal((await d.waitForExit()).code, 0);
        const act = d.activity();
        assert.ok(act.includes('DEBG killing tree (pid <pid>) with signal SIGTERM'), 'stop signal to the child only');
        assert.ok(act.includes('DEBG killing tree (pid <pid>) process group with signal SIGKILL'), 'kill to the group');
        assert.ok(act.includes('WARN stopped: tree (terminated by SIGKILL)'));
        assert.ok(await waitForPidGone(gc), 'grandchild gone');
      },
    );
  });

  it('SIGHUP: restart request, processes stopped, config re-read (changes picked up), same daemon pid', async () => {
    const base = supervisordSection() + '[program:keep]\ncommand=sleep 1000\n';
    await withDaemon(base, {}, async (d) => {
      await d.waitForLine(/success: keep /);
      const firstPid = /with pid (\d+)/.exec(d.lines.find((l) => l.includes("spawned: 'keep'")) ?? '')?.[1];
      writeFileSync(d.configPath, renderConfig(base + '[program:added]\ncommand=sleep 1000\n', d.tmp));
      const from = d.lines.length;
      d.signal('SIGHUP');
      await d.waitForLine(/success: added /, 20_000, from);
      await d.waitForLine(/success: keep /, 20_000, from);
      assert.deepEqual(afterWithoutRepeatedWaiting(d, from), [
        'WARN received SIGHUP indicating restart request',
        'INFO waiting for keep to die',
        'WARN stopped: keep (terminated by SIGTERM)',
        ...(isRoot ? [ROOT_CRIT] : []),
        'INFO supervisord started with pid <pid>',
        spawned('added'),
        spawned('keep'),
        success('added'),
        success('keep'),
      ]);
      const startedLines = d.lines.filter((l) => l.includes('supervisord started with pid'));
      assert.equal(startedLines.length, 2);
      for (const l of startedLines) assert.ok(l.endsWith(`with pid ${d.pid}`), 'same daemon pid after reload');
      const secondPid = /with pid (\d+)/.exec(d.lines.filter((l) => l.includes("spawned: 'keep'"))[1] ?? '')?.[1];
      assert.notEqual(secondPid, firstPid, 'keep was really restarted');
      d.signal('SIGTERM');
      assert.equal((await d.waitForExit()).code, 0);
    });
  });

  it('SIGUSR2: log reopen request; the main log and child logs are reopened under their names', async () => {
    await withDaemon(
      supervisordSection() +
        `[program:ticker]\ncommand=sh -c 'i=0; while :; do echo tick $i; i=$((i+1)); sleep 0.2; done'\nstdout_logfile=%(tmp)s/ticker.log\n`,
      {},
      async (d) => {
        await d.waitForLine(/success: ticker /);
        await waitForFileContent(d.path('ticker.log')); // a tick for the file that is moved away
        renameSync(d.path('supervisord.log'), d.path('supervisord.log.moved'));
        renameSync(d.path('ticker.log'), d.path('ticker.log.moved'));
        const from = d.lines.length;
        d.signal('SIGUSR2');
        await d.waitForLine(/supervisord logreopen/, undefined, from);
        assert.deepEqual(d.activity().slice(from, from + 2), [
          'INFO received SIGUSR2 indicating log reopen request',
          'INFO supervisord logreopen',
        ]);
        // A tick written after the reopen must land in the new file before the daemon stops.
        await waitForFileContent(d.path('ticker.log'));
        d.signal('SIGTERM');
        assert.equal((await d.waitForExit()).code, 0);
        // the reopen line itself still went to the old (moved) file; later lines go to the new one
        assert.match(d.read('supervisord.log.moved'), /INFO supervisord logreopen\n$/);
        const fresh = d.read('supervisord.log');
        assert.match(fresh, /^\S+ \S+ WARN received SIGTERM indicating exit request\n/);
        assert.ok(existsSync(d.path('ticker.log')), 'child log recreated');
        assert.match(d.read('ticker.log'), /^tick \d+\n/);
        assert.match(d.read('ticker.log.moved'), /^tick 0\n/);
      },
    );
  });

  it('SIGHUP during shutdown is ignored with its own WARN line', async () => {
    // The shutdown lasts until the test lets the child go, however slowly a loaded machine runs it.
    const untilReleased = `sh -c 'trap "" TERM; while [ ! -e released ]; do sleep 0.1; done'`;
    await withDaemon(supervisordSection() + `[program:ign]\ncommand=${untilReleased}\nstopwaitsecs=120\n`, {}, async (d) => {
      await d.waitForLine(/success: ign /);
      d.signal('SIGTERM');
      await d.waitForLine(/waiting for ign to die/);
      d.signal('SIGHUP');
      await d.waitForLine(/ignored SIGHUP/);
      writeFileSync(path.join(d.tmp, 'released'), '');
      assert.equal((await d.waitForExit()).code, 0);
      assert.ok(d.activity().includes('WARN ignored SIGHUP indicating restart request (shutdown in progress)'));
    });
  });
});
