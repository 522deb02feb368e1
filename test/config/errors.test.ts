// Every bad fixture fails with the reference's message (in one line) followed by where the refused
// text is: file, line, section and key. When the real supervisord is installed it is asked too,
// and its stderr must be "Error: <the reference's message>" plus the help line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fixturesDir } from '../paths.js';
import { loadConfig } from '../../config/load.js';
import { ConfigError } from '../../config/types.js';

const dir = path.join(fixturesDir, 'config');
// A fixed environment keeps the "Available names" lists identical for both implementations.
const env = { LANG: 'C.UTF-8' };
const REFERENCE = '/usr/bin/supervisord';

interface Case {
  /** The fixture in bad/. */
  name: string;
  /** The reference's message, exactly; <dir> stands for the fixture directory. */
  reference: string;
  /** What ours adds after the message (<file> is the fixture's path); null where the message names file and line already. */
  where: string | null;
  /** Our message where its wording deliberately differs from the reference's. */
  ours?: string;
}

const CASES: Case[] = [
  {
    name: 'bad-autorestart',
    reference: "invalid 'autorestart' value 'sometimes' in section 'program:a' (file: 'bad/bad-autorestart.conf')",
    where: '[program:a] autorestart= at <file>:4',
  },
  { name: 'bad-boolean', reference: "not a valid boolean value: 'perhaps'", where: '[supervisord] nodaemon= at <file>:2' },
  { name: 'bad-childlogdir', reference: '/no/such/dir is not an existing directory', where: '[supervisord] childlogdir= at <file>:2' },
  {
    name: 'bad-environment',
    reference: "Unexpected end of key/value pairs in value 'A=1,B' in section 'program:a' (file: 'bad/bad-environment.conf')",
    where: '[program:a] environment= at <file>:4',
  },
  {
    name: 'bad-exitcodes',
    reference: "not a valid list of exit codes: '0,300' in section 'program:a' (file: 'bad/bad-exitcodes.conf')",
    where: '[program:a] exitcodes= at <file>:4',
  },
  {
    name: 'bad-format',
    reference:
      "Format string '/bin/echo 100%' for 'program:a.command' is badly formatted: incomplete format in section 'program:a' (file: 'bad/bad-format.conf')",
    where: '[program:a] command= at <file>:3',
  },
  {
    name: 'bad-in-default',
    reference: "invalid literal for int() with base 10: 'soon' in section 'program:a' (file: 'bad/bad-in-default.conf')",
    where: '[program:a] startsecs= at <file>:2',
  },
  {
    name: 'bad-int',
    reference: "invalid literal for int() with base 10: 'soon' in section 'program:cat' (file: 'bad/bad-int.conf')",
    where: '[program:cat] startsecs= at <file>:5',
  },
  {
    name: 'bad-logfile-dir',
    reference: 'The directory named as part of the path /no/such/dir/supervisord.log does not exist',
    where: '[supervisord] logfile= at <file>:2',
  },
  { name: 'bad-loglevel', reference: "bad logging level name 'loud'", where: '[supervisord] loglevel= at <file>:2' },
  { name: 'bad-name', reference: "Invalid name: 'my prog' because of character: ' '", where: '[program:my prog] at <file>:2' },
  { name: 'bad-priority', reference: "invalid literal for int() with base 10: 'high'", where: '[program:cat] priority= at <file>:4' },
  {
    name: 'bad-process-name',
    reference: "Invalid name: 'a:b' because of character: ':' in section 'program:a' (file: 'bad/bad-process-name.conf')",
    where: '[program:a] process_name= at <file>:4',
  },
  {
    name: 'bad-program-user',
    reference: "Invalid user name no_such_user_here in section 'program:a' (file: 'bad/bad-program-user.conf')",
    where: '[program:a] user= at <file>:4',
  },
  {
    name: 'bad-signal',
    reference: "value 'NOPE' is not a valid signal name in section 'program:a' (file: 'bad/bad-signal.conf')",
    where: '[program:a] stopsignal= at <file>:4',
  },
  { name: 'bad-umask', reference: '999 can not be converted to an octal type', where: '[supervisord] umask= at <file>:2' },
  { name: 'bad-user', reference: 'Invalid user name no_such_user_here', where: '[supervisord] user= at <file>:2' },
  { name: 'empty', reference: '.ini file does not include supervisord section', where: 'in <file>' },
  {
    name: 'fcgi-ambiguous',
    reference: '[group:g] name f is ambiguous (exists as program and fcgi-program)',
    where: '[group:g] programs= at <file>:3',
  },
  { name: 'fcgi-backlog-range', reference: 'Invalid socket_backlog value 0', where: '[fcgi-program:f] socket_backlog= at <file>:5' },
  {
    name: 'fcgi-backlog-word',
    reference: "invalid literal for int() with base 10: 'many'",
    where: '[fcgi-program:f] socket_backlog= at <file>:5',
  },
  {
    name: 'fcgi-bad-format',
    reference: "('Bad socket format %s', 'ftp://x') in [fcgi-program:f] socket",
    where: '[fcgi-program:f] socket= at <file>:4',
  },
  { name: 'fcgi-bad-mode', reference: 'Invalid socket_mode value rwx', where: '[fcgi-program:f] socket_mode= at <file>:5' },
  {
    name: 'fcgi-bad-owner',
    reference: 'Invalid socket_owner value no_such_user_here',
    where: '[fcgi-program:f] socket_owner= at <file>:5',
  },
  {
    name: 'fcgi-expansion',
    reference:
      "Format string 'unix:///tmp/%(process_num)s.sock' for 'fcgi-program:f.socket' contains names ('process_num') which cannot be expanded. Available names: ENV_LANG, here, program_name",
    where: '[fcgi-program:f] socket= at <file>:4',
  },
  {
    name: 'fcgi-mode-on-tcp',
    reference: 'socket_owner and socket_mode params should only be used with a Unix domain socket in [fcgi-program:f] socket',
    where: '[fcgi-program:f] socket= at <file>:4',
  },
  { name: 'fcgi-no-socket', reference: '[fcgi-program:f] section requires a "socket" line', where: '[fcgi-program:f] at <file>:2' },
  {
    name: 'fcgi-numprocs',
    reference:
      "%(process_num) must be present within process_name when numprocs > 1 in section 'fcgi-program:f' (file: 'bad/fcgi-numprocs.conf')",
    where: '[fcgi-program:f] numprocs= at <file>:5',
  },
  {
    name: 'fcgi-port-above',
    reference: '99999 is above upper bound (65535) in [fcgi-program:f] socket',
    where: '[fcgi-program:f] socket= at <file>:4',
  },
  {
    name: 'fcgi-relative-unix',
    reference: "('Unix socket path %s is not an absolute path', 'run/f.sock') in [fcgi-program:f] socket",
    where: '[fcgi-program:f] socket= at <file>:4',
  },
  {
    name: 'half-credentials',
    reference:
      'Section [unix_http_server] contains incomplete authentication: If a username or a password is specified, both the username and password must be specified',
    where: '[unix_http_server] username= at <file>:4',
  },
  { name: 'include-no-files', reference: '.ini file has [include] section, but no files setting', where: '[include] at <file>:2' },
  {
    name: 'include-parse-error',
    reference: "Source contains parsing errors: '<dir>/bad/../include/broken/broken.conf'\n\t[line  3]: 'broken line\\n'",
    where: null,
  },
  { name: 'inet-bad-port', reference: "not a valid port number: '70000' ", where: '[inet_http_server] port= at <file>:3' },
  { name: 'inet-empty-port', reference: "no port number specified in ''", where: '[inet_http_server] port= at <file>:3' },
  { name: 'inet-no-port', reference: 'section [inet_http_server] has no port value', where: '[inet_http_server] at <file>:2' },
  { name: 'inet-port-above', reference: '99999 is above upper bound (65535)', where: '[inet_http_server] port= at <file>:3' },
  {
    name: 'inet-port-word',
    reference: "invalid literal for int() with base 10: 'notaport'",
    where: '[inet_http_server] port= at <file>:3',
  },
  {
    name: 'listener-bad-event',
    reference: 'Unknown event type TICK_7 in [eventlistener:l] events',
    where: '[eventlistener:l] events= at <file>:4',
  },
  {
    name: 'listener-buffer',
    reference: '[eventlistener:l] section sets invalid buffer_size (0)',
    where: '[eventlistener:l] buffer_size= at <file>:5',
  },
  { name: 'listener-no-events', reference: '[eventlistener:l] section requires an "events" line', where: '[eventlistener:l] at <file>:2' },
  {
    name: 'listener-redirect',
    reference:
      '[eventlistener:l] section sets redirect_stderr=true but this is not allowed because it will interfere with the eventlistener protocol',
    where: '[eventlistener:l] redirect_stderr= at <file>:5',
  },
  {
    name: 'no-command',
    reference: "program section program:a does not specify a command in section 'program:a' (file: 'bad/no-command.conf')",
    where: '[program:a] at <file>:2',
  },
  {
    name: 'no-section-header',
    reference: "File contains no section headers.\nfile: 'bad/no-section-header.conf', line: 1\n'logfile=/tmp/x.log\\n'",
    where: null,
  },
  { name: 'no-supervisord', reference: '.ini file does not include supervisord section', where: 'in <file>' },
  { name: 'not-utf8', reference: "'utf-8' codec can't decode byte 0xe9 in position 47: invalid continuation byte", where: 'at <file>:3' },
  {
    name: 'numprocs-without-num',
    reference:
      "%(process_num) must be present within process_name when numprocs > 1 in section 'program:a' (file: 'bad/numprocs-without-num.conf')",
    where: '[program:a] numprocs= at <file>:4',
  },
  {
    name: 'parse-errors',
    reference:
      "Source contains parsing errors: 'bad/parse-errors.conf'\n\t[line  2]: 'this line has no delimiter\\n'\n\t[line  6]: 'not ok either\\n'",
    where: null,
  },
  {
    name: 'rpc-no-factory',
    reference: 'section [rpcinterface:supervisor] does not specify a supervisor.rpcinterface_factory',
    where: '[rpcinterface:supervisor] at <file>:2',
  },
  {
    name: 'stopasgroup',
    reference: "Cannot set stopasgroup=true and killasgroup=false in section 'program:a' (file: 'bad/stopasgroup.conf')",
    where: '[program:a] killasgroup= at <file>:5',
  },
  {
    name: 'unclosed-quote',
    reference: "No closing quotation in section 'program:a' (file: 'bad/unclosed-quote.conf')",
    where: '[program:a] environment= at <file>:4',
  },
  { name: 'unix-bad-chmod', reference: 'Invalid chmod value rwx', where: '[unix_http_server] chmod= at <file>:4' },
  { name: 'unix-bad-chown', reference: 'Invalid sockchown value no_such_user_here', where: '[unix_http_server] chown= at <file>:4' },
  { name: 'unix-no-file', reference: 'section [unix_http_server] has no file value', where: '[unix_http_server] at <file>:2' },
  {
    name: 'unknown-expansion',
    reference:
      "Format string '/bin/echo %(nope)s' for 'program:a.command' contains names ('nope') which cannot be expanded. Available names: ENV_LANG, group_name, here, host_node_name, numprocs, process_num, program_name in section 'program:a' (file: 'bad/unknown-expansion.conf')",
    where: '[program:a] command= at <file>:3',
  },
  {
    name: 'unknown-program',
    reference: '[program:a] names unknown program or fcgi-program missing',
    where: '[group:g] programs= at <file>:5',
    ours: '[group:g] names unknown program or fcgi-program missing',
  },
];

