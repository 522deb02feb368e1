// End-to-end: the daemon's credentials and resource limits — user= for a program (uid, gid and
// supplementary groups of the child), user= in [supervisord] (the daemon itself switches), and
// minfds/minprocs raising RLIMIT_NOFILE/RLIMIT_NPROC or refusing to start. Needs root (it creates
// a user and runs the daemon as nobody through setpriv). Runs against
// SUPERVISORD_UNDER_TEST=reference or ours.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chownSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { normalizeUsage } from '../harness/normalize.js';
import { isAlive } from '../harness/pids.js';
import { underTest } from '../harness/daemon.js';
import {
  Run,
  canCreateUsers,
  createTestUser,
  credentials,
  haveCommand,
  isRoot,
  killMarked,
  logMessages,
  makeTempDir,
  procLimit,
  readPidfile,
  removeDir,
  runToEnd,
  spawnedPid,
  waitForFileLine,
  waitForPidGoneOrThrow,
  eventually,
  type TestUser,
} from '../harness/daemon-runs.js';

const ours = underTest === 'ours';
/** CAP_SYS_RESOURCE (bit 24) in the effective set: root may raise hard limits. */
function hasSysResource(): boolean {
  const eff = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return isRoot && eff !== undefined && (BigInt(`0x${eff}`) & (1n << 24n)) !== 0n;
}
const NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
const limitsTools = isRoot && haveCommand('setpriv') && haveCommand('prlimit');
const noLimitsTools = isRoot ? 'needs setpriv and prlimit (util-linux)' : 'needs root to run the daemon as nobody';

/** Writes `<tmp>/supervisord.conf` with logs and pidfile inside tmp; `extra` goes into [supervisord]. */
function writeConfig(tmp: string, extra: string, programs = ''): string {
  const conf = path.join(tmp, 'supervisord.conf');
  writeFileSync(
    conf,
    `[supervisord]\nlogfile=${tmp}/supervisord.log\npidfile=${tmp}/supervisord.pid\nchildlogdir=${tmp}\n${extra}\n${programs}`,
  );
  return conf;
}

const FDS_ERROR = (n: number): string =>
  `Error: The minimum number of file descriptors required to run this process is ${n} as per the "minfds" command-line argument or config file setting. The current environment will only allow you to open ${n} file descriptors.  Either raise the number of usable file descriptors in your environment (see README.rst) or lower the minfds setting in the config file to allow the process to start.\nFor help, use <prog> -h\n`;
const PROCS_ERROR = (n: number): string =>
  `Error: The minimum number of available processes required to run this program is ${n} as per the "minprocs" command-line argument or config file setting. The current environment will only allow you to open ${n} processes.  Either raise the number of usable processes in your environment (see README.rst) or lower the minprocs setting in the config file to allow the program to start.\nFor help, use <prog> -h\n`;

/** Runs the daemon in the foreground behind `prefix` until "supervisord started"; returns the run. */
async function startWrapped(prefix: string[], tmp: string, conf: string, args: string[] = []): Promise<Run> {
  const run = new Run(['-n', '-c', conf, ...args], { prefix, cwd: tmp });
  await run.waitForLine(/supervisord started with pid/);
  return run;
}

async function stopRun(run: Run): Promise<void> {
  if (run.child.pid !== undefined && !run.exit) process.kill(run.child.pid, 'SIGTERM');
  const e = await run.waitForExit();
  assert.equal(e.code, 0, run.describe());
}

