// Reading the main file and its includes: each file once (a file including itself, directly or
// through another, is not merged twice: the reference merges it again), a matched path that
// cannot be read refused by name (the reference skips it silently), bytes that are not UTF-8
// refused with file and line.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/load.js';
import type { Config } from '../../config/types.js';

const env = { HOME: '/root', LANG: 'C.UTF-8' };

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Writes `files` into a fresh directory (removed when the tests are done) and returns it. */
function write(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'config-files-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const load = (dir: string, main = 'supervisord.conf'): Config => loadConfig(main, { env, cwd: dir });
const repeated = (config: Config): string[] => config.messages.filter((m) => m.kind === 'repeated-include').map((m) => m.text);

test('a file that includes itself is read once, with a warning naming it and the [include] line', () => {
  const dir = write({ 'supervisord.conf': '[supervisord]\n[program:a]\ncommand=/bin/a\n[include]\nfiles=*.conf\n' });
  const config = load(dir);
  const file = path.join(dir, 'supervisord.conf');
  assert.deepEqual(config.files, [file]);
  assert.deepEqual(repeated(config), [`not including "${file}": already read ([include] files= at ${file}:5)`]);
  assert.deepEqual(
    config.messages.filter((m) => m.kind === 'duplicate'),
    [],
    'nothing was merged twice',
  );
});

test('through another file, or under another name (a symbolic link, ..): read once, each time with a warning', () => {
  const dir = write({
    'supervisord.conf': '[supervisord]\n[include]\nfiles=conf.d/*.conf\n',
    'conf.d/a.conf': '[program:a]\ncommand=/bin/a\n[include]\nfiles=../supervisord.conf ../conf.d/a.conf\n',
  });
  symlinkSync('a.conf', path.join(dir, 'conf.d', 'b.conf'));
  const config = load(dir);
  const [main, a] = [path.join(dir, 'supervisord.conf'), path.join(dir, 'conf.d', 'a.conf')];
  assert.deepEqual(config.files, [main, a]);
  assert.deepEqual(repeated(config), [
    `not including "${dir}/conf.d/../supervisord.conf": already read ([include] files= at ${a}:4)`,
    `not including "${dir}/conf.d/../conf.d/a.conf": already read ([include] files= at ${a}:4)`,
    `not including "${dir}/conf.d/b.conf": already read as "${a}" ([include] files= at ${main}:3)`,
  ]);
  assert.deepEqual(
    config.groups.map((g) => g.name),
    ['a'],
  );
});

test('a directory, a broken link or a FIFO matched by an [include] glob is an error naming it and the [include] line', () => {
  const dir = write({
    'supervisord.conf': '[supervisord]\n\n[include]\nfiles=conf.d/*\n',
    'conf.d/a.conf': '[program:a]\ncommand=/bin/a\n',
  });
  const file = path.join(dir, 'supervisord.conf');
  const refused = (name: string, why: string) => ({
    name: 'ConfigError',
    message: `could not read config file ${dir}/conf.d/${name}: ${why} ([include] files= at ${file}:4)`,
  });
  mkdirSync(path.join(dir, 'conf.d', 'b.d'));
  assert.throws(() => load(dir), refused('b.d', 'is a directory'));
  rmSync(path.join(dir, 'conf.d', 'b.d'), { recursive: true });
  symlinkSync('nowhere.conf', path.join(dir, 'conf.d', 'c.conf'));
  assert.throws(() => load(dir), refused('c.conf', 'no such file'));
  rmSync(path.join(dir, 'conf.d', 'c.conf'));
  execFileSync('mkfifo', [path.join(dir, 'conf.d', 'd.fifo')]);
  assert.throws(() => load(dir), refused('d.fifo', 'not a regular file'));
  rmSync(path.join(dir, 'conf.d', 'd.fifo'));
  assert.deepEqual(
    load(dir).groups.map((g) => g.name),
    ['a'],
  );
});

test('bytes that are not UTF-8, in the main file or an included one: an error naming the file and line', () => {
  const latin1 = (text: string) => Buffer.from(text, 'latin1');
  const dir = write({
    'main.conf': latin1('[supervisord]\n[program:a]\ncommand=/bin/echo caf\xe9\n'),
    'supervisord.conf': '[supervisord]\n[include]\nfiles=inc.conf\n',
    'inc.conf': latin1('[program:b]\n\ncommand=/bin/echo \xe0 la carte\n'),
  });
  assert.throws(() => load(dir, 'main.conf'), {
    message: `'utf-8' codec can't decode byte 0xe9 in position 47: invalid continuation byte (at ${dir}/main.conf:3)`,
  });
  assert.throws(() => load(dir), {
    message: `'utf-8' codec can't decode byte 0xe0 in position 31: invalid continuation byte (at ${dir}/inc.conf:3)`,
  });
});

test('no [supervisord] section: the error names the main file and counts the files it includes', () => {
  const dir = write({ 'supervisord.conf': '[include]\nfiles=a.conf b.conf\n', 'a.conf': '[program:a]\ncommand=/bin/a\n', 'b.conf': '' });
  assert.throws(() => load(dir), {
    message: `.ini file does not include supervisord section (in ${dir}/supervisord.conf or the 2 files it includes)`,
  });
  writeFileSync(path.join(dir, 'supervisord.conf'), '[include]\nfiles=a.conf\n');
  assert.throws(() => load(dir), {
    message: `.ini file does not include supervisord section (in ${dir}/supervisord.conf or the file it includes)`,
  });
});
