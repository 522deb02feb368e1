// Child logs on /dev/stdout and /dev/stderr (the container setup): with rotation settings the
// reference fails on them ("Illegal seek"); ours writes through and never seeks or rotates.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { supervisordSection } from '../harness/config-text.js';
import { underTest, withDaemon } from '../harness/daemon.js';

describe(
  "child logs on the daemon's own stdout and stderr",
  { skip: underTest === 'reference' ? 'the reference fails with Illegal seek here' : false },
  () => {
    it("every line reaches the daemon's stdout and stderr, rotation settings notwithstanding", async () => {
      const config =
        supervisordSection() +
        '[program:chatty]\n' +
        `command=sh -c 'i=0; while [ $i -lt 200 ]; do echo "line $i of chatty output"; echo "err $i" >&2; i=$((i+1)); done; sleep 1000'\n` +
        'stdout_logfile=/dev/stdout\nstdout_logfile_maxbytes=1KB\nstdout_logfile_backups=2\n' +
        'stderr_logfile=/dev/stderr\nstderr_logfile_maxbytes=1KB\n';
      await withDaemon(config, {}, async (d) => {
        await d.waitForLine(/^line 199 of chatty output$/);
        await d.waitForLine(/success: chatty /);
        const lines = d.lines.filter((l) => l.startsWith('line '));
        assert.deepEqual(
          lines,
          Array.from({ length: 200 }, (_, i) => `line ${i} of chatty output`),
        );
        assert.ok(!d.lines.some((l) => /Illegal seek|CRIT uncaptured/.test(l)));
        d.signal('SIGTERM');
        assert.equal((await d.waitForExit()).code, 0);
        assert.match(d.stderr, /err 199\n/);
      });
    });
  },
);
