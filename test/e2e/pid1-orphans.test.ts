// End-to-end: orphans. As pid 1 of a pid namespace (a container's entrypoint) the daemon reaps
// every orphan re-parented to it, as the reference does, while its own children keep their exact
// exit statuses; SIGTERM to pid 1 stops everything and pid 1 exits 0. Ours runs the daemon under
// a small reaper there (pid 1), so this suite runs against both daemons. Outside pid 1,
// subreaper=true (ours; the reference ignores the key) does the same as a child subreaper.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { underTest, withDaemon, type Daemon } from '../harness/daemon.js';
import { RPC_AUTH, RPC_SECTIONS, supervisordSection } from '../harness/config-text.js';
import { isRoot, killMarked, makeTempDir, parentPid, readPidfile, removeDir, Run } from '../harness/daemon-runs.js';
import { childrenOf, findMarkedPids, isAlive, zombiesOf } from '../harness/pids.js';
import { call, waitForRpc, type Target } from '../harness/rpc.js';
import { eventually, STEP_TIMEOUT, waitUntil } from '../harness/wait.js';

const ORPHANS = 100;

/** Double-forks ORPHANS short-lived processes (each subshell exits before its sleep), then stays. */
const ORPHAN_MAKER = `#!/bin/sh
i=0
while [ $i -lt ${ORPHANS} ]; do (sleep 0.01 &); i=$((i + 1)); done
echo made > "$1"
exec sleep 1000
`;

const PROGRAMS = [
  '[program:orphans]',
  'command=%(tmp)s/orphans.sh %(tmp)s/made',
  'startsecs=0',
  'autorestart=false',
  '[program:three]',
  'command=/bin/sh -c "exit 3"',
  'startsecs=0',
  'autorestart=false',
  '',
].join('\n');

const unshareWorks = isRoot && spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true'], { stdio: 'ignore' }).status === 0;
const noNamespace = !isRoot
  ? 'needs root for a pid namespace (unshare --pid)'
  : unshareWorks
    ? false
    : 'unshare --pid --fork --mount-proc fails here';

const REAPED = /reaped unknown pid \d+ \(exit status 0\)/;

function rpcAt(dir: string): Target {
  return { kind: 'unix', path: path.join(dir, 's.sock'), ...RPC_AUTH };
}

/** Waits until `count` lines match, reading them as `lines()` grows. */
async function waitForCount(lines: () => string[], re: RegExp, count: number, what: string): Promise<void> {
  if (!(await waitUntil(() => lines().filter((l) => re.test(l)).length >= count, 2 * STEP_TIMEOUT))) {
    throw new Error(`fewer than ${count} lines match ${re} (${what}):\n${lines().join('\n')}`);
  }
}

/** Waits until no zombie is left among the children of `parents()`. */
async function noZombiesLeft(parents: () => number[]): Promise<void> {
  if (!(await waitUntil(() => zombiesOf(parents()).length === 0, STEP_TIMEOUT))) {
    throw new Error(`zombies left: ${zombiesOf(parents()).join(' ')}`);
  }
}

/** What getProcessInfo reports for `three` once it has exited. */
async function exitOfThree(target: Target): Promise<{ state: string; exitstatus: number }> {
  let info: { statename?: unknown; exitstatus?: unknown } = {};
  await eventually(async () => {
    info = (await call(target, 'supervisor.getProcessInfo', 'three')) as typeof info;
    return info.statename === 'EXITED';
  }, 'three to be EXITED');
  return { state: String(info.statename), exitstatus: Number(info.exitstatus) };
}

/** argv[0] of a process. */
function commandName(pid: number): string {
  return readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0')[0] ?? '';
}

/** A run as pid 1 of a new pid namespace (and mount namespace, for its own /proc). */
function startAsPid1(extra = ''): { run: Run; dir: string } {
  const dir = makeTempDir();
  const config = `${supervisordSection()}${RPC_SECTIONS}${PROGRAMS}${extra}`.split('%(tmp)s').join(dir);
  writeFileSync(path.join(dir, 'supervisord.conf'), config);
  writeFileSync(path.join(dir, 'orphans.sh'), ORPHAN_MAKER, { mode: 0o755 });
  const run = new Run(['-n', '-c', path.join(dir, 'supervisord.conf')], {
    cwd: dir,
    prefix: ['unshare', '--pid', '--fork', '--mount-proc'],
  });
  return { run, dir };
}

