// End-to-end: [fcgi-program:x] with a real FastCGI responder (Debian's php-cgi, which serves on
// the socket it finds as fd 0) and a real FastCGI client (libfcgi's cgi-fcgi), over TCP and a
// unix socket, numprocs=2; the socket's lifetime through stop, start, restart and update, as the
// activity log shows it; stdin and redirect_stderr; the reference's errors for bad sockets; and
// examples/fcgi as written.
// Runs against SUPERVISORD_UNDER_TEST=reference or ours.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { listening } from '../harness/listening.js';
import { withApi, type ApiDaemon } from '../harness/api-daemon.js';
import { intoTempDir, lineOf } from '../harness/config-text.js';
import { runToExit, terminate, underTest, withDaemon, type Daemon } from '../harness/daemon.js';
import { normalizeUsage } from '../harness/normalize.js';
import { fault } from '../harness/outcomes.js';
import { ctl } from '../harness/python-ctl.js';
import { asArray, asStruct, call, freePort, outcome, pidOf, rpcCalls, waitForState, type Target } from '../harness/rpc.js';
import { runProcess } from '../harness/run-process.js';
import { STEP_TIMEOUT } from '../harness/wait.js';
import { repoRoot } from '../paths.js';

const PHP_CGI = '/usr/bin/php-cgi';
const CGI_FCGI = '/usr/bin/cgi-fcgi';
const missing = [PHP_CGI, CGI_FCGI].filter((file) => !existsSync(file));
const skip = missing.length ? `needs ${missing.join(' and ')} (Debian packages php-cgi, libfcgi-bin)` : false;
const ours = underTest === 'ours';

/**
 * Answers once `WANT` requests have arrived (each names its process by a file in `RENDEZVOUS`),
 * so that concurrent requests are answered only if as many processes accept on the socket.
 */
const RENDEZVOUS_PHP = `<?php
$dir = $_SERVER['RENDEZVOUS'];
touch("$dir/" . getmypid());
for ($i = 0; $i < 600 && count(glob("$dir/*")) < (int) $_SERVER['WANT']; $i++) usleep(50000);
echo "pid ", getmypid(), "\\n";
`;

function phpSection(socket: string, extra = ''): string {
  return `[fcgi-program:php]
command=${PHP_CGI}
socket=${socket}
process_name=%(program_name)s_%(process_num)s
numprocs=2
startsecs=0
${extra}`;
}

/** `want` concurrent FastCGI requests through cgi-fcgi; the pids that answered them, sorted. */
async function servedBy(d: Daemon, address: string, want: number): Promise<number[]> {
  const rendezvous = mkdtempSync(path.join(d.tmp, 'rendezvous-'));
  try {
    const env = { SCRIPT_FILENAME: d.path('rendezvous.php'), REQUEST_METHOD: 'GET', RENDEZVOUS: rendezvous, WANT: String(want) };
    const answers = await Promise.all(
      Array.from({ length: want }, () => runProcess(CGI_FCGI, ['-bind', '-connect', address], { env, timeoutMs: 60_000 })),
    );
    return answers.map((answer) => Number(/pid (\d+)/.exec(answer.stdout)?.[1] ?? NaN)).sort((a, b) => a - b);
  } finally {
    rmSync(rendezvous, { recursive: true, force: true });
  }
}

async function pids(unix: Target, names: string[]): Promise<number[]> {
  const infos = await Promise.all(names.map((name) => waitForState(unix, name, ['RUNNING'])));
  return infos.map((info) => pidOf(info)).sort((a, b) => a - b);
}

/** The socket a process has as its fd 0: "socket:[inode]". */
const stdinOf = (pid: number) => readlinkSync(`/proc/${pid}/fd/0`);

/** The socket's lines, and the spawns and stops between them, from line `from` on. */
function socketStory(d: Daemon, from = 0): string[] {
  return d
    .activity()
    .slice(from)
    .filter((line) => /(Creating|Closing) socket |spawned: |stopped: /.test(line));
}

