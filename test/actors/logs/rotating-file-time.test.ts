// RotatingFile with a period (*_logfile_rotate=, logfile_rotate=; ours) on a simulated clock:
// rotation at the boundary through the same renames as by size, the first write after a
// boundary in the new file, quiet files left alone, backups=0, and every byte kept.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SimulatedClock } from 'xstate';
import { RotatingFile } from '../../../actors/logs/rotating-file.js';
import type { RotationPeriod } from '../../../config/types.js';

const tempDirs: string[] = [];
const originalZone = process.env['TZ'];
before(() => (process.env['TZ'] = 'UTC'));
after(() => {
  tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
  if (originalZone === undefined) delete process.env['TZ'];
  else process.env['TZ'] = originalZone;
});

/** 10 minutes before the hour; 70 minutes before midnight. */
const START = Date.UTC(2026, 4, 1, 22, 50);
const MINUTE = 60_000;

function rotatingLog(period: RotationPeriod, options: { maxBytes?: number; backups?: number } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logs-time-'));
  tempDirs.push(dir);
  const file = path.join(dir, 'app.log');
  const clock = new SimulatedClock();
  const wallClock = { offset: 0 };
  const log = new RotatingFile(file, {
    maxBytes: options.maxBytes ?? 0,
    backups: options.backups ?? 3,
    period,
    time: { clock, now: () => START + clock.now() + wallClock.offset },
  });
  const read = (suffix = '') => (fs.existsSync(file + suffix) ? fs.readFileSync(file + suffix, 'utf8') : null);
  return { file, clock, wallClock, log, read };
}

describe('RotatingFile: time-based rotation', () => {
  it('hourly: at the start of the hour the file becomes .1 and a new one starts', () => {
    const r = rotatingLog('hourly');
    r.log.write('before\n');
    r.clock.increment(10 * MINUTE - 1);
    assert.equal(r.read('.1'), null);
    r.clock.increment(1);
    assert.equal(r.read('.1'), 'before\n');
    assert.equal(r.read(), '');
    r.log.write('after\n');
    r.clock.increment(60 * MINUTE);
    assert.deepEqual([r.read(), r.read('.1'), r.read('.2')], ['', 'after\n', 'before\n']);
    r.log.close();
  });

  it('daily: at midnight, not at the hours before', () => {
    const r = rotatingLog('daily');
    r.log.write('day one\n');
    r.clock.increment(69 * MINUTE);
    assert.equal(r.read('.1'), null);
    r.clock.increment(MINUTE);
    assert.deepEqual([r.read(), r.read('.1')], ['', 'day one\n']);
    r.log.close();
  });

  it('the first write after a boundary goes to the new file, even before the timer has fired', () => {
    const r = rotatingLog('hourly');
    r.log.write('old hour\n');
    r.wallClock.offset = 10 * MINUTE;
    r.log.write('new hour\n');
    assert.deepEqual([r.read(), r.read('.1')], ['new hour\n', 'old hour\n']);
    r.clock.increment(10 * MINUTE);
    assert.equal(r.read('.2'), null, 'that boundary was taken: the timer waits for the next one');
    r.log.close();
  });

  it("a write given the time its data was read goes to that time's file", () => {
    const r = rotatingLog('hourly');
    const readAt = START + 10 * MINUTE - 1;
    r.wallClock.offset = 10 * MINUTE;
    r.log.write('read before the hour\n', readAt);
    assert.deepEqual([r.read(), r.read('.1')], ['read before the hour\n', null]);
    r.log.write('read after it\n');
    assert.deepEqual([r.read(), r.read('.1')], ['read after it\n', 'read before the hour\n']);
    r.log.close();
  });

  it('an empty file is not rotated: the backups keep the last output of a quiet program', () => {
    const r = rotatingLog('hourly');
    r.log.write('last words\n');
    r.clock.increment(10 * MINUTE + 5 * 60 * MINUTE);
    assert.deepEqual([r.read(), r.read('.1'), r.read('.2')], ['', 'last words\n', null]);
    r.log.close();
  });

  it('with maxbytes too: both rotate through the same numbered files, up to backups', () => {
    const r = rotatingLog('hourly', { maxBytes: 10, backups: 2 });
    r.log.write('0123456789'); // rotated by size
    r.log.write('small');
    r.clock.increment(10 * MINUTE); // rotated by time
    assert.deepEqual([r.read(), r.read('.1'), r.read('.2')], ['', 'small', '0123456789']);
    r.log.write('next');
    r.clock.increment(60 * MINUTE);
    assert.deepEqual([r.read(), r.read('.1'), r.read('.2'), r.read('.3')], ['', 'next', 'small', null]);
    r.log.close();
  });

  it('backups=0 truncates the file at the boundary, as a size rotation does', () => {
    const r = rotatingLog('hourly', { backups: 0 });
    r.log.write('gone at the hour\n');
    r.clock.increment(10 * MINUTE);
    assert.deepEqual([r.read(), r.read('.1')], ['', null]);
    r.log.write('kept\n');
    assert.equal(r.read(), 'kept\n');
    r.log.close();
  });

  it('loses no byte: every write is in exactly one file, in order', () => {
    const r = rotatingLog('hourly', { maxBytes: 300, backups: 100 });
    const written: string[] = [];
    for (let i = 0; i < 500; i += 1) {
      const line = `line ${i}\n`;
      written.push(line);
      r.log.write(line);
      r.clock.increment(MINUTE);
    }
    r.log.close();
    const files = fs
      .readdirSync(path.dirname(r.file))
      .map((name) => Number(name.slice('app.log.'.length) || 0))
      .sort((a, b) => b - a);
    assert.ok(files.length > 10, `rotated by time and size: ${files.length} files`);
    const contents = files.map((index) => r.read(index === 0 ? '' : `.${index}`) ?? '');
    assert.equal(contents.join(''), written.join(''));
  });

  it('close() stops the timer; reopen() starts it again', () => {
    const r = rotatingLog('hourly');
    r.log.write('x\n');
    r.log.close();
    r.clock.increment(10 * MINUTE);
    assert.equal(r.read('.1'), null);
    r.log.reopen();
    r.clock.increment(60 * MINUTE);
    assert.equal(r.read('.1'), 'x\n');
    r.log.close();
  });
});