/** The reference's message as we give it: in one line. */
const oneLine = (message: string): string => message.replace(/\n\t?/g, ' ');

/** Ours: the reference's wording (in one line), then where the refused text is. */
function expectedMessage({ name, reference, where, ours }: Case): string {
  const message = oneLine(ours ?? reference).replaceAll('<dir>', dir);
  return where === null ? message : `${message} (${where.replaceAll('<file>', path.join(dir, 'bad', `${name}.conf`))})`;
}

function ourMessage(name: string): string {
  try {
    loadConfig(`bad/${name}.conf`, { env, cwd: dir });
  } catch (err) {
    assert.ok(err instanceof ConfigError, `ConfigError expected, got ${String(err)}`);
    return err.message;
  }
  assert.fail(`bad/${name}.conf loaded without error`);
}

for (const c of CASES) {
  test(`bad config ${c.name}: the reference's wording, then file, line and section/key`, () => {
    assert.equal(ourMessage(c.name), expectedMessage(c));
  });
}

test('the reference rejects each bad fixture with its message and exit status 2', { skip: !existsSync(REFERENCE) }, () => {
  for (const { name, reference } of CASES) {
    const result = spawnSync(REFERENCE, ['-c', `bad/${name}.conf`], { cwd: dir, env, encoding: 'utf8', timeout: 20000 });
    assert.equal(result.status, 2, name);
    assert.equal(result.stderr, `Error: ${reference.replaceAll('<dir>', dir)}\nFor help, use ${REFERENCE} -h\n`, name);
  }
});

test('a missing file names the path as given', () => {
  assert.throws(() => loadConfig('no/such.conf', { env, cwd: dir }), {
    name: 'ConfigError',
    message: 'could not find config file no/such.conf',
  });
});