const withPhp = (body: string, fn: (a: ApiDaemon) => Promise<void>) => withApi(body, { files: { 'rendezvous.php': RENDEZVOUS_PHP } }, fn);

describe(`fcgi-program (${underTest})`, { concurrency: true, skip }, () => {
  it('TCP, numprocs=2: both processes accept on one socket; it outlives one stop, closes with the last, comes back on start', async () => {
    const port = await freePort();
    const url = `tcp://127.0.0.1:${port}`;
    const address = { host: '127.0.0.1', port };
    await withPhp(phpSection(url), async ({ d, unix }) => {
      const names = ['php:php_0', 'php:php_1'];
      const first = await pids(unix, names);
      assert.equal(stdinOf(first[0]!), stdinOf(first[1]!), 'the same socket as fd 0');
      assert.match(stdinOf(first[0]!), /^socket:\[\d+\]$/);
      assert.deepEqual(await servedBy(d, `127.0.0.1:${port}`, 2), first);

      await call(unix, 'supervisor.stopProcess', 'php:php_0');
      assert.deepEqual(await servedBy(d, `127.0.0.1:${port}`, 1), [first[1]]);
      const from = d.lines.length;
      await call(unix, 'supervisor.stopProcess', 'php:php_1');
      await d.waitForLine(/Closing socket /, STEP_TIMEOUT, from);
      assert.equal(await listening(address), false, 'closed with the last process');

      await call(unix, 'supervisor.startProcessGroup', 'php');
      const second = await pids(unix, names);
      assert.deepEqual(await servedBy(d, `127.0.0.1:${port}`, 2), second);
      await call(unix, 'supervisor.stopProcess', 'php:php_0');
      await call(unix, 'supervisor.startProcess', 'php:php_0');
      const third = await pids(unix, names);
      assert.equal(stdinOf(third[0]!), stdinOf(third[1]!), 'a restarted process gets the socket still open');
      assert.deepEqual(await servedBy(d, `127.0.0.1:${port}`, 2), third);

      assert.deepEqual(socketStory(d), [
        // Created and closed as the group is added, so that a bad socket stops the start.
        `INFO Creating socket ${url}`,
        `INFO Closing socket ${url}`,
        `INFO Creating socket ${url}`,
        "INFO spawned: 'php_0' with pid <pid>",
        "INFO spawned: 'php_1' with pid <pid>",
        'INFO stopped: php_0 (exit status 0)',
        'INFO stopped: php_1 (exit status 0)',
        `INFO Closing socket ${url}`,
        `INFO Creating socket ${url}`,
        "INFO spawned: 'php_0' with pid <pid>",
        "INFO spawned: 'php_1' with pid <pid>",
        'INFO stopped: php_0 (exit status 0)',
        "INFO spawned: 'php_0' with pid <pid>",
      ]);
    });
  });

  it('a unix socket with its socket_mode; update: a new mode alone changes nothing, a new path makes a new socket', async () => {
    await withPhp(phpSection('unix://%(here)s/php.sock', 'socket_mode=0660\n'), async ({ d, unix }) => {
      const names = ['php:php_0', 'php:php_1'];
      const first = await pids(unix, names);
      assert.deepEqual(await servedBy(d, d.path('php.sock'), 2), first);
      const stat = statSync(d.path('php.sock'));
      assert.equal(stat.isSocket(), true);
      assert.equal(stat.mode & 0o777, 0o660);

      const config = readFileSync(d.configPath, 'utf8');
      writeFileSync(d.configPath, config.replace('socket_mode=0660', 'socket_mode=0600'));
      assert.deepEqual(await call(unix, 'supervisor.reloadConfig'), [[[], [], []]]);
      writeFileSync(d.configPath, config.replace('socket_mode=0660', '').replace('%(here)s/php.sock', '%(here)s/other.sock'));
      const from = d.lines.length;
      const update = await ctl(d.configPath, ['update']);
      assert.equal(update.stdout, 'php: stopped\nphp: updated process group\n');
      const second = await pids(unix, names);
      assert.deepEqual(await servedBy(d, d.path('other.sock'), 2), second);
      assert.equal(statSync(d.path('other.sock')).mode & 0o777, 0o700, 'the default mode');
      const story = socketStory(d, from).map((line) => line.split(d.tmp).join('%(tmp)s'));
      // The two stop at once: in either order, both before the old socket closes.
      assert.deepEqual(story.slice(0, 2).sort(), ['INFO stopped: php_0 (exit status 0)', 'INFO stopped: php_1 (exit status 0)']);
      assert.deepEqual(story.slice(2), [
        'INFO Closing socket unix://%(tmp)s/php.sock',
        'INFO Creating socket unix://%(tmp)s/other.sock',
        'INFO Closing socket unix://%(tmp)s/other.sock',
        'INFO Creating socket unix://%(tmp)s/other.sock',
        "INFO spawned: 'php_0' with pid <pid>",
        "INFO spawned: 'php_1' with pid <pid>",
      ]);
      // The reference leaves the closed socket's file behind; ours goes with the socket (libuv removes it).
      assert.equal(existsSync(d.path('php.sock')), !ours);
      assert.equal(await listening({ path: d.path('php.sock') }), false);
    });
  });

  it("the child's fd 0 is the socket (no stdin: NO_FILE), redirect_stderr works as for any program; config info and avail as for one", async () => {
    const port = await freePort();
    const body = `[fcgi-program:sh]
command=/bin/sh -c 'readlink /proc/$$/fd/0; echo to-stderr >&2; exec sleep 1000'
socket=tcp://127.0.0.1:${port}
redirect_stderr=true
stdout_logfile=%(tmp)s/sh.log
startsecs=0
`;
    await withApi(body, {}, async ({ d, unix }) => {
      await waitForState(unix, 'sh', ['RUNNING']);
      const log = await d.readWhen('sh.log', (text) => text.includes('to-stderr\n'));
      assert.match(log, /^socket:\[\d+\]\nto-stderr\n$/);
      assert.deepEqual(await rpcCalls(unix, [{ method: 'supervisor.sendProcessStdin', params: ['sh', 'hello\n'] }]), [
        fault(20, 'NO_FILE: sh'),
      ]);
      const [info] = asArray(await call(unix, 'supervisor.getAllConfigInfo')).map((x) => asStruct(x));
      assert.deepEqual(
        [info?.['name'], info?.['group'], info?.['inuse'], info?.['redirect_stderr'], info?.['stdout_logfile']],
        ['sh', 'sh', true, true, `${d.tmp}/sh.log`],
      );
      assert.equal((await ctl(d.configPath, ['avail'])).stdout, `${'sh'.padEnd(32)} in use    auto      999:999\n`);
    });
  });

  it('a process that fails to start: the socket closes after each end, before the process is given up on', async () => {
    const url = `tcp://127.0.0.1:${await freePort()}`;
    const other = `tcp://127.0.0.1:${await freePort()}`;
    // startsecs=10: the reference, looking once a second, could otherwise count a loaded
    // machine's /bin/false as started.
    const body = `[fcgi-program:x]\ncommand=/bin/false\nsocket=${url}\nstartretries=1\nstartsecs=10\n[fcgi-program:y]\ncommand=/no/such/command\nsocket=${other}\nstartretries=0\n`;
    await withApi(body, {}, async ({ d, unix }) => {
      await waitForState(unix, 'x', ['FATAL']);
      await waitForState(unix, 'y', ['FATAL']);
      const lines = (re: RegExp) => d.matching(re).filter((line) => !line.startsWith('DEBG'));
      assert.deepEqual(lines(new RegExp(`${url}|'x'|: x `)), [
        `INFO Creating socket ${url}`,
        `INFO Closing socket ${url}`,
        `INFO Creating socket ${url}`,
        "INFO spawned: 'x' with pid <pid>",
        'WARN exited: x (exit status 1; not expected)',
        `INFO Closing socket ${url}`,
        `INFO Creating socket ${url}`,
        "INFO spawned: 'x' with pid <pid>",
        'WARN exited: x (exit status 1; not expected)',
        `INFO Closing socket ${url}`,
        'INFO gave up: x entered FATAL state, too many start retries too quickly',
      ]);
      // y's spawn error names its command only.
      assert.deepEqual(lines(new RegExp(`${other}|'y'|: y |/no/such/command`)).slice(2), [
        `INFO Creating socket ${other}`,
        "INFO spawnerr: can't find command '/no/such/command'",
        `INFO Closing socket ${other}`,
        'INFO gave up: y entered FATAL state, too many start retries too quickly',
      ]);
    });
  });

  it('a socket that cannot be created when a process starts: ours a spawn error, the reference an HTTP 500 with the process left STOPPED', async () => {
    const body = `[fcgi-program:sh]
command=/bin/sleep 1000
socket=unix://%(here)s/sub/sh.sock
startsecs=0
startretries=0
`;
    await withApi(body, { files: { 'sub/.keep': '' } }, async ({ d, unix }) => {
      await waitForState(unix, 'sh', ['RUNNING']);
      await call(unix, 'supervisor.stopProcess', 'sh');
      rmSync(d.path('sub'), { recursive: true, force: true });
      const started = await outcome(unix, 'supervisor.startProcess', 'sh');
      const info = asStruct(await call(unix, 'supervisor.getProcessInfo', 'sh'));
      const reason = `Could not create FastCGI socket unix://${d.tmp}/sub/sh.sock: [Errno 2] No such file or directory`;
      if (ours) {
        assert.deepEqual(started, fault(50, 'SPAWN_ERROR: sh'));
        assert.deepEqual([info['statename'], info['spawnerr']], ['FATAL', reason]);
        assert.ok(d.lines.some((line) => line.endsWith(`INFO spawnerr: ${reason}`)));
      } else {
        assert.equal(started.kind === 'protocol' && started.status, 500);
        assert.equal(info['statename'], 'STOPPED');
      }
    });
  });

  it('adding a group whose socket cannot be created: ours FAILED with the reason, the reference an HTTP 500; the group stays out of use', async () => {
    await withApi('[program:keep]\ncommand=/bin/sleep 1000\n', {}, async ({ d, unix }) => {
      writeFileSync(
        d.configPath,
        `${readFileSync(d.configPath, 'utf8')}[fcgi-program:bad]\ncommand=/bin/true\nsocket=unix://%(here)s/missing/bad.sock\n`,
      );
      assert.deepEqual(await call(unix, 'supervisor.reloadConfig'), [[['bad'], [], []]]);
      const added = await outcome(unix, 'supervisor.addProcessGroup', 'bad');
      const line = lineOf(d.configPath, `socket=unix://%(here)s/missing/bad.sock`);
      const reason = `Could not create FastCGI socket unix://${d.tmp}/missing/bad.sock: [Errno 2] No such file or directory`;
      if (ours) assert.deepEqual(added, fault(30, `FAILED: ${reason} ([fcgi-program:bad] socket= at ${d.configPath}:${line})`));
      else assert.equal(added.kind === 'protocol' && added.status, 500);
      const infos = asArray(await call(unix, 'supervisor.getAllConfigInfo')).map((x) => asStruct(x));
      assert.deepEqual(
        infos.map((i) => [i['name'], i['inuse']]),
        [
          ['bad', false],
          ['keep', true],
        ],
      );
    });
  });
});

