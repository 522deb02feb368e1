// End-to-end: the daemon's credentials — user= for a program (uid, gid and supplementary groups
// of the child), user= in [supervisord] and -u (the daemon itself switches), and user= refused
// when not root. Needs root (it creates a user and runs the daemon as nobody through setpriv).
// Runs against SUPERVISORD_UNDER_TEST=reference or ours.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chownSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { normalizeUsage } from '../harness/normalize.js';
import { NOBODY, limitsTools, noLimitsTools, startWrapped, stopRun, writeConfig } from '../harness/privileges.js';
import { underTest } from '../harness/daemon.js';
import {
  Run,
  canCreateUsers,
  createTestUser,
  credentials,
  killMarked,
  logMessages,
  makeTempDir,
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
