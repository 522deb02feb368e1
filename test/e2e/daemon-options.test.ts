// End-to-end: supervisord's command-line overrides (-s -e -l -j -q -i -k), the config file search
// without -c, the sample from echo_supervisord_conf, SIGHUP with a broken config (ours keeps
// running; the reference exits), and stopping many children at once. Runs against
// SUPERVISORD_UNDER_TEST=reference or ours.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { lineOf, supervisordSection } from '../harness/config-text.js';
import { normalizeLine } from '../harness/normalize.js';
import { waitForFileContent } from '../harness/wait.js';
import { isAlive, waitForPidGone } from '../harness/pids.js';
import { type Daemon, parseSpawned, underTest, withDaemon } from '../harness/daemon.js';
import { builtCli } from '../paths.js';

const ours = underTest === 'ours';
const isRoot = process.getuid?.() === 0;

async function terminate(d: Daemon): Promise<number | null> {
  d.signal('SIGTERM');
  return (await d.waitForExit()).code;
}

/** Message part (level and text) of the lines of an activity log file in the temp dir. */
function fileMessages(d: Daemon, rel: string): string[] {
  return d
    .read(rel)
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.replace(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} /, ''));
}

describe(`e2e daemon command-line overrides (${underTest})`, { concurrency: true }, () => {
  it('-s with -n: nothing is echoed on stdout, the log file still gets every line', async () => {
    await withDaemon(
      supervisordSection() + "[program:a]\ncommand=sh -c 'echo up > %(tmp)s/a.up; exec sleep 1000'\n",
      { args: ['-s'] },
      async (d) => {
        assert.ok(await waitForFileContent(d.path('a.up')), 'the child started');
        assert.ok(await waitForFileContent(d.path('supervisord.log')));
        assert.equal(await terminate(d), 0);
        assert.deepEqual(d.lines, [], 'stdout stays empty');
        const messages = fileMessages(d, 'supervisord.log');
        assert.ok(
          messages.some((m) => /^INFO spawned: 'a' with pid \d+$/.test(m)),
          messages.join('\n'),
        );
        assert.ok(messages.includes('WARN stopped: a (terminated by SIGTERM)'), messages.join('\n'));
      },
    );
  });

  it('silent=true in the config does the same', async () => {
    await withDaemon(
      supervisordSection('silent=true') + "[program:a]\ncommand=sh -c 'echo up > %(tmp)s/a.up; exec sleep 1000'\n",
      {},
      async (d) => {
        assert.ok(await waitForFileContent(d.path('a.up')), 'the child started');
        assert.equal(await terminate(d), 0);
        assert.deepEqual(d.lines, []);
        assert.ok(fileMessages(d, 'supervisord.log').includes('WARN stopped: a (terminated by SIGTERM)'));
      },
    );
  });

  it('-e warn overrides loglevel=info: no INFO lines, WARN lines kept (stdout and file)', async () => {
    await withDaemon(
      supervisordSection('loglevel=info') + "[program:a]\ncommand=sh -c 'echo up > %(tmp)s/a.up; exec sleep 1000'\n",
      { args: ['-e', 'warn'] },
      async (d) => {
        assert.ok(await waitForFileContent(d.path('a.up')), 'the child started');
        assert.equal(await terminate(d), 0);
        const expected = [
          ...(isRoot ? [d.activity()[0]!] : []),
          'WARN received SIGTERM indicating exit request',
          'WARN stopped: a (terminated by SIGTERM)',
        ];
        assert.deepEqual(d.activity(), expected);
        assert.deepEqual(fileMessages(d, 'supervisord.log'), expected);
        if (isRoot) assert.match(expected[0]!, /^CRIT Supervisor is running as root/);
      },
    );
  });

  it('-e debug overrides loglevel=warn: DEBG lines appear', async () => {
    await withDaemon(
      supervisordSection('loglevel=warn') + "[program:a]\ncommand=sh -c 'echo hello; exec sleep 1000'\n",
      { args: ['-e', 'debug'] },
      async (d) => {
        await d.waitForLine(/success: a /);
        await d.waitForLine(/DEBG 'a' stdout output:/);
        assert.equal(await terminate(d), 0);
      },
    );
  });

  it('-l puts the activity log at the given path instead of logfile=', async () => {
    await withDaemon(supervisordSection() + '[program:a]\ncommand=sleep 1000\n', { args: ['-l', '%(tmp)s/elsewhere.log'] }, async (d) => {
      await d.waitForLine(/success: a /);
      assert.equal(await terminate(d), 0);
      assert.equal(existsSync(d.path('supervisord.log')), false, 'logfile= of the config is not created');
      const messages = d
        .read('elsewhere.log')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => normalizeLine(l).split(d.tmp).join('%(tmp)s'));
      assert.deepEqual(messages, d.activity(), 'the file gets what stdout got');
      assert.ok(messages.includes('WARN stopped: a (terminated by SIGTERM)'));
    });
  });

  it('-j writes the pidfile at the given path instead of pidfile=, and removes it at exit', async () => {
    await withDaemon(supervisordSection() + '[program:a]\ncommand=sleep 1000\n', { args: ['-j', '%(tmp)s/other.pid'] }, async (d) => {
      await d.waitForLine(/success: a /);
      assert.equal(d.read('other.pid'), `${d.pid}\n`);
      assert.equal(existsSync(d.path('supervisord.pid')), false, 'pidfile= of the config is not written');
      assert.equal(await terminate(d), 0);
      assert.equal(existsSync(d.path('other.pid')), false);
    });
  });

  it('-q and -i: AUTO child logs go into the -q directory, named with the -i identifier', async () => {
    await withDaemon(
      supervisordSection() + "[program:a]\ncommand=sh -c 'echo out; echo err >&2; exec sleep 1000'\n",
      { args: ['-q', '%(tmp)s/children', '-i', 'myid'], files: { 'children/.keep': '' } },
      async (d) => {
        await d.waitForLine(/success: a /);
        const names = d.list('children');
        const out = names.filter((n) => /^a-stdout---myid-[A-Za-z0-9_]{8}\.log$/.test(n));
        const err = names.filter((n) => /^a-stderr---myid-[A-Za-z0-9_]{8}\.log$/.test(n));
        assert.equal(out.length, 1, names.join(' '));
        assert.equal(err.length, 1, names.join(' '));
        assert.ok(!d.list().some((n) => n.startsWith('a-std')), 'nothing in childlogdir= of the config');
        assert.ok(await waitForFileContent(d.path(`children/${out[0]}`)));
        assert.equal(d.read(`children/${out[0]}`), 'out\n');
        assert.equal(await terminate(d), 0);
      },
    );
  });

  for (const keep of [true, false]) {
    it(`${keep ? '-k keeps' : 'without -k, startup removes'} stale AUTO logs of the identifier in childlogdir`, async () => {
      const stale = { 'old-stdout---supervisor-abcd1234.log': 'stale', 'old-stderr---supervisor-abcd1234.log.2': 'stale' };
      await withDaemon(
        supervisordSection() + '[program:a]\ncommand=sleep 1000\n',
        { args: keep ? ['-k'] : [], files: stale },
        async (d) => {
          await d.waitForLine(/success: a /);
          for (const name of Object.keys(stale)) assert.equal(d.list().includes(name), keep, name);
          assert.equal(await terminate(d), 0);
        },
      );
    });
  }

  it('nocleanup=true in the config keeps them too', async () => {
    const stale = { 'old-stdout---supervisor-abcd1234.log': 'stale' };
    await withDaemon(supervisordSection('nocleanup=true') + '[program:a]\ncommand=sleep 1000\n', { files: stale }, async (d) => {
      await d.waitForLine(/success: a /);
      assert.ok(d.list().includes('old-stdout---supervisor-abcd1234.log'));
      assert.equal(await terminate(d), 0);
    });
  });
});

