// loadConfig: defaults, programs, groups, listeners, servers, includes, overrides, messages.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixturesDir, repoRoot } from '../paths.js';
import { defaultTempDir, loadConfig } from '../../config/load.js';
import { SAMPLE_CONFIG } from '../../config/sample.js';
import { configSearchPaths, findConfigFile } from '../../config/search.js';
import type { Config } from '../../config/types.js';

const env = { HOME: '/root', LANG: 'C.UTF-8', GREETING: 'hi' };

const tempDirs: string[] = [];
after(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory, removed when the tests are done. */
function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Writes a config into a fresh directory and loads it with that directory as the cwd. */
function load(text: string, overrides?: Parameters<typeof loadConfig>[1]): Config & { dir: string } {
  const dir = tempDir('config-load-');
  writeFileSync(path.join(dir, 'supervisord.conf'), text);
  return { ...loadConfig('supervisord.conf', { env, cwd: dir, ...overrides }), dir };
}

const proc = (c: Config, group: string, index = 0) => c.groups.find((g) => g.name === group)!.processes[index]!;

test('[supervisord] defaults', () => {
  const c = load('[supervisord]\n');
  assert.deepEqual(c.supervisord, {
    logfile: path.join(c.dir, 'supervisord.log'),
    logfileMaxbytes: 50 * 1024 * 1024,
    logfileBackups: 10,
    logfileRotate: null,
    loglevel: 'info',
    pidfile: path.join(c.dir, 'supervisord.pid'),
    umask: 0o22,
    nodaemon: false,
    silent: false,
    minfds: 1024,
    minprocs: 200,
    nocleanup: false,
    childlogdir: defaultTempDir(env, c.dir),
    user: null,
    directory: null,
    stripAnsi: false,
    childrenDieWithDaemon: false,
    environment: {},
    envFiles: [],
    identifier: 'supervisor',
    subreaper: false,
  });
  assert.equal(c.file, path.join(c.dir, 'supervisord.conf'));
  assert.deepEqual(c.files, [c.file]);
  assert.deepEqual(c.groups, []);
  assert.equal(c.unixHttpServer, null);
  assert.equal(c.inetHttpServer, null);
  assert.deepEqual(c.supervisorctl, {
    serverurl: 'http://localhost:9001',
    username: null,
    password: null,
    prompt: 'supervisor',
    historyFile: null,
  });
  assert.deepEqual(c.messages, []);
});

test('[supervisord] values, %(here)s and ENV_ expansion', () => {
  const c = load(
    '[supervisord]\nlogfile=%(here)s/main.log\nlogfile_maxbytes=1KB\nlogfile_backups=0\nloglevel=DEBUG\npidfile=run.pid\n' +
      'umask=002\nnodaemon=yes\nsilent=on\nminfds=10\nminprocs=20\nnocleanup=1\nchildlogdir=/tmp\nuser=root\ndirectory=/\n' +
      'strip_ansi=true\nidentifier=%(ENV_GREETING)s\nenvironment=A="x,y",B=%%(host_node_name)s\n',
    undefined,
  );
  const s = c.supervisord;
  assert.equal(s.logfile, path.join(c.dir, 'main.log'));
  assert.deepEqual([s.logfileMaxbytes, s.logfileBackups, s.loglevel, s.pidfile], [1024, 0, 'debug', path.join(c.dir, 'run.pid')]);
  assert.deepEqual([s.umask, s.nodaemon, s.silent, s.minfds, s.minprocs, s.nocleanup], [0o2, true, true, 10, 20, true]);
  assert.deepEqual([s.childlogdir, s.user, s.directory, s.stripAnsi, s.identifier], ['/tmp', 'root', '/', true, 'hi']);
  // environment= is expanded twice, host_node_name only in the second pass (as in the reference).
  assert.deepEqual(s.environment, { A: 'x,y', B: os.hostname() });
});

test('subreaper= (ours) is a boolean; a bad value names the key', () => {
  assert.equal(load('[supervisord]\nsubreaper=true\n').supervisord.subreaper, true);
  assert.throws(() => load('[supervisord]\nsubreaper=sometimes\n'), {
    message: /^not a valid boolean value: 'sometimes' \(\[supervisord\] subreaper= at .*:2\)$/,
  });
});

test('logfile=syslog is kept as is; overrides win over the file', () => {
  const c = load('[supervisord]\nlogfile=syslog\nnodaemon=false\nloglevel=warn\n', {
    overrides: { nodaemon: true, loglevel: 'trace', pidfile: 'other.pid', identifier: undefined },
  });
  assert.equal(c.supervisord.logfile, 'syslog');
  assert.equal(c.supervisord.nodaemon, true);
  assert.equal(c.supervisord.loglevel, 'trace');
  assert.equal(c.supervisord.pidfile, path.join(c.dir, 'other.pid'));
  assert.equal(c.supervisord.identifier, 'supervisor');
  assert.throws(() => load('[supervisord]\n', { overrides: { user: 'no_such_user_here' } }), {
    message: 'Invalid user name no_such_user_here (-u/--user on the command line)',
  });
});

test('[program:x] defaults', () => {
  const c = load('[supervisord]\n[program:cat]\ncommand=/bin/cat\n');
  const g = c.groups[0]!;
  assert.deepEqual([g.kind, g.name, g.priority, g.location.line], ['program', 'cat', 999, 2]);
  const { location, ...p } = g.processes[0]!;
  assert.equal(location.file, c.file);
  const log = {
    logfile: 'AUTO',
    maxbytes: 50 * 1024 * 1024,
    backups: 10,
    captureMaxbytes: 0,
    eventsEnabled: false,
    syslog: false,
    format: 'raw',
    rotate: null,
  };
  assert.deepEqual(p, {
    name: 'cat',
    section: 'program:cat',
    command: '/bin/cat',
    priority: 999,
    autostart: true,
    autorestart: 'unexpected',
    startsecs: 1,
    startretries: 3,
    backoff: 'linear',
    backoffMax: null,
    readiness: null,
    liveness: null,
    dependsOn: [],
    exitcodes: [0],
    stopsignal: 'SIGTERM',
    stopwaitsecs: 10,
    stopasgroup: false,
    killasgroup: false,
    stopastree: false,
    user: null,
    directory: null,
    umask: null,
    environment: {},
    envFiles: [],
    redirectStderr: false,
    stdout: log,
    stderr: log,
    serverurl: null,
  });
});

test('[program:x] values', () => {
  const c = load(
    "[supervisord]\n[program:web]\ncommand=sh -c 'while true; do echo hi; sleep 1; done'\npriority=5\nautostart=false\n" +
      'autorestart=true\nstartsecs=0\nstartretries=9\nexitcodes=0,2\nstopsignal=INT\nstopwaitsecs=3\nstopasgroup=true\n' +
      'user=root\ndirectory=%(here)s\numask=077\nredirect_stderr=true\nstdout_logfile=%(here)s/%(program_name)s.log\n' +
      'stdout_logfile_maxbytes=1MB\nstdout_logfile_backups=2\nstdout_capture_maxbytes=1KB\nstdout_events_enabled=true\n' +
      'stderr_logfile=NONE\nserverurl=http://127.0.0.1:9001\nenvironment=A="1",\n  B=\'two words\'\n',
  );
  const p = proc(c, 'web');
  assert.equal(p.command, "sh -c 'while true; do echo hi; sleep 1; done'");
  assert.deepEqual([p.priority, p.autostart, p.autorestart, p.startsecs, p.startretries], [5, false, 'true', 0, 9]);
  assert.deepEqual([p.exitcodes, p.stopsignal, p.stopwaitsecs, p.stopasgroup, p.killasgroup], [[0, 2], 'SIGINT', 3, true, true]);
  assert.deepEqual([p.user, p.directory, p.umask, p.redirectStderr], ['root', c.dir, 0o77, true]);
  assert.deepEqual(p.stdout, {
    logfile: path.join(c.dir, 'web.log'),
    maxbytes: 1024 * 1024,
    backups: 2,
    captureMaxbytes: 1024,
    eventsEnabled: true,
    syslog: false,
    format: 'raw',
    rotate: null,
  });
  assert.equal(p.stderr.logfile, null);
  assert.equal(p.serverurl, 'http://127.0.0.1:9001');
  assert.deepEqual(p.environment, { A: '1', B: 'two words' });
  assert.equal(c.groups[0]!.priority, 5);
});

test('numprocs: names from process_name, %(process_num)02d, sorted by name', () => {
  const c = load(
    '[supervisord]\n[program:w]\ncommand=worker --id %(process_num)d of %(numprocs)d\nprocess_name=%(program_name)s_%(process_num)02d\n' +
      'numprocs=3\nnumprocs_start=9\nenvironment=SLOT=%(process_num)s\n',
  );
  const ps = c.groups[0]!.processes;
  assert.deepEqual(
    ps.map((p) => p.name),
    ['w_09', 'w_10', 'w_11'],
  );
  assert.deepEqual(
    ps.map((p) => p.command),
    ['worker --id 9 of 3', 'worker --id 10 of 3', 'worker --id 11 of 3'],
  );
  assert.deepEqual(
    ps.map((p) => p.environment['SLOT']),
    ['9', '10', '11'],
  );
  // Without zero padding the reference's name order is lexical.
  const d = load('[supervisord]\n[program:n]\ncommand=x\nprocess_name=n%(process_num)s\nnumprocs=11\n');
  assert.deepEqual(
    d.groups[0]!.processes.slice(0, 3).map((p) => p.name),
    ['n0', 'n1', 'n10'],
  );
});

test('a program sees its own environment as ENV_ names after environment= is read', () => {
  const c = load(
    '[supervisord]\nenvironment=ROOT=/srv\n[program:a]\ncommand=run %(ENV_ROOT)s %(ENV_GREETING)s\nenvironment=X=1\ndirectory=/%(ENV_X)s\n',
  );
  const p = proc(c, 'a');
  assert.equal(p.command, 'run /srv hi');
  assert.equal(p.directory, '/1');
  assert.deepEqual(p.environment, { X: '1' }); // only the program's own pairs
});

test('%% and literal percent signs', () => {
  assert.equal(proc(load('[supervisord]\n[program:a]\ncommand=printf 100%%\n'), 'a').command, 'printf 100%');
});

test("groups: programs= takes the programs out of their own groups; groups by priority then name, a group's processes as listed", () => {
  const c = load(
    '[supervisord]\n[program:b]\ncommand=b\npriority=2\n[program:a]\ncommand=a\npriority=1\n[program:c]\ncommand=%(group_name)s\n' +
      '[group:svc]\nprograms=b,a\npriority=100\n[program:z]\ncommand=z\npriority=100\n[program:y]\ncommand=y\npriority=100\n',
  );
  assert.deepEqual(
    c.groups.map((g) => [g.kind, g.name, g.priority]),
    [
      ['group', 'svc', 100],
      ['program', 'y', 100],
      ['program', 'z', 100],
      ['program', 'c', 999],
    ],
  );
  const svc = c.groups.find((g) => g.name === 'svc')!;
  // The reference starts a [group:x] in programs= order, whatever the programs' priorities.
  assert.deepEqual(
    svc.processes.map((p) => [p.name, p.section]),
    [
      ['b', 'program:b'],
      ['a', 'program:a'],
    ],
  );
  assert.equal(proc(c, 'c').command, 'c');
  const g = load('[supervisord]\n[program:a]\ncommand=%(group_name)s\n[group:grp]\nprograms=a\n');
  assert.equal(proc(g, 'grp').command, 'grp');
});

test('[eventlistener:x]', () => {
  const c = load('[supervisord]\n[eventlistener:mon]\ncommand=listener\nevents=process_state, TICK_60,PROCESS_STATE\n');
  const g = c.groups[0]!;
  assert.equal(g.kind, 'eventlistener');
  assert.equal(g.priority, -1);
  assert.deepEqual(g.listener, {
    bufferSize: 10,
    events: ['PROCESS_STATE', 'TICK_60'],
    resultHandler: 'supervisor.dispatchers:default_handler',
  });
  assert.equal(g.processes[0]!.name, 'mon');
});

test('warnings the reference logs, as LoadMessages', () => {
  const c = load(
    '[supervisord]\n[program:a]\ncommand=a\nstdout_logfile_maxbytes=0\nredirect_stderr=true\nstderr_logfile=/tmp/err.log\n' +
      '[program:b]\ncommand=b\nstderr_logfile=syslog\n',
  );
  assert.deepEqual(c.messages, [
    {
      level: 'warn',
      text: 'For [program:a], AUTO logging used for stdout_logfile without rollover, set maxbytes > 0 to avoid filling up filesystem unintentionally',
    },
    {
      level: 'warn',
      text: 'For [program:a], redirect_stderr=true but stderr_logfile has also been set to a filename, the filename has been ignored',
    },
    {
      level: 'warn',
      text: 'For [program:b], stderr_logfile=syslog but this is deprecated and will be removed.  Use stderr_syslog=true to enable syslog instead.',
    },
  ]);
  assert.deepEqual([proc(c, 'b').stderr.logfile, proc(c, 'b').stderr.syslog], [null, true]);
});

test('[DEFAULT] values apply to every section', () => {
  const c = load('[DEFAULT]\nstartsecs=7\n[supervisord]\n[program:a]\ncommand=a\n[program:b]\ncommand=b\nstartsecs=1\n');
  assert.equal(proc(c, 'a').startsecs, 7);
  assert.equal(proc(c, 'b').startsecs, 1);
});

test('servers, credentials, rpc interfaces and [supervisorctl]', () => {
  const c = load(
    '[supervisord]\n[unix_http_server]\nfile=%(here)s/s.sock\nchmod=0770\nchown=root:root\nusername=u\npassword={SHA}abc\n' +
      '[inet_http_server]\nport=*:9001\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory=supervisor.rpcinterface:make_main_rpcinterface\n' +
      '[rpcinterface:extra]\nsupervisor.rpcinterface_factory=extra.js:make\nretries=%(ENV_GREETING)s\n' +
      '[supervisorctl]\nserverurl=unix://%(here)s/s.sock\nprompt=hey\nhistory_file=~/.hist\nusername=u\npassword=p\n',
  );
  assert.deepEqual(c.unixHttpServer, {
    file: path.join(c.dir, 's.sock'),
    chmod: 0o770,
    chown: 'root:root',
    credentials: { username: 'u', password: '{SHA}abc' },
  });
  assert.deepEqual(c.inetHttpServer, { host: '', port: 9001, credentials: null });
  assert.deepEqual(c.rpcInterfaces, [
    { name: 'supervisor', factory: 'supervisor.rpcinterface:make_main_rpcinterface', options: {} },
    { name: 'extra', factory: 'extra.js:make', options: { retries: 'hi' } },
  ]);
  assert.deepEqual(c.supervisorctl, {
    serverurl: `unix://${c.dir}/s.sock`,
    username: 'u',
    password: 'p',
    prompt: 'hey',
    historyFile: '/root/.hist',
  });
});

test('[include]: globs relative to the including file, sorted, hidden files skipped, recursive without cycles, %(here)s per file', () => {
  const dir = path.join(fixturesDir, 'config', 'include');
  const c = loadConfig('main.conf', { env, cwd: dir });
  assert.equal(c.supervisord.logfile, path.join(dir, 'supervisord.log'));
  assert.deepEqual(c.files, [
    path.join(dir, 'main.conf'),
    path.join(dir, 'conf.d/10-web.conf'),
    path.join(dir, 'nested/30-nested.conf'),
    path.join(dir, 'conf.d/20-worker.conf'),
    path.join(dir, 'more/a.ini'),
  ]);
  assert.deepEqual(
    c.groups.map((g) => g.name),
    ['web', 'backend', 'nested'],
  );
  assert.equal(proc(c, 'nested').command, `/bin/echo ${path.join(dir, 'nested')}`);
  assert.equal(proc(c, 'web').command, `/bin/echo ${path.join(dir, 'conf.d')}`);
  assert.equal(proc(c, 'web').location.file, path.join(dir, 'conf.d/10-web.conf'));
  assert.deepEqual(proc(c, 'backend').environment, { QUEUE: 'default', THREADS: '4' });
  const again = `already read ([include] files= at ${dir}/nested/30-nested.conf:7)`;
  assert.deepEqual(c.messages, [
    { level: 'warn', text: `No file matches via include "${dir}/nothing/*.conf"` },
    { level: 'warn', text: `not including "${dir}/nested/../main.conf": ${again}`, kind: 'repeated-include' },
    { level: 'warn', text: `not including "${dir}/nested/../conf.d/10-web.conf": ${again}`, kind: 'repeated-include' },
    { level: 'info', text: `Included extra file "${dir}/conf.d/10-web.conf" during parsing` },
    { level: 'info', text: `Included extra file "${dir}/conf.d/../nested/30-nested.conf" during parsing` },
    { level: 'info', text: `Included extra file "${dir}/conf.d/20-worker.conf" during parsing` },
    { level: 'info', text: `Included extra file "${dir}/more/a.ini" during parsing` },
  ]);
});

test('errors inside included files name that file', () => {
  const dir = tempDir('config-inc-');
  mkdirSync(path.join(dir, 'd'));
  writeFileSync(path.join(dir, 'main.conf'), '[supervisord]\n[include]\nfiles=d/*.conf\n');
  writeFileSync(path.join(dir, 'd', 'x.conf'), '[program:x]\ncommand=x\nstartsecs=never\n');
  assert.throws(() => loadConfig(path.join(dir, 'main.conf'), { env }), {
    message: `invalid literal for int() with base 10: 'never' in section 'program:x' (file: '${dir}/d/x.conf') ([program:x] startsecs= at ${dir}/d/x.conf:3)`,
  });
});

test('the sample config and the README example load cleanly', () => {
  const s = load(SAMPLE_CONFIG);
  assert.deepEqual(s.messages, []);
  assert.equal(s.unixHttpServer?.file, '/tmp/supervisor.sock');
  const e = loadConfig(path.join(repoRoot, 'examples', 'supervisord.conf'), { env });
  assert.deepEqual(
    e.groups.map((g) => [g.name, g.processes.map((p) => p.name)]),
    [['demo', ['clock', 'heartbeat_00', 'heartbeat_01']]],
  );
  assert.deepEqual(e.messages, []);
});

test('config search order and lookup', () => {
  assert.deepEqual(configSearchPaths('/opt/sv/bin/supervisord'), [
    '/opt/sv/etc/supervisord.conf',
    '/opt/sv/supervisord.conf',
    'supervisord.conf',
    'etc/supervisord.conf',
    '/etc/supervisord.conf',
    '/etc/supervisor/supervisord.conf',
  ]);
  const root = tempDir('config-search-');
  mkdirSync(path.join(root, 'bin'));
  mkdirSync(path.join(root, 'etc'));
  const cwd = tempDir('config-cwd-');
  writeFileSync(path.join(cwd, 'supervisord.conf'), '');
  assert.equal(findConfigFile(path.join(root, 'bin', 'supervisord'), cwd), 'supervisord.conf');
  writeFileSync(path.join(root, 'etc', 'supervisord.conf'), '');
  assert.equal(findConfigFile(path.join(root, 'bin', 'supervisord'), cwd), path.join(root, 'etc', 'supervisord.conf'));
});