describe(`examples/fcgi (${underTest})`, { skip }, () => {
  it('runs as written: php-cgi answers on the unix socket and on the TCP one, and the daemon stops cleanly', async () => {
    const dir = path.join(repoRoot, 'examples', 'fcgi');
    const port = await freePort();
    const text = readFileSync(path.join(dir, 'supervisord.conf'), 'utf8').split('18490').join(String(port));
    await withDaemon(
      (tmp) => intoTempDir(text, tmp),
      {},
      async (d) => {
        for (const name of ['php_0', 'php_1', 'php-tcp']) await d.waitForLine(new RegExp(`success: ${name} `));
        const env = { SCRIPT_FILENAME: path.join(dir, 'hello.php'), REQUEST_METHOD: 'GET' };
        for (const address of [d.path('supervisor-fcgi-php.sock'), `127.0.0.1:${port}`]) {
          const answer = await runProcess(CGI_FCGI, ['-bind', '-connect', address], { env, timeoutMs: 60_000 });
          assert.match(answer.stdout, /^Hello from php-cgi, pid \d+$/m, address);
        }
        assert.equal(statSync(d.path('supervisor-fcgi-php.sock')).mode & 0o777, 0o660);
        assert.deepEqual(d.matching(/WARN|ERRO/), []);
        assert.equal(await terminate(d), 0);
      },
    );
  });
});

