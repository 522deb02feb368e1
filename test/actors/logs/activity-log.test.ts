import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SimulatedClock } from 'xstate';
import { repoRoot } from '../../paths.js';
import { ActivityLog, activityLogTargets } from '../../../actors/logs/activity-log.js';
import { formatActivityLine, formatLogTime } from '../../../actors/logs/activity-line.js';
import { LOG_LEVEL_NUMBERS } from '../../../actors/logs/log-levels.js';
import type { SupervisordConfig } from '../../../config/types.js';

const activityLogModule = pathToFileURL(path.join(repoRoot, 'dist', 'actors', 'logs', 'activity-log.js')).href;

const tempDirs: string[] = [];
after(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logs-activity-'));
  tempDirs.push(dir);
  return dir;
}

/** "2026-11-24 03:55:00,123 INFO spawned: 'x' with pid 123" */
const LINE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (CRIT|ERRO|WARN|INFO|DEBG|TRAC|BLAT) /;

function messagesOf(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      assert.match(line, LINE);
      return line.slice(24);
    });
}

test('line layout: local time, milliseconds after a comma, four-letter level, newline', () => {
  const when = new Date(2026, 10, 24, 3, 55, 0, 7);
  assert.equal(formatLogTime(when), '2026-11-24 03:55:00,007');
  assert.equal(formatActivityLine('info', "spawned: 'x' with pid 123", when), "2026-11-24 03:55:00,007 INFO spawned: 'x' with pid 123\n");
  assert.equal(formatActivityLine('critical', 'c', when).slice(24), 'CRIT c\n');
  assert.equal(formatActivityLine('error', 'e', when).slice(24), 'ERRO e\n');
  assert.equal(formatActivityLine('warn', 'w', when).slice(24), 'WARN w\n');
  assert.equal(formatActivityLine('debug', 'd', when).slice(24), 'DEBG d\n');
  assert.equal(formatActivityLine('trace', 't', when).slice(24), 'TRAC t\n');
  assert.equal(formatActivityLine('blather', 'b', when).slice(24), 'BLAT b\n');
});

test('level numbers are the reference ones', () => {
  assert.deepEqual(LOG_LEVEL_NUMBERS, { critical: 50, error: 40, warn: 30, info: 20, debug: 10, trace: 5, blather: 3 });
});

test('messages below the configured level are dropped; the level can change', () => {
  const dir = tempDir();
  const file = path.join(dir, 'supervisord.log');
  const log = new ActivityLog('warn');
  log.open({ logfile: file, maxBytes: 0, backups: 0, echoToStdout: false });
  log.info('hidden');
  log.warn('shown warn');
  log.error('shown error');
  log.critical('shown critical');
  assert.equal(log.isEnabledFor('info'), false);
  log.level = 'blather';
  assert.equal(log.level, 'blather');
  log.blather('shown blather');
  log.trace('shown trace');
  log.debug('shown debug');
  log.close();
  assert.deepEqual(messagesOf(fs.readFileSync(file, 'utf8')), [
    'WARN shown warn',
    'ERRO shown error',
    'CRIT shown critical',
    'BLAT shown blather',
    'TRAC shown trace',
    'DEBG shown debug',
  ]);
});

test('messages logged before open are written on open, most severe first, filtered by level', () => {
  const dir = tempDir();
  const file = path.join(dir, 'supervisord.log');
  const log = new ActivityLog('info');
  log.info('Increased RLIMIT_NOFILE limit to 1024');
  log.critical('Supervisor is running as root.');
  log.debug('too detailed');
  log.warn('first warning');
  log.warn('second warning');
  log.open({ logfile: file, maxBytes: 0, backups: 0, echoToStdout: false });
  log.info('supervisord started with pid 1');
  log.close();
  assert.deepEqual(messagesOf(fs.readFileSync(file, 'utf8')), [
    'CRIT Supervisor is running as root.',
    'WARN first warning',
    'WARN second warning',
    'INFO Increased RLIMIT_NOFILE limit to 1024',
    'INFO supervisord started with pid 1',
  ]);
});

test('the log file rotates like any rotating file, whole lines at a time', () => {
  const dir = tempDir();
  const file = path.join(dir, 'supervisord.log');
  const log = new ActivityLog('info');
  log.open({ logfile: file, maxBytes: 200, backups: 2, echoToStdout: false });
  for (let i = 0; i < 20; i += 1) log.info(`message number ${i}`);
  log.close();
  const lines = [`${file}.2`, `${file}.1`, file].flatMap((name) => messagesOf(fs.readFileSync(name, 'utf8')));
  assert.deepEqual(lines.at(-1), 'INFO message number 19');
  for (const name of [`${file}.1`, `${file}.2`]) {
    const size = fs.statSync(name).size;
    // Each line is 24 + 5 + 17 or 18 + 1 bytes; a file rotates on the line that reaches 200.
    assert.ok(size >= 200 && size < 250, `${name} has ${size} bytes`);
  }
});

