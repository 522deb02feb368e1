// End-to-end: liveness= (our extension) with a real daemon and real programs: a web server that
// stops answering its health URL (hung by itself, or frozen with SIGSTOP) is restarted the
// normal way, with a "liveness:" line naming the check, a new pid and the state events a
// listener sees; liveness=watchdog restarts a program whose WATCHDOG=1 stop coming, and keeps
// one that sends them. Ours only: the reference ignores the keys.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { gaveUp, spawned, success } from '../harness/activity-lines.js';
import { apiConfig } from '../harness/config-text.js';
import { parseSpawned, terminate, underTest, withDaemon, type Daemon } from '../harness/daemon.js';
import { NOTIFY_WORKER, STATE_LISTENER, WEB_SERVER, waitForStateEvents, type StateEvent } from '../harness/health-programs.js';
import { call, freePort, pidOf, unixTarget, waitForRpc } from '../harness/rpc.js';

/** The pids `name` was spawned with, in order. */
function spawnedPids(d: Daemon, name: string): number[] {
  return d.lines.flatMap((line) => {
    const hit = parseSpawned(line);
    return hit?.name === name ? [hit.pid] : [];
  });
}

/** The states of the events, each with the state it came from. */
const transitions = (events: StateEvent[]) => events.map((e) => `${e.fields['from_state']} -> ${e.state}`);

/** A restart after a failed liveness check, as a listener sees it. */
const RESTART = [
  'STOPPED -> STARTING',
  'STARTING -> RUNNING',
  'RUNNING -> STOPPING',
  'STOPPING -> STOPPED',
  'STOPPED -> STARTING',
  'STARTING -> RUNNING',
];

