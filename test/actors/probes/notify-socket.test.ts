// The sd_notify socket with real datagrams: from a small Python sender and from systemd-notify.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { openNotifySocket, parseAssignments, type NotifyAssignment, type NotifySocket } from '../../../actors/probes/notify-socket.js';
import { isSupervisorError } from '../../../common/errors.js';
import { STEP_TIMEOUT, waitUntil } from '../../harness/wait.js';

const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'probes-notify-'));
const opened: NotifySocket[] = [];
after(async () => {
  await Promise.all(opened.map((socket) => socket.close()));
  fs.rmSync(dir, { recursive: true, force: true });
});
const SYSTEMD_NOTIFY = ['/usr/bin/systemd-notify', '/bin/systemd-notify'].find((file) => fs.existsSync(file));

/** The pid of the helper that binds `socketPath` (its last argument), from /proc. */
function helperPid(socketPath: string): number | null {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let argv: string[];
    try {
      argv = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // gone since the listing
    }
    if (argv.at(-2) === socketPath && argv.includes('-e')) return Number(entry);
  }
  return null;
}

let count = 0;
/** A socket at a fresh path, with what it receives. */
async function open(): Promise<{ socket: NotifySocket; received: NotifyAssignment[]; completed: () => boolean }> {
  const socket = await openNotifySocket(path.join(dir, `notify-${++count}.sock`));
  opened.push(socket);
  const received: NotifyAssignment[] = [];
  let done = false;
  socket.messages.subscribe({ next: (assignment) => received.push(assignment), complete: () => (done = true) });
  return { socket, received, completed: () => done };
}

/** Sends each of `datagrams` to $NOTIFY_SOCKET, as a program written for systemd would. */
async function send(socketPath: string, ...datagrams: string[]): Promise<void> {
  const script =
    'import os, socket, sys\ns = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\nfor d in sys.argv[1:]: s.sendto(d.encode(), os.environ["NOTIFY_SOCKET"])';
  await run('python3', ['-c', script, ...datagrams], { env: { ...process.env, NOTIFY_SOCKET: socketPath } });
}

describe('parseAssignments', () => {
  it('reads KEY=VALUE lines, the value being everything after the first "="', () => {
    assert.deepEqual(parseAssignments(Buffer.from('READY=1\nSTATUS=a=b\n\nnonsense\n=x\nEMPTY=')), [
      { key: 'READY', value: '1' },
      { key: 'STATUS', value: 'a=b' },
      { key: 'EMPTY', value: '' },
    ]);
  });
});

describe('openNotifySocket', () => {
  it('passes on what a program sends, every assignment of every datagram, in order', async () => {
    const { socket, received } = await open();
    await send(socket.path, 'READY=1');
    assert.ok(await waitUntil(() => received.length === 1, STEP_TIMEOUT));
    assert.deepEqual(received, [{ key: 'READY', value: '1' }]);
    await send(socket.path, 'STATUS=prêt à servir\nWATCHDOG=1\n', '', 'MAINPID=42');
    assert.ok(await waitUntil(() => received.length === 4, STEP_TIMEOUT));
    assert.deepEqual(received.slice(1), [
      { key: 'STATUS', value: 'prêt à servir' },
      { key: 'WATCHDOG', value: '1' },
      { key: 'MAINPID', value: '42' },
    ]);
  });

  it(
    'answers systemd-notify, which waits for the descriptor it passes to be closed',
    { skip: !SYSTEMD_NOTIFY && 'no systemd-notify' },
    async () => {
      const { socket, received } = await open();
      await run(SYSTEMD_NOTIFY ?? '', ['--ready', '--status=up and running'], {
        env: { ...process.env, NOTIFY_SOCKET: socket.path },
        timeout: 4000,
      });
      assert.ok(await waitUntil(() => received.some((a) => a.key === 'STATUS'), STEP_TIMEOUT));
      assert.deepEqual(
        received.filter((a) => a.key !== 'BARRIER'),
        [
          { key: 'READY', value: '1' },
          { key: 'STATUS', value: 'up and running' },
        ],
      );
    },
  );

  it('removes the socket file and completes the messages when closed', async () => {
    const { socket, completed } = await open();
    assert.ok(fs.statSync(socket.path).isSocket());
    await socket.close();
    assert.equal(fs.existsSync(socket.path), false);
    assert.equal(completed(), true);
    assert.equal(socket.failure, null);
    await socket.close();
  });

  it('leaves a socket bound at its path since alone when closed', async () => {
    const { socket } = await open();
    const successor = await openNotifySocket(socket.path);
    opened.push(successor);
    await socket.close();
    assert.ok(fs.statSync(successor.path).isSocket());
    await successor.close();
    assert.equal(fs.existsSync(successor.path), false);
  });

  it('replaces a stale socket, and says why it cannot bind otherwise', async () => {
    const stale = path.join(dir, 'stale.sock');
    await run('python3', ['-c', 'import socket, sys; socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).bind(sys.argv[1])', stale]);
    assert.ok(fs.statSync(stale).isSocket());
    const socket = await openNotifySocket(stale);
    opened.push(socket);
    const received: NotifyAssignment[] = [];
    socket.messages.subscribe((assignment) => received.push(assignment));
    await send(stale, 'READY=1');
    assert.ok(await waitUntil(() => received.length === 1, STEP_TIMEOUT));
    const regular = path.join(dir, 'regular-file');
    fs.writeFileSync(regular, '');
    await assert.rejects(
      openNotifySocket(regular),
      (error) => isSupervisorError(error, 'SPAWN') && error.message === `can't open the notify socket ${regular}: Address already in use`,
    );
    const nowhere = path.join(dir, 'no-such-dir', 'x.sock');
    await assert.rejects(openNotifySocket(nowhere), { message: `can't open the notify socket ${nowhere}: No such file or directory` });
    const long = path.join(dir, 'x'.repeat(120));
    await assert.rejects(openNotifySocket(long), { message: `can't open the notify socket ${long}: the path is longer than 107 bytes` });
  });

  it('fails with an error naming the helper when it is missing', async () => {
    const file = path.join(dir, 'missing-helper.sock');
    await assert.rejects(openNotifySocket(file, { perl: 'no-such-perl' }), (error) => {
      assert.ok(isSupervisorError(error, 'SPAWN'));
      assert.equal(
        error.message,
        `can't open the notify socket ${file}: it needs no-such-perl (Debian package perl-base), which is missing: can't find command 'no-such-perl'`,
      );
      return true;
    });
  });

  it('completes the messages and tells why when the helper dies', async () => {
    const { socket, completed } = await open();
    const pid = helperPid(socket.path);
    assert.ok(pid !== null);
    process.kill(pid, 'SIGKILL');
    assert.ok(await waitUntil(completed, STEP_TIMEOUT), 'the messages completed');
    assert.equal(socket.failure, 'the helper ended (SIGKILL)');
    await socket.close();
    assert.equal(fs.existsSync(socket.path), false);
  });

  it('does not outlive a daemon that was killed: the helper removes the socket and exits', async () => {
    const file = path.join(dir, 'orphan.sock');
    const module = new URL('../../../actors/probes/notify-socket.js', import.meta.url).href;
    const daemon = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(module)}); await m.openNotifySocket(${JSON.stringify(file)}); console.log('open');`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise((resolve) => daemon.stdout.once('data', resolve));
    assert.ok(fs.statSync(file).isSocket());
    daemon.kill('SIGKILL');
    assert.ok(await waitUntil(() => !fs.existsSync(file) && helperPid(file) === null, STEP_TIMEOUT), 'the helper and its socket are gone');
  });
});
