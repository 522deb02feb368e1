// *_logfile_format=, *_logfile_rotate= and [supervisord] logfile_rotate= (our extensions) in the
// loader: their values, their defaults (the reference's behaviour), bad values refused with the
// key and line, and the example configuration.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sameGroupConfig } from '../../config/compare.js';
import { loadConfig } from '../../config/load.js';
import type { Config, ProcessConfig } from '../../config/types.js';
import { repoRoot } from '../paths.js';

const tempDirs: string[] = [];
after(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function load(text: string): Config {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'config-logs-'));
  tempDirs.push(dir);
  writeFileSync(path.join(dir, 'supervisord.conf'), text);
  return loadConfig('supervisord.conf', { env: { HOME: '/root' }, cwd: dir });
}

const processes = (c: Config): Record<string, ProcessConfig> =>
  Object.fromEntries(c.groups.flatMap((g) => g.processes).map((p) => [p.name, p]));

test('formats and rotation periods per channel; raw and no rotation by default', () => {
  const c = load(`[supervisord]
logfile_rotate = Daily
[program:a]
command=x
stdout_logfile_format=timestamped
stdout_logfile_rotate=hourly
stderr_logfile_format= JSON
[program:b]
command=x
`);
  assert.equal(c.supervisord.logfileRotate, 'daily');
  const { a, b } = processes(c);
  assert.deepEqual([a!.stdout.format, a!.stdout.rotate, a!.stderr.format, a!.stderr.rotate], ['timestamped', 'hourly', 'json', null]);
  assert.deepEqual([b!.stdout.format, b!.stdout.rotate, b!.stderr.format, b!.stderr.rotate], ['raw', null, 'raw', null]);
  assert.equal(load('[supervisord]\n').supervisord.logfileRotate, null);
});

test('a value that is no format or period is refused, naming the key and its line', () => {
  assert.throws(() => load('[supervisord]\n[program:a]\ncommand=x\nstdout_logfile_format=xml\n'), {
    message:
      /^invalid log format 'xml': expected raw, timestamped or json in section 'program:a' \(file: 'supervisord\.conf'\) \(\[program:a\] stdout_logfile_format= at \/.*\/supervisord\.conf:4\)$/,
  });
  assert.throws(() => load('[supervisord]\n[program:a]\ncommand=x\nstderr_logfile_rotate=weekly\n'), {
    message: /^invalid log rotation 'weekly': expected hourly or daily in section 'program:a' .*stderr_logfile_rotate= at .*:4\)$/,
  });
  assert.throws(() => load('[supervisord]\nlogfile_rotate=1h\n'), {
    message: /^invalid log rotation '1h': expected hourly or daily \(\[supervisord\] logfile_rotate= at \/.*\/supervisord\.conf:2\)$/,
  });
});

test('an [eventlistener:x] takes them too, and a changed format makes the program changed for reread', () => {
  const listener = (format: string) =>
    load(`[supervisord]\n[eventlistener:l]\ncommand=x\nevents=TICK_5\nstdout_logfile_format=${format}\n`);
  assert.equal(processes(listener('json'))['l']!.stdout.format, 'json');
  assert.equal(sameGroupConfig(listener('json').groups[0]!, listener('json').groups[0]!), true);
  assert.equal(sameGroupConfig(listener('json').groups[0]!, listener('timestamped').groups[0]!), false);
});

test('examples/log-formats loads as documented', () => {
  const dir = path.join(repoRoot, 'examples', 'log-formats');
  const text = readFileSync(path.join(dir, 'supervisord.conf'), 'utf8');
  const c = load(text);
  assert.equal(c.supervisord.logfileRotate, 'daily');
  const { web, worker, asks } = processes(c);
  assert.deepEqual(
    [web!.stdout.format, web!.stdout.rotate, web!.stdout.maxbytes, web!.stdout.backups],
    ['timestamped', 'hourly', 10 * 1024 * 1024, 24],
  );
  assert.deepEqual([worker!.stdout.format, worker!.stderr.format, worker!.stderr.rotate], ['json', 'json', 'daily']);
  assert.deepEqual([asks!.stdout.format, asks!.stdout.rotate], ['timestamped', null]);
  assert.deepEqual(
    c.messages.filter((m) => m.kind === 'unknown-name'),
    [],
  );
});
