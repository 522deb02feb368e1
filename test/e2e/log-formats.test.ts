// End-to-end: child log formats and time-based rotation (ours). Programs write lines, the log
// files hold timestamped or JSON records; `supervisorctl tail` and `tail -f` show the file as
// written while `fg` shows the output raw; hourly and daily rotation, moved on by a wall clock
// the test controls (libfaketime), lose no byte; examples/log-formats runs as written. The
// reference ignores these keys.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { intoTempDir, supervisordSection } from '../harness/config-text.js';
import { withCtlDaemon } from '../harness/ctl.js';
import { parseSpawned, terminate, underTest, withDaemon, type Daemon } from '../harness/daemon.js';
import { call, waitForState } from '../harness/rpc.js';
import { STEP_TIMEOUT, waitUntil } from '../harness/wait.js';
import { findLibfaketime, MovableWallClock } from '../harness/wall-clock.js';
import { repoRoot } from '../paths.js';

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Writes lines on both channels (one not UTF-8 each), then a prompt without a newline. */
const TALKER = `import os, time
os.write(1, b'one\\ntwo\\n')
os.write(1, b'bad \\xff\\n')
os.write(2, b'err line\\n')
os.write(2, b'caf\\xc3\\xa9 \\xfe\\n')
os.write(1, b'Password: ')
time.sleep(1000)
`;

/** Numbered lines on stdout and stderr, fast, until the file named by argv[1] exists; then `end N` and exit. */
const WRITER = `import os, sys, time
i = 0
while not os.path.exists(sys.argv[1]):
    for _ in range(20):
        line = b'line %07d\\n' % i
        os.write(1, line)
        os.write(2, line)
        i += 1
    time.sleep(0.002)
os.write(1, b'end %d\\n' % i)
os.write(2, b'end %d\\n' % i)
`;

