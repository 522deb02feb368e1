// Following logs: tail -f and maintail -f over the unix socket and TCP (also across a log
// rotation), and fg (output shown, typed lines sent to the process, detaching).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { STEP_TIMEOUT, waitUntil } from '../harness/wait.js';
import { call, waitForState } from '../harness/rpc.js';
import { withCtlDaemon, type CtlDaemon, type LiveCtl } from '../harness/ctl.js';

const PROGRAMS = `
[program:cat]
command=cat
startsecs=0
stdout_logfile=%(tmp)s/cat.log
stdout_logfile_maxbytes=300
stdout_logfile_backups=1
`;

async function interrupt(live: LiveCtl): Promise<number | null> {
  live.child.kill('SIGINT');
  return live.exit();
}

/** One round of tail -f on cat's log; every text a round waits for is its own (`round`). */
async function followCat(a: CtlDaemon, round: string, serverArgs: string[]): Promise<void> {
  await waitForState(a.unix, 'cat', ['RUNNING']);
  await call(a.unix, 'supervisor.sendProcessStdin', 'cat', `hello-${round}\n`);
  const live = a.live(...serverArgs, 'tail', '-f', 'cat');
  await live.waitFor(`==> Press Ctrl-C to exit <==\n`);
  await live.waitFor(`hello-${round}`); // the end of the log comes first
  await call(a.unix, 'supervisor.sendProcessStdin', 'cat', `more-${round}\n`);
  await live.waitFor(`more-${round}\n`);
  // Past 300 bytes the log rotates; the stream carries on in the new file. The next line is sent
  // only once the filler is in the backup, so it cannot share the rotated-away write.
  const filler = `${round}:${'x'.repeat(400)}\n`;
  await call(a.unix, 'supervisor.sendProcessStdin', 'cat', filler);
  const rotated = await waitUntil(() => existsSync(a.d.path('cat.log.1')) && a.d.read('cat.log.1').endsWith(filler), STEP_TIMEOUT);
  assert.ok(rotated, 'the filler rotated the log');
  await call(a.unix, 'supervisor.sendProcessStdin', 'cat', `after-rotation-${round}\n`);
  await live.waitFor(`after-rotation-${round}\n`);
  assert.equal(await interrupt(live), 0);
  assert.ok(live.stdout.endsWith('\n'), 'Ctrl-C ends with a newline');
}

describe('supervisorctl following logs', { timeout: 180_000 }, () => {
  it('tail -f over the unix socket and over TCP, across rotation', async () => {
    await withCtlDaemon(PROGRAMS, { inet: true }, async (a) => {
      await followCat(a, 'unix', []);
      await followCat(a, 'tcp', ['-s', `http://127.0.0.1:${a.port!}`]);
    });
  });

  it('tail -f of an unknown process reports the HTTP status and ends', async () => {
    await withCtlDaemon(PROGRAMS, {}, async (a) => {
      const live = a.live('tail', '-f', 'nope');
      assert.equal(await live.exit(), 0);
      assert.equal(live.stdout, '==> Press Ctrl-C to exit <==\n');
      assert.equal(live.stderr, `unix://${a.d.path('s.sock')}/logtail/nope/stdout Cannot read, status code 404\n`);
    });
  });

  it('maintail -f shows what the daemon logs next', async () => {
    await withCtlDaemon(PROGRAMS, {}, async (a) => {
      await waitForState(a.unix, 'cat', ['RUNNING']);
      const live = a.live('maintail', '-f');
      await live.waitFor('==> Press Ctrl-C to exit <==\n');
      await live.waitFor("spawned: 'cat'"); // the end of the log comes first
      const from = live.stdout.length;
      await call(a.unix, 'supervisor.stopProcess', 'cat');
      await live.waitFor('stopped: cat', 30_000, from);
      assert.equal(await interrupt(live), 0);
    });
  });

  it('fg: output shown, lines typed reach stdin, end of input detaches', async () => {
    await withCtlDaemon(PROGRAMS, {}, async (a) => {
      await waitForState(a.unix, 'cat', ['RUNNING']);
      const live = a.live('fg', 'cat');
      await live.waitFor('==> Press Ctrl-C to exit <==\n');
      live.child.stdin!.write('typed-line\n');
      await live.waitFor('typed-line\n');
      live.child.stdin!.end();
      assert.equal(await live.exit(), 0);
      assert.ok(live.stdout.endsWith('Exiting foreground\n'), live.stdout);
      await waitForState(a.unix, 'cat', ['RUNNING']); // detaching leaves it running
    });
  });

  it('fg: Ctrl-C detaches; a process that died is noticed at the next line', async () => {
    await withCtlDaemon(PROGRAMS, {}, async (a) => {
      await waitForState(a.unix, 'cat', ['RUNNING']);
      const live = a.live('fg', 'cat');
      await live.waitFor('==> Press Ctrl-C to exit <==\n');
      assert.equal(await interrupt(live), 0);
      assert.ok(live.stdout.endsWith('Exiting foreground\n'), live.stdout);

      const again = a.live('fg', 'cat');
      await again.waitFor('==> Press Ctrl-C to exit <==\n');
      await call(a.unix, 'supervisor.stopProcess', 'cat');
      again.child.stdin!.write('anyone there?\n');
      assert.equal(await again.exit(), 0);
      assert.ok(again.stdout.endsWith('Process got killed\nExiting foreground\n'), again.stdout);
    });
  });
});
