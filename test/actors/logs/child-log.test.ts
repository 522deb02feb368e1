import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ChildOutputLog, childOutputLogOptions, type DebugEchoLog } from '../../../actors/logs/child-log.js';
import { stripAnsiEscapes } from '../../../actors/logs/strip-ansi.js';
import { pyBytesRepr } from '../../../actors/logs/python-repr.js';
import { pyRepr } from '../../../config/python.js';
import type { ChildLogConfig, LogLevelName } from '../../../config/types.js';

const tempDirs: string[] = [];
after(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logs-child-'));
  tempDirs.push(dir);
  return dir;
}

function strip(text: string): string {
  return stripAnsiEscapes(Buffer.from(text, 'latin1')).toString('latin1');
}

test('strip_ansi drops ESC [ ... up to a terminator, chunk by chunk (as observed on the reference)', () => {
  // Two reads from the reference run: the escape split across them leaves "2m" in the second.
  assert.equal(strip('\x1b[31mred\x1b[0m plain \x1b[1'), 'red plain ');
  assert.equal(strip('2mX\x1b]0;title\x07Y\n'), '2mX\x1b]0;title\x07Y\n');
  assert.equal(strip('a\x1b[2Jb\x1b[10;20Hc\x1b[Kd'), 'abcd');
  assert.equal(strip('lone \x1b escape\x1b'), 'lone \x1b escape\x1b');
  // Terminators are the reference's set only: "x" is not one, so the escape runs on to "m".
  assert.equal(strip('\x1b[1x2mvisible'), 'visible');
  const plain = Buffer.from('no escapes here');
  assert.equal(stripAnsiEscapes(plain), plain);
});

test('Python repr of str and bytes', () => {
  assert.equal(pyRepr('cat'), "'cat'");
  assert.equal(pyRepr("it's"), '"it\'s"');
  assert.equal(pyRepr('both \' and "'), "'both \\' and \"'");
  assert.equal(pyRepr('tab\there\n\x01é'), "'tab\\there\\n\\x01é'");
  assert.equal(pyBytesRepr(Buffer.from([0xff, 0x41, 0x0a, 0x27, 0x5c])), 'b"\\xffA\\n\'\\\\"');
  assert.equal(pyBytesRepr(Buffer.from('ok')), "b'ok'");
});

class RecordingLog implements DebugEchoLog {
  readonly messages: string[] = [];
  constructor(private readonly level: LogLevelName) {}
  isEnabledFor(level: LogLevelName): boolean {
    return level === 'debug' ? this.level === 'debug' : true;
  }
  debug(message: string): void {
    this.messages.push(message);
  }
}

test('child output is written as is, stripped when strip_ansi is set, and echoed to the activity log at debug', () => {
  const dir = tempDir();
  const file = path.join(dir, 'ansi.log');
  const activityLog = new RecordingLog('debug');
  const log = new ChildOutputLog({
    processName: 'ansi',
    channel: 'stdout',
    logfile: file,
    maxBytes: 0,
    backups: 0,
    stripAnsi: true,
    activityLog,
  });
  assert.equal(log.path, file);
  assert.equal(log.write(Buffer.from('\x1b[31mred\x1b[0m plain \x1b[1')).toString(), 'red plain ');
  log.write(Buffer.from('2mX\n'));
  log.write(Buffer.from([0xff, 0x0a]));
  log.close();
  assert.deepEqual(fs.readFileSync(file), Buffer.from('red plain 2mX\n\xff\n', 'latin1'));
  assert.deepEqual(activityLog.messages, [
    "'ansi' stdout output:\nred plain ",
    "'ansi' stdout output:\n2mX\n",
    "'ansi' stdout output:\nUndecodable: b'\\xff\\n'",
  ]);
});

test('no debug echo above debug level, and no file for logfile=null', () => {
  const activityLog = new RecordingLog('info');
  const log = new ChildOutputLog({
    processName: 'quiet',
    channel: 'stderr',
    logfile: null,
    maxBytes: 0,
    backups: 0,
    stripAnsi: false,
    activityLog,
  });
  assert.equal(log.path, null);
  assert.equal(log.write(Buffer.from('\x1b[1mkept')).toString(), '\x1b[1mkept');
  log.reopen();
  log.clear();
  log.close();
  assert.deepEqual(activityLog.messages, []);
});

test('child log rotation and clear follow the configured sizes', () => {
  const dir = tempDir();
  const config: ChildLogConfig = {
    logfile: path.join(dir, 'cat.log'),
    maxbytes: 100,
    backups: 1,
    captureMaxbytes: 0,
    eventsEnabled: false,
    syslog: false,
    format: 'raw',
    rotate: null,
  };
  const log = new ChildOutputLog(childOutputLogOptions('cat', 'stdout', config, config.logfile, false));
  log.write(Buffer.alloc(150, 'a'));
  log.write(Buffer.alloc(20, 'b'));
  assert.equal(fs.statSync(`${config.logfile}.1`).size, 150);
  log.clear();
  log.write(Buffer.alloc(5, 'c'));
  log.close();
  assert.equal(fs.readFileSync(path.join(dir, 'cat.log'), 'latin1'), 'ccccc');
  assert.throws(() => childOutputLogOptions('cat', 'stdout', config, 'AUTO', false), /AUTO/);
});

test('an unopenable child log throws its errno code (the reference reports a spawn error with it)', () => {
  const dir = tempDir();
  assert.throws(
    () => new ChildOutputLog({ processName: 'bad', channel: 'stdout', logfile: dir, maxBytes: 0, backups: 0, stripAnsi: false }),
    { code: 'EISDIR' },
  );
});

test('bytesWritten counts what reached the log file (after strip_ansi), across rotation and clear; nothing without a file', () => {
  const dir = tempDir();
  const options = { processName: 'count', channel: 'stdout' as const, maxBytes: 100, backups: 1, stripAnsi: true };
  const log = new ChildOutputLog({ ...options, logfile: path.join(dir, 'count.log') });
  assert.equal(log.bytesWritten, 0);
  log.write(Buffer.alloc(150, 'a'));
  log.write(Buffer.from('\x1b[31mred\x1b[0m'));
  log.clear();
  log.write(Buffer.alloc(5, 'c'));
  log.close();
  assert.equal(log.bytesWritten, 150 + 3 + 5);
  const discarded = new ChildOutputLog({ ...options, logfile: null });
  discarded.write(Buffer.from('gone'));
  assert.equal(discarded.bytesWritten, 0);
});