describe(`fcgi-program errors at startup (${underTest})`, { concurrency: true }, () => {
  const SV = '[supervisord]\nlogfile=%(tmp)s/sd.log\npidfile=%(tmp)s/sd.pid\nchildlogdir=%(tmp)s\n';
  const USAGE = 'For help, use <prog> -h\n';
  const at = (message: string, where: string): string => (ours ? `${message} (${where})` : message);

  async function fails(body: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const r = await runToExit(['-n', '-c', '%(tmp)s/s.conf'], { 's.conf': SV + body });
    const tmp = (text: string) => text.split(r.tmp).join('%(tmp)s');
    return { code: r.code, stdout: tmp(r.stdout), stderr: tmp(normalizeUsage(r.stderr)) };
  }

  it('socket=ftp://x', async () => {
    const r = await fails('[fcgi-program:php]\ncommand=/bin/true\nsocket=ftp://x\n');
    assert.equal(r.code, 2);
    const message = "('Bad socket format %s', 'ftp://x') in [fcgi-program:php] socket";
    assert.equal(r.stderr, `Error: ${at(message, '[fcgi-program:php] socket= at %(tmp)s/s.conf:7')}\n${USAGE}`);
  });

  it('socket_owner of an unknown user', async () => {
    const r = await fails('[fcgi-program:php]\ncommand=/bin/true\nsocket=unix:///tmp/php.sock\nsocket_owner=no_such_user_here\n');
    assert.equal(r.code, 2);
    const message = 'Invalid socket_owner value no_such_user_here';
    assert.equal(r.stderr, `Error: ${at(message, '[fcgi-program:php] socket_owner= at %(tmp)s/s.conf:8')}\n${USAGE}`);
  });

  it('a socket path in a missing directory: ours one line and exit status 2, the reference a traceback and 1', async () => {
    const r = await fails('[fcgi-program:php]\ncommand=/bin/true\nsocket=unix://%(here)s/missing/php.sock\n');
    const reason = 'Could not create FastCGI socket unix://%(tmp)s/missing/php.sock: [Errno 2] No such file or directory';
    assert.match(r.stdout, /INFO Creating socket unix:\/\/%\(tmp\)s\/missing\/php\.sock$/m);
    if (ours) {
      assert.equal(r.code, 2);
      assert.equal(r.stderr, `Error: ${reason} ([fcgi-program:php] socket= at %(tmp)s/s.conf:7)\n${USAGE}`);
    } else {
      assert.equal(r.code, 1);
      assert.equal(r.stderr.trimEnd().split('\n').at(-1), `ValueError: ${reason}`);
    }
  });
});