/** The namespace's pid 1 as the host sees it: unshare's only child. */
async function hostPidOfPid1(run: Run): Promise<number> {
  const unshare = run.child.pid ?? -1;
  let pid1: number | undefined;
  if (!(await waitUntil(() => (pid1 = childrenOf(unshare)[0]) !== undefined, STEP_TIMEOUT)) || pid1 === undefined) {
    throw new Error(`unshare (pid ${unshare}) has no child\n${run.describe()}`);
  }
  return pid1;
}

describe(`e2e pid 1 and orphans (${underTest})`, { concurrency: true, skip: noNamespace }, () => {
  it(`as pid 1: ${ORPHANS} double-forked orphans leave no zombie; a child's exit status stays exact`, async () => {
    const { run, dir } = startAsPid1();
    try {
      await waitForRpc(rpcAt(dir));
      await waitForCount(() => run.lines, REAPED, ORPHANS, 'one line per orphan reaped');
      // The processes of the namespace carry the run's marker: its pid 1 among them.
      await noZombiesLeft(() => findMarkedPids(dir));
      assert.deepEqual(await exitOfThree(rpcAt(dir)), { state: 'EXITED', exitstatus: 3 });
      assert.ok(
        run.lines.some((l) => /WARN exited: three \(exit status 3; not expected\)/.test(l)),
        run.describe(),
      );
      // getPID and the pidfile name the daemon (behind our reaper it is not pid 1 itself).
      const pid = await call(rpcAt(dir), 'supervisor.getPID');
      assert.equal(pid, readPidfile(path.join(dir, 'supervisord.pid')));
      if (underTest === 'ours') {
        assert.ok(
          run.lines.some((l) => l.endsWith("INFO orphaned processes are reaped by supervisord-reaper (pid 1), the daemon's parent")),
        );
      }
    } finally {
      await run.kill();
      removeDir(dir);
    }
  });

  it('SIGTERM to pid 1 stops every program and the namespace ends with exit status 0', async () => {
    const { run, dir } = startAsPid1();
    try {
      await waitForRpc(rpcAt(dir));
      assert.ok(await waitUntil(() => existsSync(path.join(dir, 'made')), STEP_TIMEOUT), run.describe());
      process.kill(await hostPidOfPid1(run), 'SIGTERM');
      assert.deepEqual(await run.waitForExit(), { code: 0, signal: null }, run.describe());
      assert.ok(
        run.lines.some((l) => /WARN received SIGTERM indicating exit request/.test(l)),
        run.describe(),
      );
      assert.ok(
        run.lines.some((l) => /WARN stopped: orphans \(terminated by SIGTERM\)/.test(l)),
        run.describe(),
      );
      assert.ok(await waitUntil(() => findMarkedPids(dir).length === 0, STEP_TIMEOUT), `left running: ${findMarkedPids(dir).join(' ')}`);
    } finally {
      await run.kill();
      removeDir(dir);
    }
  });
});

const SUBREAPER_CONFIG = `${supervisordSection('subreaper=true')}${RPC_SECTIONS}${PROGRAMS}`;

/** The files the subreaper runs need. */
const ORPHAN_FILES = { files: { 'orphans.sh': { content: ORPHAN_MAKER, mode: 0o755 } } };

/** The daemon's pid, as it reports it, once it answers. */
async function daemonPid(d: Daemon): Promise<number> {
  const target = rpcAt(d.tmp);
  await waitForRpc(target);
  return Number(await call(target, 'supervisor.getPID'));
}

