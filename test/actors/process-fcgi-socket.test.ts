// SupervisedProcess of an [fcgi-program:x], on a fake system with a fake group socket: the child
// gets the socket as fd 0 instead of a stdin pipe; the process holds the socket from its spawn
// until its exit is handled (the reference's order: the exit's state change, the close, then
// what follows); a socket
// that cannot be created is a spawn error; a spawn that fails lets go of the socket at once.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SupervisorError } from '../../common/errors.js';
import type { FcgiSocketLease, FcgiSocketSource } from '../../actors/fcgi/socket-manager.js';
import { until } from '../harness/fake-system.js';
import { disposeSupervised, supervised } from '../harness/supervised-process.js';

afterEach(disposeSupervised);

/** Hands out fd 42 and writes down who took and released it, in the process's log. */
class FakeSocket implements FcgiSocketSource {
  held = 0;
  failWith: string | null = null;
  constructor(private readonly note: (line: string) => void) {}

  acquire(): FcgiSocketLease {
    if (this.failWith) throw new SupervisorError('SPAWN', this.failWith);
    this.held += 1;
    this.note('acquired');
    return {
      fd: 42,
      release: () => {
        this.held -= 1;
        this.note('released');
      },
    };
  }
}

function fcgiProcess(overrides: Parameters<typeof supervised>[0] = {}) {
  const notes: Array<(line: string) => void> = [];
  const socket = new FakeSocket((line) => notes.forEach((note) => note(line)));
  const s = supervised(overrides, { fcgiSocket: socket });
  notes.push((line) => s.log.info(line));
  return { ...s, socket };
}

describe('SupervisedProcess: an fcgi-program', () => {
  it('gets the socket as fd 0 and holds it until its exit has been handled', async () => {
    const { system, process, socket, log } = fcgiProcess({ startsecs: 0 });
    process.start();
    await until(() => system.spawns.length === 1, 'spawned');
    assert.deepEqual(system.spawns[0]!.options.stdio?.slice(0, 1), [42]);
    assert.equal(socket.held, 1);
    assert.equal(process.state, 'RUNNING');
    process.stop();
    await system.child.die(0);
    assert.equal(socket.held, 0);
    const order = log.messages.filter((m) => /acquired|released|spawned|stopped/.test(m));
    assert.deepEqual(order, ['acquired', `spawned: 'x' with pid ${system.child.pid}`, 'stopped: x (exit status 0)', 'released']);
  });

  it('lets go of it with the state change the end makes, before the one that follows: released, then gave up', async () => {
    const { system, process, log } = fcgiProcess({ startretries: 0 });
    process.start();
    await until(() => system.spawns.length === 1, 'spawned');
    await system.child.die(1);
    assert.equal(process.state, 'FATAL');
    const order = log.messages.filter((m) => /released|exited|gave up/.test(m));
    assert.deepEqual(order, [
      'exited: x (exit status 1; not expected)',
      'released',
      'gave up: x entered FATAL state, too many start retries too quickly',
    ]);

    const failing = fcgiProcess({ startretries: 0, command: '/no/such/command' });
    failing.process.start();
    await until(() => failing.process.state === 'FATAL', 'FATAL');
    const failed = failing.log.messages.filter((m) => /released|spawnerr|gave up/.test(m));
    assert.deepEqual(failed, [
      "spawnerr: can't find command '/no/such/command'",
      'released',
      'gave up: x entered FATAL state, too many start retries too quickly',
    ]);
  });

  it('a socket that cannot be created is a spawn error, retried as any other', async () => {
    const { system, process, socket, log } = fcgiProcess();
    socket.failWith = 'Could not create FastCGI socket unix:///nope/x.sock: [Errno 2] No such file or directory';
    process.start();
    await until(() => process.state === 'BACKOFF', 'in BACKOFF');
    assert.equal(system.spawns.length, 0);
    assert.equal(process.snapshot().spawnerr, socket.failWith);
    assert.ok(log.messages.includes(`spawnerr: ${socket.failWith}`));
  });

  it('a spawn that fails releases the socket at once', async () => {
    const { system, process, socket } = fcgiProcess();
    system.spawnWith = () => {
      throw Object.assign(new Error('spawn EACCES'), { code: 'EACCES' });
    };
    process.start();
    await until(() => process.state === 'BACKOFF', 'in BACKOFF');
    assert.equal(socket.held, 0);
  });
});
