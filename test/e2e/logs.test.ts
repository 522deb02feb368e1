// End-to-end: child log files (explicit, redirect_stderr, AUTO names and cleanup, rotation
// byte sizes) and child output in the activity log at debug level. Runs against
// SUPERVISORD_UNDER_TEST=reference or ours.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { supervisordSection, RPC_SECTIONS } from '../harness/config-text.js';
import { rpcTarget } from '../harness/api-daemon.js';
import { call, waitForRpc, waitForState } from '../harness/rpc.js';
import { type Daemon, withDaemon, underTest } from '../harness/daemon.js';
import { waitUntil } from '../harness/wait.js';

const isRoot = process.getuid?.() === 0;

async function terminate(d: Daemon): Promise<number | null> {
  d.signal('SIGTERM');
  return (await d.waitForExit()).code;
}

/**
 * A child that writes chunks to stdout, one write(2) each, and after each one waits until the
 * daemon has logged it and done the rotation it calls for (a file brought to >= maxbytes is
 * rotated right after the write), so every chunk reaches the log as a separate write. Chunk i is
 * letter i repeated, newline-ended. Creates `<log>.done` at the end, then sleeps.
 */
const CHUNK_WRITER = `import os, sys, time
log, maxbytes = sys.argv[1], int(sys.argv[2])
sizes = [int(a) for a in sys.argv[3:]]
def size(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return None
def ends_with(path, data):
    try:
        with open(path, 'rb') as f:
            return f.read().endswith(data)
    except OSError:
        return False
def handled(data, expected):
    # rotated away: the live file is empty again (not gone between the renames), and the chunk
    # ends the first backup, if there are backups (otherwise the file was truncated in place)
    if size(log) != expected:
        return False
    return expected > 0 or not os.path.exists(log + '.1') or ends_with(log + '.1', data)
current = 0
for i, n in enumerate(sizes):
    data = (chr(97 + i) * (n - 1) + '\\n').encode()
    os.write(1, data)
    current = 0 if current + n >= maxbytes else current + n
    deadline = time.time() + 30
    while time.time() < deadline and not handled(data, current):
        time.sleep(0.02)
open(log + '.done', 'w').close()
time.sleep(1000)
`;

const chunk = (i: number, n: number): string => String.fromCharCode(97 + i).repeat(n - 1) + '\n';

