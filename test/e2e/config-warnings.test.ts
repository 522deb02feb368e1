// End-to-end: what the reference accepts in a config without a word and ours warns about or
// refuses. Sections and keys given twice load in both, the later keys winning; ours warns in the
// activity log and on stderr.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { terminate, underTest, withDaemon } from '../harness/daemon.js';

const ours = underTest === 'ours';
const SUPERVISORD = ['[supervisord]', 'logfile=%(tmp)s/supervisord.log', 'pidfile=%(tmp)s/supervisord.pid', 'childlogdir=%(tmp)s'];
/** A program that writes `word` into %(tmp)s/`file`, so the test sees which command= ran. */
const writes = (word: string, file: string): string => `command=/bin/sh -c 'echo ${word} > %(tmp)s/${file}; exec sleep 1000'`;

describe(`e2e config warnings (${underTest})`, { concurrency: true }, () => {
  it('a section and a key given twice: the later keys win in both; ours warns naming file, lines and section', async () => {
    const lines = [
      ...SUPERVISORD, // 1-4
      '[program:dup]', // 5
      writes('one', 'dup.ran'),
      '[program:key]',
      writes('one', 'key.ran'),
      writes('two', 'key.ran'),
      '[program:dup]', // 10
      writes('two', 'dup.ran'),
    ];
    await withDaemon(lines.join('\n') + '\n', {}, async (d) => {
      await d.waitForLine(/success: dup /);
      await d.waitForLine(/success: key /);
      assert.equal(readFileSync(d.path('dup.ran'), 'utf8'), 'two\n');
      assert.equal(readFileSync(d.path('key.ran'), 'utf8'), 'two\n');
      const file = '%(tmp)s/supervisord.conf';
      const warnings = ours
        ? [
            `duplicate key 'command' in [program:key] (${file}:9; first at ${file}:8): the later value wins`,
            `duplicate section [program:dup] (${file}:10; first at ${file}:5): merged, the later keys win`,
          ]
        : [];
      assert.deepEqual(
        d.matching(/duplicate/),
        warnings.map((w) => `WARN ${w}`),
      );
      assert.equal(d.stderr.split(d.tmp).join('%(tmp)s'), warnings.map((w) => `Warning: ${w}\n`).join(''));
      assert.equal(await terminate(d), 0);
    });
  });
});