describe(
  `e2e daemon user= (${underTest})`,
  { concurrency: true, skip: canCreateUsers() ? false : 'needs root and useradd/groupadd' },
  () => {
    let user: TestUser | undefined;
    before(() => {
      user = createTestUser('u');
    });
    after(() => user?.remove());

    it('[program:x] user=: the child runs with the uid, primary gid and supplementary groups of that user', async () => {
      const u = user!;
      const tmp = makeTempDir();
      try {
        const conf = writeConfig(tmp, '', `[program:x]\ncommand=sleep 1000\nuser=${u.name}\n[program:y]\ncommand=sleep 1000\n`);
        const run = new Run(['-n', '-c', conf], { cwd: tmp });
        try {
          await run.waitForLine(/success: x /);
          await run.waitForLine(/success: y /);
          const x = credentials(spawnedPid(run.lines, 'x')!);
          assert.deepEqual(x.uids, [u.uid, u.uid, u.uid, u.uid]);
          assert.deepEqual(x.gids, [u.gid, u.gid, u.gid, u.gid]);
          assert.deepEqual(
            x.groups,
            [...u.supplementary, u.gid].sort((a, b) => a - b),
          );
          const y = credentials(spawnedPid(run.lines, 'y')!);
          assert.deepEqual(y.uids, [0, 0, 0, 0], 'a program without user= keeps the daemon user');
          await stopRun(run);
        } finally {
          await run.kill();
        }
      } finally {
        removeDir(tmp);
      }
    });

    it('[program:x] user= by numeric uid works the same', async () => {
      const u = user!;
      const tmp = makeTempDir();
      try {
        const conf = writeConfig(tmp, '', `[program:x]\ncommand=sleep 1000\nuser=${u.uid}\n`);
        const run = new Run(['-n', '-c', conf], { cwd: tmp });
        try {
          await run.waitForLine(/success: x /);
          const x = credentials(spawnedPid(run.lines, 'x')!);
          assert.deepEqual(x.uids, [u.uid, u.uid, u.uid, u.uid]);
          assert.deepEqual(x.gids, [u.gid, u.gid, u.gid, u.gid]);
          assert.deepEqual(
            x.groups,
            [...u.supplementary, u.gid].sort((a, b) => a - b),
          );
          await stopRun(run);
        } finally {
          await run.kill();
        }
      } finally {
        removeDir(tmp);
      }
    });

    for (const mode of ['foreground', 'background'] as const) {
      it(`[supervisord] user= (${mode}): "Set uid to user <uid> succeeded" first, the daemon and its children run as that user with its groups`, async () => {
        const u = user!;
        const tmp = makeTempDir();
        chownSync(tmp, u.uid, u.gid); // the daemon writes its log and pidfile after switching
        const log = path.join(tmp, 'supervisord.log');
        const pidfile = path.join(tmp, 'supervisord.pid');
        try {
          const conf = writeConfig(tmp, `user=${u.name}`, '[program:x]\ncommand=sleep 1000\n');
          let run: Run | undefined;
          if (mode === 'foreground') {
            run = new Run(['-n', '-c', conf], { cwd: tmp });
          } else {
            const r = await runToEnd(['-c', conf], { cwd: tmp });
            assert.equal(r.code, 0, r.stderr);
          }
          // the file itself: the reference echoes a line on stdout before writing it to the file
          await waitForFileLine(log, /success: x /);
          const pid = run?.child.pid ?? readPidfile(pidfile)!;
          const messages = logMessages(log);
          assert.equal(messages[0], `INFO Set uid to user ${u.uid} succeeded`, messages.join('\n'));
          assert.ok(!messages.some((m) => m.includes('Supervisor is running as root')), 'no root warning');
          const expectedGroups = [...u.supplementary, u.gid].sort((a, b) => a - b);
          for (const p of [pid, spawnedPid(messages, 'x')!]) {
            const c = credentials(p);
            assert.deepEqual(c.uids, [u.uid, u.uid, u.uid, u.uid], `uids of ${p}`);
            assert.deepEqual(c.gids, [u.gid, u.gid, u.gid, u.gid], `gids of ${p}`);
            assert.deepEqual(c.groups, expectedGroups, `groups of ${p}`);
          }
          if (run) {
            await stopRun(run);
          } else {
            process.kill(pid, 'SIGTERM');
            await waitForPidGoneOrThrow(pid, 'the daemon');
            assert.ok(await eventually(() => readPidfile(pidfile) === undefined), 'the pidfile is removed');
          }
          assert.ok(logMessages(log).includes('WARN stopped: x (terminated by SIGTERM)'));
        } finally {
          killMarked(tmp);
          removeDir(tmp);
        }
      });
    }

    it(
      '[program:x] user=: the child keeps argv[0] as written in command= (/proc/<pid>/cmdline)',
      { skip: existsSync('/bin/bash') || !ours ? false : 'ours needs bash (exec -a) to set argv[0] behind a wrapper' },
      async () => {
        const u = user!;
        const tmp = makeTempDir();
        try {
          const conf = writeConfig(
            tmp,
            '',
            `[program:x]\ncommand=sleep 1000\nuser=${u.name}\n[program:y]\ncommand=sleep 1001\nredirect_stderr=true\n`,
          );
          const run = new Run(['-n', '-c', conf], { cwd: tmp });
          try {
            await run.waitForLine(/success: x /);
            await run.waitForLine(/success: y /);
            const cmdline = (pid: number): string[] => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1);
            assert.deepEqual(cmdline(spawnedPid(run.lines, 'x')!), ['sleep', '1000']);
            assert.deepEqual(cmdline(spawnedPid(run.lines, 'y')!), ['sleep', '1001'], 'the same with redirect_stderr=true');
            await stopRun(run);
          } finally {
            await run.kill();
          }
        } finally {
          removeDir(tmp);
        }
      },
    );

    it('-u on the command line overrides user= of the config', async () => {
      const u = user!;
      const tmp = makeTempDir();
      chownSync(tmp, u.uid, u.gid);
      try {
        const conf = writeConfig(tmp, 'user=root', '[program:x]\ncommand=sleep 1000\n');
        const run = new Run(['-n', '-c', conf, '-u', u.name], { cwd: tmp });
        try {
          await run.waitForLine(/success: x /);
          assert.match(run.lines[0] ?? '', / INFO Set uid to user \d+ succeeded$/);
          assert.ok(run.lines[0]!.endsWith(`Set uid to user ${u.uid} succeeded`), run.describe());
          assert.deepEqual(credentials(run.child.pid!).uids, [u.uid, u.uid, u.uid, u.uid]);
          assert.deepEqual(credentials(spawnedPid(run.lines, 'x')!).uids, [u.uid, u.uid, u.uid, u.uid]);
          await stopRun(run);
        } finally {
          await run.kill();
        }
      } finally {
        removeDir(tmp);
      }
    });

    it('[supervisord] user= naming an unknown user: "Error: ..." and exit 2', async () => {
      const tmp = makeTempDir();
      try {
        const conf = writeConfig(tmp, 'user=no-such-user-here');
        const r = await runToEnd(['-n', '-c', conf], { cwd: tmp });
        assert.equal(r.code, 2);
        assert.match(r.stderr, /^Error: .*no-such-user-here/);
      } finally {
        killMarked(tmp);
        removeDir(tmp);
      }
    });
  },
);

