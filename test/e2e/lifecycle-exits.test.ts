// End-to-end: the activity log of children that exit: judged against startsecs and exitcodes,
// restarted per autorestart, retried per startretries until FATAL. Runs against
// SUPERVISORD_UNDER_TEST=reference or ours.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawned, success, gaveUp } from '../harness/activity-lines.js';
import { sentinelStopped } from '../harness/api-daemon.js';
import { supervisordSection, RPC_SECTIONS, SENTINEL_PROGRAM } from '../harness/config-text.js';
import { withDaemon, underTest, terminate } from '../harness/daemon.js';

// Quick-exiting children use startsecs=3: the reference only notices an exit (reaps) on a
// main-loop pass, and an idle pass can come >1 s after the pipes closed, in which case a
// child that died at once is first declared RUNNING ("success: ...") with startsecs=1.

describe(`e2e lifecycle: exits and restarts (${underTest})`, { concurrency: true }, () => {
  it('startsecs=0: success line says "> than 0 seconds", then an exit is judged against exitcodes', async () => {
    await withDaemon(
      supervisordSection() +
        `
[program:z]
command=sh -c 'sleep 0.5; exit 0'
startsecs=0
autorestart=false
`,
      {},
      async (d) => {
        await d.waitForLine(/exited: z /);
        assert.deepEqual(d.about('z'), [spawned('z'), success('z', 0), 'INFO exited: z (exit status 0; expected)']);
        assert.equal(await terminate(d), 0);
      },
    );
  });

  it('startsecs=0 with a non-zero exit: "not expected" and autorestart=unexpected restarts it', async () => {
    await withDaemon(
      supervisordSection() +
        `
[program:z]
command=sh -c 'sleep 0.5; exit 1'
startsecs=0
autorestart=unexpected
`,
      {},
      async (d) => {
        await d.waitForCount(/spawned: 'z'/, 2);
        assert.deepEqual(d.about('z').slice(0, 4), [
          spawned('z'),
          success('z', 0),
          'WARN exited: z (exit status 1; not expected)',
          spawned('z'),
        ]);
        assert.equal(await terminate(d), 0);
      },
    );
  });

  it('crash loop: startretries=2 gives exactly 3 spawns, each "exited ... not expected", then gave up (FATAL)', async () => {
    await withDaemon(
      supervisordSection() +
        `
[program:crash]
command=sh -c 'exit 3'
startretries=2
startsecs=3
` +
        RPC_SECTIONS +
        SENTINEL_PROGRAM,
      {},
      async (d) => {
        await d.waitForLine(/gave up: crash /, 30_000);
        const expected = [
          spawned('crash'),
          'WARN exited: crash (exit status 3; not expected)',
          spawned('crash'),
          'WARN exited: crash (exit status 3; not expected)',
          spawned('crash'),
          'WARN exited: crash (exit status 3; not expected)',
          gaveUp('crash'),
        ];
        assert.deepEqual(d.about('crash'), expected);
        // FATAL is final: nothing more about crash once the daemon has moved on
        await sentinelStopped(d);
        assert.deepEqual(d.about('crash'), expected);
        assert.equal(await terminate(d), 0);
      },
    );
  });

  it('startretries=0: a single attempt then gave up', async () => {
    await withDaemon(supervisordSection() + "[program:c0]\ncommand=sh -c 'exit 7'\nstartretries=0\nstartsecs=3\n", {}, async (d) => {
      await d.waitForLine(/gave up: c0 /, 20_000);
      assert.deepEqual(d.about('c0'), [spawned('c0'), 'WARN exited: c0 (exit status 7; not expected)', gaveUp('c0')]);
      assert.equal(await terminate(d), 0);
    });
  });

  for (const [kind, code, line] of [
    ['an expected', 0, 'INFO exited: once (exit status 0; expected)'],
    ['an unexpected', 2, 'WARN exited: once (exit status 2; not expected)'],
  ] as const) {
    it(`autorestart=false: ${kind} exit after RUNNING is final`, async () => {
      await withDaemon(
        supervisordSection() +
          `
[program:once]
command=sh -c 'sleep 1.5; exit ${code}'
autorestart=false
` +
          RPC_SECTIONS +
          SENTINEL_PROGRAM,
        {},
        async (d) => {
          await d.waitForLine(/exited: once /, 20_000);
          await sentinelStopped(d); // a restart would have come before this
          assert.deepEqual(d.about('once'), [spawned('once'), success('once'), line]);
          assert.equal(await terminate(d), 0);
        },
      );
    });
  }

  it('autorestart=true: an expected exit is restarted', async () => {
    await withDaemon(supervisordSection() + "[program:again]\ncommand=sh -c 'sleep 1.5; exit 0'\nautorestart=true\n", {}, async (d) => {
      await d.waitForCount(/spawned: 'again'/, 2, 20_000);
      assert.deepEqual(d.about('again').slice(0, 4), [
        spawned('again'),
        success('again'),
        'INFO exited: again (exit status 0; expected)',
        spawned('again'),
      ]);
      assert.equal(await terminate(d), 0);
    });
  });

  it('autorestart=unexpected with exitcodes=0,4: exit 4 is expected and not restarted; exit 5 is restarted', async () => {
    await withDaemon(
      supervisordSection() +
        `
[program:four]
command=sh -c 'sleep 1.5; exit 4'
exitcodes=0,4
autorestart=unexpected
[program:five]
command=sh -c 'sleep 1.5; exit 5'
exitcodes=0,4
autorestart=unexpected
` +
        RPC_SECTIONS +
        SENTINEL_PROGRAM,
      {},
      async (d) => {
        await d.waitForLine(/exited: four /, 20_000);
        await d.waitForCount(/spawned: 'five'/, 2, 20_000);
        await sentinelStopped(d); // a restart of four would have come before this
        assert.deepEqual(d.about('four'), [spawned('four'), success('four'), 'INFO exited: four (exit status 4; expected)']);
        assert.deepEqual(d.about('five').slice(0, 4), [
          spawned('five'),
          success('five'),
          'WARN exited: five (exit status 5; not expected)',
          spawned('five'),
        ]);
        assert.equal(await terminate(d), 0);
      },
    );
  });
});
