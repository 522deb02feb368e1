// Every bad fixture fails with exactly the reference's message; when the real supervisord is
// installed, it is asked too, and its stderr must be "Error: <our message>" plus the help line.
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

// [fixture in bad/, message]; <dir> stands for the fixture directory.
const CASES: Array<[string, string]> = [
  ['bad-autorestart', "invalid 'autorestart' value 'sometimes' in section 'program:a' (file: 'bad/bad-autorestart.conf')"],
  ['bad-boolean', "not a valid boolean value: 'perhaps'"],
  ['bad-childlogdir', '/no/such/dir is not an existing directory'],
  ['bad-environment', "Unexpected end of key/value pairs in value 'A=1,B' in section 'program:a' (file: 'bad/bad-environment.conf')"],
  ['bad-exitcodes', "not a valid list of exit codes: '0,300' in section 'program:a' (file: 'bad/bad-exitcodes.conf')"],
  [
    'bad-format',
    "Format string '/bin/echo 100%' for 'program:a.command' is badly formatted: incomplete format in section 'program:a' (file: 'bad/bad-format.conf')",
  ],
  ['bad-int', "invalid literal for int() with base 10: 'soon' in section 'program:cat' (file: 'bad/bad-int.conf')"],
  ['bad-logfile-dir', 'The directory named as part of the path /no/such/dir/supervisord.log does not exist'],
  ['bad-loglevel', "bad logging level name 'loud'"],
  ['bad-name', "Invalid name: 'my prog' because of character: ' '"],
  ['bad-priority', "invalid literal for int() with base 10: 'high'"],
  ['bad-process-name', "Invalid name: 'a:b' because of character: ':' in section 'program:a' (file: 'bad/bad-process-name.conf')"],
  ['bad-program-user', "Invalid user name no_such_user_here in section 'program:a' (file: 'bad/bad-program-user.conf')"],
  ['bad-signal', "value 'NOPE' is not a valid signal name in section 'program:a' (file: 'bad/bad-signal.conf')"],
  ['bad-umask', '999 can not be converted to an octal type'],
  ['bad-user', 'Invalid user name no_such_user_here'],
  [
    'half-credentials',
    'Section [unix_http_server] contains incomplete authentication: If a username or a password is specified, both the username and password must be specified',
  ],
  ['include-no-files', '.ini file has [include] section, but no files setting'],
  ['include-parse-error', "Source contains parsing errors: '<dir>/bad/../include/broken/broken.conf'\n\t[line  3]: 'broken line\\n'"],
  ['inet-bad-port', "not a valid port number: '70000' "],
  ['inet-empty-port', "no port number specified in ''"],
  ['inet-no-port', 'section [inet_http_server] has no port value'],
  ['listener-bad-event', 'Unknown event type TICK_7 in [eventlistener:l] events'],
  ['listener-buffer', '[eventlistener:l] section sets invalid buffer_size (0)'],
  ['listener-no-events', '[eventlistener:l] section requires an "events" line'],
  [
    'listener-redirect',
    '[eventlistener:l] section sets redirect_stderr=true but this is not allowed because it will interfere with the eventlistener protocol',
  ],
  ['no-command', "program section program:a does not specify a command in section 'program:a' (file: 'bad/no-command.conf')"],
  ['no-section-header', "File contains no section headers.\nfile: 'bad/no-section-header.conf', line: 1\n'logfile=/tmp/x.log\\n'"],
  ['no-supervisord', '.ini file does not include supervisord section'],
  [
    'numprocs-without-num',
    "%(process_num) must be present within process_name when numprocs > 1 in section 'program:a' (file: 'bad/numprocs-without-num.conf')",
  ],
  [
    'parse-errors',
    "Source contains parsing errors: 'bad/parse-errors.conf'\n\t[line  2]: 'this line has no delimiter\\n'\n\t[line  6]: 'not ok either\\n'",
  ],
  ['rpc-no-factory', 'section [rpcinterface:supervisor] does not specify a supervisor.rpcinterface_factory'],
  ['stopasgroup', "Cannot set stopasgroup=true and killasgroup=false in section 'program:a' (file: 'bad/stopasgroup.conf')"],
  ['unclosed-quote', "No closing quotation in section 'program:a' (file: 'bad/unclosed-quote.conf')"],
  ['unix-bad-chmod', 'Invalid chmod value rwx'],
  ['unix-bad-chown', 'Invalid sockchown value no_such_user_here'],
  ['unix-no-file', 'section [unix_http_server] has no file value'],
  [
    'unknown-expansion',
    "Format string '/bin/echo %(nope)s' for 'program:a.command' contains names ('nope') which cannot be expanded. Available names: ENV_LANG, group_name, here, host_node_name, numprocs, process_num, program_name in section 'program:a' (file: 'bad/unknown-expansion.conf')",
  ],
  ['unknown-program', '[program:a] names unknown program or fcgi-program missing'],
];

function ourMessage(name: string): string {
  try {
    loadConfig(`bad/${name}.conf`, { env, cwd: dir });
  } catch (err) {
    assert.ok(err instanceof ConfigError, `ConfigError expected, got ${String(err)}`);
    return err.message;
  }
  assert.fail(`bad/${name}.conf loaded without error`);
}

for (const [name, expected] of CASES) {
  test(`bad config ${name}: reference message`, () => {
    assert.equal(ourMessage(name), expected.replaceAll('<dir>', dir));
  });
}

test('the reference rejects each bad fixture with the same text and exit status 2', { skip: !existsSync(REFERENCE) }, () => {
  for (const [name] of CASES) {
    const result = spawnSync(REFERENCE, ['-c', `bad/${name}.conf`], { cwd: dir, env, encoding: 'utf8', timeout: 20000 });
    assert.equal(result.status, 2, name);
    assert.equal(result.stderr, `Error: ${ourMessage(name)}\nFor help, use ${REFERENCE} -h\n`, name);
  }
});

test('a missing file names the path as given', () => {
  assert.throws(() => loadConfig('no/such.conf', { env, cwd: dir }), {
    name: 'ConfigError',
    message: 'could not find config file no/such.conf',
  });
});
