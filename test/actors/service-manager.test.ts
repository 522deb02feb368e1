// ServiceManager: sd_notify datagrams to $NOTIFY_SOCKET through Perl, or systemd-notify without
// it; abstract socket names ("@name"); order kept; failures as rejections, never thrown.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openNotifySocket, type NotifyAssignment } from '../../actors/probes/notify-socket.js';
import { ServiceManager } from '../../actors/service-manager.js';
import { haveCommand } from '../harness/daemon-runs.js';
import { STEP_TIMEOUT, waitUntil } from '../harness/wait.js';

const dir = mkdtempSync(path.join(tmpdir(), 'service-manager-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The assignments `send` sends to a socket bound by the project's own receiver, once there are `count`. */
async function receive(send: (socketPath: string) => Promise<void>, count: number): Promise<NotifyAssignment[]> {
  const socket = await openNotifySocket(path.join(dir, `${count}-${Math.random().toString(36).slice(2)}.sock`));
  const received: NotifyAssignment[] = [];
  socket.messages.subscribe((a) => received.push(a));
  try {
    await send(socket.path);
    assert.ok(await waitUntil(() => received.length >= count, STEP_TIMEOUT), JSON.stringify(received));
    return received;
  } finally {
    await socket.close();
  }
}

describe('ServiceManager', () => {
  it('sends each notice as one datagram of KEY=VALUE lines, in the order sent', async () => {
    const received = await receive(async (socket) => {
      const manager = new ServiceManager(socket);
      await Promise.all([manager.notify({ READY: '1', STATUS: 'running' }), manager.notify({ STOPPING: '1' })]);
    }, 3);
    assert.deepEqual(received, [
      { key: 'READY', value: '1' },
      { key: 'STATUS', value: 'running' },
      { key: 'STOPPING', value: '1' },
    ]);
  });

  it('sends to an abstract socket, written @name as systemd does', async () => {
    const name = `sv-test-${process.pid}-${Math.random().toString(36).slice(2)}`;
    const receiver = spawn('perl', [
      '-e',
      'use Socket qw(AF_UNIX SOCK_DGRAM pack_sockaddr_un); socket(my $s, AF_UNIX, SOCK_DGRAM, 0) or die "$!\\n";' +
        ' bind($s, pack_sockaddr_un("\\0" . shift)) or die "$!\\n"; $| = 1; print "bound\\n";' +
        ' recv($s, my $m, 65536, 0); print unpack("H*", $m), "\\n";',
      name,
    ]);
    let output = '';
    receiver.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
    try {
      assert.ok(await waitUntil(() => output.startsWith('bound\n'), STEP_TIMEOUT), 'the receiver binds');
      await new ServiceManager(`@${name}`).notify({ READY: '1' });
      assert.ok(await waitUntil(() => output.split('\n').length > 2, STEP_TIMEOUT), output);
      assert.equal(Buffer.from(output.split('\n')[1]!, 'hex').toString(), 'READY=1');
    } finally {
      receiver.kill();
    }
  });

  it('without Perl it sends through systemd-notify', { skip: haveCommand('systemd-notify') ? false : 'needs systemd-notify' }, async () => {
    const received = await receive(
      (socket) => new ServiceManager(socket, { perl: 'no-such-perl' }).notify({ READY: '1', STATUS: 'x y' }),
      2,
    );
    // Then its own BARRIER=1 datagram, which waits until the receiver has read the first.
    assert.deepEqual(received.slice(0, 2), [
      { key: 'READY', value: '1' },
      { key: 'STATUS', value: 'x y' },
    ]);
  });

  it('a notice that cannot be sent rejects with the reason; the next one still goes', async () => {
    const manager = new ServiceManager(path.join(dir, 'nobody.sock'));
    await assert.rejects(manager.notify({ READY: '1' }), { code: 'EXTERNAL_COMMAND', message: 'No such file or directory' });
    const neither = new ServiceManager(path.join(dir, 'nobody.sock'), { perl: 'no-such-perl', systemdNotify: 'no-such-systemd-notify' });
    await assert.rejects(neither.notify({ READY: '1' }), /needs perl \(Debian package perl-base\) or systemd-notify/);
    await assert.rejects(manager.notify({ STOPPING: '1' }), { message: 'No such file or directory' });
  });

  it('fromEnvironment takes $NOTIFY_SOCKET out of the environment the children inherit', () => {
    const env: NodeJS.ProcessEnv = { NOTIFY_SOCKET: '/run/systemd/notify', PATH: '/bin' };
    assert.equal(ServiceManager.fromEnvironment(env)?.socket, '/run/systemd/notify');
    assert.deepEqual(env, { PATH: '/bin' });
    assert.equal(ServiceManager.fromEnvironment({ PATH: '/bin' }), null);
  });
});
