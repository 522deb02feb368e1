// End-to-end: supervisord --check (ours): every problem of a configuration, one line each with
// file and line, exit status 0 (clean), 1 (warnings) or 2 (errors), nothing started and no file
// created. The reference has no such option: it refuses it as any unknown option.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { REFERENCE_BIN, underTest } from '../harness/daemon.js';
import { isRoot, makeTempDir, removeDir, runToEnd } from '../harness/daemon-runs.js';
import { findMarkedPids } from '../harness/pids.js';
import { NOBODY } from '../harness/privileges.js';

const ours = underTest === 'ours';

/** Every file and directory under `dir`, relative. */
function tree(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const name = path.join(prefix, entry.name);
    return entry.isDirectory() ? [name, ...tree(dir, name)] : [name];
  });
}

/**
 * Runs `--check -c supervisord.conf` on `files` written into a fresh directory (`%(tmp)s` in
 * them is that directory), as nobody when the tests run as root (so that a read-only directory
 * is one for it too). Asserts that nothing was created and no process is left.
 */
async function check(files: Record<string, string>, readOnly: string[] = []) {
  const tmp = makeTempDir(0o777);
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(tmp, name)), { recursive: true });
      writeFileSync(path.join(tmp, name), text.split('%(tmp)s').join(tmp));
    }
    for (const dir of readOnly) mkdirSync(path.join(tmp, dir), { mode: 0o555 });
    const before = tree(tmp);
    const result = await runToEnd(['--check', '-c', path.join(tmp, 'supervisord.conf')], { cwd: tmp, prefix: isRoot ? NOBODY : [] });
    assert.deepEqual(tree(tmp), before, 'no file created');
    assert.deepEqual(findMarkedPids(tmp), [], 'no process started');
    const relative = (text: string) => text.split(tmp).join('%(tmp)s');
    return { code: result.code, lines: relative(result.stdout).split('\n').filter(Boolean), stderr: relative(result.stderr) };
  } finally {
    removeDir(tmp);
  }
}

const SUPERVISORD = '[supervisord]\nlogfile=%(tmp)s/supervisord.log\npidfile=%(tmp)s/supervisord.pid\nchildlogdir=%(tmp)s\n';