test('logfile_rotate=daily (ours): the log turns over at local midnight, on the clock given', () => {
  const file = path.join(tempDir(), 'supervisord.log');
  const clock = new SimulatedClock();
  const beforeMidnight = new Date(2026, 4, 1, 23, 59, 59).getTime();
  const log = new ActivityLog('info');
  log.open({
    logfile: file,
    maxBytes: 0,
    backups: 3,
    echoToStdout: false,
    rotate: 'daily',
    time: { clock, now: () => beforeMidnight + clock.now() },
  });
  log.info('late on the first');
  clock.increment(1000);
  log.info('early on the second');
  log.close();
  assert.deepEqual(messagesOf(fs.readFileSync(`${file}.1`, 'utf8')), ['INFO late on the first']);
  assert.deepEqual(messagesOf(fs.readFileSync(file, 'utf8')), ['INFO early on the second']);
});

test('reopen writes to a new file after the old one was moved away', () => {
  const dir = tempDir();
  const file = path.join(dir, 'supervisord.log');
  const log = new ActivityLog();
  log.open({ logfile: file, maxBytes: 0, backups: 0, echoToStdout: false });
  log.info('old');
  fs.renameSync(file, `${file}.moved`);
  assert.equal(log.reopen(), true);
  log.info('new');
  log.close();
  assert.deepEqual(messagesOf(fs.readFileSync(`${file}.moved`, 'utf8')), ['INFO old']);
  assert.deepEqual(messagesOf(fs.readFileSync(file, 'utf8')), ['INFO new']);
});

test('an unopenable log file throws, and the startup messages are then written to stderr on close', () => {
  const dir = tempDir();
  const script = `
    import { ActivityLog } from ${JSON.stringify(activityLogModule)};
    const log = new ActivityLog('info');
    log.warn('early warning');
    log.debug('filtered');
    try {
      log.open({ logfile: ${JSON.stringify(path.join(dir, 'missing', 'x.log'))}, maxBytes: 0, backups: 0, echoToStdout: false });
    } catch (error) {
      process.stdout.write(error.code + ' ' + error.cause.code + '\\n');
    }
    log.close();
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, 'LOG_IO ENOENT\n');
  assert.deepEqual(messagesOf(result.stderr), ['WARN early warning']);
});

function configWith(overrides: Partial<SupervisordConfig>): SupervisordConfig {
  return {
    logfile: '/tmp/supervisord.log',
    logfileMaxbytes: 52428800,
    logfileBackups: 10,
    logfileRotate: null,
    loglevel: 'info',
    pidfile: '/tmp/supervisord.pid',
    umask: 0o22,
    nodaemon: false,
    silent: false,
    minfds: 1024,
    minprocs: 200,
    nocleanup: false,
    childlogdir: '/tmp',
    user: null,
    directory: null,
    stripAnsi: false,
    childrenDieWithDaemon: false,
    environment: {},
    envFiles: [],
    identifier: 'supervisor',
    subreaper: false,
    ...overrides,
  };
}

test('targets from [supervisord]: stdout echo only in nodaemon mode without silent', () => {
  assert.deepEqual(activityLogTargets(configWith({})), {
    logfile: '/tmp/supervisord.log',
    maxBytes: 52428800,
    backups: 10,
    rotate: null,
    echoToStdout: false,
  });
  assert.equal(activityLogTargets(configWith({ logfileRotate: 'daily' })).rotate, 'daily');
  assert.equal(activityLogTargets(configWith({ nodaemon: true })).echoToStdout, true);
  assert.equal(activityLogTargets(configWith({ nodaemon: true, silent: true })).echoToStdout, false);
});

function runEchoScript(logfile: string | null): ReturnType<typeof spawnSync> {
  const script = `
    import { ActivityLog } from ${JSON.stringify(activityLogModule)};
    const log = new ActivityLog('info');
    log.critical('before open');
    log.open({ logfile: ${JSON.stringify(logfile)}, maxBytes: 0, backups: 0, echoToStdout: true });
    log.info('after open');
    log.debug('filtered');
    log.close();
  `;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
}

test('in nodaemon mode every line goes to stdout and to the file', () => {
  const dir = tempDir();
  const file = path.join(dir, 'supervisord.log');
  const result = runEchoScript(file);
  assert.equal(result.status, 0, String(result.stderr));
  const expected = ['CRIT before open', 'INFO after open'];
  assert.deepEqual(messagesOf(String(result.stdout)), expected);
  assert.deepEqual(messagesOf(fs.readFileSync(file, 'utf8')), expected);
  assert.equal(fs.readFileSync(file, 'utf8'), String(result.stdout));
});

test('logfile=NONE writes no file but still echoes to stdout', () => {
  const result = runEchoScript(null);
  assert.equal(result.status, 0, String(result.stderr));
  assert.deepEqual(messagesOf(String(result.stdout)), ['CRIT before open', 'INFO after open']);
});

test('logfile=syslog is refused honestly (not implemented yet)', () => {
  const log = new ActivityLog();
  assert.throws(() => log.open({ logfile: 'syslog', maxBytes: 0, backups: 0, echoToStdout: false }), /syslog/);
});
