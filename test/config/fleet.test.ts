// [supervisorctl:NAME] sections (ours), as supervisord reads them for the web UI (supervisorctl
// reads them with the same function): expansions, defaults, the errors that name their place,
// and the sections of included files, which are not read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/load.js';
import type { Config } from '../../config/types.js';

const env = { HOME: '/root', LANG: 'C.UTF-8', WEB_PASSWORD: 's3cret' };

function load(files: Record<string, string>, check: (config: Config, dir: string) => void): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'config-fleet-'));
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

const warnings = (config: Config): string[] => config.messages.filter((m) => m.kind !== undefined).map((m) => m.text);

test('hosts by name, expanded, with their credentials and timeout; no warning about the sections', () => {
  const main = [
    '[supervisord]',
    '[supervisorctl:web2]',
    'serverurl=http://127.0.0.1:9002',
    'username=admin',
    'password=%(ENV_WEB_PASSWORD)s',
    'timeout=2.5',
    '[supervisorctl:api]',
    'serverurl=unix://%(here)s/api.sock',
    '',
  ].join('\n');
  load({ 'supervisord.conf': main }, (config, dir) => {
    assert.deepEqual(config.fleet, [
      { name: 'api', serverurl: `unix://${path.join(dir, 'api.sock')}`, username: null, password: null, timeoutMs: 10_000 },
      { name: 'web2', serverurl: 'http://127.0.0.1:9002', username: 'admin', password: 's3cret', timeoutMs: 2500 },
    ]);
    assert.deepEqual(warnings(config), []);
  });
  load({ 'supervisord.conf': '[supervisord]\n' }, (config) => assert.deepEqual(config.fleet, []));
});

test('a bad section stops the start naming it', () => {
  const refused = (section: string, message: RegExp): void => {
    assert.throws(() => load({ 'supervisord.conf': `[supervisord]\n${section}` }, () => undefined), { name: 'ConfigError', message });
  };
  refused('[supervisorctl:a]\nusername=x\n', /^no serverurl= for host 'a' \(\[supervisorctl:a\] at .*supervisord\.conf:2\)$/);
  refused(
    '[supervisorctl:a]\nserverurl=https://x\n',
    /^serverurl 'https:\/\/x' is not http:\/\/host:port or unix:\/\/\/path \(\[supervisorctl:a\] serverurl= at .*supervisord\.conf:3\)$/,
  );
  refused('[supervisorctl:a]\nserverurl=http://x\ntimeout=0\n', /^timeout must be more than 0 \(\[supervisorctl:a\] timeout= at .*:4\)$/);
  refused(
    '[supervisorctl:a]\nserverurl=http://x\ntimeout=soon\n',
    /^not a number of seconds: 'soon' \(\[supervisorctl:a\] timeout= at .*:4\)$/,
  );
  refused('[supervisorctl:all]\nserverurl=http://x\n', /^invalid host name 'all'.* \(\[supervisorctl:all\] at .*:2\)$/);
  refused('[supervisorctl:a:b]\nserverurl=http://x\n', /^invalid host name 'a:b'/);
  refused('[supervisorctl:]\nserverurl=http://x\n', /^invalid host name ''/);
});

test('an unknown key is a warning; a section in an included file is not read, and says so', () => {
  const main = '[supervisord]\n[include]\nfiles=conf.d/*.conf\n[supervisorctl:a]\nserverurl=http://x\nprompt=a>\n';
  load({ 'supervisord.conf': main, 'conf.d/more.conf': '[supervisorctl:b]\nserverurl=http://y\n' }, (config, dir) => {
    assert.deepEqual(
      config.fleet.map((h) => h.name),
      ['a'],
    );
    assert.deepEqual(warnings(config), [
      `[supervisorctl:b] (${path.join(dir, 'conf.d/more.conf')}:1) is not read: [supervisorctl:NAME] sections count in the main file only`,
      `unknown key 'prompt' in [supervisorctl:a] (${path.join(dir, 'supervisord.conf')}:6)`,
    ]);
  });
});
