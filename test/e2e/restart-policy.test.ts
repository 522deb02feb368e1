// End-to-end: the restart policy (our extension) with a real daemon: backoff=exponential waits
// 1, 2, 4 s between failed starts, as the activity log's timestamps show; backoff_max= caps the
// wait; startretries=infinite keeps retrying past any count and still stops on request. Only
// lower bounds and order are asserted: a loaded machine makes every wait longer, never shorter.
// Ours only: the reference refuses startretries=infinite and ignores the other keys.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gaveUp, loggedAt, spawned } from '../harness/activity-lines.js';
import { apiConfig } from '../harness/config-text.js';
import { terminate, underTest, withDaemon, type Daemon } from '../harness/daemon.js';
import { asArray, asStruct, call, unixTarget, waitForRpc, waitForState } from '../harness/rpc.js';

/** How much earlier than asked a timer may fire, and the log's timestamps may round. */
const TIMER_SLACK_MS = 50;

/** Fails every start at once (startsecs is 1). */
const FAILS = "command=sh -c 'exit 1'\n";

/** Milliseconds between one spawn of `name` and the next, from the activity log's timestamps. */
function spawnGaps(d: Daemon, name: string): number[] {
  const times = d.lines.filter((line) => line.includes(`spawned: '${name}' `)).map(loggedAt);
  return times.slice(1).map((time, i) => time - times[i]!);
}

function assertWaitedAtLeast(gaps: number[], seconds: number[], what: string): void {
  assert.equal(gaps.length, seconds.length, `${what}: ${gaps.length} waits`);
  gaps.forEach((gap, i) =>
    assert.ok(gap >= seconds[i]! * 1000 - TIMER_SLACK_MS, `${what}: wait ${i + 1} was ${gap} ms, expected ${seconds[i]} s`),
  );
}

describe(
  `e2e restart policy (${underTest})`,
  { concurrency: true, skip: underTest === 'ours' ? false : 'readiness/liveness are our extension' },
  () => {
    it('backoff=exponential waits 1, 2, then 4 s; backoff_max= caps the wait', async () => {
      const body =
        `[program:doubling]\n${FAILS}backoff=exponential\nstartretries=3\n` +
        `[program:capped]\n${FAILS}backoff=exponential\nbackoff_max=1\nstartretries=3\n`;
      await withDaemon(apiConfig({ body }), {}, async (d) => {
        await d.waitForLine(/gave up: doubling /, 30_000);
        await d.waitForLine(/gave up: capped /);
        const attempt = [spawned('doubling'), 'WARN exited: doubling (exit status 1; not expected)'];
        assert.deepEqual(d.about('doubling'), [...attempt, ...attempt, ...attempt, ...attempt, gaveUp('doubling')]);
        assertWaitedAtLeast(spawnGaps(d, 'doubling'), [1, 2, 4], 'doubling');
        assertWaitedAtLeast(spawnGaps(d, 'capped'), [1, 1, 1], 'capped');
        // Capped, its four tries take about 3 s; uncapped, the fourth alone starts after 7 s.
        const activity = d.activity();
        assert.ok(activity.indexOf(gaveUp('capped')) < activity.lastIndexOf(spawned('doubling')), d.describe());
        assert.equal(await terminate(d), 0);
      });
    });

    it('startretries=infinite: retries past any count, never FATAL; a stop still stops it', async () => {
      const body = `[program:forever]\n${FAILS}startretries=infinite\nbackoff_max=0.1\n`;
      await withDaemon(apiConfig({ body }), {}, async (d) => {
        const unix = unixTarget(d);
        await waitForRpc(unix);
        // Far past the default of 3, and past what startretries=5 would allow.
        await d.waitForCount(/spawned: 'forever' /, 8);
        assert.deepEqual(d.matching(/gave up/), []);
        const config = asArray(await call(unix, 'supervisor.getAllConfigInfo')).map((c) => asStruct(c));
        // XML-RPC has no infinity: the largest int stands for it.
        assert.equal(config.find((c) => c['name'] === 'forever')?.['startretries'], 2 ** 31 - 1);
        const { statename } = asStruct(await call(unix, 'supervisor.getProcessInfo', 'forever'));
        assert.ok(statename === 'STARTING' || statename === 'BACKOFF', String(statename));

        assert.equal(await call(unix, 'supervisor.stopProcess', 'forever'), true);
        await waitForState(unix, 'forever', ['STOPPED']);
        assert.deepEqual(d.matching(/gave up/), []);
        assert.equal(await terminate(d), 0);
      });
    });
  },
);
