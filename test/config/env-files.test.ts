// env_file= (our extension) in the loader: the list and its optional marks, relative paths,
// expansion of the key's value, [supervisord] and [eventlistener:x], and the errors it refuses.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sameGroupConfig } from '../../config/compare.js';
import { envFiles } from '../../config/datatypes.js';
import { loadConfig } from '../../config/load.js';
import type { Config } from '../../config/types.js';
import { repoRoot } from '../paths.js';

const env = { HOME: '/root', STAGE: 'prod' };

const tempDirs: string[] = [];
after(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** Writes `files` (the main one is supervisord.conf) into a fresh directory and loads them. */
function load(text: string, files: Record<string, string> = {}): Config & { dir: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'config-env-file-'));
  tempDirs.push(dir);
  for (const [name, content] of Object.entries({ 'supervisord.conf': text, ...files })) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return { ...loadConfig('supervisord.conf', { env, cwd: dir }), dir };
}

const processes = (c: Config) => c.groups.flatMap((g) => g.processes);

test('the datatype: comma separated, a leading - marks a file optional, blanks stripped, empty items skipped', () => {
  assert.deepEqual(envFiles('/etc/app.env, -/etc/app.local.env'), [
    { path: '/etc/app.env', optional: false },
    { path: '/etc/app.local.env', optional: true },
  ]);
  assert.deepEqual(envFiles(' - /a.env ,,/b.env,'), [
    { path: '/a.env', optional: true },
    { path: '/b.env', optional: false },
  ]);
  assert.deepEqual(envFiles(''), []);
  assert.throws(() => envFiles('/a.env, -'), { code: 'CONFIG', message: "missing file name after '-': '/a.env, -'" });
});

test('[program:x] env_file=: absent is none; relative paths are against the directory of the file the key is in', () => {
  const c = load(
    '[supervisord]\n[program:none]\ncommand=x\n[program:a]\ncommand=x\nenv_file=/etc/app.env, -local.env\n' +
      '[include]\nfiles=conf.d/*.conf\n',
    { 'conf.d/b.conf': '[program:b]\ncommand=x\nenv_file=b.env,-../shared.env\n' },
  );
  assert.deepEqual(
    processes(c).map((p) => [p.name, p.envFiles]),
    [
      [
        'a',
        [
          { path: '/etc/app.env', optional: false },
          { path: path.join(c.dir, 'local.env'), optional: true },
        ],
      ],
      [
        'b',
        [
          { path: path.join(c.dir, 'conf.d', 'b.env'), optional: false },
          { path: path.join(c.dir, 'shared.env'), optional: true },
        ],
      ],
      ['none', []],
    ],
  );
  // Supervisor ignores the key; ours knows it, so there is no unknown-key warning.
  assert.deepEqual(
    c.messages.filter((m) => m.level === 'warn'),
    [],
  );
});

test("env_file='s value is expanded as other keys are: here, program name and number, ENV_ names, the program's environment=", () => {
  const c = load(
    '[supervisord]\n[program:web]\ncommand=x\nnumprocs=2\nprocess_name=%(program_name)s_%(process_num)s\n' +
      'environment=APP=shop\nenv_file=%(here)s/%(ENV_STAGE)s.env,-/etc/%(ENV_APP)s/%(program_name)s_%(process_num)s.env\n',
  );
  assert.deepEqual(
    processes(c).map((p) => p.envFiles.map((f) => f.path)),
    [
      [path.join(c.dir, 'prod.env'), '/etc/shop/web_0.env'],
      [path.join(c.dir, 'prod.env'), '/etc/shop/web_1.env'],
    ],
  );
});

test('[supervisord] env_file= and [eventlistener:x] env_file=', () => {
  const c = load(
    '[supervisord]\nenvironment=ROOT=/srv\nenv_file=%(ENV_ROOT)s/all.env,-daemon.local.env\n' +
      '[eventlistener:l]\ncommand=x\nevents=TICK_5\nenv_file=-%(program_name)s.env\n',
  );
  assert.deepEqual(c.supervisord.envFiles, [
    { path: '/srv/all.env', optional: false },
    { path: path.join(c.dir, 'daemon.local.env'), optional: true },
  ]);
  assert.deepEqual(processes(c)[0]!.envFiles, [{ path: path.join(c.dir, 'l.env'), optional: true }]);
});

test('a bad env_file= is a config error naming the section, the key and its line', () => {
  const c = () => load('[supervisord]\n[program:a]\ncommand=x\nenv_file=a.env,-\n');
  assert.throws(c, {
    message:
      /^missing file name after '-': 'a\.env,-' in section 'program:a' \(file: 'supervisord\.conf'\) \(\[program:a\] env_file= at \/.*\/supervisord\.conf:4\)$/,
  });
  assert.throws(() => load('[supervisord]\nenv_file=-\n'), {
    message: /^missing file name after '-': '-' \(\[supervisord\] env_file= at .*:2\)$/,
  });
  assert.throws(() => load('[supervisord]\n[program:a]\ncommand=x\nenv_file=%(nope)s\n'), {
    message: /^Format string '%\(nope\)s' for 'program:a\.env_file' contains names/,
  });
});

test('a reread sees a changed env_file= as a changed group', () => {
  const before = load('[supervisord]\n[program:a]\ncommand=x\nenv_file=/a.env\n').groups[0]!;
  const same = load('[supervisord]\n[program:a]\ncommand=x\nenv_file=/a.env\n').groups[0]!;
  const changed = load('[supervisord]\n[program:a]\ncommand=x\nenv_file=-/a.env\n').groups[0]!;
  assert.equal(sameGroupConfig(before, same), true);
  assert.equal(sameGroupConfig(before, changed), false);
});

test('the example in examples/env-file loads cleanly', () => {
  const dir = path.join(repoRoot, 'examples', 'env-file');
  const c = loadConfig(path.join(dir, 'supervisord.conf'), { env });
  assert.deepEqual(c.supervisord.envFiles, [{ path: path.join(dir, 'common.env'), optional: false }]);
  assert.deepEqual(processes(c)[0]!.envFiles, [
    { path: path.join(dir, 'app.env'), optional: false },
    { path: path.join(dir, 'app.local.env'), optional: true },
  ]);
  assert.deepEqual(
    c.messages.filter((m) => m.level === 'warn'),
    [],
  );
});
