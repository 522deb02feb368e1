// End-to-end: the daemon's resource limits — minfds/minprocs raising RLIMIT_NOFILE/RLIMIT_NPROC
// (soft, and hard as root), the line that says so, or the refusal to start. Needs root (it runs
// the daemon as nobody through setpriv, under limits set by prlimit). Runs against
// SUPERVISORD_UNDER_TEST=reference or ours.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { normalizeUsage } from '../harness/normalize.js';
import { isAlive } from '../harness/pids.js';
import { NOBODY, limitsTools, noLimitsTools, startWrapped, stopRun, writeConfig } from '../harness/privileges.js';
import { underTest } from '../harness/daemon.js';
import {
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
} from '../harness/daemon-runs.js';

const ours = underTest === 'ours';
/** CAP_SYS_RESOURCE (bit 24) in the effective set: root may raise hard limits. */
function hasSysResource(): boolean {
  const eff = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return isRoot && eff !== undefined && (BigInt(`0x${eff}`) & (1n << 24n)) !== 0n;
}

const FDS_ERROR = (n: number): string =>
  `Error: The minimum number of file descriptors required to run this process is ${n} as per the "minfds" command-line argument or config file setting. The current environment will only allow you to open ${n} file descriptors.  Either raise the number of usable file descriptors in your environment (see README.rst) or lower the minfds setting in the config file to allow the process to start.\nFor help, use <prog> -h\n`;
const PROCS_ERROR = (n: number): string =>
  `Error: The minimum number of available processes required to run this program is ${n} as per the "minprocs" command-line argument or config file setting. The current environment will only allow you to open ${n} processes.  Either raise the number of usable processes in your environment (see README.rst) or lower the minprocs setting in the config file to allow the program to start.\nFor help, use <prog> -h\n`;

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
