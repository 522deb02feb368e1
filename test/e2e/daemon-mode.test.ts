// End-to-end: supervisord without -n — the command returns once the daemon runs in the
// background, in its own session, with the pidfile, directory= and umask= of [supervisord];
// startup errors still reach the terminal; SIGTERM stops it and removes the pidfile. Runs against
// SUPERVISORD_UNDER_TEST=reference or ours.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readlinkSync, writeFileSync, existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { normalizeUsage } from '../harness/normalize.js';
import { isAlive, findMarkedPids } from '../harness/pids.js';
import { underTest } from '../harness/daemon.js';
import {
  eventually,
  fileMode,
  killMarked,
  logMessages,
  makeTempDir,
  procStatus,
  readPidfile,
  readText,
  removeDir,
  runToEnd,
  sessionId,
  spawnedPid,
  waitForFileLine,
  waitForPidGoneOrThrow,
} from '../harness/daemon-runs.js';

const ours = underTest === 'ours';

/** A temp dir with a config for a background daemon; `extra` goes into [supervisord]. */
function setUp(extra: string, programs: string): { tmp: string; conf: string; log: string; pidfile: string } {
  const tmp = makeTempDir();
  const log = path.join(tmp, 'supervisord.log');
  const pidfile = path.join(tmp, 'supervisord.pid');
  const conf = path.join(tmp, 'supervisord.conf');
  writeFileSync(
    conf,
    `[supervisord]\nlogfile=${log}\npidfile=${pidfile}\nchildlogdir=${tmp}\n${extra}\n${programs.split('%(tmp)s').join(tmp)}`,
  );
  return { tmp, conf, log, pidfile };
}

/** Starts in the background; resolves with the daemon's pid once the pidfile names a live process. */
async function startBackground(args: string[], tmp: string, pidfile: string, cwd = tmp): Promise<number> {
  const r = await runToEnd(args, { cwd });
  assert.equal(r.code, 0, `the starting command exits 0\n${r.stdout}\n${r.stderr}`);
  assert.equal(r.stdout, '', 'nothing on stdout without -n');
  // The reference's parent exits right after the fork, before the pidfile is written.
  assert.ok(await eventually(() => readPidfile(pidfile) !== undefined), `pidfile ${pidfile} appears`);
  const pid = readPidfile(pidfile)!;
  assert.ok(isAlive(pid), 'the pid in the pidfile is a live process');
  return pid;
}

/** SIGTERM, then wait until the pid is gone. */
async function stop(pid: number): Promise<void> {
  process.kill(pid, 'SIGTERM');
  await waitForPidGoneOrThrow(pid, 'the background daemon');
}

