// LineMatcher: whole lines, however the output is cut into chunks.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LineMatcher, MAX_LINE_BYTES } from '../../../actors/probes/line-matcher.js';

/** Feeds `bytes` cut at every position in `cuts`; returns what the feeds found. */
function feedCut(matcher: LineMatcher, bytes: Buffer, cuts: number[]): string[] {
  const found: string[] = [];
  let start = 0;
  for (const end of [...cuts, bytes.length]) {
    const match = matcher.feed(bytes.subarray(start, end));
    if (match !== null) found.push(match);
    start = end;
  }
  return found;
}

describe('LineMatcher', () => {
  it('finds a matching line, and tells which', () => {
    const matcher = new LineMatcher(/listening on \d+/);
    assert.equal(matcher.feed(Buffer.from('starting\n')), null);
    assert.equal(matcher.feed(Buffer.from('warming up\nlistening on 8080\nmore\n')), 'listening on 8080');
  });

  it('tests only whole lines: an open line may still grow', () => {
    const matcher = new LineMatcher(/^listening on 80$/);
    assert.equal(matcher.feed(Buffer.from('listening on 80')), null);
    assert.equal(matcher.feed(Buffer.from('80\n')), null);
    assert.equal(matcher.feed(Buffer.from('listening on 80')), null);
    assert.equal(matcher.feed(Buffer.from('\n')), 'listening on 80');
  });

  it('finds the line wherever the chunks are cut, even inside a character', () => {
    const bytes = Buffer.from('préparation…\nprêt à servir ✓\nfin\n');
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      const matcher = new LineMatcher(/^prêt à servir ✓$/u);
      assert.deepEqual(feedCut(matcher, bytes, [cut]), ['prêt à servir ✓'], `cut at ${cut}`);
    }
    const byByte = new LineMatcher(/^prêt à servir ✓$/u);
    assert.deepEqual(feedCut(byByte, bytes, [...bytes.keys()].slice(1)), ['prêt à servir ✓']);
  });

  it('takes "\\r\\n" as a line end', () => {
    assert.equal(new LineMatcher(/^ready$/).feed(Buffer.from('ready\r\n')), 'ready');
  });

  it('keeps no state between lines, whatever flags the pattern has', () => {
    const matcher = new LineMatcher(/ready/gy);
    assert.equal(matcher.feed(Buffer.from('ready\n')), 'ready');
    assert.equal(matcher.feed(Buffer.from('ready\n')), 'ready');
    assert.equal(matcher.feed(Buffer.from('not yet\n')), null);
  });

  it('reports the first match of a chunk and still moves past the lines after it', () => {
    const matcher = new LineMatcher(/^ok/);
    assert.equal(matcher.feed(Buffer.from('ok 1\nok 2\npartial')), 'ok 1');
    assert.equal(matcher.feed(Buffer.from(' line\nno\n')), null);
    assert.equal(matcher.feed(Buffer.from('ok 3\n')), 'ok 3');
  });

  it('tests a line longer than the limit in pieces as it grows, cut between characters', () => {
    const matcher = new LineMatcher(/^é+$/u, 9);
    // 5 two-byte characters: the piece of 9 bytes would split the fifth, so it ends before it.
    assert.equal(matcher.feed(Buffer.from('ééééé')), 'éééé');
    assert.equal(matcher.feed(Buffer.from('\n')), 'é');
    const ascii = new LineMatcher(/^end$/, 8);
    assert.equal(ascii.feed(Buffer.from('xxxxxxxxend')), null);
    assert.equal(ascii.feed(Buffer.from('\n')), 'end');
  });

  it('tests a line of exactly the limit as a whole, with no empty line after it', () => {
    const matcher = new LineMatcher(/^$/, 4);
    assert.equal(matcher.feed(Buffer.from('abcd')), null);
    assert.equal(matcher.feed(Buffer.from('\n')), null);
  });

  it('finds a match in a huge line without a newline, within the default limit', () => {
    const matcher = new LineMatcher(/READY/);
    const line = Buffer.concat([Buffer.from('READY'), Buffer.alloc(MAX_LINE_BYTES * 3, 'x')]);
    assert.equal(matcher.feed(line)?.length, MAX_LINE_BYTES);
  });
});
