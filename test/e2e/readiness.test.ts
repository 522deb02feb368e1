// End-to-end: readiness= (our extension) with a real daemon and real programs: a TCP server that
// opens its port late, a program that says "listening" late on stdout or stderr, one that sends
// READY=1 over sd_notify (also as another user), an HTTP health URL that answers 503 while
// warming up, an exec: check that startProcess waits for; and a program that is never ready:
// the "not ready:" line, BACKOFF, the spawn error naming the check, the retry, FATAL. RUNNING,
// with its event and "success:" line, means ready; until then the process is STARTING. Ours
// only: the reference ignores the keys.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { listening } from '../harness/listening.js';
import { gaveUp, isRoot, loggedAt, spawned, success } from '../harness/activity-lines.js';
import { apiConfig } from '../harness/config-text.js';
import { haveCommand } from '../harness/daemon-runs.js';
import { terminate, underTest, withDaemon, type Daemon } from '../harness/daemon.js';
import { NOTIFY_WORKER, STATE_LISTENER, WEB_SERVER, waitForStateEvents } from '../harness/health-programs.js';
import { STEP_TIMEOUT, waitUntil } from '../harness/wait.js';
import { asStruct, call, callFault, freePort, unixTarget, waitForRpc, type Target } from '../harness/rpc.js';

const SYSTEM_PYTHON = '/usr/bin/python3';

/** How much earlier than asked a timer may fire (Node rounds to whole milliseconds). */
const TIMER_SLACK_MS = 50;

async function info(target: Target, name: string): Promise<Record<string, unknown>> {
  return asStruct(await call(target, 'supervisor.getProcessInfo', name));
}

/** The raw line of `re`, once logged. */
async function lineOf(d: Daemon, re: RegExp): Promise<string> {
  return (await d.waitForLine(re)).line;
}

/** Milliseconds from the "spawned:" line of `name` to its "success:" line. */
async function spawnToRunning(d: Daemon, name: string): Promise<number> {
  const ran = await lineOf(d, new RegExp(`success: ${name} `));
  return loggedAt(ran) - loggedAt(await lineOf(d, new RegExp(`spawned: '${name}' `)));
}

