// Sections and keys given twice still load, merged as the reference merges them (the later keys
// win), with a warning naming both places and the section.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/load.js';
import type { Config } from '../../config/types.js';

const env = { HOME: '/root', LANG: 'C.UTF-8' };

/** Loads `files` (the first is the main one) from a fresh directory, which is removed afterwards. */
function load(files: Record<string, string>, check: (config: Config, dir: string) => void): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'config-dup-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    check(loadConfig(Object.keys(files)[0]!, { env, cwd: dir }), dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const duplicates = (config: Config): string[] => config.messages.filter((m) => m.kind === 'duplicate').map((m) => m.text);
const command = (config: Config, group: string): string | undefined => config.groups.find((g) => g.name === group)?.processes[0]?.command;

test('a section given again, in the same file or another: merged, the later keys win, a warning names both places', () => {
  const main = [
    '[supervisord]', // 1
    '[program:dup]',
    'command=/bin/first',
    'autostart=false',
    '[program:other]', // 5
    'command=/bin/other',
    '[program:dup]',
    'command=/bin/second',
    '[include]',
    'files=conf.d/*.conf', // 10
    '',
  ].join('\n');
  load({ 'supervisord.conf': main, 'conf.d/more.conf': '[program:dup]\ncommand=/bin/third\n' }, (config, dir) => {
    const file = path.join(dir, 'supervisord.conf');
    assert.equal(command(config, 'dup'), '/bin/third');
    assert.equal(config.groups.find((g) => g.name === 'dup')?.processes[0]?.autostart, false, 'keys of the first section stay');
    assert.deepEqual(duplicates(config), [
      `duplicate section [program:dup] (${file}:7; first at ${file}:2): merged, the later keys win`,
      `duplicate section [program:dup] (${dir}/conf.d/more.conf:1; first at ${file}:2): merged, the later keys win`,
    ]);
    assert.ok(
      config.messages.every((m) => m.kind === undefined || m.level === 'warn'),
      'our warnings are warnings',
    );
  });
});

test('a key given twice in one section, [DEFAULT] included: the later value wins, a warning names both lines', () => {
  const main =
    '[DEFAULT]\nstartsecs=1\nstartsecs=2\n[supervisord]\n[program:a]\ncommand=/bin/first\nautostart=false\ncommand=/bin/second\n';
  load({ 'supervisord.conf': main }, (config, dir) => {
    const file = path.join(dir, 'supervisord.conf');
    assert.equal(command(config, 'a'), '/bin/second');
    assert.equal(config.groups[0]?.processes[0]?.startsecs, 2);
    assert.deepEqual(duplicates(config), [
      `duplicate key 'startsecs' in [DEFAULT] (${file}:3; first at ${file}:2): the later value wins`,
      `duplicate key 'command' in [program:a] (${file}:8; first at ${file}:6): the later value wins`,
    ]);
  });
});

test("an included file's own [include] is no duplicate; [include] twice in one file is", () => {
  const files = {
    'supervisord.conf': '[supervisord]\n[include]\nfiles=a.conf\n[include]\nfiles=a.conf\n',
    'a.conf': '[program:a]\ncommand=/bin/a\n[include]\nfiles=b.conf\n',
    'b.conf': '[program:b]\ncommand=/bin/b\n',
  };
  load(files, (config, dir) => {
    const file = path.join(dir, 'supervisord.conf');
    assert.deepEqual(
      config.groups.map((g) => g.name),
      ['a', 'b'],
    );
    assert.deepEqual(duplicates(config), [`duplicate section [include] (${file}:4; first at ${file}:2): merged, the later keys win`]);
  });
});

test('a key in a section given again is no duplicate key: the section warning says the later keys win', () => {
  load({ 'supervisord.conf': '[supervisord]\n[program:a]\ncommand=/bin/a\n[program:a]\ncommand=/bin/b\n' }, (config, dir) => {
    const file = path.join(dir, 'supervisord.conf');
    assert.deepEqual(duplicates(config), [`duplicate section [program:a] (${file}:4; first at ${file}:2): merged, the later keys win`]);
  });
});
