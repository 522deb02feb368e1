// The C library calls posix-spawn.ts makes, held to one contract through both bindings (our
// addon and koffi): results and errno as the C calls give them. And the addon's own guard: what
// would make C read or write past a buffer is a TypeError instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import { LIBC_BINDINGS as bindings } from '../harness/libc-bindings.js';

const { EBADF, ECHILD } = os.constants.errno;
const F_GETFD = 1;
const FD_CLOEXEC = 1;
const F_GETFL = 3;
const O_CLOEXEC = 0o2000000;
const AF_UNIX = 1;
const SOCK_STREAM = 1;
const WNOHANG = 1;

for (const [name, libc] of bindings) {
  const skip = libc === null && `${name} is not available here`;

  test(`${name}: a failed call returns -1 and leaves its errno`, { skip }, () => {
    assert.equal(libc!.close(-1), -1);
    assert.equal(libc!.errno(), EBADF);
    assert.equal(libc!.waitpid(2 ** 30, new Int32Array(1), WNOHANG), -1);
    assert.equal(libc!.errno(), ECHILD);
  });

  test(`${name}: socketpair gives two open descriptors, and fcntl reads their flags`, { skip }, () => {
    const fds = new Int32Array(2);
    assert.equal(libc!.socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    try {
      for (const fd of fds) {
        assert.ok(fd > 2);
        assert.equal(libc!.fcntl(fd, F_GETFL, 'int', 0) & fs.constants.O_NONBLOCK, 0);
      }
    } finally {
      for (const fd of fds) assert.equal(libc!.close(fd), 0);
    }
  });

  test(`${name}: pipe2 gives a read end and a write end, close-on-exec`, { skip }, () => {
    const fds = new Int32Array(2);
    assert.equal(libc!.pipe2(fds, O_CLOEXEC), 0);
    try {
      for (const fd of fds) assert.equal(libc!.fcntl(fd, F_GETFD, 'int', 0), FD_CLOEXEC);
      fs.writeSync(fds[1]!, 'through');
      const read = Buffer.alloc(16);
      assert.equal(fs.readSync(fds[0]!, read), 7);
      assert.equal(read.subarray(0, 7).toString(), 'through');
    } finally {
      for (const fd of fds) assert.equal(libc!.close(fd), 0);
    }
  });

  test(`${name}: file actions and attributes are made and unmade`, { skip }, () => {
    const actions = Buffer.alloc(1024);
    assert.equal(libc!.actionsInit(actions), 0);
    assert.equal(libc!.addOpen(actions, 0, '/dev/null', 0, 0), 0);
    assert.equal(libc!.addDup2(actions, 0, 1), 0);
    assert.equal(libc!.addChdir(actions, '/'), 0);
    assert.equal(libc!.actionsDestroy(actions), 0);
    const attr = Buffer.alloc(1024);
    assert.equal(libc!.attrInit(attr), 0);
    assert.equal(libc!.attrSetFlags(attr, 0x80), 0);
    assert.equal(libc!.attrSetSigMask(attr, Buffer.alloc(1024)), 0);
  });
}

test('both bindings find si_pid at the same place in siginfo_t', { skip: bindings.some(([, libc]) => libc === null) }, () => {
  assert.equal(bindings[0]![1]!.siPidIndex, bindings[1]![1]!.siPidIndex);
});

test('the addon refuses what would have C go past a buffer, or take a wrong type', { skip: bindings[0]![1] === null }, () => {
  const addon = bindings[0]![1]!;
  const small = new Int32Array(2);
  assert.throws(() => addon.waitid(0, 0, small, 0), TypeError);
  assert.throws(() => addon.actionsInit(Buffer.alloc(4)), TypeError);
  assert.throws(() => addon.socketpair(AF_UNIX, SOCK_STREAM, 0, new Int32Array(1)), TypeError);
  assert.throws(() => addon.close('3' as unknown as number), TypeError);
  assert.throws(() => (addon.fcntl as (fd: number, cmd: number) => number)(0, F_GETFL), TypeError);
  const spawn = addon.posix_spawn as (...args: unknown[]) => number;
  const [pid, actions, attr] = [new Int32Array(1), Buffer.alloc(1024), Buffer.alloc(1024)];
  assert.throws(() => spawn(pid, '/bin/true', actions, attr, 'not an array', [null]), TypeError);
  assert.throws(() => spawn(pid, '/bin/true', actions, attr, ['true', 42, null], [null]), TypeError);
  assert.throws(() => addon.posixSpawnAsync(pid, '/bin/true', actions, attr, ['true', null], [null], undefined as never), TypeError);
});
