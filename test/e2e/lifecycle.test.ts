// End-to-end: process lifecycle lines of the activity log (startup, spawn, RUNNING, crash
// loops, autorestart, spawn errors). Runs against SUPERVISORD_UNDER_TEST=reference or ours.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { supervisordSection, RPC_SECTIONS, SENTINEL_PROGRAM } from '../harness/config-text.js';
import { sentinelStopped } from '../harness/api-daemon.js';
import { waitUntil, STEP_TIMEOUT } from '../harness/wait.js';
import { type Daemon, withDaemon, underTest, wholeLines } from '../harness/daemon.js';

const ROOT_CRIT =
  'CRIT Supervisor is running as root.  Privileges were not dropped because no user is specified in the config file.  If you intend to run as root, you can set user=root in the config file to avoid this message.';
const isRoot = process.getuid?.() === 0;
const startupLines = (): string[] => [...(isRoot ? [ROOT_CRIT] : []), 'INFO supervisord started with pid <pid>'];

const success = (name: string, secs = 1): string =>
  `INFO success: ${name} entered RUNNING state, process has stayed up for > than ${secs} seconds (startsecs)`;
const spawned = (name: string): string => `INFO spawned: '${name}' with pid <pid>`;
const gaveUp = (name: string): string => `INFO gave up: ${name} entered FATAL state, too many start retries too quickly`;

/** A TCP port that was free a moment ago. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Stop the daemon with SIGTERM and wait for it; returns the exit code. */
async function terminate(d: Daemon): Promise<number | null> {
  d.signal('SIGTERM');
  const e = await d.waitForExit();
  return e.code;
}

// Quick-exiting children use startsecs=3: the reference only notices an exit (reaps) on a
// main-loop pass, and an idle pass can come >1 s after the pipes closed, in which case a
// child that died at once is first declared RUNNING ("success: ...") with startsecs=1.

