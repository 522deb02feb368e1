// LineRecords (*_logfile_format=timestamped|json) on a simulated clock: what a line is, the
// record of each format, the partial line held and flushed after PARTIAL_LINE_DELAY_MS, a new
// child's output never joining the previous child's line, and bytes that are not UTF-8.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SimulatedClock } from 'xstate';
import { LineRecords, MAX_HELD_BYTES, PARTIAL_LINE_DELAY_MS, type LineRecordsOptions } from '../../../actors/logs/line-records.js';

/** 2026-03-01T10:00:00.000Z at simulated time 0. */
const START = Date.UTC(2026, 2, 1, 10, 0, 0);
const at = (ms: number) => new Date(START + ms).toISOString();

function records(format: LineRecordsOptions['format'], program = 'web') {
  const clock = new SimulatedClock();
  const written: Buffer[] = [];
  const state = { pid: 4242 };
  const lines = new LineRecords({
    format,
    stream: 'stdout',
    program,
    pid: () => state.pid,
    time: { clock, now: () => START + clock.now() },
    write: (data) => written.push(Buffer.from(data)),
  });
  const text = () => Buffer.concat(written).toString('utf8');
  const json = () =>
    text()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { clock, lines, written, state, text, json };
}

describe('LineRecords: timestamped', () => {
  it('prefixes each line with its time in UTC, to the millisecond; several lines are one write', () => {
    const r = records('timestamped');
    r.clock.increment(1234);
    r.lines.push(Buffer.from('one\ntwo\n\nfour\r\n'));
    assert.equal(r.text(), `${at(1234)} one\n${at(1234)} two\n${at(1234)} \n${at(1234)} four\r\n`);
    assert.equal(r.written.length, 1);
  });

  it('a line cut across reads is one record, with the time its first byte was read', () => {
    const r = records('timestamped');
    r.lines.push(Buffer.from('hel'));
    r.clock.increment(50);
    r.lines.push(Buffer.from('lo\nnext'));
    assert.equal(r.text(), `${at(0)} hello\n`);
    r.clock.increment(10);
    r.lines.push(Buffer.from(' line\n'));
    assert.equal(r.text(), `${at(0)} hello\n${at(50)} next line\n`);
  });

  it(`a line without its newline is written ${PARTIAL_LINE_DELAY_MS} ms after its first byte; what follows is a new record`, () => {
    const r = records('timestamped');
    r.lines.push(Buffer.from('Password: '));
    r.clock.increment(PARTIAL_LINE_DELAY_MS - 1);
    r.lines.push(Buffer.from('more'));
    assert.equal(r.text(), '', 'held until the delay has passed');
    r.clock.increment(1);
    assert.equal(r.text(), `${at(0)} Password: more\n`);
    r.clock.increment(500);
    r.lines.push(Buffer.from('secret\n'));
    assert.equal(r.text(), `${at(0)} Password: more\n${at(PARTIAL_LINE_DELAY_MS + 500)} secret\n`);
    r.clock.increment(PARTIAL_LINE_DELAY_MS * 10);
    assert.equal(r.written.length, 2, 'nothing held, nothing more written');
  });

  it('keeps the bytes of a line as they are, UTF-8 or not', () => {
    const r = records('timestamped');
    r.lines.push(Buffer.from([0x61, 0xff, 0xfe, 0x0a]));
    assert.deepEqual(Buffer.concat(r.written), Buffer.concat([Buffer.from(`${at(0)} a`), Buffer.from([0xff, 0xfe, 0x0a])]));
  });

  it('does not keep the caller’s buffer: a reused read buffer changes nothing already held', () => {
    const r = records('timestamped');
    const buffer = Buffer.from('abc');
    r.lines.push(buffer);
    buffer.write('xyz');
    r.lines.push(Buffer.from('\n'));
    assert.equal(r.text(), `${at(0)} abc\n`);
  });
});

describe('LineRecords: json', () => {
  it('one object per line: time, stream, program, pid, line', () => {
    const r = records('json', 'workers:worker_01');
    r.lines.push(Buffer.from('started "job" \\ 1\n\tß €\n'));
    assert.deepEqual(r.json(), [
      { time: at(0), stream: 'stdout', program: 'workers:worker_01', pid: 4242, line: 'started "job" \\ 1' },
      { time: at(0), stream: 'stdout', program: 'workers:worker_01', pid: 4242, line: '\tß €' },
    ]);
    assert.match(
      r.text(),
      /^\{"time":"[^"]+","stream":"stdout","program":"workers:worker_01","pid":4242,"line":"started \\"job\\" \\\\ 1"\}\n/,
    );
  });

  it('a line that is not UTF-8: U+FFFD in line, its exact bytes in line_base64', () => {
    const r = records('json');
    const bytes = Buffer.from([0x6f, 0x6b, 0x20, 0xc3, 0x28, 0xff]);
    r.lines.push(Buffer.concat([bytes, Buffer.from('\n')]));
    const [record] = r.json();
    assert.equal(record?.['line'], 'ok \ufffd(\ufffd');
    assert.deepEqual(Buffer.from(String(record?.['line_base64']), 'base64'), bytes);
  });

  it('a line written without its newline says partial: true', () => {
    const r = records('json');
    r.lines.push(Buffer.from('> '));
    r.clock.increment(PARTIAL_LINE_DELAY_MS);
    assert.deepEqual(r.json(), [{ time: at(0), stream: 'stdout', program: 'web', pid: 4242, line: '> ', partial: true }]);
  });

  it("a new child's output does not join the held line of the previous one: that is written first", () => {
    const r = records('json');
    r.lines.push(Buffer.from('dying wor'));
    r.state.pid = 4243;
    r.clock.increment(20);
    r.lines.push(Buffer.from('ds\n'));
    assert.deepEqual(
      r.json().map((record) => [record['pid'], record['line'], record['partial'] ?? false]),
      [
        [4242, 'dying wor', true],
        [4243, 'ds', false],
      ],
    );
  });

  it(`a line is written in pieces once ${MAX_HELD_BYTES} bytes are held, so memory stays bounded`, () => {
    const r = records('json');
    const piece = Buffer.alloc(MAX_HELD_BYTES / 4, 'x');
    for (let i = 0; i < 5; i += 1) r.lines.push(piece);
    r.lines.push(Buffer.from('\n'));
    assert.deepEqual(
      r.json().map((record) => [String(record['line']).length, record['partial'] ?? false]),
      [
        [MAX_HELD_BYTES, true],
        [MAX_HELD_BYTES / 4, false],
      ],
    );
  });

  it('flush() writes the held line at once (the log closes), and nothing later', () => {
    const r = records('json');
    r.lines.push(Buffer.from('last words'));
    r.lines.flush();
    r.clock.increment(PARTIAL_LINE_DELAY_MS);
    assert.deepEqual(
      r.json().map((record) => record['line']),
      ['last words'],
    );
  });
});
