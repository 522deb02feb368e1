// depends_on= (ours): names resolved to processes across sections, :completed, and the errors
// for a name that names nothing and for a cycle, with file, line and section.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/load.js';
import type { Config } from '../../config/types.js';
import { repoRoot } from '../paths.js';

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function load(text: string): { config: () => Config; file: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'config-deps-'));
  dirs.push(dir);
  const file = path.join(dir, 'supervisord.conf');
  writeFileSync(file, `[supervisord]\n${text}`);
  return { config: () => loadConfig(file, { env: { HOME: '/root' }, cwd: dir }), file };
}

const dependsOn = (config: Config, group: string, index = 0) => config.groups.find((g) => g.name === group)!.processes[index]!.dependsOn;

test('program names, group:name, :completed; every process of a program with numprocs', () => {
  const { config } = load(
    [
      '[program:web]',
      'command=/bin/cat',
      'depends_on=api, migrate:completed, g:db',
      '[program:api]',
      'command=/bin/cat',
      'numprocs=2',
      'process_name=api_%(process_num)s',
      '[program:migrate]',
      'command=/bin/true',
      '[group:g]',
      'programs=db',
      '[program:db]',
      'command=/bin/cat',
      '',
    ].join('\n'),
  );
  const c = config();
  assert.deepEqual(dependsOn(c, 'web'), [
    { group: 'api', name: 'api_0', completed: false },
    { group: 'api', name: 'api_1', completed: false },
    { group: 'migrate', name: 'migrate', completed: true },
    { group: 'g', name: 'db', completed: false },
  ]);
  assert.deepEqual(dependsOn(c, 'api'), [], 'none by default');
});

test('a name that is no program is an error naming the file, line and section', () => {
  const { config, file } = load('[program:web]\ncommand=/bin/cat\ndepends_on=nope\n');
  assert.throws(config, { message: `depends_on names nope, which is no program ([program:web] depends_on= at ${file}:4)` });
});

test('a cycle is an error that names it', () => {
  const { config, file } = load(
    ['[program:web]', 'command=/bin/cat', 'depends_on=api', '[program:api]', 'command=/bin/cat', 'depends_on=web', ''].join('\n'),
  );
  assert.throws(config, { message: `dependency cycle api -> web -> api ([program:api] depends_on= at ${file}:7)` });
  const self = load('[program:web]\ncommand=/bin/cat\ndepends_on=web\n');
  assert.throws(self.config, { message: `dependency cycle web -> web ([program:web] depends_on= at ${self.file}:4)` });
});

test('the example in examples/dependencies loads cleanly', () => {
  const c = loadConfig(path.join(repoRoot, 'examples', 'dependencies', 'supervisord.conf'), { env: { HOME: '/root' } });
  assert.deepEqual(dependsOn(c, 'web'), [{ group: 'api', name: 'api', completed: false }]);
  assert.deepEqual(
    c.messages.filter((m) => m.level === 'warn'),
    [],
  );
});
