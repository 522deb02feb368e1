// End-to-end: the example configurations of readiness=, liveness=, the restart policy and
// stopastree= (examples/readiness, examples/liveness, examples/restart-policy,
// examples/tree-stop) run as written, so that they keep working: only their /tmp paths move into
// the test's directory and their ports (184xx) become free ones. Ours only: the reference
// ignores the keys and refuses startretries=infinite.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { terminate, underTest, withDaemon } from '../harness/daemon.js';
import { isAlive } from '../harness/pids.js';
import { freePort } from '../harness/rpc.js';
import { repoRoot } from '../paths.js';

/** The example's configuration, run from a temp dir: its programs stay where they are. */
async function example(name: string): Promise<(tmp: string) => string> {
  const dir = path.join(repoRoot, 'examples', name);
  let text = readFileSync(path.join(dir, 'supervisord.conf'), 'utf8').split('%(here)s').join(dir);
  for (const port of new Set(text.match(/\b184\d\d\b/g))) text = text.split(port).join(String(await freePort()));
  return (tmp) => text.split('/tmp/').join(`${tmp}/`);
}

describe(
  `e2e extension examples (${underTest})`,
  { concurrency: true, skip: underTest === 'ours' ? false : 'readiness/liveness are our extension' },
  () => {
    it('examples/readiness: every program turns RUNNING once its check passes', async () => {
      await withDaemon(await example('readiness'), {}, async (d) => {
        for (const name of ['tcp-server', 'http-server', 'log-watcher', 'notify-worker', 'exec-checked']) {
          await d.waitForLine(new RegExp(`success: ${name} `));
        }
        assert.deepEqual(d.matching(/WARN|ERRO|not ready/), []);
        assert.equal(await terminate(d), 0);
      });
    });

    it('examples/liveness: every program turns RUNNING, its liveness check watching it', async () => {
      await withDaemon(await example('liveness'), {}, async (d) => {
        for (const name of ['hangs-later', 'stays-up', 'watchdog-worker']) await d.waitForLine(new RegExp(`success: ${name} `));
        assert.deepEqual(d.matching(/WARN|ERRO/), []);
        assert.equal(await terminate(d), 0);
      });
    });

    it('examples/restart-policy: needs-database is retried until its file exists, then runs', async () => {
      await withDaemon(await example('restart-policy'), {}, async (d) => {
        await d.waitForCount(/spawned: 'needs-database' /, 2);
        await d.waitForCount(/spawned: 'gives-up' /, 2);
        writeFileSync(d.path('restart-policy-example.db'), '');
        await d.waitForLine(/success: needs-database /);
        assert.deepEqual(d.matching(/gave up/), []);
        assert.equal(await terminate(d), 0);
      });
    });

    it('examples/tree-stop: a shutdown leaves nothing of either tree, the re-parented daemon included', async () => {
      await withDaemon(await example('tree-stop'), {}, async (d) => {
        await d.waitForCount(/success: (daemonizer|npm-start) /, 2);
        const daemon = Number(await d.readWhen('tree-stop-daemon.pid', (text) => /^\d+\n$/.test(text)));
        assert.ok(isAlive(daemon));
        assert.equal(await terminate(d), 0);
        assert.ok(!isAlive(daemon), "the daemonizer's daemon is gone");
        assert.deepEqual(d.strayPids(), []);
        assert.equal(d.matching(/tree: sent SIGTERM to 1 descendant of '(daemonizer|npm-start)'/).length, 2);
      });
    });
  },
);