describe(`e2e lifecycle (${underTest})`, { concurrency: true }, () => {
  it('startup without server sections prints only the root warning and the started line, then spawns in priority/name order', async () => {
    await withDaemon(
      supervisordSection() +
        `
[program:c]
command=sleep 1000
priority=2
[program:a]
command=sleep 1000
priority=2
[program:b]
command=sleep 1000
priority=1
`,
      {},
      async (d) => {
        await d.waitForCount(/success: /, 3);
        const started = await d.waitForLine(/supervisord started with pid/);
        assert.equal(started.line.replace(/^.* pid /, ''), String(d.pid), 'started line carries the daemon pid');
        assert.deepEqual(d.activity(), [
          ...startupLines(),
          spawned('b'),
          spawned('a'),
          spawned('c'),
          success('b'),
          success('a'),
          success('c'),
        ]);
        // pids in spawned lines are the real children
        for (const l of d.lines.filter((x) => x.includes('spawned:'))) {
          const pid = Number(/with pid (\d+)/.exec(l)?.[1]);
          assert.ok(pid > 0 && pid !== d.pid);
        }
        assert.equal(await terminate(d), 0);
      },
    );
  });

  it('a line has the form "YYYY-MM-DD HH:MM:SS,mmm LEVEL message" and the main logfile gets the same lines', async () => {
    await withDaemon(supervisordSection() + '[program:x]\ncommand=sleep 1000\n', {}, async (d) => {
      await d.waitForLine(/success: x /);
      assert.equal(await terminate(d), 0);
      for (const l of d.lines) assert.match(l, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (CRIT|ERRO|WARN|INFO|DEBG|TRAC|BLAT) \S/);
      const fileLines = d
        .read('supervisord.log')
        .split('\n')
        .filter((l) => l !== '');
      assert.deepEqual(fileLines, d.lines);
    });
  });

  it('startsecs=0: success line says "> than 0 seconds", then an exit is judged against exitcodes', async () => {
    await withDaemon(
      supervisordSection() +
        `
[program:z]
command=sh -c 'sleep 0.5; exit 0'
startsecs=0
autorestart=false
`,
      {},
      async (d) => {
        await d.waitForLine(/exited: z /);
        assert.deepEqual(d.about('z'), [spawned('z'), success('z', 0), 'INFO exited: z (exit status 0; expected)']);
        assert.equal(await terminate(d), 0);
      },
    );
  });

  it('startsecs=0 with a non-zero exit: "not expected" and autorestart=unexpected restarts it', async () => {
    await withDaemon(
      supervisordSection() +
        `
[program:z]
command=sh -c 'sleep 0.5; exit 1'
startsecs=0
autorestart=unexpected
`,
      {},
      async (d) => {
        await d.waitForCount(/spawned: 'z'/, 2);
        assert.deepEqual(d.about('z').slice(0, 4), [
          spawned('z'),
          success('z', 0),
          'WARN exited: z (exit status 1; not expected)',
          spawned('z'),
        ]);
        assert.equal(await terminate(d), 0);
      },
    );
  });

  it('crash loop: startretries=2 gives exactly 3 spawns, each "exited ... not expected", then gave up (FATAL)', async () => {
    await withDaemon(
      supervisordSection() +
        `
[program:crash]
command=sh -c 'exit 3'
startretries=2
startsecs=3
` +
        RPC_SECTIONS +
        SENTINEL_PROGRAM,
      {},
      async (d) => {
        await d.waitForLine(/gave up: crash /, 30_000);
        const expected = [
          spawned('crash'),
          'WARN exited: crash (exit status 3; not expected)',
          spawned('crash'),
          'WARN exited: crash (exit status 3; not expected)',
          spawned('crash'),
          'WARN exited: crash (exit status 3; not expected)',
          gaveUp('crash'),
        ];
        assert.deepEqual(d.about('crash'), expected);
        // FATAL is final: nothing more about crash once the daemon has moved on
        await sentinelStopped(d);
        assert.deepEqual(d.about('crash'), expected);
        assert.equal(await terminate(d), 0);
      },
    );
  });

  it('startretries=0: a single attempt then gave up', async () => {
    await withDaemon(supervisordSection() + "[program:c0]\ncommand=sh -c 'exit 7'\nstartretries=0\nstartsecs=3\n", {}, async (d) => {
      await d.waitForLine(/gave up: c0 /, 20_000);
      assert.deepEqual(d.about('c0'), [spawned('c0'), 'WARN exited: c0 (exit status 7; not expected)', gaveUp('c0')]);
      assert.equal(await terminate(d), 0);
    });
  });

  for (const [kind, code, line] of [
    ['an expected', 0, 'INFO exited: once (exit status 0; expected)'],
    ['an unexpected', 2, 'WARN exited: once (exit status 2; not expected)'],
  ] as const) {
    it(`autorestart=false: ${kind} exit after RUNNING is final`, async () => {
      await withDaemon(
        supervisordSection() +
          `
[program:once]
command=sh -c 'sleep 1.5; exit ${code}'
autorestart=false
` +
          RPC_SECTIONS +
          SENTINEL_PROGRAM,
        {},
        async (d) => {
          await d.waitForLine(/exited: once /, 20_000);
          await sentinelStopped(d); // a restart would have come before this
          assert.deepEqual(d.about('once'), [spawned('once'), success('once'), line]);
          assert.equal(await terminate(d), 0);
        },
      );
    });
  }

  it('autorestart=true: an expected exit is restarted', async () => {
    await withDaemon(supervisordSection() + "[program:again]\ncommand=sh -c 'sleep 1.5; exit 0'\nautorestart=true\n", {}, async (d) => {
      await d.waitForCount(/spawned: 'again'/, 2, 20_000);
      assert.deepEqual(d.about('again').slice(0, 4), [
        spawned('again'),
        success('again'),
        'INFO exited: again (exit status 0; expected)',
        spawned('again'),
      ]);
      assert.equal(await terminate(d), 0);
    });
  });

  it('autorestart=unexpected with exitcodes=0,4: exit 4 is expected and not restarted; exit 5 is restarted', async () => {
    await withDaemon(
      supervisordSection() +
        `
[program:four]
command=sh -c 'sleep 1.5; exit 4'
exitcodes=0,4
autorestart=unexpected
[program:five]
command=sh -c 'sleep 1.5; exit 5'
exitcodes=0,4
autorestart=unexpected
` +
        RPC_SECTIONS +
        SENTINEL_PROGRAM,
      {},
      async (d) => {
        await d.waitForLine(/exited: four /, 20_000);
        await d.waitForCount(/spawned: 'five'/, 2, 20_000);
        await sentinelStopped(d); // a restart of four would have come before this
        assert.deepEqual(d.about('four'), [spawned('four'), success('four'), 'INFO exited: four (exit status 4; expected)']);
        assert.deepEqual(d.about('five').slice(0, 4), [
          spawned('five'),
          success('five'),
          'WARN exited: five (exit status 5; not expected)',
          spawned('five'),
        ]);
        assert.equal(await terminate(d), 0);
      },
    );
  });

  it("spawn error: unknown command gives \"spawnerr: can't find command 'nope'\" per attempt then gave up", async () => {
    await withDaemon(supervisordSection() + '[program:x]\ncommand=nope --flag\nstartretries=1\n', {}, async (d) => {
      await d.waitForLine(/gave up: x /, 20_000);
      assert.deepEqual(d.activity(), [
        ...startupLines(),
        "INFO spawnerr: can't find command 'nope'",
        "INFO spawnerr: can't find command 'nope'",
        gaveUp('x'),
      ]);
      assert.equal(await terminate(d), 0);
    });
  });

  it('spawn error: absolute path that does not exist', async () => {
    await withDaemon(supervisordSection() + '[program:x]\ncommand=%(tmp)s/missing\nstartretries=0\n', {}, async (d) => {
      await d.waitForLine(/gave up: x /, 20_000);
      assert.deepEqual(d.activity().slice(-2), ["INFO spawnerr: can't find command '%(tmp)s/missing'", gaveUp('x')]);
      assert.equal(await terminate(d), 0);
    });
  });

  it('spawn error: a file without any execute bit', async () => {
    await withDaemon(
      supervisordSection() + '[program:x]\ncommand=%(tmp)s/script.sh\nstartretries=2\n',
      { files: { 'script.sh': { content: '#!/bin/sh\necho hi\n', mode: 0o644 } } },
      async (d) => {
        await d.waitForLine(/gave up: x /, 20_000);
        const err = "INFO spawnerr: command at '%(tmp)s/script.sh' is not executable";
        assert.deepEqual(d.activity().slice(startupLines().length), [err, err, err, gaveUp('x')]);
        assert.equal(await terminate(d), 0);
      },
    );
  });

  it('spawn error: a directory as command', async () => {
    await withDaemon(
      (tmp) => supervisordSection() + `[program:x]\ncommand=${tmp}\nstartretries=0\n`,
      {},
      async (d) => {
        await d.waitForLine(/gave up: x /, 20_000);
        assert.deepEqual(d.activity().slice(startupLines().length), ["INFO spawnerr: command at '%(tmp)s' is a directory", gaveUp('x')]);
        assert.equal(await terminate(d), 0);
      },
    );
  });

  it('exec failure inside the child (bad directory=) is an ordinary quick exit with status 127 and a message in the child log', async () => {
    await withDaemon(
      supervisordSection() +
        `
[program:x]
command=sleep 1000
directory=%(tmp)s/no-such-dir
startretries=0
startsecs=3
stderr_logfile=%(tmp)s/x.err
`,
      {},
      async (d) => {
        await d.waitForLine(/gave up: x /, 20_000);
        assert.deepEqual(d.about('x'), [spawned('x'), 'WARN exited: x (exit status 127; not expected)', gaveUp('x')]);
        assert.equal(
          await d.readWhen('x.err', (t) => t.endsWith('was not spawned\n')),
          `supervisor: couldn't chdir to ${d.tmp}/no-such-dir: ENOENT\nsupervisor: child process was not spawned\n`,
        );
        assert.equal(await terminate(d), 0);
      },
    );
  });

  it('numprocs with a process_name template and a [group:] section: names, order and group env', async () => {
    await withDaemon(
      supervisordSection() +
        `
[program:w]
command=sh -c 'echo "$SUPERVISOR_PROCESS_NAME $SUPERVISOR_GROUP_NAME"; sleep 1000'
process_name=%(program_name)s_%(process_num)02d
numprocs=3
numprocs_start=1
stdout_logfile=%(tmp)s/w-%(process_num)d.log
[program:solo]
command=sh -c 'echo "$SUPERVISOR_PROCESS_NAME $SUPERVISOR_GROUP_NAME"; sleep 1000'
stdout_logfile=%(tmp)s/solo.log
[program:other]
command=sleep 1000
[program:alpha]
command=sleep 1000
priority=1
[group:pool]
programs=solo,other,alpha
`,
      {},
      async (d) => {
        await d.waitForCount(/success: /, 6);
        // groups in name order (same priority): pool then w; inside [group:pool] the
        // programs= list order wins, even over a program's own priority
        assert.deepEqual(d.matching(/spawned: /), [
          spawned('solo'),
          spawned('other'),
          spawned('alpha'),
          spawned('w_01'),
          spawned('w_02'),
          spawned('w_03'),
        ]);
        assert.equal(await d.readWhen('w-1.log', wholeLines), 'w_01 w\n');
        assert.equal(await d.readWhen('w-3.log', wholeLines), 'w_03 w\n');
        assert.equal(await d.readWhen('solo.log', wholeLines), 'solo pool\n');
        assert.equal(await terminate(d), 0);
      },
    );
  });

  it('child environment: SUPERVISOR_* variables, no SUPERVISOR_SERVER_URL without a server, environment precedence, directory and umask', async () => {
    await withDaemon(
      supervisordSection('environment=A="sup",B="sup"') +
        `
[program:envy]
command=sh -c 'env | grep -E "^(SUPERVISOR_[A-Z_]*|A|B|C)=" | sort; pwd; touch made; sleep 1000'
environment=B="prog",C="prog"
directory=%(tmp)s/wd
umask=027
stdout_logfile=%(tmp)s/envy.log
`,
      { env: { A: 'outer', B: 'outer', C: 'outer' }, files: { 'wd/.keep': '' } },
      async (d) => {
        await d.waitForLine(/success: envy /);
        assert.equal(
          await d.readWhen('envy.log', (t) => t.endsWith(`${d.tmp}/wd\n`)),
          [
            'A=sup',
            'B=prog',
            'C=prog',
            'SUPERVISOR_ENABLED=1',
            'SUPERVISOR_GROUP_NAME=envy',
            'SUPERVISOR_PROCESS_NAME=envy',
            `${d.tmp}/wd`,
            '',
          ].join('\n'),
        );
        const { existsSync, statSync } = await import('node:fs');
        assert.ok(await waitUntil(() => existsSync(d.path('wd/made')), STEP_TIMEOUT), 'the child made its file');
        assert.equal(statSync(d.path('wd/made')).mode & 0o777, 0o640);
        assert.equal(await terminate(d), 0);
      },
    );
  });

  it('unix_http_server without auth: CRIT line before the started line; children get SUPERVISOR_SERVER_URL=unix://<file>', async () => {
    await withDaemon(
      `[unix_http_server]
file=%(tmp)s/s.sock
` +
        supervisordSection() +
        `
[program:u]
command=sh -c 'echo "$SUPERVISOR_SERVER_URL"; sleep 1000'
stdout_logfile=%(tmp)s/u.log
`,
      {},
      async (d) => {
        await d.waitForLine(/success: u /);
        assert.equal(await d.readWhen('u.log', wholeLines), `unix://${d.tmp}/s.sock\n`);
        // no [rpcinterface:supervisor] section, so no "RPC interface ... initialized" line
        const head = [
          ...(isRoot ? [ROOT_CRIT] : []),
          "CRIT Server 'unix_http_server' running without any HTTP authentication checking",
          'INFO supervisord started with pid <pid>',
        ];
        assert.deepEqual(d.activity().slice(0, head.length), head);
        assert.equal(await terminate(d), 0);
      },
    );
  });

  it('both servers with the rpcinterface: one "RPC interface" line per server, inet before unix', async () => {
    const port = await freePort();
    await withDaemon(
      `[unix_http_server]
file=%(tmp)s/s.sock
[inet_http_server]
port=127.0.0.1:${port}
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
` +
        supervisordSection() +
        '[program:x]\ncommand=sleep 1000\n',
      {},
      async (d) => {
        await d.waitForLine(/spawned: 'x'/);
        const head = [
          ...(isRoot ? [ROOT_CRIT] : []),
          "INFO RPC interface 'supervisor' initialized",
          "CRIT Server 'inet_http_server' running without any HTTP authentication checking",
          "INFO RPC interface 'supervisor' initialized",
          "CRIT Server 'unix_http_server' running without any HTTP authentication checking",
          'INFO supervisord started with pid <pid>',
          spawned('x'),
        ];
        assert.deepEqual(d.activity().slice(0, head.length), head);
        assert.equal(await terminate(d), 0);
      },
    );
  });
});
