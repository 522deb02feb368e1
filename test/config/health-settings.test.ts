// readiness=, liveness= and the restart policy (our extensions) in the loader: the settings a
// check cannot work with are refused with the key and line, and the example configurations
// load as documented.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/load.js';
import type { Config, ProcessConfig } from '../../config/types.js';
import { repoRoot } from '../paths.js';

const env = { HOME: '/root' };

const tempDirs: string[] = [];
after(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function load(text: string): Config {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'config-health-'));
  tempDirs.push(dir);
  writeFileSync(path.join(dir, 'supervisord.conf'), text);
  return loadConfig('supervisord.conf', { env, cwd: dir });
}

const processes = (c: Config): Record<string, ProcessConfig> =>
  Object.fromEntries(c.groups.flatMap((g) => g.processes).map((p) => [p.name, p]));

test('a zero interval, timeout or failure count is refused, naming the key and its line', () => {
  const cases: Array<[string, string]> = [
    ['readiness=notify\nreadiness_timeout=0', 'readiness_timeout'],
    ['readiness=tcp://127.0.0.1:80\nreadiness_interval=0.0', 'readiness_interval'],
    ['liveness=tcp://127.0.0.1:80\nliveness_interval=0', 'liveness_interval'],
    ['liveness=tcp://127.0.0.1:80\nliveness_failures=0', 'liveness_failures'],
    ['liveness=tcp://127.0.0.1:80\nliveness_failures=-2', 'liveness_failures'],
    ['liveness=watchdog\nliveness_timeout=0', 'liveness_timeout'],
  ];
  for (const [keys, key] of cases) {
    const value = /=(\S+)$/.exec(keys)![1]!;
    assert.throws(() => load(`[supervisord]\n[program:a]\ncommand=x\n${keys}\n`), {
      message: new RegExp(
        `^${key} must be more than 0, got '${value}' in section 'program:a' \\(file: 'supervisord\\.conf'\\) \\(\\[program:a\\] ${key}= at /.*/supervisord\\.conf:5\\)$`,
      ),
    });
  }
  // Without a check they are not read.
  assert.equal(processes(load('[supervisord]\n[program:a]\ncommand=x\nliveness_failures=0\n'))['a']!.liveness, null);
});

test('stderr: readiness with redirect_stderr=true is refused: the lines arrive on stdout', () => {
  assert.throws(() => load('[supervisord]\n[program:a]\ncommand=x\nredirect_stderr=true\nreadiness=stderr:^ready\n'), {
    message:
      /^readiness=stderr:\^ready cannot see stderr with redirect_stderr=true: use stdout:\^ready in section 'program:a' \(file: 'supervisord\.conf'\) \(\[program:a\] readiness= at \/.*\/supervisord\.conf:5\)$/,
  });
  assert.equal(
    processes(load('[supervisord]\n[program:a]\ncommand=x\nredirect_stderr=true\nreadiness=stdout:^ready\n'))['a']!.readiness?.check.kind,
    'output',
  );
});

test('the examples in examples/readiness, examples/liveness and examples/restart-policy load cleanly', () => {
  const example = (name: string) => loadConfig(path.join(repoRoot, 'examples', name, 'supervisord.conf'), { env });
  const readiness = example('readiness');
  assert.deepEqual(
    Object.values(processes(readiness)).map((p) => [p.name, p.readiness?.check.spec]),
    [
      ['exec-checked', `exec:python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:18484/health')"`],
      ['http-server', 'http://127.0.0.1:18482/health'],
      ['log-watcher', 'stdout:^listening on'],
      ['notify-worker', 'notify'],
      ['tcp-server', 'tcp://127.0.0.1:18481'],
    ],
  );
  const liveness = processes(example('liveness'));
  assert.deepEqual(liveness['hangs-later']!.liveness, {
    check: { kind: 'http', url: 'http://127.0.0.1:18491/health', spec: 'http://127.0.0.1:18491/health' },
    interval: 5,
    failures: 3,
    timeout: 30,
  });
  assert.equal(liveness['watchdog-worker']!.liveness?.timeout, 5);
  const policy = processes(example('restart-policy'));
  assert.deepEqual(
    ['needs-database', 'gives-up'].map((name) => [policy[name]!.startretries, policy[name]!.backoff, policy[name]!.backoffMax]),
    [
      [Infinity, 'exponential', 30],
      [10, 'linear', 3],
    ],
  );
  for (const config of [readiness, example('liveness'), example('restart-policy')]) {
    assert.deepEqual(
      config.messages.filter((m) => m.level === 'warn'),
      [],
    );
  }
});