describe(`e2e daemon config search without -c (${underTest})`, { concurrency: true }, () => {
  const conf = (tag: string): string =>
    `[supervisord]\nlogfile=%(here)s/${tag}.log\npidfile=%(here)s/${tag}.pid\nchildlogdir=%(here)s\n[program:a]\ncommand=sleep 1000\n`;
  const rootWarning = 'UserWarning: Supervisord is running as root and it is searching for its configuration file in default locations';

  it('supervisord.conf in the working directory is found first (before etc/supervisord.conf); %(here)s is that directory', async () => {
    await withDaemon(conf('top'), { rawArgs: ['-n'], files: { 'etc/supervisord.conf': conf('etc') } }, async (d) => {
      await d.waitForLine(/success: a /);
      assert.ok(existsSync(d.path('top.log')), 'the log named by ./supervisord.conf');
      assert.equal(d.read('top.pid'), `${d.pid}\n`);
      assert.equal(existsSync(d.path('etc/etc.log')), false);
      assert.equal(await terminate(d), 0);
      if (!ours && isRoot) assert.ok(d.stderr.includes(rootWarning), d.stderr);
    });
  });

  it('etc/supervisord.conf in the working directory is found when there is no ./supervisord.conf', async () => {
    await withDaemon(
      '',
      { rawArgs: ['-n'], configName: 'not-searched.conf', files: { 'etc/supervisord.conf': conf('etc') } },
      async (d) => {
        await d.waitForLine(/success: a /);
        assert.ok(existsSync(d.path('etc/etc.log')), 'the log named by etc/supervisord.conf, %(here)s = ./etc');
        assert.equal(await terminate(d), 0);
      },
    );
  });

  it(
    "as root, ours does not print the reference's UserWarning about the search",
    { skip: ours ? false : 'the reference warns on stderr (pinned above)' },
    async () => {
      await withDaemon(conf('top'), { rawArgs: ['-n'] }, async (d) => {
        await d.waitForLine(/success: a /);
        assert.equal(await terminate(d), 0);
        assert.equal(d.stderr, '');
      });
    },
  );
});