describe(`e2e logs (${underTest})`, { concurrency: true }, () => {
  it('a program that opens /dev/stdout and /dev/stderr writes to its logs (its output is a pipe, not a socket)', async () => {
    await withDaemon(
      supervisordSection() +
        `
[program:reopen]
command=sh -c 'echo out > /dev/stdout && echo err > /dev/stderr && test -p /dev/stdout && echo pipes; sleep 1000'
stdout_logfile=%(tmp)s/reopen.out
stderr_logfile=%(tmp)s/reopen.err
`,
      {},
      async (d) => {
        assert.equal(await d.readWhen('reopen.out', (text) => text.endsWith('pipes\n')), 'out\npipes\n');
        assert.equal(await d.readWhen('reopen.err', (text) => text.endsWith('\n')), 'err\n');
        assert.equal(await terminate(d), 0);
      },
    );
  });

  it('stdout_logfile and stderr_logfile get exactly the bytes written; redirect_stderr merges them', async () => {
    await withDaemon(
      supervisordSection() +
        `
[program:sep]
command=sh -c 'printf "out1\\nout2\\n"; printf "err1\\n" >&2; printf "no newline"; sleep 1000'
stdout_logfile=%(tmp)s/sep.out
stderr_logfile=%(tmp)s/sep.err
[program:red]
command=sh -c 'echo out; echo err >&2; echo out2; sleep 1000'
redirect_stderr=true
stdout_logfile=%(tmp)s/red.log
`,
      {},
      async (d) => {
        await d.waitForCount(/success: /, 2);
        assert.equal(await terminate(d), 0);
        assert.equal(d.read('sep.out'), 'out1\nout2\nno newline');
        assert.equal(d.read('sep.err'), 'err1\n');
        assert.equal(d.read('red.log'), 'out\nerr\nout2\n');
        // redirect_stderr: no stderr file at all (AUTO or otherwise)
        assert.deepEqual(
          d.list().filter((n) => n.startsWith('red-')),
          [],
        );
      },
    );
  });

  it('megabytes written at once, faster than they are read: every byte logged, the writer never refused', async () => {
    const outBytes = 16 * 1024 * 1024;
    const errBytes = 8 * 1024 * 1024;
    await withDaemon(
      supervisordSection() +
        RPC_SECTIONS +
        `
[program:big]
command=sh -c 'head -c ${outBytes} /dev/zero && head -c ${errBytes} /dev/zero >&2'
autostart=false
startsecs=0
autorestart=false
stdout_logfile=%(tmp)s/big.out
stderr_logfile=%(tmp)s/big.err
`,
      {},
      async (d) => {
        // Started once the daemon answers, as users do: its output then goes through our socket
        // pairs, which a child must see in blocking mode (else its writes fail: exit status 1).
        await waitForRpc(rpcTarget(d));
        await call(rpcTarget(d), 'supervisor.startProcess', 'big', false);
        await d.waitForLine(/exited: big \(exit status 0; expected\)/);
        const size = (name: string) => statSync(d.path(name)).size;
        assert.ok(
          await waitUntil(() => size('big.out') === outBytes && size('big.err') === errBytes, 20_000),
          `${size('big.out')} ${size('big.err')}`,
        );
        assert.equal(await terminate(d), 0);
      },
    );
  });

  it('AUTO child logs: <name>-<channel>---<identifier>-<8 random chars>.log, mode 0600, in childlogdir', async () => {
    await withDaemon(supervisordSection() + "[program:auto]\ncommand=sh -c 'echo to-out; echo to-err >&2; sleep 1000'\n", {}, async (d) => {
      await d.waitForLine(/success: auto /);
      assert.equal(await terminate(d), 0);
      const out = d.list().filter((n) => n.startsWith('auto-stdout'));
      const err = d.list().filter((n) => n.startsWith('auto-stderr'));
      assert.equal(out.length, 1);
      assert.equal(err.length, 1);
      assert.match(out[0] ?? '', /^auto-stdout---supervisor-[A-Za-z0-9_]{8}\.log$/);
      assert.match(err[0] ?? '', /^auto-stderr---supervisor-[A-Za-z0-9_]{8}\.log$/);
      assert.equal(d.read(out[0] ?? ''), 'to-out\n');
      assert.equal(d.read(err[0] ?? ''), 'to-err\n');
      assert.equal(statSync(d.path(out[0] ?? '')).mode & 0o777, 0o600);
    });
  });

  it('AUTO logs honour -i/identifier; stale AUTO logs of that identifier are removed at startup, other files kept', async () => {
    await withDaemon(
      supervisordSection() + "[program:p]\ncommand=sh -c 'sleep 1000'\n",
      {
        args: ['-i', 'ident'],
        files: {
          'old-stdout---ident-abcd1234.log': 'stale',
          'old-stderr---ident-zz.log.3': 'stale',
          'other-stdout---supervisor-abcd1234.log': 'kept: other identifier',
          'keep.log': 'kept',
        },
      },
      async (d) => {
        await d.waitForLine(/success: p /);
        const names = d.list();
        assert.ok(!names.includes('old-stdout---ident-abcd1234.log'));
        assert.ok(!names.includes('old-stderr---ident-zz.log.3'));
        assert.ok(names.includes('other-stdout---supervisor-abcd1234.log'));
        assert.ok(names.includes('keep.log'));
        assert.equal(names.filter((n) => /^p-stdout---ident-[A-Za-z0-9_]{8}\.log$/.test(n)).length, 1);
        assert.equal(await terminate(d), 0);
      },
    );
  });

  it('AUTO log without rollover (maxbytes=0) gives a WARN parse message after the root CRIT', async () => {
    await withDaemon(supervisordSection() + '[program:x]\ncommand=sleep 1000\nstdout_logfile_maxbytes=0\n', {}, async (d) => {
      await d.waitForLine(/spawned: 'x'/);
      assert.deepEqual(
        d
          .activity()
          .slice(0, isRoot ? 3 : 2)
          .slice(isRoot ? 1 : 0),
        [
          'WARN For [program:x], AUTO logging used for stdout_logfile without rollover, set maxbytes > 0 to avoid filling up filesystem unintentionally',
          'INFO supervisord started with pid <pid>',
        ],
      );
      assert.equal(await terminate(d), 0);
    });
  });

  it('rotation: a write that brings the file to >= maxbytes rotates right after it; backups shift; the oldest is dropped', async () => {
    const sizes = [600, 600, 1500, 100, 1000];
    await withDaemon(
      supervisordSection() +
        `
[program:rot]
command=python3 %(tmp)s/writer.py %(tmp)s/logs/rot.log 1000 ${sizes.join(' ')}
stdout_logfile=%(tmp)s/logs/rot.log
stdout_logfile_maxbytes=1000
stdout_logfile_backups=2
`,
      { files: { 'writer.py': CHUNK_WRITER, 'logs/.keep': '' } },
      async (d) => {
        await d.waitForLine(/spawned: 'rot'/);
        await waitForFile(d, 'logs/rot.log.done');
        assert.equal(await terminate(d), 0);
        assert.deepEqual(
          d.list('logs').filter((n) => n.startsWith('rot.log') && !n.endsWith('.done')),
          ['rot.log', 'rot.log.1', 'rot.log.2'],
        );
        // 600 → 1200 (rotate: .1=a+b) → 1500 (rotate: .2=a+b, .1=c) → 100 → 1100 (rotate: .2=c, .1=d+e, a+b dropped)
        assert.equal(d.size('logs/rot.log'), 0);
        assert.equal(d.read('logs/rot.log.1'), chunk(3, 100) + chunk(4, 1000));
        assert.equal(d.read('logs/rot.log.2'), chunk(2, 1500));
      },
    );
  });

  it('rotation with backups=0: the file is truncated in place, no .1 file', async () => {
    await withDaemon(
      supervisordSection() +
        `
[program:trunc]
command=python3 %(tmp)s/writer.py %(tmp)s/logs/trunc.log 1000 600 600 300
stdout_logfile=%(tmp)s/logs/trunc.log
stdout_logfile_maxbytes=1000
stdout_logfile_backups=0
`,
      { files: { 'writer.py': CHUNK_WRITER, 'logs/.keep': '' } },
      async (d) => {
        await waitForFile(d, 'logs/trunc.log.done');
        assert.equal(await terminate(d), 0);
        assert.deepEqual(
          d.list('logs').filter((n) => n.startsWith('trunc.log') && !n.endsWith('.done')),
          ['trunc.log'],
        );
        assert.equal(d.read('logs/trunc.log'), chunk(2, 300));
      },
    );
  });

  it('-e debug: child output is copied into the activity log as a multi-line DEBG entry', async () => {
    await withDaemon(
      supervisordSection() + '[program:talk]\ncommand=sh -c \'printf "hello\\nworld\\n"; sleep 1000\'\nstdout_logfile=%(tmp)s/talk.log\n',
      { args: ['-e', 'debug'] },
      async (d) => {
        const hit = await d.waitForLine(/DEBG 'talk' stdout output:$/);
        await d.waitForLine(/^$/, undefined, hit.index);
        assert.deepEqual(d.lines.slice(hit.index + 1, hit.index + 4), ['hello', 'world', '']);
        assert.equal(d.read('talk.log'), 'hello\nworld\n');
        assert.equal(await terminate(d), 0);
      },
    );
  });

  it('loglevel=warn in the config hides INFO lines (spawned/success) but keeps WARN ones', async () => {
    await withDaemon(
      supervisordSection('loglevel=warn') +
        RPC_SECTIONS +
        '[program:q]\ncommand=sleep 1000\n[program:sentinel]\ncommand=sh -c "sleep 1.5; exit 1"\nautorestart=false\n',
      {},
      async (d) => {
        await d.waitForLine(/exited: sentinel /);
        await waitForState(rpcTarget(d), 'q', ['RUNNING']); // q's success has happened, unshown
        assert.equal(await terminate(d), 0);
        assert.deepEqual(d.activity(), [
          ...(isRoot
            ? [
                'CRIT Supervisor is running as root.  Privileges were not dropped because no user is specified in the config file.  If you intend to run as root, you can set user=root in the config file to avoid this message.',
              ]
            : []),
          'WARN exited: sentinel (exit status 1; not expected)',
          'WARN received SIGTERM indicating exit request',
          'WARN stopped: q (terminated by SIGTERM)',
        ]);
      },
    );
  });
});

/** Wait for a file the child creates. Nothing streams this, so poll briefly. */
async function waitForFile(d: Daemon, rel: string, timeoutMs = 40_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (d.size(rel) === undefined) {
    if (Date.now() > deadline) throw new Error(`${rel} never appeared\n${d.describe()}`);
    if (d.exit) throw new Error(`daemon exited before ${rel} appeared\n${d.describe()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
