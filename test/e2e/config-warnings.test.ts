// End-to-end: what the reference accepts in a config without a word and ours warns about or
// refuses. Sections and keys given twice load in both, the later keys winning; ours warns in the
// activity log and on stderr. A file including itself: the reference merges it again, ours reads
// it once and warns. A directory matched by an [include] glob: the reference skips it, ours
// refuses to start naming it.
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

  it('a file including itself, directly and through another: the reference reads it again, ours once with a warning', async () => {
    const lines = [...SUPERVISORD, '[program:a]', 'command=sleep 1000', '[include]', 'files=supervisord.conf other.conf'];
    await withDaemon(lines.join('\n') + '\n', { files: { 'other.conf': '[include]\nfiles=supervisord.conf\n' } }, async (d) => {
      await d.waitForLine(/success: a /);
      const included = (name: string) => `INFO Included extra file "%(tmp)s/${name}" during parsing`;
      if (ours) {
        const warnings = [
          'not including "%(tmp)s/supervisord.conf": already read ([include] files= at %(tmp)s/supervisord.conf:8)',
          'not including "%(tmp)s/supervisord.conf": already read ([include] files= at %(tmp)s/other.conf:2)',
        ];
        assert.deepEqual(d.matching(/Included extra|not including/), [...warnings.map((w) => `WARN ${w}`), included('other.conf')]);
        assert.equal(d.stderr.split(d.tmp).join('%(tmp)s'), warnings.map((w) => `Warning: ${w}\n`).join(''));
      } else {
        // The reference follows no [include] but the main file's, and merges the main file a second time.
        assert.deepEqual(d.matching(/Included extra/), [included('supervisord.conf'), included('other.conf')]);
      }
      assert.equal(d.about('a').filter((l) => l.startsWith('INFO spawned')).length, 1);
      assert.equal(await terminate(d), 0);
    });
  });

  it('a directory matched by an [include] glob: the reference skips it, ours refuses to start naming it', async () => {
    const lines = [...SUPERVISORD, '[program:a]', 'command=sleep 1000', '[include]', 'files=conf.d/*'];
    const files = { 'conf.d/a.conf': '[program:b]\ncommand=sleep 1000\n', 'conf.d/sub.d/x.conf': '' };
    await withDaemon(lines.join('\n') + '\n', { files }, async (d) => {
      if (ours) {
        const exit = await d.waitForExit();
        assert.equal(exit.code, 2);
        assert.equal(
          d.stderr.split(d.tmp).join('%(tmp)s').split('\n')[0],
          'Error: could not read config file %(tmp)s/conf.d/sub.d: is a directory ([include] files= at %(tmp)s/supervisord.conf:8)',
        );
        assert.deepEqual(d.lines, []);
      } else {
        await d.waitForLine(/success: b /);
        assert.deepEqual(d.matching(/Included extra/), [
          'INFO Included extra file "%(tmp)s/conf.d/a.conf" during parsing',
          'INFO Included extra file "%(tmp)s/conf.d/sub.d" during parsing',
        ]);
        assert.equal(await terminate(d), 0);
      }
    });
  });
});
