// The loader's warnings about keys and sections the table does not know (the reference ignores
// them silently): file and line, a suggestion when a known name is close, and silence for what
// the reference does use or hands on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/load.js';
import { SAMPLE_CONFIG, sampleValue } from '../../config/sample.js';
import { SECTIONS } from '../../config/schema/sections.js';
import type { Config } from '../../config/types.js';

const env = { HOME: '/root', LANG: 'C.UTF-8' };

/** Loads `files` (the first is the main one) from a fresh directory, which is removed afterwards. */
function load(files: Record<string, string>, check: (config: Config, dir: string) => void): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'config-names-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    check(loadConfig(Object.keys(files)[0]!, { env, cwd: dir }), dir);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  rmSync(dir, { recursive: true, force: true });
}

const unknownNames = (config: Config): string[] => config.messages.filter((m) => m.kind === 'unknown-name').map((m) => m.text);

test('unknown keys and sections: file, line and the closest known name', () => {
  const main = [
    '[supervisord]', // 1
    'nodaemn=true',
    '[supervisor]',
    'x=1',
    '[progam:x]', // 5
    'command=sleep 1',
    '[program:x]',
    'command=sleep 100',
    'autostrat=false',
    'stdout_logfile_maxbyte=1KB', // 10
    'frobnicate=1',
    '[inet_http_sever]',
    'port=9001',
    '[program]',
    'command=x', // 15
    '[include]',
    'files=conf.d/*.conf',
    '',
  ].join('\n');
  const included = '[group:g]\nprograms=x\npriorty=5\n';
  load({ 'supervisord.conf': main, 'conf.d/g.conf': included }, (config, dir) => {
    const file = path.join(dir, 'supervisord.conf');
    assert.deepEqual(unknownNames(config), [
      `unknown key 'nodaemn' in [supervisord] (${file}:2); did you mean 'nodaemon'?`,
      `unknown section [supervisor] (${file}:3); did you mean [supervisord]?`,
      `unknown section [progam:x] (${file}:5); did you mean [program:x]?`,
      `unknown key 'autostrat' in [program:x] (${file}:9); did you mean 'autostart'?`,
      `unknown key 'stdout_logfile_maxbyte' in [program:x] (${file}:10); did you mean 'stdout_logfile_maxbytes'?`,
      `unknown key 'frobnicate' in [program:x] (${file}:11)`,
      `unknown section [inet_http_sever] (${file}:12); did you mean [inet_http_server]?`,
      `unknown section [program] (${file}:14); did you mean [program:NAME]?`,
      `unknown key 'priorty' in [group:g] (${path.join(dir, 'conf.d/g.conf')}:3); did you mean 'priority'?`,
    ]);
    assert.ok(config.messages.every((m) => m.kind === undefined || m.level === 'warn'));
    // The typo has no effect, as with the reference.
    assert.equal(config.groups.find((g) => g.name === 'g')!.processes[0]!.autostart, true);
  });
});

test('a header that lost its "[" reads as a key, and is named as such', () => {
  load({ 'supervisord.conf': '[supervisord]\n[program:a]\ncommand=a\nprogram:b]\ncommand=b\n' }, (config, dir) => {
    assert.deepEqual(unknownNames(config), [
      `unknown key 'program' in [program:a] (${path.join(dir, 'supervisord.conf')}:4); is it a section header without its '['?`,
    ]);
  });
});

test('no warning for [DEFAULT] keys, plug-in options, [ctlplugin:x], or the servers the reference finds by prefix', () => {
  const main =
    '[DEFAULT]\nfoo=%(here)s\nstartsecs=0\n[supervisord]\n[program:a]\ncommand=a\n' +
    '[rpcinterface:custom]\nsupervisor.rpcinterface_factory=custom.js:make\nretries=3\n' +
    '[ctlplugin:mine]\nsupervisor.ctl_factory=mine:make\ncolour=blue\n' +
    '[unix_http_server_second]\nfile=/tmp/second.sock\n' +
    '[include]\nfiles=none/*.conf\n';
  load({ 'supervisord.conf': main }, (config) => {
    assert.deepEqual(unknownNames(config), []);
  });
});

test('no warning for the sample, nor for a config that sets every key of every section kind', () => {
  load({ 'supervisord.conf': SAMPLE_CONFIG }, (config) => assert.deepEqual(config.messages, []));
  // The sample's values, but ones that load on this machine.
  const valid: Record<string, string> = {
    user: 'root',
    chown: 'root:root',
    stdout_logfile: '%(here)s/out.log',
    stderr_logfile: '%(here)s/err.log',
    programs: 'theprogramname',
    depends_on: '',
  };
  const text = SECTIONS.flatMap((section) => {
    if (section.sample === undefined) return [];
    const keys = Object.entries(section.keys).map(([key, spec]) => `${key}=${valid[key] ?? sampleValue(spec)}\n`);
    return [`[${section.sample.header}]\n${keys.join('')}`];
  });
  load({ 'supervisord.conf': text.join('') }, (config) => {
    assert.deepEqual(unknownNames(config), []);
    assert.deepEqual(
      config.groups.map((g) => g.name),
      ['theeventlistenername', 'thegroupname'],
    );
  });
});

test('options for the built-in rpc interface factory: refused with an HTTP server (as the reference does), else a warning', () => {
  const rpc = '[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\nprogram:x]\n';
  const server = '[inet_http_server]\nport=127.0.0.1:9001\n';
  load({ 'supervisord.conf': `[supervisord]\n${rpc}` }, (config, dir) => {
    assert.deepEqual(unknownNames(config), [
      `unknown key 'program' in [rpcinterface:supervisor] (${path.join(dir, 'supervisord.conf')}:4); is it a section header without its '['?`,
    ]);
  });
  assert.throws(() => load({ 'supervisord.conf': `[supervisord]\n${server}${rpc}` }, () => undefined), {
    name: 'ConfigError',
    message:
      /^Could not make supervisor rpc interface: unknown key 'program' in \[rpcinterface:supervisor\] \(.*\/supervisord\.conf:6\); is it/,
  });
  // [DEFAULT]'s keys, which the reference would pass on too, are not held against it.
  load({ 'supervisord.conf': `[DEFAULT]\nstartsecs=0\n[supervisord]\n${server}${rpc.replace('program:x]\n', '')}` }, (config) => {
    assert.deepEqual(config.rpcInterfaces[0]!.options, { startsecs: '0' });
  });
});