describe('e2e subreaper=true (ours)', { concurrency: true, skip: underTest === 'ours' ? false : 'subreaper= is our extension' }, () => {
  it(`outside pid 1: the reaper the daemon runs under reaps ${ORPHANS} orphans and passes signals on; SIGTERM stops everything, exit 0`, async () => {
    await withDaemon(SUBREAPER_CONFIG, ORPHAN_FILES, async (d) => {
      const pid = await daemonPid(d);
      assert.equal(commandName(d.pid), 'supervisord-reaper', 'the process started is now the reaper');
      assert.equal(parentPid(pid), d.pid, 'the daemon is its child');
      assert.equal(pid, readPidfile(d.path('supervisord.pid')));
      await d.waitForLine(new RegExp(`INFO orphaned processes are reaped by supervisord-reaper \\(pid ${d.pid}\\), the daemon's parent`));
      await d.waitForCount(REAPED, ORPHANS);
      await noZombiesLeft(() => [d.pid, pid]);
      assert.deepEqual(await exitOfThree(rpcAt(d.tmp)), { state: 'EXITED', exitstatus: 3 });
      // The reaper passes the daemon's signals on.
      d.signal('SIGUSR2');
      await d.waitForLine(/INFO received SIGUSR2 indicating log reopen request/);
      d.signal('SIGHUP');
      await d.waitForLine(/WARN received SIGHUP indicating restart request/);
      await d.waitForCount(/spawned: 'orphans' /, 2);
      d.signal('SIGTERM');
      assert.deepEqual(await d.waitForExit(), { code: 0, signal: null });
      await d.waitForLine(/WARN stopped: orphans \(terminated by SIGTERM\)/);
      assert.equal(isAlive(pid), false);
    });
  });

  it('a reaper killed with SIGKILL: the daemon stops its programs and exits', async () => {
    await withDaemon(SUBREAPER_CONFIG, ORPHAN_FILES, async (d) => {
      const pid = await daemonPid(d);
      await d.waitForLine(/spawned: 'orphans' /);
      d.signal('SIGKILL');
      // The daemon holds the same stdout: the harness sees it closed once the daemon is gone too.
      assert.deepEqual(await d.waitForExit(), { code: null, signal: 'SIGKILL' });
      await d.waitForLine(new RegExp(`WARN supervisord-reaper \\(pid ${d.pid}\\) is gone: exiting`));
      await d.waitForLine(/WARN stopped: orphans \(terminated by SIGTERM\)/);
      assert.equal(isAlive(pid), false);
      assert.deepEqual(d.strayPids(), []);
    });
  });

  it('the reaper ends as its daemon ends: killed by the same signal, or with the same error status', async () => {
    await withDaemon(SUBREAPER_CONFIG, ORPHAN_FILES, async (d) => {
      process.kill(await daemonPid(d), 'SIGKILL');
      assert.deepEqual(await d.waitForExit(), { code: null, signal: 'SIGKILL' });
    });
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await withDaemon(`${SUBREAPER_CONFIG}[inet_http_server]\nport=127.0.0.1:${port}\n`, ORPHAN_FILES, async (d) => {
        assert.deepEqual(await d.waitForExit(), { code: 2, signal: null });
        assert.match(d.stderr, /^Error: Another program is already listening on a port/);
      });
    } finally {
      blocker.close();
    }
  });

  it('daemonizing (no -n): the background copy becomes the reaper; its daemon is the one in the pidfile', async () => {
    const dir = makeTempDir();
    const config = path.join(dir, 'supervisord.conf');
    writeFileSync(config, `${SUBREAPER_CONFIG.replace('[supervisord]', '[supervisord]\nnodaemon=false')}`.split('%(tmp)s').join(dir));
    writeFileSync(path.join(dir, 'orphans.sh'), ORPHAN_MAKER, { mode: 0o755 });
    const run = new Run(['-c', config], { cwd: dir });
    try {
      // The foreground copy exits once the daemon reports that it runs: the reaper let go of the
      // handshake's pipe, or this would never end.
      assert.deepEqual(await run.waitForExit(), { code: 0, signal: null }, run.describe());
      const pid = readPidfile(path.join(dir, 'supervisord.pid')) ?? -1;
      const reaper = parentPid(pid);
      assert.equal(commandName(reaper), 'supervisord-reaper');
      await waitForCount(() => readFileSync(path.join(dir, 'supervisord.log'), 'utf8').split('\n'), REAPED, ORPHANS, 'in the log file');
      await noZombiesLeft(() => [reaper, pid]);
      process.kill(pid, 'SIGTERM');
      assert.ok(await waitUntil(() => !isAlive(pid) && !isAlive(reaper), STEP_TIMEOUT), 'the daemon and its reaper exit');
    } finally {
      await run.kill();
      killMarked(dir);
      removeDir(dir);
    }
  });
});