describe(`e2e daemon user= as non-root (${underTest})`, { concurrency: true, skip: limitsTools ? false : noLimitsTools }, () => {
  for (const args of [['-n'], []]) {
    it(`user= of another user when not root${args.length ? '' : ' (background)'}: "Error: Can't drop privilege as nonroot user", exit 2`, async () => {
      const tmp = makeTempDir(0o777);
      try {
        const conf = writeConfig(tmp, 'user=daemon');
        const r = await runToEnd([...args, '-c', conf], { prefix: NOBODY, cwd: tmp });
        assert.equal(r.code, 2, r.stderr);
        assert.equal(normalizeUsage(r.stderr), "Error: Can't drop privilege as nonroot user\nFor help, use <prog> -h\n");
        assert.equal(r.stdout, '');
      } finally {
        killMarked(tmp);
        removeDir(tmp);
      }
    });
  }

  it('-u naming the user it already runs as: "Set uid to user 65534 succeeded", no root warning', async () => {
    const tmp = makeTempDir(0o777);
    try {
      const conf = writeConfig(tmp, '');
      const run = await startWrapped(NOBODY, tmp, conf, ['-u', 'nobody']);
      try {
        assert.deepEqual(
          run.lines.map((l) => l.replace(/^\S+ \S+ /, '').replace(/pid \d+/, 'pid <pid>')),
          ['INFO Set uid to user 65534 succeeded', 'INFO supervisord started with pid <pid>'],
        );
        await stopRun(run);
      } finally {
        await run.kill();
      }
    } finally {
      removeDir(tmp);
    }
  });
});