describe(
  `e2e liveness= (${underTest})`,
  { concurrency: true, skip: underTest === 'ours' ? false : 'readiness/liveness are our extension' },
  () => {
    it('http://: a server that stops answering its health URL is restarted: a liveness: line, STOPPING, STOPPED, STARTING, RUNNING, a new pid', async () => {
      const port = await freePort();
      const health = `http://127.0.0.1:${port}/health`;
      const body =
        `[program:web]\ncommand=node ${WEB_SERVER} --port ${port} --hang-after 1\nreadiness=${health}\nreadiness_interval=0.1\n` +
        `liveness=${health}\nliveness_interval=0.3\nliveness_failures=2\n`;
      await withDaemon(apiConfig({ body }) + STATE_LISTENER, {}, async (d) => {
        const unix = unixTarget(d);
        await waitForRpc(unix);
        await d.waitForCount(/success: web /, 2);
        const [first, second] = spawnedPids(d, 'web');
        assert.ok(first && second && first !== second);
        assert.deepEqual(d.about('web').slice(0, 5), [
          spawned('web'),
          success('web'),
          'INFO stopped: web (exit status 0)',
          spawned('web'),
          success('web'),
        ]);
        // The attempt's timeout is the interval, but at least half a second.
        const liveness = `WARN liveness: 'web' ${health} failed 2 times in a row (last: timed out after 500 ms); restarting it`;
        assert.deepEqual(d.matching(/liveness:/).slice(0, 1), [liveness]);
        assert.ok(d.activity().indexOf(liveness) < d.activity().indexOf('INFO stopped: web (exit status 0)'));

        const events = await waitForStateEvents(d, 'web', RESTART.length);
        assert.deepEqual(transitions(events).slice(0, RESTART.length), RESTART);
        assert.equal(Number(events[1]!.fields['pid']), first);
        assert.equal(Number(events[5]!.fields['pid']), second);
        assert.equal(await terminate(d), 0);
      });
    });

    it('http://: a server frozen with SIGSTOP is restarted the normal way: stopsignal, stopwaitsecs, then SIGKILL', async () => {
      const port = await freePort();
      const health = `http://127.0.0.1:${port}/health`;
      const body =
        `[program:frozen]\ncommand=node ${WEB_SERVER} --port ${port}\nreadiness=${health}\nreadiness_interval=0.1\n` +
        `liveness=${health}\nliveness_interval=0.2\nliveness_failures=3\nstopwaitsecs=1\n`;
      await withDaemon(apiConfig({ body }) + STATE_LISTENER, {}, async (d) => {
        const unix = unixTarget(d);
        await waitForRpc(unix);
        await d.waitForLine(/success: frozen /);
        const first = pidOf(await call(unix, 'supervisor.getProcessInfo', 'frozen'));
        assert.equal(await call(unix, 'supervisor.signalProcess', 'frozen', 'STOP'), true);
        const from = d.lines.length;
        await d.waitForLine(/liveness: 'frozen' /, undefined, from);
        await d.waitForLine(/stopped: frozen /, undefined, from);
        await d.waitForLine(/success: frozen /, undefined, from);
        // The server handles SIGTERM, so the signal waits for a SIGCONT that never comes: SIGKILL.
        assert.deepEqual(d.matching(/frozen/).slice(2), [
          `WARN liveness: 'frozen' ${health} failed 3 times in a row (last: timed out after 500 ms); restarting it`,
          "WARN killing 'frozen' (<pid>) with SIGKILL",
          'WARN stopped: frozen (terminated by SIGKILL)',
          spawned('frozen'),
          success('frozen'),
        ]);
        const info = await call(unix, 'supervisor.getProcessInfo', 'frozen');
        assert.notEqual(pidOf(info), first);
        assert.equal(spawnedPids(d, 'frozen').at(-1), pidOf(info));
        assert.deepEqual(transitions(await waitForStateEvents(d, 'frozen', RESTART.length)).slice(0, RESTART.length), RESTART);
        assert.equal(await terminate(d), 0);
      });
    });

    it("exec:: an attempt that cannot be made (the program's env file is gone) counts as failed; the restart then meets the spawn error", async () => {
      const body =
        '[program:w]\ncommand=sleep 1000\nenv_file=%(tmp)s/app.env\nliveness=exec:true\nliveness_interval=0.2\nliveness_failures=2\n' +
        'startretries=0\n';
      await withDaemon(apiConfig({ body }), { files: { 'app.env': 'T_A=1\n' } }, async (d) => {
        await d.waitForLine(/success: w /);
        rmSync(d.path('app.env'));
        await d.waitForLine(/gave up: w /);
        const unreadable = "couldn't read env_file %(tmp)s/app.env: ENOENT";
        assert.deepEqual(d.activity().slice(-4), [
          `WARN liveness: 'w' exec:true failed 2 times in a row (last: ${unreadable}); restarting it`,
          'WARN stopped: w (terminated by SIGTERM)',
          `INFO spawnerr: ${unreadable}`,
          gaveUp('w'),
        ]);
        assert.equal(await terminate(d), 0);
      });
    });

    it('watchdog: a program whose WATCHDOG=1 stop is restarted; one that keeps sending them keeps running', async () => {
      const body =
        `[program:stuck]\ncommand=python3 ${NOTIFY_WORKER} --beats 3\nreadiness=notify\nliveness=watchdog\nliveness_timeout=1\n` +
        'startsecs=0\nstdout_logfile=%(tmp)s/stuck.out\n' +
        // Sends WATCHDOG=1 every 1.5 s.
        `[program:steady]\ncommand=python3 ${NOTIFY_WORKER}\nreadiness=notify\nliveness=watchdog\nliveness_timeout=3\n` +
        'startsecs=0\nstdout_logfile=%(tmp)s/steady.out\n';
      await withDaemon(apiConfig({ body }) + STATE_LISTENER, {}, async (d) => {
        const unix = unixTarget(d);
        await waitForRpc(unix);
        await d.waitForCount(/success: stuck /, 2);
        assert.deepEqual(d.matching(/liveness: 'stuck'/).slice(0, 1), [
          "WARN liveness: 'stuck' watchdog: no WATCHDOG=1 within 1 seconds; restarting it",
        ]);
        assert.match(await d.readWhen('stuck.out', (text) => text.includes('stuck\n')), /^ready\nbeat 1\nbeat 2\nbeat 3\nstuck\n/);
        assert.deepEqual(d.about('stuck').slice(0, 5), [
          spawned('stuck'),
          success('stuck', 0),
          'WARN stopped: stuck (terminated by SIGTERM)',
          spawned('stuck'),
          success('stuck', 0),
        ]);
        assert.deepEqual(transitions(await waitForStateEvents(d, 'stuck', RESTART.length)).slice(0, RESTART.length), RESTART);

        // Past its timeout, with beats to show for it: still the first child.
        await d.readWhen('steady.out', (text) => text.includes('beat 4\n'));
        assert.deepEqual(d.matching(/'steady'|: steady /), [spawned('steady'), success('steady', 0)]);
        assert.equal(pidOf(await call(unix, 'supervisor.getProcessInfo', 'steady')), spawnedPids(d, 'steady')[0]);
        assert.equal(await terminate(d), 0);
      });
    });
  },
);
