// End-to-end: the example configurations of readiness=, liveness=, the restart policy, the
// metrics, subreaper=, stopastree= and the fleet (examples/readiness, examples/liveness,
// examples/restart-policy, examples/metrics, examples/pid1-orphans, examples/tree-stop,
// examples/fleet) run as written, so that they keep working: only their /tmp paths move into the
// test's directory and their ports (184xx) become free ones. Ours only: the reference ignores the
// keys, refuses startretries=infinite and has no /metrics.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { intoTempDir } from '../harness/config-text.js';
import { ourCtl } from '../harness/ctl.js';
import { Daemon, REFERENCE_BIN, terminate, underTest, withDaemon } from '../harness/daemon.js';
import { scrape, valueOf } from '../harness/metrics.js';
import { isAlive } from '../harness/pids.js';
import { freePort, tcpTarget, unixTarget } from '../harness/rpc.js';
import { runProcess } from '../harness/run-process.js';
import { eventually } from '../harness/wait.js';
import { repoRoot } from '../paths.js';

const PROMTOOL = '/usr/bin/promtool';

/** The example's configuration, run from a temp dir: its programs stay where they are. */
async function example(name: string): Promise<(tmp: string) => string> {
  const dir = path.join(repoRoot, 'examples', name);
  let text = readFileSync(path.join(dir, 'supervisord.conf'), 'utf8');
  for (const port of new Set(text.match(/\b184\d\d\b/g))) text = text.split(port).join(String(await freePort()));
  // %(here)s last: the checkout itself may be under /tmp (CI clones there).
  return (tmp) => intoTempDir(text, tmp).split('%(here)s').join(dir);
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

    it('examples/fleet: control shows web2 and legacy to supervisorctl and on its dashboard', async () => {
      // The three files share their paths (one directory) and their ports.
      const shared = mkdtempSync(path.join(tmpdir(), 'sv-fleet-example-'));
      const ports = new Map<string, string>();
      const render = async (file: string): Promise<string> => {
        let text = readFileSync(path.join(repoRoot, 'examples', 'fleet', file), 'utf8');
        for (const port of new Set(text.match(/\b184\d\d\b/g))) {
          if (!ports.has(port)) ports.set(port, String(await freePort()));
          text = text.split(port).join(ports.get(port)!);
        }
        return intoTempDir(text, shared);
      };
      const daemons = [
        Daemon.start(await render('web2.conf')),
        Daemon.start(await render('legacy.conf'), { daemon: existsSync(REFERENCE_BIN) ? 'reference' : 'ours' }),
      ];
      daemons.push(Daemon.start(await render('supervisord.conf')));
      const [web2, legacy, control] = daemons as [Daemon, Daemon, Daemon];
      try {
        await Promise.all([
          web2.waitForCount(/success: worker_\d /, 2),
          legacy.waitForLine(/success: cron /),
          control.waitForLine(/success: clock /),
        ]);
        const r = await ourCtl(['-c', control.configPath, 'status']);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.deepEqual(
          r.stdout
            .trim()
            .split('\n')
            .map((line) => line.split(/ +/).slice(0, 2).join(' ')),
          ['clock RUNNING', 'legacy:cron RUNNING', 'web2:api RUNNING', 'web2:worker:worker_0 RUNNING', 'web2:worker:worker_1 RUNNING'],
        );
        const auth = `Basic ${Buffer.from('control:control-pass').toString('base64')}`;
        const page = await fetch(`http://127.0.0.1:${ports.get('18481')}/`, { headers: { Authorization: auth } });
        const html = await page.text();
        for (const host of ['web2', 'legacy']) assert.match(html, new RegExp(`<section class="card remote" data-host="${host}">`));
        assert.ok(!html.includes('web2-pass') && !html.includes('legacy-pass'));
      } finally {
        await Promise.all(daemons.map((d) => d.teardown()));
        rmSync(shared, { recursive: true, force: true });
      }
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

    it('examples/metrics: Prometheus can scrape it with the job of prometheus.yml, and promtool accepts both', async (t) => {
      await withDaemon(await example('metrics'), {}, async (d) => {
        for (const name of ['ticker', 'flaky', 'state-watcher']) await d.waitForLine(new RegExp(`success: ${name} `));
        const port = Number(/^port=127\.0\.0\.1:(\d+)$/m.exec(readFileSync(d.configPath, 'utf8'))?.[1]);
        const job = { username: 'prometheus', password: 'change-me' };
        const pool = { group: 'state-watcher' };
        let answer = await scrape(tcpTarget(port, job));
        await eventually(async () => {
          answer = await scrape(tcpTarget(port, job));
          return (valueOf(answer.samples, 'supervisor_listener_pool_events_buffered_total', pool) ?? 0) >= 6;
        }, 'the state watcher to hear the three starts');
        assert.equal(valueOf(answer.samples, 'supervisor_process_up', { group: 'ticker', name: 'ticker' }), 1);
        assert.equal((await scrape(unixTarget(d, 'supervisor-metrics.sock', job))).status, 200);
        assert.equal((await scrape(tcpTarget(port))).status, 401);
        if (!existsSync(PROMTOOL)) {
          t.skip(`${PROMTOOL} is not installed (Debian package prometheus; .ci/run installs it)`);
        } else {
          const metrics = await runProcess(PROMTOOL, ['check', 'metrics'], { input: answer.text });
          assert.deepEqual([metrics.code, metrics.stdout, metrics.stderr], [0, '', '']);
          const config = await runProcess(PROMTOOL, ['check', 'config', path.join(repoRoot, 'examples', 'metrics', 'prometheus.yml')]);
          assert.equal(config.code, 0, config.stdout + config.stderr);
        }
        assert.equal(await terminate(d), 0);
      });
    });

    it('examples/pid1-orphans: the orphans leaves-orphans leaves behind are reaped', async () => {
      await withDaemon(await example('pid1-orphans'), {}, async (d) => {
        await d.waitForLine(/INFO orphaned processes are reaped by supervisord-reaper /);
        await d.waitForCount(/INFO reaped unknown pid \d+ \(exit status 0\)/, 2);
        assert.deepEqual(d.matching(/WARN|ERRO/), []);
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
