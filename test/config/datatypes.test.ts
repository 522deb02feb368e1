// Value converters, Python-style expansion and environment= parsing, with the reference's texts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  autoRestart,
  boolean,
  byteSize,
  dictOfKeyValuePairs,
  existingDirpath,
  expandUser,
  inetAddress,
  integer,
  listOfExitcodes,
  loggingLevel,
  logfileName,
  octalType,
  processOrGroupName,
  signalName,
} from '../../config/datatypes.js';
import { expand } from '../../config/expand.js';
import { pyRepr } from '../../config/python.js';

const vars = new Map<string, string | number>([
  ['program_name', 'web'],
  ['process_num', 3],
  ['here', '/etc'],
]);

test('expansion: names, format specs and %%', () => {
  assert.equal(expand('%(program_name)s_%(process_num)02d', vars, 'k'), 'web_03');
  assert.equal(expand('100%% %(process_num)d', vars, 'k'), '100% 3');
  assert.equal(expand('[%(program_name)-5s|%(process_num)+4d|%(process_num)#x|%(process_num).2f]', vars, 'k'), '[web  |  +3|0x3|3.00]');
  assert.equal(expand('%(process_num)s %(program_name)r %(process_num)e %(process_num)g', vars, 'k'), "3 'web' 3.000000e+00 3");
  assert.equal(expand('plain', new Map(), 'k'), 'plain');
});

test('expansion errors use the reference wording', () => {
  assert.throws(() => expand('%(nope)s', vars, 'program:x.command'), {
    message:
      "Format string '%(nope)s' for 'program:x.command' contains names ('nope') which cannot be expanded. Available names: here, process_num, program_name",
  });
  const bad = (s: string): string => `Format string ${pyRepr(s)} for 'k' is badly formatted: `;
  assert.throws(() => expand('50%', vars, 'k'), { message: bad('50%') + 'incomplete format' });
  assert.throws(() => expand('%(here', vars, 'k'), { message: bad('%(here') + 'incomplete format key' });
  assert.throws(() => expand('a %(here)z', vars, 'k'), {
    message: bad('a %(here)z') + "unsupported format character 'z' (0x7a) at index 9",
  });
  assert.throws(() => expand('%(here)d', vars, 'k'), { message: bad('%(here)d') + '%d format: a real number is required, not str' });
  assert.throws(() => expand('%(here)s %d', vars, 'k'), { message: bad('%(here)s %d') + 'not enough arguments for format string' });
});

test('environment pairs: quotes, commas, continuation newlines', () => {
  assert.deepEqual(dictOfKeyValuePairs('A=1,B="x, y",C=\'z\''), { A: '1', B: 'x, y', C: 'z' });
  assert.deepEqual(dictOfKeyValuePairs('A=1,\nB=/usr/bin:/bin,\nC=a.b+c-d'), { A: '1', B: '/usr/bin:/bin', C: 'a.b+c-d' });
  assert.deepEqual(dictOfKeyValuePairs(''), {});
  // shlex's non-POSIX quirks: quotes glued to a word stay, only the outer ones are stripped.
  assert.deepEqual(dictOfKeyValuePairs('A=foo"bar"'), { A: 'foo"bar' });
  // '$' is a token of its own, so the reference silently keeps just '$' here.
  assert.deepEqual(dictOfKeyValuePairs('A=$HOME'), { A: '$' });
  assert.throws(() => dictOfKeyValuePairs('A=1,B'), { message: "Unexpected end of key/value pairs in value 'A=1,B'" });
  assert.throws(() => dictOfKeyValuePairs('A="open'), { message: 'No closing quotation' });
});

test('booleans', () => {
  for (const t of ['true', 'YES', 'On', '1']) assert.equal(boolean(t), true);
  for (const f of ['false', 'no', 'OFF', '0']) assert.equal(boolean(f), false);
  assert.throws(() => boolean('Maybe'), { message: "not a valid boolean value: 'Maybe'" });
});

test('byte sizes', () => {
  assert.equal(byteSize('50MB'), 50 * 1024 * 1024);
  assert.equal(byteSize('1kb'), 1024);
  assert.equal(byteSize('2GB'), 2 * 1024 ** 3);
  assert.equal(byteSize('123'), 123);
  assert.equal(byteSize('0'), 0);
  assert.throws(() => byteSize('5TB'), { message: "invalid literal for int() with base 10: '5tb'" });
});

test('integers parse like Python int()', () => {
  assert.equal(integer(' 42 '), 42);
  assert.equal(integer('-1'), -1);
  assert.equal(integer('1_000'), 1000);
  assert.throws(() => integer('1.5'), { message: "invalid literal for int() with base 10: '1.5'" });
});