describe(`e2e daemon echo_supervisord_conf sample (${underTest})`, () => {
  it('the printed sample starts the daemon under test (paths redirected into a temp dir), and it stops cleanly', async () => {
    const sample = execFileSync(process.execPath, [builtCli('echo_supervisord_conf')], { encoding: 'utf8' });
    assert.ok(sample.includes('[supervisord]'));
    assert.ok(sample.includes('/tmp/supervisor.sock'), 'the sample names the usual socket path');
    const config = (tmp: string): string => sample.split('/tmp/supervisor.sock').join(`${tmp}/supervisor.sock`);
    await withDaemon(
      config,
      { rawArgs: ['-n', '-c', '%(tmp)s/supervisord.conf', '-l', '%(tmp)s/sd.log', '-j', '%(tmp)s/sd.pid', '-q', '%(tmp)s'] },
      async (d) => {
        await d.waitForLine(/supervisord started with pid/);
        assert.ok(statSync(d.path('supervisor.sock')).isSocket(), 'the control socket is listening in the temp dir');
        assert.equal(d.read('sd.pid'), `${d.pid}\n`);
        assert.ok(existsSync(d.path('sd.log')));
        assert.equal(await terminate(d), 0);
        assert.equal(d.stderr, '');
      },
    );
  });

  it('the sample with its example [program:x] section uncommented is accepted too', async () => {
    const sample = execFileSync(process.execPath, [builtCli('echo_supervisord_conf')], { encoding: 'utf8' });
    const start = sample.indexOf(';[program:');
    assert.ok(start >= 0, 'the sample has a commented program section');
    const end = sample.indexOf('\n\n', start);
    const program = sample
      .slice(start, end < 0 ? undefined : end)
      .split('\n')
      .filter((l) => /^;\[program:|^;command=/.test(l))
      .map((l) => l.slice(1))
      .join('\n');
    assert.match(program, /^\[program:[^\]]+\]\ncommand=/);
    const withProgram = (tmp: string): string =>
      sample.split('/tmp/supervisor.sock').join(`${tmp}/supervisor.sock`) + `\n${program.replace(/^command=.*$/m, 'command=sleep 1000')}\n`;
    await withDaemon(
      withProgram,
      { rawArgs: ['-n', '-c', '%(tmp)s/supervisord.conf', '-l', '%(tmp)s/sd.log', '-j', '%(tmp)s/sd.pid', '-q', '%(tmp)s'] },
      async (d) => {
        await d.waitForLine(/success: /);
        assert.equal(await terminate(d), 0);
      },
    );
  });
});

