import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { autoChildLogPattern, createAutoChildLog, removeStaleAutoChildLogs } from '../../../actors/logs/auto-child-log.js';

const tempDirs: string[] = [];
after(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logs-auto-'));
  tempDirs.push(dir);
  return dir;
}

class WarningLog {
  readonly warnings: string[] = [];
  warn(message: string): void {
    this.warnings.push(message);
  }
}

test('AUTO log names: <name>-<channel>---<identifier>-<8 of [a-z0-9_]>.log, created empty with mode 0600', () => {
  const dir = tempDir();
  const first = createAutoChildLog(dir, 'cat', 'stdout', 'supervisor');
  const second = createAutoChildLog(dir, 'cat', 'stdout', 'supervisor');
  assert.notEqual(first, second);
  for (const file of [first, second]) {
    assert.equal(path.dirname(file), dir);
    assert.match(path.basename(file), /^cat-stdout---supervisor-[a-z0-9_]{8}\.log$/);
    const stats = fs.statSync(file);
    assert.equal(stats.size, 0);
    assert.equal(stats.mode & 0o777, 0o600);
  }
  assert.match(path.basename(createAutoChildLog(dir, 'web_01', 'stderr', 'prod')), /^web_01-stderr---prod-[a-z0-9_]{8}\.log$/);
});

test('startup cleanup removes exactly what the reference removed', () => {
  const dir = tempDir();
  // The same names were put in a childlogdir before starting supervisord 4.2.5.
  const removed = [
    'foo-stdout---supervisor-abc.log',
    'foo-stdout---supervisor-abc.log.3',
    'x---supervisor-a.log.12345',
    'y---supervisor-a.logZ',
  ];
  const kept = ['foo-stdout---other-abc.log', 'keep.txt', '---supervisor-a.log', 'foo---supervisor-.log'];
  for (const name of [...removed, ...kept]) fs.writeFileSync(path.join(dir, name), '');
  const log = new WarningLog();
  removeStaleAutoChildLogs(dir, 'supervisor', log);
  assert.deepEqual(fs.readdirSync(dir).sort(), [...kept].sort());
  assert.deepEqual(log.warnings, []);
});

test('cleanup warns when the directory cannot be listed or a file cannot be removed', () => {
  const dir = tempDir();
  const log = new WarningLog();
  removeStaleAutoChildLogs(path.join(dir, 'missing'), 'supervisor', log);
  fs.mkdirSync(path.join(dir, 'd---supervisor-x.log'));
  removeStaleAutoChildLogs(dir, 'supervisor', log);
  assert.deepEqual(log.warnings, ['Could not clear childlog dir', `Failed to clean up '${path.join(dir, 'd---supervisor-x.log')}'`]);
});

test('the identifier is a regular expression, as in the reference; an invalid one is matched literally', () => {
  assert.ok(autoChildLogPattern('a.b').test('p-stdout---aXb-12345678.log'));
  assert.ok(autoChildLogPattern('a(b').test('p-stdout---a(b-12345678.log'));
  assert.ok(!autoChildLogPattern('a(b').test('p-stdout---ab-12345678.log'));
});