describe(`e2e daemon mode (${underTest})`, { concurrency: true }, () => {
  for (const how of ['config', 'command line'] as const) {
    it(`background start (directory/umask from the ${how}): exit 0, pidfile, own session, children run, SIGTERM stops it and removes the pidfile`, async () => {
      const programs =
        "[program:a]\ncommand=sh -c 'pwd > %(tmp)s/a.cwd; umask > %(tmp)s/a.umask; exec sleep 1000'\n[program:b]\ncommand=sleep 1000\n";
      const { tmp, conf, log, pidfile } = setUp(how === 'config' ? 'directory=%DIR%\numask=027' : '', programs);
      const wd = path.join(tmp, 'wd');
      mkdirSync(wd);
      writeFileSync(conf, readText(conf).replace('%DIR%', wd));
      try {
        const args = how === 'config' ? ['-c', conf] : ['-c', conf, '-d', wd, '-m', '027'];
        const pid = await startBackground(args, tmp, pidfile);
        assert.notEqual(sessionId(pid), sessionId('self'), 'the daemon left the session of its caller');
        assert.equal(sessionId(pid), pid, 'the daemon leads its own session');
        await waitForFileLine(log, /success: a /);
        await waitForFileLine(log, /success: b /);
        assert.equal(readlinkSync(`/proc/${pid}/cwd`), wd, 'the daemon changed into directory=');
        assert.equal(procStatus(pid)['Umask'], '0027', 'the daemon runs with umask=');
        // the child writes these in its own time, whatever the daemon has logged
        const [cwdFile, umaskFile] = [path.join(tmp, 'a.cwd'), path.join(tmp, 'a.umask')];
        assert.ok(await eventually(() => [cwdFile, umaskFile].every((f) => readText(f).endsWith('\n'))), 'the child wrote its files');
        assert.equal(readText(cwdFile).trim(), wd, 'a child starts in the daemon directory');
        assert.equal(readText(umaskFile).trim(), '0027', 'a child inherits the umask');
        assert.equal(readText(pidfile), `${pid}\n`);
        assert.equal(fileMode(pidfile), 0o640, 'the pidfile is written under the umask');
        const messages = logMessages(log);
        assert.ok(messages.includes('INFO daemonizing the supervisord process'), messages.join('\n'));
        assert.ok(messages.includes(`INFO supervisord started with pid ${pid}`), messages.join('\n'));
        const children = [spawnedPid(messages, 'a'), spawnedPid(messages, 'b')];

        await stop(pid);
        assert.equal(existsSync(pidfile), false, 'the pidfile is removed at exit');
        const after = logMessages(log);
        assert.ok(after.includes('WARN received SIGTERM indicating exit request'), after.join('\n'));
        assert.ok(after.includes('WARN stopped: a (terminated by SIGTERM)'), after.join('\n'));
        assert.ok(after.includes('WARN stopped: b (terminated by SIGTERM)'), after.join('\n'));
        for (const child of children) assert.ok(child !== undefined && !isAlive(child), `child ${child} is gone`);
      } finally {
        killMarked(tmp);
        removeDir(tmp);
      }
    });
  }

  it('background start with directory=: "set current directory" is logged right after "daemonizing"', async () => {
    const { tmp, conf, log, pidfile } = setUp('directory=/', '');
    try {
      const pid = await startBackground(['-c', conf], tmp, pidfile);
      await waitForFileLine(log, /supervisord started with pid/);
      const messages = logMessages(log);
      const at = messages.indexOf('INFO daemonizing the supervisord process');
      assert.ok(at >= 0, messages.join('\n'));
      assert.equal(messages[at + 1], "INFO set current directory: '/'");
      await stop(pid);
    } finally {
      killMarked(tmp);
      removeDir(tmp);
    }
  });

  it('background start with umask=: the activity log is created before the umask applies (mode 0644 under umask 022)', async () => {
    const { tmp, conf, log, pidfile } = setUp('umask=077', '');
    try {
      const pid = await startBackground(['-c', conf], tmp, pidfile);
      await waitForFileLine(log, /supervisord started with pid/);
      assert.equal(fileMode(pidfile), 0o600, 'the pidfile is written under umask=');
      assert.equal(fileMode(log), 0o644 & ~process.umask(), 'the log file is created under the umask of the caller');
      await stop(pid);
    } finally {
      killMarked(tmp);
      removeDir(tmp);
    }
  });

  it('a startup error in background mode (HTTP port in use) is still printed on the terminal with exit 2; nothing stays behind', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    const { tmp, conf, pidfile } = setUp('', `[inet_http_server]\nport=127.0.0.1:${port}\n[program:a]\ncommand=sleep 1000\n`);
    try {
      const r = await runToEnd(['-c', conf], { cwd: tmp });
      assert.equal(r.code, 2);
      assert.equal(
        normalizeUsage(r.stderr),
        'Error: Another program is already listening on a port that one of our HTTP servers is configured to use.  Shut this program down first before starting supervisord.\nFor help, use <prog> -h\n',
      );
      assert.ok(await eventually(() => findMarkedPids(tmp).length === 0), 'no process of the run is left');
      assert.equal(existsSync(pidfile), false, 'no pidfile');
    } finally {
      blocker.close();
      killMarked(tmp);
      removeDir(tmp);
    }
  });

  it('a config error in background mode: "Error: ..." on the terminal, exit 2, no daemon', async () => {
    const { tmp, conf, pidfile } = setUp('', '[program:a]\nautorestart=sometimes\ncommand=sleep 1000\n');
    try {
      const r = await runToEnd(['-c', conf], { cwd: tmp });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^Error: invalid 'autorestart' value 'sometimes' in section 'program:a'/);
      assert.ok(await eventually(() => findMarkedPids(tmp).length === 0), 'no process of the run is left');
      assert.equal(existsSync(pidfile), false);
    } finally {
      killMarked(tmp);
      removeDir(tmp);
    }
  });

  it(
    'a relative -c with directory=: SIGHUP still finds the config (ours resolves it before changing directory)',
    { skip: ours ? false : 'the reference re-reads the relative path from directory= and stops supervising' },
    async () => {
      const { tmp, conf, log, pidfile } = setUp('directory=/', '[program:a]\ncommand=sleep 1000\n');
      try {
        const pid = await startBackground(['-c', path.basename(conf)], tmp, pidfile);
        await waitForFileLine(log, /success: a /);
        writeFileSync(conf, readText(conf) + '[program:b]\ncommand=sleep 1000\n');
        process.kill(pid, 'SIGHUP');
        await waitForFileLine(log, /success: b /);
        const messages = logMessages(log);
        assert.ok(messages.includes('WARN received SIGHUP indicating restart request'), messages.join('\n'));
        assert.ok(!messages.some((m) => m.includes('not restarting')), messages.join('\n'));
        await stop(pid);
        assert.equal(existsSync(pidfile), false);
      } finally {
        killMarked(tmp);
        removeDir(tmp);
      }
    },
  );
});
