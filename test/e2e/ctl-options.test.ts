// supervisorctl's command line and [supervisorctl] settings: usage errors (exit 2), -h, the
// config file and its expansions, -s/-u/-p overriding it, credentials over both transports,
// and the messages for a server that cannot be reached.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../harness/rpc.js';
import { OUR_CTL, ourCtl, withCtlDaemon } from '../harness/ctl.js';

function usage(message: string): string {
  return `Error: ${message}\nFor help, use ${OUR_CTL} -h\n`;
}

const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sv-ctl-'));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

describe('supervisorctl options', { timeout: 120_000 }, () => {
  it('-h prints usage and exits 0, before later options are checked', async () => {
    const r = await ourCtl(['-h', '-s', 'nonsense']);
    assert.equal(r.code, 0);
    assert.match(
      r.stdout,
      new RegExp(`Usage: ${OUR_CTL.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\[options\\] \\[action \\[arguments\\]\\]`),
    );
    assert.equal((await ourCtl(['--help'])).code, 0);
  });

  it('usage errors say what is wrong and exit 2', async () => {
    const cases: Array<[string[], string]> = [
      [['-z'], 'option -z not recognized'],
      [['-c'], 'option -c requires argument'],
      [['--bogus'], 'option --bogus not recognized'],
      [['-s', 'foo', 'status'], "invalid value for -s 'foo': value 'foo' is not a URL"],
      [['-s', 'http://a', '-s', 'http://b', 'status'], "conflicting command line option '-s'"],
      [['-i', '-i', 'version'], "conflicting command line option '-i'"],
      [['-c', '/nonexistent/x.conf', 'status'], 'could not find config file /nonexistent/x.conf'],
    ];
    for (const [args, message] of cases) {
      const r = await ourCtl(args);
      assert.equal(r.stderr, usage(message), args.join(' '));
      assert.equal(r.stdout, '');
      assert.equal(r.code, 2, args.join(' '));
    }
  });

  it('a config without [supervisorctl] is refused, naming the file', async () => {
    await withDir(async (dir) => {
      writeFileSync(path.join(dir, 'a.conf'), '[supervisord]\n');
      const r = await ourCtl(['-c', path.join(dir, 'a.conf'), 'status']);
      assert.equal(r.stderr, usage(`.ini file does not include supervisorctl section (in ${dir}/a.conf)`));
      assert.equal(r.code, 2);
    });
  });

  it('a broken config file is refused in one line naming file and line (the reference prints a traceback for some)', async () => {
    await withDir(async (dir) => {
      // The names an expansion may use are the whole environment's: matched as anything.
      const unexpandable = new RegExp(
        `^${escaped("Error: Format string '%(nope)s' for 'supervisorctl.prompt' contains names ('nope') which cannot be expanded. ")}` +
          `Available names: .*${escaped(` ([supervisorctl] prompt= at ${dir}/c.conf:3)\nFor help, use ${OUR_CTL} -h\n`)}$`,
      );
      const cases: Array<[string | Buffer, string | RegExp]> = [
        [
          Buffer.from('[supervisorctl]\nprompt=caf\xe9\n', 'latin1'),
          `'utf-8' codec can't decode byte 0xe9 in position 26: invalid continuation byte (at ${dir}/c.conf:2)`,
        ],
        ['[supervisorctl]\nno delimiter\n', "Source contains parsing errors: 'c.conf' [line  2]: 'no delimiter\\n'"],
        ['stray\n[supervisorctl]\n', "File contains no section headers. file: 'c.conf', line: 1 'stray\\n'"],
        ['[supervisorctl]\n\nprompt=%(nope)s\n', unexpandable],
      ];
      for (const [text, expected] of cases) {
        writeFileSync(path.join(dir, 'c.conf'), text);
        const r = await ourCtl(['-c', 'c.conf', 'status'], { cwd: dir });
        if (typeof expected === 'string') assert.equal(r.stderr, usage(expected));
        else assert.match(r.stderr, expected);
        assert.equal(r.stdout, '');
        assert.equal(r.code, 2);
      }
    });
  });

  it('finds supervisord.conf in the current directory; expands ENV_ and here', async () => {
    await withDir(async (dir) => {
      mkdirSync(path.join(dir, 'sub'));
      writeFileSync(path.join(dir, 'supervisord.conf'), '[supervisorctl]\nserverurl=unix://%(here)s/sub/%(ENV_SOCKNAME)s\n');
      const r = await ourCtl(['status'], { cwd: dir, env: { SOCKNAME: 'x.sock' } });
      assert.equal(r.stdout, `unix://${dir}/sub/x.sock no such file\n`);
      assert.equal(r.code, 4);
      // -s beats the file
      const s = await ourCtl(['-s', 'unix:///nonexistent/y.sock', 'pid'], { cwd: dir, env: { SOCKNAME: 'x.sock' } });
      assert.equal(s.stdout, 'unix:///nonexistent/y.sock no such file\n');
      assert.equal(s.code, 7);
    });
  });

  it('an unreachable server: the reference line on stdout, the likely cause on stderr', async () => {
    const port = await freePort();
    const refused = await ourCtl(['-s', `http://127.0.0.1:${port}`, 'status']);
    assert.equal(refused.stdout, `http://127.0.0.1:${port} refused connection\n`);
    assert.match(refused.stderr, new RegExp(`nothing listens at http://127.0.0.1:${port}`));
    assert.equal(refused.code, 4);
    const version = await ourCtl(['-s', `http://127.0.0.1:${port}`, 'version']);
    assert.equal(version.code, 4);
    // actions without the reference's up-check still name the URL instead of a Python traceback line
    const avail = await ourCtl(['-s', `http://127.0.0.1:${port}`, 'avail']);
    assert.equal(avail.stdout, `http://127.0.0.1:${port} refused connection\n`);
    assert.equal(avail.code, 1);
    const missing = await ourCtl(['-s', 'unix:///nonexistent/dir/s.sock', 'start', 'x']);
    assert.equal(missing.stdout, 'unix:///nonexistent/dir/s.sock no such file\n');
    assert.match(missing.stderr, /\/nonexistent\/dir\/s\.sock does not exist/);
    assert.equal(missing.code, 7);
  });

  it(
    'a socket this user may not open is named, with the cause',
    { skip: process.getuid?.() === 0 && 'root opens any socket' },
    async () => {
      await withCtlDaemon('', {}, async ({ d }) => {
        const { chmodSync } = await import('node:fs');
        chmodSync(d.path('s.sock'), 0);
        const r = await ourCtl(['-c', d.configPath, 'status']);
        assert.match(r.stdout, /s\.sock permission denied\n$/);
        assert.equal(r.code, 1);
      });
    },
  );

  it('credentials: 401 without them, accepted from -u/-p (even -p -secret-) or the file, over unix and TCP', async () => {
    const auth = { username: 'user', password: '-secret-' };
    await withCtlDaemon('', { inet: true, auth }, async ({ d, port }) => {
      const noCreds = path.join(d.tmp, 'nocreds.conf');
      writeFileSync(noCreds, `[supervisorctl]\nserverurl=unix://${d.path('s.sock')}\n`);
      const denied = await ourCtl(['-c', noCreds, 'version']);
      assert.equal(
        denied.stdout,
        "Server requires authentication\nerror: <class 'xmlrpc.client.ProtocolError'>, <ProtocolError for 127.0.0.1/RPC2: 401 Unauthorized>\n",
      );
      assert.equal(denied.code, 1);
      const byOptions = await ourCtl(['-c', noCreds, '-u', 'user', '-p', '-secret-', 'version']);
      assert.equal(byOptions.stdout, '4.2.5\n');
      const tcp = await ourCtl(['-c', noCreds, '-s', `http://127.0.0.1:${port}`, '--username=user', '--password', '-secret-', 'version']);
      assert.equal(tcp.stdout, '4.2.5\n');
      assert.equal(tcp.code, 0);
      const wrong = await ourCtl(['-c', noCreds, '-s', `http://127.0.0.1:${port}`, '-u', 'user', '-p', 'nope', 'status']);
      assert.match(wrong.stdout, /^Server requires authentication\n/);
      assert.equal(wrong.code, 1);
      const fromFile = await ourCtl(['-c', d.configPath, 'version']); // the file has the credentials
      assert.equal(fromFile.stdout, '4.2.5\n');
    });
  });

  it('-i asks before shutdown; anything but y keeps the daemon', async () => {
    await withCtlDaemon('', {}, async ({ d }) => {
      const no = await ourCtl(['-c', d.configPath, '-i', 'shutdown'], { input: 'n\n' });
      assert.equal(no.stdout, 'Really shut the remote supervisord process down y/N? ');
      assert.equal(no.code, 0);
      assert.equal((await ourCtl(['-c', d.configPath, 'version'])).stdout, '4.2.5\n');
      const yes = await ourCtl(['-c', d.configPath, '-i', 'shutdown'], { input: 'Y\n' });
      assert.equal(yes.stdout, 'Really shut the remote supervisord process down y/N? Shut down\n');
      await d.waitForExit(60_000);
    });
  });
});