describe(`e2e supervisord --check (${underTest})`, { concurrency: true }, () => {
  it(
    'the reference has no --check: "option --check not recognized", exit status 2',
    { skip: !ours ? false : 'pins the reference' },
    async () => {
      const tmp = makeTempDir();
      try {
        writeFileSync(path.join(tmp, 'supervisord.conf'), SUPERVISORD.split('%(tmp)s').join(tmp));
        const result = await runToEnd(['--check', '-c', path.join(tmp, 'supervisord.conf')], { cwd: tmp });
        assert.equal(result.code, 2);
        assert.equal(result.stdout, '');
        assert.equal(result.stderr, `Error: option --check not recognized\nFor help, use ${REFERENCE_BIN} -h\n`);
        assert.deepEqual(readdirSync(tmp), ['supervisord.conf'], 'it starts nothing either');
      } finally {
        removeDir(tmp);
      }
    },
  );

  it('a clean configuration: no problem line, "ok", exit status 0', { skip: ours ? false : 'ours only' }, async () => {
    const conf = `${SUPERVISORD}[program:sleeper]\ncommand=sleep 1000\nstdout_logfile=%(tmp)s/sleeper.log\n[program:auto]\ncommand=/bin/sh -c 'exec sleep 1000'\n`;
    const { code, lines, stderr } = await check({ 'supervisord.conf': conf });
    assert.deepEqual(lines, []);
    assert.equal(stderr, '%(tmp)s/supervisord.conf: ok\n');
    assert.equal(code, 0);
  });

  it('an unknown key: a warning with file, line and section, exit status 1', { skip: ours ? false : 'ours only' }, async () => {
    const conf = `${SUPERVISORD}[program:x]\ncommand=sleep 1000\nautostrat=false\n`;
    const { code, lines, stderr } = await check({ 'supervisord.conf': conf });
    assert.deepEqual(lines, ["%(tmp)s/supervisord.conf:7: warning: [program:x] unknown key 'autostrat'; did you mean 'autostart'?"]);
    assert.equal(stderr, '%(tmp)s/supervisord.conf: 1 warning\n');
    assert.equal(code, 1);
  });

  it(
    'every problem at once: bad values, a missing user, a command not on PATH, a busy port, unwritable logs, a cycle, a bad line, spawn problems',
    { skip: ours ? false : 'ours only' },
    async () => {
      const busy = net.createServer();
      await new Promise<void>((resolve) => busy.listen({ host: '127.0.0.1', port: 0 }, resolve));
      const port = (busy.address() as net.AddressInfo).port;
      try {
        const conf = [
          '[supervisord]', // 1
          'logfile=%(tmp)s/ro/supervisord.log',
          'pidfile=%(tmp)s/supervisord.pid',
          'childlogdir=%(tmp)s',
          '[inet_http_server]', // 5
          `port=127.0.0.1:${port}`,
          '[program:values]',
          'command=sleep 1000',
          'startsecs=soon',
          'stopsignal=NOPE', // 10
          'autostrat=false',
          '[program:who]',
          'command=sleep 1000',
          'user=no-such-user-here',
          '[program:missing]', // 15
          'command=no-such-command-here --flag',
          '[program:logs]',
          'command=sleep 1000',
          'stdout_logfile=%(tmp)s/ro/logs.log',
          '[program:first]', // 20
          'command=sleep 1000',
          'depends_on=second',
          '[program:second]',
          'command=sleep 1000',
          'depends_on=first', // 25
          '[include]',
          'files=conf.d/*.conf',
          '[program:envs]',
          'command=sleep 1000', // 29
          'env_file=%(tmp)s/missing.env',
          '[program:elsewhere]',
          'command=sleep 1000',
          'directory=%(tmp)s/missing-dir',
        ].join('\n');
        const included = '[program:included]\ncommand=sleep 1000\nthis line is no key\n';
        const { code, lines, stderr } = await check({ 'supervisord.conf': `${conf}\n`, 'conf.d/more.conf': included }, ['ro']);
        const main = '%(tmp)s/supervisord.conf';
        assert.deepEqual(lines, [
          `${main}:2: error: [supervisord] logfile: cannot open log file %(tmp)s/ro/supervisord.log: EACCES: permission denied, access '%(tmp)s/ro'`,
          `${main}:6: error: [inet_http_server] port: Another program is already listening on a port that one of our HTTP servers is configured to use.  Shut this program down first before starting supervisord.`,
          `${main}:9: error: [program:values] startsecs: invalid literal for int() with base 10: 'soon'`,
          `${main}:10: error: [program:values] stopsignal: value 'NOPE' is not a valid signal name`,
          `${main}:11: warning: [program:values] unknown key 'autostrat'; did you mean 'autostart'?`,
          `${main}:14: error: [program:who] user: Invalid user name no-such-user-here`,
          `${main}:16: error: [program:missing] command: can't find command 'no-such-command-here'`,
          `${main}:19: error: [program:logs] stdout_logfile: unknown error making dispatchers for 'logs': EACCES: permission denied, access '%(tmp)s/ro'`,
          `${main}:22: error: [program:first] depends_on: dependency cycle first -> second -> first`,
          `${main}:30: error: [program:envs] env_file: couldn't read env_file %(tmp)s/missing.env: ENOENT`,
          `${main}:33: error: [program:elsewhere] directory: couldn't chdir to %(tmp)s/missing-dir: ENOENT`,
          "%(tmp)s/conf.d/more.conf:3: error: Source contains parsing errors: 'this line is no key\\n'",
        ]);
        assert.equal(stderr, `${main}: 11 errors, 1 warning\n`);
        assert.equal(code, 2);
      } finally {
        busy.close();
      }
    },
  );
});
