// The FastCGI socket of a group, on real sockets: created at the first acquire, shared, closed at
// the last release and created anew, a host name looked up; listening but accepted on only by the child that gets it;
// invisible to other children; a unix socket's mode and owner set before it is handed out; and
// the reference's messages when it cannot be made.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { FcgiSocket } from '../../actors/fcgi/socket-manager.js';
import type { FcgiSocketConfig } from '../../config/types.js';
import { lookupUser } from '../../config/users.js';
import { listening } from '../harness/listening.js';
import { freePort } from '../harness/rpc.js';
import { RecordingLog } from '../harness/fake-system.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'fcgi-socket-'));
const children = new Set<number>();
after(() => {
  for (const pid of children) process.kill(pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const location = { file: '/etc/supervisord.conf', line: 7 };

function tcp(port: number, host = '127.0.0.1'): FcgiSocketConfig {
  return { kind: 'tcp', host, port, url: `tcp://${host}:${port}`, backlog: null, location };
}

function unix(file: string, settings: { mode?: number; owner?: { uid: number; gid: number } } = {}): FcgiSocketConfig {
  return {
    kind: 'unix',
    path: file,
    owner: settings.owner ?? null,
    mode: settings.mode ?? 0o700,
    url: `unix://${file}`,
    backlog: 5,
    location,
  };
}

function manager(config: FcgiSocketConfig) {
  const log = new RecordingLog();
  return { log, socket: new FcgiSocket('php', config, log) };
}

/** A child that accepts one connection on its fd 0 and answers with its pid. */
async function acceptingChild(fd: number): Promise<number> {
  const child = spawn('perl', ['-e', 'accept(my $c, STDIN) or die "accept: $!"; print $c "served by $$\\n"'], {
    stdio: [fd, 'ignore', 'inherit'],
  });
  await once(child, 'spawn');
  children.add(child.pid!);
  child.once('exit', () => children.delete(child.pid!));
  return child.pid!;
}

function ask(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    const client = net.connect({ port, host: '127.0.0.1' });
    client.setEncoding('utf8').on('data', (text: string) => (answer += text));
    client.once('end', () => resolve(answer));
    client.once('error', reject);
  });
}

/** The socket inode a descriptor of this process refers to: "socket:[123]". */
const inodeOf = (fd: number) => readlinkSync(`/proc/self/fd/${fd}`);

/**
 * What a child's descriptor refers to, or undefined when the child closed it after it was listed:
 * `sleep` opens and closes files of its own while it starts, inherited descriptors stay open.
 */
function descriptorTarget(pid: number, fd: string): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/fd/${fd}`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

describe('fcgi socket manager', { concurrency: false }, () => {
  it('is created at the first acquire, shared by later ones, closed at the last release, created anew after', async () => {
    const port = await freePort();
    const { log, socket } = manager(tcp(port));
    assert.equal(await listening({ port }), false);
    const first = socket.acquire();
    const second = socket.acquire();
    assert.equal(second.fd, first.fd);
    assert.equal(socket.holderCount, 2);
    assert.deepEqual(log.messages, [`Creating socket tcp://127.0.0.1:${port}`]);
    assert.equal(await listening({ port }), true, 'listening while held');
    first.release();
    first.release();
    assert.equal(socket.isOpen, true, 'a second release of the same lease changes nothing');
    second.release();
    assert.equal(socket.isOpen, false);
    assert.deepEqual(log.messages.slice(1), [`Closing socket tcp://127.0.0.1:${port}`]);
    assert.equal(await listening({ port }), false, 'closed at the last release');
    const again = socket.acquire();
    assert.equal(log.messages.at(-1), `Creating socket tcp://127.0.0.1:${port}`);
    again.release();
  });

  it('a host name is looked up as the C library resolves it', async () => {
    const port = await freePort();
    const { socket } = manager(tcp(port, 'localhost'));
    const lease = socket.acquire();
    assert.equal(await listening({ port }), true);
    lease.release();
  });

  it('only the child given it accepts: the daemon takes no connection, and other children do not see it', async () => {
    const port = await freePort();
    const { socket } = manager(tcp(port));
    const lease = socket.acquire();
    try {
      const other = spawn('sleep', ['30'], { stdio: ['pipe', 'pipe', 'pipe'] });
      await once(other, 'spawn');
      children.add(other.pid!);
      const theirs = readdirSync(`/proc/${other.pid}/fd`).map((fd) => descriptorTarget(other.pid!, fd));
      other.kill('SIGKILL');
      await once(other, 'exit');
      children.delete(other.pid!);
      assert.equal(theirs.includes(inodeOf(lease.fd)), false, 'close-on-exec in the daemon');
      // Connections made before any child accepts wait in the backlog for one.
      const answers = [ask(port), ask(port)];
      const pids = [await acceptingChild(lease.fd), await acceptingChild(lease.fd)];
      const served = (await Promise.all(answers)).map((a) => Number(/served by (\d+)/.exec(a)?.[1])).sort();
      assert.deepEqual(served, [...pids].sort());
    } finally {
      lease.release();
    }
  });

  it('a unix socket: a file left at the path replaced, mode and owner set before it is handed out, the file gone once closed', async () => {
    const file = path.join(dir, 'php.sock');
    writeFileSync(file, 'left behind');
    const nobody = lookupUser('nobody', false);
    const owner = process.getuid?.() === 0 && nobody ? { uid: nobody.uid, gid: nobody.gid } : undefined;
    const { socket } = manager(unix(file, { mode: 0o660, owner }));
    const lease = socket.acquire();
    const stat = statSync(file);
    assert.equal(stat.isSocket(), true);
    assert.equal(stat.mode & 0o777, 0o660);
    if (owner) assert.deepEqual([stat.uid, stat.gid], [owner.uid, owner.gid]);
    assert.equal(await listening({ path: file }), true);
    lease.release();
    assert.throws(() => statSync(file), { code: 'ENOENT' });
  });

  it("the reference's messages when it cannot be made, holding nothing; check() adds where socket= is written", async () => {
    const { log, socket } = manager(unix(path.join(dir, 'missing', 'php.sock')));
    assert.throws(() => socket.acquire(), {
      code: 'SPAWN',
      message: `Could not create FastCGI socket unix://${dir}/missing/php.sock: [Errno 2] No such file or directory`,
    });
    assert.equal(socket.holderCount, 0);
    assert.deepEqual(log.messages, [`Creating socket unix://${dir}/missing/php.sock`]);
    assert.throws(() => socket.check(), {
      message: `Could not create FastCGI socket unix://${dir}/missing/php.sock: [Errno 2] No such file or directory ([fcgi-program:php] socket= at /etc/supervisord.conf:7)`,
    });

    const directory = path.join(dir, 'a-directory');
    mkdirSync(directory);
    assert.throws(() => manager(unix(directory)).socket.acquire(), {
      message: `Could not create FastCGI socket unix://${directory}: [Errno 21] Is a directory: '${directory}'`,
    });

    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const { port } = taken.address() as net.AddressInfo;
    try {
      assert.throws(() => manager(tcp(port)).socket.acquire(), {
        message: `Could not create FastCGI socket tcp://127.0.0.1:${port}: [Errno 98] Address already in use`,
      });
    } finally {
      taken.close();
    }
    assert.throws(() => manager(tcp(9, 'no-such-host.invalid')).socket.acquire(), {
      message: 'Could not create FastCGI socket tcp://no-such-host.invalid:9: [Errno -2] Name or service not known',
    });
  });
});