describe(
  `e2e readiness= (${underTest})`,
  { concurrency: true, skip: underTest === 'ours' ? false : 'readiness/liveness are our extension' },
  () => {
    it('tcp://: a server that opens its port 1.5 s after it is let go is STARTING until then, RUNNING with its success: line once it listens', async () => {
      const port = await freePort();
      // The shell holds the server back until the test lets it go, so STARTING is seen for sure.
      const body =
        `[program:web]\ncommand=sh -c 'while [ ! -e %(tmp)s/go ]; do sleep 0.05; done; exec node ${WEB_SERVER} --port ${port} --listen-after 1.5'\n` +
        `readiness=tcp://127.0.0.1:${port}\nreadiness_interval=0.1\nstdout_logfile=%(tmp)s/web.out\n`;
      await withDaemon(apiConfig({ body }) + STATE_LISTENER, {}, async (d) => {
        const unix = unixTarget(d);
        await waitForRpc(unix);
        const spawnedAt = loggedAt(await lineOf(d, /spawned: 'web' /));
        // startsecs (1 s) has passed, but it is not ready: still STARTING.
        await waitUntil(() => Date.now() > spawnedAt + 1000 + TIMER_SLACK_MS, STEP_TIMEOUT);
        const starting = await info(unix, 'web');
        assert.equal(starting['statename'], 'STARTING');
        assert.equal(starting['spawnerr'], '');
        assert.equal(await listening({ host: '127.0.0.1', port }), false);

        const letGo = Date.now();
        writeFileSync(d.path('go'), '');
        const ran = await lineOf(d, /success: web /);
        assert.ok(loggedAt(ran) >= letGo + 1500 - TIMER_SLACK_MS, `RUNNING ${loggedAt(ran) - letGo} ms after the server was let go`);
        assert.match(await d.readWhen('web.out', (text) => text.includes('\n')), new RegExp(`^listening on 127\\.0\\.0\\.1:${port}\n`));
        const running = await info(unix, 'web');
        assert.equal(running['statename'], 'RUNNING');
        assert.deepEqual(d.about('web'), [spawned('web'), success('web')]);
        const events = await waitForStateEvents(d, 'web', 2);
        assert.deepEqual(
          events.map((e) => [e.state, e.fields['from_state']]),
          [
            ['STARTING', 'STOPPED'],
            ['RUNNING', 'STARTING'],
          ],
        );
        assert.equal(Number(events[1]!.fields['pid']), running['pid']);
        assert.equal(await terminate(d), 0);
      });
    });

    it('stdout: and stderr: turn RUNNING on the line that matches, on that channel only', async () => {
      const [out, err, other] = await Promise.all([freePort(), freePort(), freePort()]);
      const body =
        `[program:out]\ncommand=node ${WEB_SERVER} --port ${out} --listen-after 1.5\nreadiness=stdout:^listening on\n` +
        `[program:err]\ncommand=sh -c 'exec node ${WEB_SERVER} --port ${err} --listen-after 1.5 >&2'\nreadiness=stderr:^listening on\n` +
        // Says "listening" at once, on stdout: a stderr: check never sees it.
        `[program:other]\ncommand=node ${WEB_SERVER} --port ${other}\nreadiness=stderr:listening\nreadiness_timeout=2\nstartretries=0\n`;
      await withDaemon(apiConfig({ body }), {}, async (d) => {
        const unix = unixTarget(d);
        await waitForRpc(unix);
        for (const name of ['out', 'err']) {
          const took = await spawnToRunning(d, name);
          assert.ok(took >= 1500 - TIMER_SLACK_MS, `${name} RUNNING ${took} ms after its spawn`);
          assert.equal((await info(unix, name))['statename'], 'RUNNING');
        }
        await d.waitForLine(/gave up: other /);
        assert.deepEqual(d.about('other').slice(-1), [gaveUp('other')]);
        assert.deepEqual(d.matching(/not ready: 'other'/), [
          "WARN not ready: 'other' did not pass stderr:listening within 2 seconds; stopping it",
        ]);
        assert.equal(await terminate(d), 0);
      });
    });

    it('notify: RUNNING when the program sends READY=1 to $NOTIFY_SOCKET', async () => {
      const body = `[program:worker]\ncommand=python3 ${NOTIFY_WORKER} --ready-after 1.5\nreadiness=notify\nstartsecs=0\n`;
      await withDaemon(apiConfig({ body }), {}, async (d) => {
        const unix = unixTarget(d);
        await waitForRpc(unix);
        const took = await spawnToRunning(d, 'worker');
        assert.ok(took >= 1500 - TIMER_SLACK_MS, `RUNNING ${took} ms after the spawn`);
        assert.equal((await info(unix, 'worker'))['statename'], 'RUNNING');
        assert.deepEqual(d.about('worker'), [spawned('worker'), success('worker', 0)]);
        assert.equal(await terminate(d), 0);
      });
    });

    it(
      "notify: a program written for systemd's Type=notify (systemd-notify --ready) works unchanged",
      {
        skip: haveCommand('systemd-notify') ? false : 'systemd-notify is not installed',
      },
      async () => {
        const body =
          "[program:unit]\ncommand=sh -c 'while [ ! -e %(tmp)s/go ]; do sleep 0.05; done; systemd-notify --ready --status=up; exec sleep 1000'\n" +
          'readiness=notify\nstartsecs=0\n';
        await withDaemon(apiConfig({ body }), {}, async (d) => {
          const unix = unixTarget(d);
          await waitForRpc(unix);
          await d.waitForLine(/spawned: 'unit' /);
          assert.equal((await info(unix, 'unit'))['statename'], 'STARTING');
          writeFileSync(d.path('go'), '');
          await d.waitForLine(/success: unit /);
          assert.equal((await info(unix, 'unit'))['statename'], 'RUNNING');
          assert.equal(await terminate(d), 0);
        });
      },
    );

    it(
      'notify: a program run as another user (user=) can reach the socket',
      {
        skip: !isRoot ? 'needs root, to run a program as nobody' : !existsSync(SYSTEM_PYTHON) && `no ${SYSTEM_PYTHON}`,
      },
      async () => {
        // The system's Python: nobody may not reach one under root's home.
        const body = `[program:worker]\ncommand=${SYSTEM_PYTHON} ${NOTIFY_WORKER}\nuser=nobody\nreadiness=notify\nstartsecs=0\n`;
        await withDaemon(apiConfig({ body }), {}, async (d) => {
          await d.waitForLine(/success: worker /);
          assert.deepEqual(d.about('worker'), [spawned('worker'), success('worker', 0)]);
          assert.equal(await terminate(d), 0);
        });
      },
    );

    it('http://: RUNNING on the first 2xx answer, not on the 503s of a server still warming up', async () => {
      const port = await freePort();
      const body =
        `[program:api]\ncommand=node ${WEB_SERVER} --port ${port} --warm-up 1.5\n` +
        `readiness=http://127.0.0.1:${port}/health\nreadiness_interval=0.1\nstartsecs=0\n`;
      await withDaemon(apiConfig({ body }), {}, async (d) => {
        const unix = unixTarget(d);
        await waitForRpc(unix);
        const took = await spawnToRunning(d, 'api');
        assert.ok(took >= 1500 - TIMER_SLACK_MS, `RUNNING ${took} ms after the spawn`);
        assert.equal((await info(unix, 'api'))['statename'], 'RUNNING');
        assert.equal(await terminate(d), 0);
      });
    });

    it("exec:: RUNNING once the command exits 0, run in the program's directory and environment; startProcess waits for it", async () => {
      const body =
        '[program:job]\ncommand=sleep 1000\ndirectory=%(tmp)s\nenvironment=T_FLAG=ready-file\nreadiness=exec:sh -c \'test -e "$T_FLAG"\'\n' +
        'readiness_interval=0.1\nautostart=false\n';
      await withDaemon(apiConfig({ body }), {}, async (d) => {
        const unix = unixTarget(d);
        await waitForRpc(unix);
        let ready = false;
        const started = call(unix, 'supervisor.startProcess', 'job').then((value) => ({ value, afterReady: ready }));
        await d.waitForLine(/spawned: 'job' /);
        assert.equal((await info(unix, 'job'))['statename'], 'STARTING');
        ready = true;
        writeFileSync(d.path('ready-file'), '');
        assert.deepEqual(await started, { value: true, afterReady: true });
        assert.equal((await info(unix, 'job'))['statename'], 'RUNNING');
        assert.deepEqual(d.about('job'), [spawned('job'), success('job')]);
        assert.equal(await terminate(d), 0);
      });
    });

    it('never ready: a "not ready:" line naming the check, BACKOFF, a retry, then FATAL with the spawn error; an exit before ready is "exited too quickly"', async () => {
      const port = await freePort();
      const check = `tcp://127.0.0.1:${port}`;
      const body =
        `[program:never]\ncommand=sleep 1000\nreadiness=${check}\nreadiness_timeout=1\nreadiness_interval=0.2\nstartretries=1\n` +
        `[program:quitter]\ncommand=sh -c 'exit 3'\nreadiness=${check}\nstartsecs=0\nstartretries=0\n`;
      await withDaemon(apiConfig({ body }) + STATE_LISTENER, {}, async (d) => {
        const unix = unixTarget(d);
        await waitForRpc(unix);
        await d.waitForLine(/gave up: never /);
        const notReady = `WARN not ready: 'never' did not pass ${check} within 1 seconds (last attempt: ECONNREFUSED); stopping it`;
        const exited = 'WARN exited: never (terminated by SIGTERM; not expected)';
        assert.deepEqual(d.matching(/'never'|: never /), [
          spawned('never'),
          notReady,
          exited,
          spawned('never'),
          notReady,
          exited,
          gaveUp('never'),
        ]);
        const spawnerr = `readiness check ${check} did not pass within 1 seconds`;
        const fatal = await info(unix, 'never');
        assert.equal(fatal['statename'], 'FATAL');
        assert.equal(fatal['spawnerr'], spawnerr);
        assert.equal(fatal['description'], spawnerr);
        const events = await waitForStateEvents(d, 'never', 5);
        assert.deepEqual(
          events.map((e) => [e.state, e.fields['tries']]),
          [
            ['STARTING', '0'],
            ['BACKOFF', '1'],
            ['STARTING', '1'],
            ['BACKOFF', '2'],
            ['FATAL', undefined],
          ],
        );

        // A start asked for over XML-RPC fails the same way, as a spawn error.
        const from = d.lines.length;
        assert.deepEqual(await callFault(unix, 'supervisor.startProcess', 'never'), { faultCode: 50, faultString: 'SPAWN_ERROR: never' });
        assert.deepEqual(d.activity().slice(from, from + 3), [spawned('never'), notReady, exited]);

        await d.waitForLine(/gave up: quitter /);
        assert.equal((await info(unix, 'quitter'))['spawnerr'], 'Exited too quickly (process log may have details)');
        assert.equal(await terminate(d), 0);
      });
    });
  },
);