test('octal umask', () => {
  assert.equal(octalType('022'), 0o22);
  assert.equal(octalType('0o77'), 0o77);
  assert.equal(octalType('7'), 7);
  assert.throws(() => octalType('8'), { message: '8 can not be converted to an octal type' });
});

test('signals: names with or without SIG, any case, or numbers', () => {
  assert.equal(signalName('TERM'), 'SIGTERM');
  assert.equal(signalName('sigkill'), 'SIGKILL');
  assert.equal(signalName('9'), 'SIGKILL');
  assert.equal(signalName('USR2'), 'SIGUSR2');
  assert.throws(() => signalName('FOO'), { message: "value 'FOO' is not a valid signal name" });
  assert.throws(() => signalName('99'), { message: "value '99' is not a valid signal number" });
});

test('exit codes', () => {
  assert.deepEqual(listOfExitcodes('0'), [0]);
  assert.deepEqual(listOfExitcodes('0, 2,255'), [0, 2, 255]);
  assert.deepEqual(listOfExitcodes(''), []);
  assert.throws(() => listOfExitcodes('0,256'), { message: "not a valid list of exit codes: '0,256'" });
  assert.throws(() => listOfExitcodes('0,x'), { message: "not a valid list of exit codes: '0,x'" });
});

test('autorestart', () => {
  assert.equal(autoRestart('unexpected'), 'unexpected');
  assert.equal(autoRestart('TRUE'), 'true');
  assert.equal(autoRestart('off'), 'false');
  assert.throws(() => autoRestart('Always'), { message: "invalid 'autorestart' value 'always'" });
});

test('log levels', () => {
  assert.equal(loggingLevel('WARN'), 'warn');
  assert.equal(loggingLevel('blather'), 'blather');
  assert.throws(() => loggingLevel('warning'), { message: "bad logging level name 'warning'" });
});

test('log file names: NONE, OFF, AUTO, syslog, paths', () => {
  const env = { HOME: '/home/someone' };
  assert.deepEqual(logfileName('NONE', env), { kind: 'none' });
  assert.deepEqual(logfileName('off', env), { kind: 'none' });
  assert.deepEqual(logfileName('Auto', env), { kind: 'auto' });
  assert.deepEqual(logfileName('SYSLOG', env), { kind: 'syslog' });
  assert.deepEqual(logfileName('/tmp/x.log', env), { kind: 'path', path: '/tmp/x.log' });
  assert.deepEqual(logfileName('relative.log', env), { kind: 'path', path: 'relative.log' });
  assert.throws(() => existingDirpath('/no/such/x.log', env), {
    message: 'The directory named as part of the path /no/such/x.log does not exist',
  });
});

test('~ expansion uses HOME', () => {
  assert.equal(expandUser('~/x', { HOME: '/home/me/' }), '/home/me/x');
  assert.equal(expandUser('~', { HOME: '/home/me' }), '/home/me');
  assert.equal(expandUser('~no_such_user_here/x', {}), '~no_such_user_here/x');
  assert.equal(expandUser('~root/x', {}), '/root/x');
});

test('process and group names', () => {
  assert.equal(processOrGroupName(' a.b '), 'a.b');
  assert.throws(() => processOrGroupName('a:b'), { message: "Invalid name: 'a:b' because of character: ':'" });
  assert.throws(() => processOrGroupName('a/b'), { message: "Invalid name: 'a/b' because of character: '/'" });
});

test('inet addresses', () => {
  assert.deepEqual(inetAddress('127.0.0.1:9001'), { host: '127.0.0.1', port: 9001 });
  assert.deepEqual(inetAddress('*:9001'), { host: '', port: 9001 });
  assert.deepEqual(inetAddress(':9001'), { host: '', port: 9001 });
  assert.deepEqual(inetAddress('9001'), { host: '', port: 9001 });
  assert.deepEqual(inetAddress('LocalHost:1'), { host: 'localhost', port: 1 });
  assert.throws(() => inetAddress('h:0'), { message: '0 is below lower bound (1)' });
  assert.throws(() => inetAddress('h:65536'), { message: '65536 is above upper bound (65535)' });
  assert.throws(() => inetAddress('nine'), { message: "not a valid port number: 'nine' " });
});

test('Python repr quoting', () => {
  assert.equal(pyRepr('a'), "'a'");
  assert.equal(pyRepr("it's"), `"it's"`);
  assert.equal(pyRepr(`'"`), `'\\'"'`);
  assert.equal(pyRepr('tab\there\n'), "'tab\\there\\n'");
  assert.equal(pyRepr('é'), "'é'");
});