describe(
  `e2e daemon SIGHUP with a broken config (${underTest})`,
  { skip: ours ? false : 'the reference exits when the reloaded config is invalid' },
  () => {
    it('the error is logged, the children keep running; a fixed config and another SIGHUP restart normally', async () => {
      const good = supervisordSection() + '[program:a]\ncommand=sleep 1000\n';
      await withDaemon(good, {}, async (d) => {
        await d.waitForLine(/success: a /);
        const first = parseSpawned(d.lines.find((l) => l.includes("spawned: 'a'")) ?? '')!.pid;
        writeFileSync(d.configPath, readFileSync(d.configPath, 'utf8') + '[program:b]\nautorestart=sometimes\ncommand=sleep 1000\n');
        const from = d.lines.length;
        d.signal('SIGHUP');
        const err = await d.waitForLine(/not restarting/, undefined, from);
        const where = `[program:b] autorestart= at %(tmp)s/supervisord.conf:${lineOf(d.configPath, 'autorestart=sometimes')}`;
        assert.equal(
          d.activity()[err.index],
          `ERRO not restarting: the configuration could not be loaded: invalid 'autorestart' value 'sometimes' in section 'program:b' (file: '%(tmp)s/supervisord.conf') (${where})`,
        );
        assert.deepEqual(d.activity().slice(from), ['WARN received SIGHUP indicating restart request', d.activity()[err.index]]);
        assert.ok(isAlive(first), 'the child was not stopped');
        assert.equal(d.exit, undefined, 'the daemon runs on');

        writeFileSync(d.configPath, good.split('%(tmp)s').join(d.tmp) + '[program:b]\ncommand=sleep 1000\n');
        const from2 = d.lines.length;
        d.signal('SIGHUP');
        await d.waitForLine(/success: b /, undefined, from2);
        await d.waitForLine(/success: a /, undefined, from2);
        assert.ok(await waitForPidGone(first), 'the old child was stopped by the restart');
        assert.deepEqual(d.activity().slice(from2, from2 + 3), [
          'WARN received SIGHUP indicating restart request',
          'INFO waiting for a to die',
          'WARN stopped: a (terminated by SIGTERM)',
        ]);
        assert.equal(await terminate(d), 0);
      });
    });
  },
);

describe(`e2e daemon stopping many children (${underTest})`, () => {
  it('SIGTERM with 20 running children: every one stopped, none left, exit 0', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `p${String(i).padStart(2, '0')}`);
    const programs = names.map((n) => `[program:${n}]\ncommand=sleep 1000\n`).join('');
    await withDaemon(supervisordSection() + programs, {}, async (d) => {
      await d.waitForCount(/success: /, 20, 60_000);
      const pids = d.lines
        .map(parseSpawned)
        .filter((s) => s !== undefined)
        .map((s) => s.pid);
      assert.equal(pids.length, 20);
      const from = d.lines.length;
      d.signal('SIGTERM');
      const e = await d.waitForExit(60_000);
      assert.equal(e.code, 0);
      const stopped = d
        .activity()
        .slice(from)
        .filter((l) => l.startsWith('WARN stopped: '))
        .map((l) => /^WARN stopped: (\S+) \(terminated by SIGTERM\)$/.exec(l)?.[1])
        .sort();
      assert.deepEqual(stopped, names);
      for (const pid of pids) assert.ok(await waitForPidGone(pid), `child ${pid} is gone`);
      assert.deepEqual(d.strayPids(), []);
    });
  });
});