describe(`e2e daemon minfds/minprocs (${underTest})`, { concurrency: true, skip: limitsTools ? false : noLimitsTools }, () => {
  it('minprocs above the soft limit (non-root, within the hard limit): raised, "Increased RLIMIT_NPROC limit to N", in /proc/<pid>/limits of the daemon and its children', async () => {
    const tmp = makeTempDir(0o777);
    try {
      const conf = writeConfig(tmp, 'minprocs=3000', '[program:x]\ncommand=sleep 1000\n');
      const run = await startWrapped([...NOBODY, 'prlimit', '--nproc=1000:4000', '--'], tmp, conf);
      try {
        await run.waitForLine(/success: x /);
        const infos = run.lines.filter((l) => / INFO Increased /.test(l)).map((l) => l.replace(/^.* INFO /, ''));
        assert.deepEqual(infos, ['Increased RLIMIT_NPROC limit to 3000']);
        assert.deepEqual(procLimit(run.child.pid!, 'Max processes'), { soft: '3000', hard: '4000' });
        assert.deepEqual(procLimit(spawnedPid(run.lines, 'x')!, 'Max processes'), { soft: '3000', hard: '4000' });
        await stopRun(run);
      } finally {
        await run.kill();
      }
    } finally {
      removeDir(tmp);
    }
  });

  it(
    'minfds above the soft limit (within the hard limit): raised to exactly N, "Increased RLIMIT_NOFILE limit to N"',
    { skip: ours ? 'Node raises its RLIMIT_NOFILE soft limit to the hard limit before any of our code runs (see the next test)' : false },
    async () => {
      const tmp = makeTempDir(0o777);
      try {
        const conf = writeConfig(tmp, 'minfds=1000');
        const run = await startWrapped([...NOBODY, 'prlimit', '--nofile=300:2000', '--'], tmp, conf);
        try {
          assert.ok(
            run.lines.some((l) => l.endsWith(' INFO Increased RLIMIT_NOFILE limit to 1000')),
            run.describe(),
          );
          assert.deepEqual(procLimit(run.child.pid!, 'Max open files'), { soft: '1000', hard: '2000' });
          await stopRun(run);
        } finally {
          await run.kill();
        }
      } finally {
        removeDir(tmp);
      }
    },
  );

  it(
    'minfds within the hard limit: the soft limit is already the hard one (Node raised it), so nothing is logged',
    { skip: ours ? false : 'the reference keeps the soft limit it was started with' },
    async () => {
      const tmp = makeTempDir(0o777);
      try {
        const conf = writeConfig(tmp, 'minfds=1000', '[program:x]\ncommand=sleep 1000\n');
        const run = await startWrapped([...NOBODY, 'prlimit', '--nofile=300:2000', '--'], tmp, conf);
        try {
          await run.waitForLine(/success: x /);
          assert.ok(!run.lines.some((l) => l.includes('RLIMIT_NOFILE')), run.describe());
          assert.deepEqual(procLimit(run.child.pid!, 'Max open files'), { soft: '2000', hard: '2000' });
          assert.deepEqual(procLimit(spawnedPid(run.lines, 'x')!, 'Max open files'), { soft: '2000', hard: '2000' });
          await stopRun(run);
        } finally {
          await run.kill();
        }
      } finally {
        removeDir(tmp);
      }
    },
  );

  it(
    'as root, minfds and minprocs above the hard limits raise both soft and hard limits',
    { skip: hasSysResource() ? false : 'needs CAP_SYS_RESOURCE to raise hard limits (missing in this container)' },
    async () => {
      const tmp = makeTempDir();
      try {
        const conf = writeConfig(tmp, 'minfds=1500\nminprocs=3000');
        const run = await startWrapped(['prlimit', '--nofile=300:600', '--nproc=1000:2000', '--'], tmp, conf);
        try {
          const infos = run.lines.filter((l) => / INFO Increased /.test(l)).map((l) => l.replace(/^.* INFO /, ''));
          assert.deepEqual(infos, ['Increased RLIMIT_NOFILE limit to 1500', 'Increased RLIMIT_NPROC limit to 3000']);
          assert.deepEqual(procLimit(run.child.pid!, 'Max open files'), { soft: '1500', hard: '1500' });
          assert.deepEqual(procLimit(run.child.pid!, 'Max processes'), { soft: '3000', hard: '3000' });
          await stopRun(run);
        } finally {
          await run.kill();
        }
      } finally {
        removeDir(tmp);
      }
    },
  );

  it('the rlimit line comes after the WARN parse messages and the include line, before "supervisord started"', async () => {
    const tmp = makeTempDir();
    try {
      writeFileSync(path.join(tmp, 'inc.conf'), '[program:x]\ncommand=sleep 1000\nstdout_logfile_maxbytes=0\n');
      const conf = writeConfig(tmp, 'minprocs=3000', `[include]\nfiles=inc.conf\n`);
      const run = await startWrapped(['prlimit', '--nproc=1000:4000', '--'], tmp, conf);
      try {
        // the file itself: the reference echoes a line on stdout before writing it to the file
        const log = path.join(tmp, 'supervisord.log');
        await waitForFileLine(log, /supervisord started with pid/);
        const messages = logMessages(log);
        assert.deepEqual(messages.slice(1, 4), [
          'WARN For [program:x], AUTO logging used for stdout_logfile without rollover, set maxbytes > 0 to avoid filling up filesystem unintentionally',
          `INFO Included extra file "${tmp}/inc.conf" during parsing`,
          'INFO Increased RLIMIT_NPROC limit to 3000',
        ]);
        assert.match(messages[4] ?? '', /^INFO supervisord started with pid \d+$/);
        await stopRun(run);
      } finally {
        await run.kill();
      }
    } finally {
      removeDir(tmp);
    }
  });

  it('minfds above the hard limit as non-root: the reference error, exit 2', async () => {
    const tmp = makeTempDir(0o777);
    try {
      const conf = writeConfig(tmp, 'minfds=5000');
      const r = await runToEnd(['-n', '-c', conf], { prefix: ['prlimit', '--nofile=300:2000', '--', ...NOBODY], cwd: tmp });
      assert.equal(r.code, 2, r.stderr);
      assert.equal(normalizeUsage(r.stderr), FDS_ERROR(5000));
      assert.equal(r.stdout, '', 'nothing logged');
    } finally {
      killMarked(tmp);
      removeDir(tmp);
    }
  });

  it('minprocs above the hard limit as non-root: the reference error, exit 2', async () => {
    const tmp = makeTempDir(0o777);
    try {
      const conf = writeConfig(tmp, 'minprocs=5000');
      const r = await runToEnd(['-n', '-c', conf], { prefix: ['prlimit', '--nproc=1000:2000', '--', ...NOBODY], cwd: tmp });
      assert.equal(r.code, 2, r.stderr);
      assert.equal(normalizeUsage(r.stderr), PROCS_ERROR(5000));
    } finally {
      killMarked(tmp);
      removeDir(tmp);
    }
  });

  it('-a/--minprocs on the command line override the config (error names the command-line value)', async () => {
    const tmp = makeTempDir(0o777);
    try {
      const conf = writeConfig(tmp, 'minfds=10');
      const r = await runToEnd(['-n', '-c', conf, '-a', '4000'], { prefix: ['prlimit', '--nofile=300:2000', '--', ...NOBODY], cwd: tmp });
      assert.equal(r.code, 2, r.stderr);
      assert.equal(normalizeUsage(r.stderr), FDS_ERROR(4000));
      const r2 = await runToEnd(['-n', '-c', conf, '--minprocs', '4500'], {
        prefix: ['prlimit', '--nproc=1000:2000', '--', ...NOBODY],
        cwd: tmp,
      });
      assert.equal(r2.code, 2, r2.stderr);
      assert.equal(normalizeUsage(r2.stderr), PROCS_ERROR(4500));
    } finally {
      killMarked(tmp);
      removeDir(tmp);
    }
  });

  it('an impossible minfds in background mode is still reported on the terminal with exit 2', async () => {
    const tmp = makeTempDir(0o777);
    try {
      const conf = writeConfig(tmp, 'minfds=5000');
      const r = await runToEnd(['-c', conf], { prefix: ['prlimit', '--nofile=300:2000', '--', ...NOBODY], cwd: tmp });
      assert.equal(r.code, 2, r.stderr);
      assert.equal(normalizeUsage(r.stderr), FDS_ERROR(5000));
      const pid = readPidfile(path.join(tmp, 'supervisord.pid'));
      assert.ok(pid === undefined || !isAlive(pid), 'no daemon');
    } finally {
      killMarked(tmp);
      removeDir(tmp);
    }
  });
});