function jsonRecords(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** `name` and its rotated copies, oldest first: name.N … name.1, name. */
function rotatedFiles(d: Daemon, name: string): string[] {
  const numbers = readdirSync(d.tmp)
    .filter((file) => file.startsWith(`${name}.`) && /^\d+$/.test(file.slice(name.length + 1)))
    .map((file) => Number(file.slice(name.length + 1)))
    .sort((a, b) => b - a);
  return [...numbers.map((n) => d.path(`${name}.${n}`)), d.path(name)];
}

const size = (file: string) => statSync(file, { throwIfNoEntry: false })?.size ?? 0;

const libfaketime = findLibfaketime();

/** examples/log-formats, its /tmp paths moved into the test's directory. */
function example(tmp: string): string {
  const dir = path.join(repoRoot, 'examples', 'log-formats');
  return intoTempDir(readFileSync(path.join(dir, 'supervisord.conf'), 'utf8'), tmp)
    .split('%(here)s')
    .join(dir);
}

describe(`e2e child log formats and time rotation (${underTest})`, { skip: underTest === 'ours' ? false : 'our extension' }, () => {
  it('timestamped and json files; tail shows them as written; getAllConfigInfo reports the keys where set', async () => {
    const body = `
[program:talker]
command=python3 %(tmp)s/talker.py
stdout_logfile=%(tmp)s/talker.out
stdout_logfile_format=timestamped
stderr_logfile=%(tmp)s/talker.err
stderr_logfile_format=json
[program:plain]
command=sleep 1000
stdout_logfile_rotate=hourly
`;
    await withCtlDaemon(body, { files: { 'talker.py': TALKER } }, async (a) => {
      await waitForState(a.unix, 'talker', ['RUNNING']);
      const { pid } = parseSpawned((await a.d.waitForLine(/spawned: 'talker' /)).line)!;
      // The prompt has no newline: it is written as a record of its own after a short delay.
      assert.ok(await waitUntil(() => a.d.read('talker.out').split('\n').length === 5, STEP_TIMEOUT), a.d.read('talker.out'));
      const out = readFileSync(a.d.path('talker.out'));
      const lines = out.toString('latin1').split('\n').slice(0, -1);
      assert.deepEqual(
        lines.map((line) => line.slice(25)),
        ['one', 'two', 'bad \xff', 'Password: '],
        'each line as written, the byte that is not UTF-8 included',
      );
      const times = lines.map((line) => line.slice(0, 24));
      for (const time of times) assert.match(time, ISO_TIME);
      assert.deepEqual([...times].sort(), times, 'in the order written');

      assert.ok(await waitUntil(() => a.d.read('talker.err').split('\n').length === 3, STEP_TIMEOUT));
      const records = jsonRecords(a.d.read('talker.err'));
      assert.deepEqual(
        records.map(({ time: _time, ...rest }) => rest),
        [
          { stream: 'stderr', program: 'talker', pid, line: 'err line' },
          {
            stream: 'stderr',
            program: 'talker',
            pid,
            line: 'café \ufffd',
            line_base64: Buffer.concat([Buffer.from('café '), Buffer.from([0xfe])]).toString('base64'),
          },
        ],
      );
      assert.ok(records.every((record) => ISO_TIME.test(String(record['time']))));

      assert.equal((await a.ctl('tail', 'talker')).stdout, `${a.d.read('talker.out')}\n`);
      assert.equal((await a.ctl('tail', 'talker', 'stderr')).stdout, `${a.d.read('talker.err')}\n`);

      const infos = (await call(a.unix, 'supervisor.getAllConfigInfo')) as Array<Record<string, unknown>>;
      const info = (name: string) => infos.find((entry) => entry['name'] === name)!;
      assert.equal(info('talker')['stdout_logfile_format'], 'timestamped');
      assert.equal(info('talker')['stderr_logfile_format'], 'json');
      assert.equal(info('plain')['stdout_logfile_rotate'], 'hourly');
      assert.deepEqual(
        Object.keys(info('talker')).filter((key) => key.endsWith('_rotate')),
        [],
        'not set: not reported',
      );
      assert.deepEqual(
        Object.keys(info('plain')).filter((key) => key.endsWith('_format') || key === 'stderr_logfile_rotate'),
        [],
      );
    });
  });

  it('fg shows the output raw while tail -f and the file have the JSON records', async () => {
    const body = `
[program:cat]
command=cat
startsecs=0
stdout_logfile=%(tmp)s/cat.log
stdout_logfile_format=json
`;
    await withCtlDaemon(body, {}, async (a) => {
      await waitForState(a.unix, 'cat', ['RUNNING']);
      await call(a.unix, 'supervisor.sendProcessStdin', 'cat', 'before\n');
      assert.ok(await waitUntil(() => a.d.read('cat.log').includes('"line":"before"'), STEP_TIMEOUT));

      const fg = a.live('fg', 'cat');
      await fg.waitFor('==> Press Ctrl-C to exit <==\n');
      await fg.waitFor('before\n'); // the latest output first, as from a raw log
      fg.child.stdin!.write('typed\n');
      await fg.waitFor('typed\n');
      assert.doesNotMatch(fg.stdout, /"time"/);

      const tail = a.live('tail', '-f', 'cat');
      await tail.waitFor('"line":"typed"}\n');
      assert.deepEqual(
        jsonRecords(a.d.read('cat.log')).map((record) => record['line']),
        ['before', 'typed'],
      );
      fg.child.stdin!.end();
      assert.equal(await fg.exit(), 0);
      tail.child.kill('SIGINT');
      assert.equal(await tail.exit(), 0);
    });
  });

  it(
    'hourly and daily rotation as the clock passes the hour and midnight: every byte kept, in order',
    { skip: libfaketime ? false : 'needs libfaketime (Debian package faketime)' },
    async () => {
      const clockDir = mkdtempSync(path.join(tmpdir(), 'sv-clock-'));
      try {
        const clock = new MovableWallClock(libfaketime!, clockDir);
        const config =
          supervisordSection('logfile_rotate=daily\nlogfile_backups=10') +
          `
[program:writer]
command=python3 %(tmp)s/writer.py %(tmp)s/stop
autorestart=false
stdout_logfile=%(tmp)s/writer.out
stdout_logfile_rotate=hourly
stdout_logfile_maxbytes=16KB
stdout_logfile_backups=100
stderr_logfile=%(tmp)s/writer.err
stderr_logfile_format=json
stderr_logfile_rotate=hourly
stderr_logfile_maxbytes=0
stderr_logfile_backups=100
`;
        await withDaemon(config, { env: clock.env, files: { 'writer.py': WRITER } }, async (d) => {
          const { pid } = parseSpawned((await d.waitForLine(/spawned: 'writer' /)).line)!;
          const errSize = () => rotatedFiles(d, 'writer.err').reduce((sum, file) => sum + size(file), 0);
          const grows = async (what: string) => {
            const before = errSize();
            assert.ok(await waitUntil(() => errSize() > before + 100_000, STEP_TIMEOUT), what);
          };
          await grows('the writer writes');
          clock.setOffset(3600); // past the next hour
          assert.ok(await waitUntil(() => existsSync(d.path('writer.err.1')), STEP_TIMEOUT), 'rotated at the hour');
          await grows('the writer writes on');
          clock.setOffset(3600 + 86_400); // past the hour after, and midnight
          assert.ok(await waitUntil(() => existsSync(d.path('writer.err.2')), STEP_TIMEOUT), 'rotated at the next hour');
          await grows('the writer writes on again');
          writeFileSync(d.path('stop'), '');
          await d.waitForLine(/exited: writer \(exit status 0; expected\)/);
          assert.equal(await terminate(d), 0);

          // stdout, rotated by size and by time: exactly the bytes written.
          const out = rotatedFiles(d, 'writer.out').map((file) => readFileSync(file, 'utf8'));
          const count = Number(/end (\d+)\n$/.exec(out.join(''))?.[1]);
          assert.ok(count > 0);
          const expected = Array.from({ length: count }, (_, i) => `line ${String(i).padStart(7, '0')}\n`).join('') + `end ${count}\n`;
          assert.ok(out.join('') === expected, `stdout: ${out.join('').length} bytes in ${out.length} files, ${expected.length} written`);
          assert.ok(out.length > 3, `rotated by size too: ${out.length} files`);

          // stderr, rotated by time only: every line once, in order, and no file holds lines from
          // both sides of a jump of the clock (the first record of a file may have started before
          // its boundary: it is stamped with the time of its first byte).
          const files = rotatedFiles(d, 'writer.err').map((file) => jsonRecords(readFileSync(file, 'utf8')));
          assert.ok(files.length >= 3, `${files.length} files`);
          const records = files.flat();
          assert.deepEqual(records.map((record) => `${String(record['line'])}\n`).join(''), expected);
          assert.ok(records.every((record) => record['pid'] === pid && record['stream'] === 'stderr' && record['program'] === 'writer'));
          const times = (file: Array<Record<string, unknown>>) => file.map((record) => Date.parse(String(record['time'])));
          let jumps = 0;
          for (const file of files) {
            const at = times(file);
            for (let i = 2; i < at.length; i += 1) assert.ok(at[i]! - at[i - 1]! < 30 * 60_000, 'a jump inside a file');
            if (at.length > 1 && at[1]! - at[0]! >= 30 * 60_000) jumps += 1;
          }
          const starts = files.map((file) => times(file)[0]!);
          for (let i = 1; i < starts.length; i += 1) if (starts[i]! - starts[i - 1]! >= 30 * 60_000) jumps += 1;
          assert.ok(jumps >= 2, 'both jumps fall between files');

          // The activity log rotated at midnight: every line it wrote is in one of its files.
          const activity = rotatedFiles(d, 'supervisord.log').map((file) => readFileSync(file, 'utf8'));
          assert.ok(activity.length >= 2, 'rotated at midnight');
          assert.equal(activity.join(''), d.lines.map((line) => `${line}\n`).join(''));
          assert.match(activity[0]!, /supervisord started with pid/);
          assert.match(activity.at(-1)!, /exited: writer/);
        });
      } finally {
        rmSync(clockDir, { recursive: true, force: true });
      }
    },
  );

  it('examples/log-formats: timestamped and JSON logs, the prompt as a record of its own', async () => {
    await withDaemon(example, {}, async (d) => {
      for (const name of ['web', 'worker', 'asks']) await d.waitForLine(new RegExp(`success: ${name} `));
      const has = async (file: string, re: RegExp) =>
        assert.ok(await waitUntil(() => re.test(d.read(file)), STEP_TIMEOUT), `${file}: ${re}`);
      // Any line: a test running as the hour or the day turns may find the first ones rotated.
      await has('log-formats-web.log', /^\d{4}-\d\d-\d\dT[\d:.]{12}Z GET \/item\/\d+ 200$/m);
      await has('log-formats-worker.log', /^\{"time":"[^"]+","stream":"stdout","program":"worker","pid":\d+,"line":"job done"\}$/m);
      await has('log-formats-worker.err', /^\{"time":"[^"]+","stream":"stderr","program":"worker","pid":\d+,"line":"job retried"\}$/m);
      await has('log-formats-asks.log', /^\S+Z name\? \n$/);
      assert.deepEqual(d.matching(/WARN|ERRO/), []);
      assert.equal(await terminate(d), 0);
    });
  });
});
