// End-to-end: supervisord under a service manager (systemd's Type=notify): with $NOTIFY_SOCKET
// set it sends READY=1 once it runs, RELOADING=1 and READY=1 again around a SIGHUP restart,
// STOPPING=1 when it shuts down, MAINPID in daemon mode; its children do not inherit the socket.
// The socket is the project's own sd_notify receiver. Ours only: the reference sends nothing.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openNotifySocket, type NotifyAssignment, type NotifySocket } from '../../actors/probes/notify-socket.js';
import { supervisordSection } from '../harness/config-text.js';
import { Daemon, terminate, underTest, withDaemon, wholeLines } from '../harness/daemon.js';
import { isAlive } from '../harness/pids.js';
import { STEP_TIMEOUT, waitUntil } from '../harness/wait.js';

const socketsDir = mkdtempSync(path.join(tmpdir(), 'sv-e2e-notify-'));
after(() => rmSync(socketsDir, { recursive: true, force: true }));
let sockets = 0;

/** A service manager's socket: what the daemon sent, as assignments in arrival order. */
async function serviceManager(): Promise<{
  socket: NotifySocket;
  received: NotifyAssignment[];
  waitFor(key: string, count?: number): Promise<void>;
}> {
  const socket = await openNotifySocket(path.join(socketsDir, `notify-${++sockets}.sock`));
  const received: NotifyAssignment[] = [];
  socket.messages.subscribe((assignment) => received.push(assignment));
  const waitFor = async (key: string, count = 1) => {
    const seen = () => received.filter((a) => a.key === key).length >= count;
    if (!(await waitUntil(seen, STEP_TIMEOUT)))
      throw new Error(`no ${count} × ${key} within ${STEP_TIMEOUT} ms: ${JSON.stringify(received)}`);
  };
  return { socket, received, waitFor };
}

const notices = (received: NotifyAssignment[]) =>
  received.filter((a) => ['READY', 'RELOADING', 'STOPPING'].includes(a.key)).map((a) => a.key);

const CONFIG =
  supervisordSection() +
  '[unix_http_server]\nfile=%(tmp)s/supervisor.sock\n' +
  // What a child sees of $NOTIFY_SOCKET.
  `[program:child]\ncommand=/bin/sh -c 'echo "\${NOTIFY_SOCKET-unset}" > %(tmp)s/child-env; exec sleep 1000'\n`;

describe(`e2e service manager notices (${underTest})`, { concurrency: true, skip: underTest === 'ours' ? false : 'ours only' }, () => {
  it('READY=1 once it runs, RELOADING=1 and READY=1 on SIGHUP, STOPPING=1 on shutdown; children do not see the socket', async () => {
    const { socket, received, waitFor } = await serviceManager();
    try {
      await withDaemon(CONFIG, { env: { NOTIFY_SOCKET: socket.path } }, async (d) => {
        await waitFor('READY');
        assert.ok(existsSync(d.path('supervisor.sock')), 'ready: the control socket is there');
        assert.deepEqual(
          received.find((a) => a.key === 'STATUS'),
          { key: 'STATUS', value: 'running, 1 process configured' },
        );
        assert.equal(
          received.some((a) => a.key === 'MAINPID'),
          false,
          'in the foreground the manager knows the pid',
        );
        assert.equal(await d.readWhen('child-env', wholeLines), 'unset\n');

        d.signal('SIGHUP');
        await waitFor('READY', 2);
        assert.deepEqual(notices(received), ['READY', 'RELOADING', 'READY']);
        assert.match(received.find((a) => a.key === 'MONOTONIC_USEC')?.value ?? '', /^\d+$/);

        assert.equal(await terminate(d), 0);
        await waitFor('STOPPING');
        assert.deepEqual(notices(received), ['READY', 'RELOADING', 'READY', 'STOPPING']);
        assert.deepEqual(d.matching(/service manager/), []);
      });
    } finally {
      await socket.close();
    }
  });

  it('in daemon mode the background daemon sends READY=1 with its MAINPID', async () => {
    const { socket, received, waitFor } = await serviceManager();
    const d = Daemon.start(CONFIG, { rawArgs: ['-c', '%(tmp)s/supervisord.conf'], env: { NOTIFY_SOCKET: socket.path } });
    try {
      assert.equal((await d.waitForExit()).code, 0, d.describe());
      await waitFor('READY');
      const pid = await d.readWhen('supervisord.pid', wholeLines);
      assert.deepEqual(
        received.find((a) => a.key === 'MAINPID'),
        { key: 'MAINPID', value: pid.trim() },
      );
      process.kill(Number(pid), 'SIGTERM');
      await waitFor('STOPPING');
      assert.ok(await waitUntil(() => !isAlive(Number(pid)), STEP_TIMEOUT), 'the background daemon exits');
    } finally {
      await d.teardown();
      await socket.close();
    }
  });

  it('a socket nobody listens on: the daemon runs all the same, with a warning', async () => {
    const nobody = path.join(socketsDir, 'nobody.sock');
    await withDaemon(CONFIG, { env: { NOTIFY_SOCKET: nobody } }, async (d) => {
      await d.waitForLine(/success: child /);
      await d.waitForLine(/could not notify the service manager/);
      assert.deepEqual(d.matching(/service manager/), [
        `WARN could not notify the service manager at ${nobody}: No such file or directory`,
      ]);
      assert.equal(await terminate(d), 0);
    });
  });
});
