// The daemon's capture channels where it spawns with posix_spawn: pipes, each grown to 1 MiB once
// a read finds it full, so that a busy program's output is read in large pieces while a quiet
// one's pipe keeps the kernel's small default.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type net from 'node:net';
import { CaptureChannels } from '../../actors/capture-channels.js';
import { releaseChildEnd, type OutputChannel } from '../../actors/output-channels.js';
import { PIPE_BYTES, posixSpawner } from '../../actors/posix-spawn.js';
import type { ChildSpawnOptions } from '../../actors/spawned-child.js';
import { LIBC_BINDINGS } from '../harness/libc-bindings.js';
import { STEP_TIMEOUT, waitUntil } from '../harness/wait.js';

const F_GETPIPE_SZ = 1032;
const spawner = posixSpawner();
/** Either binding can ask a pipe's size; one loads wherever the spawner does. */
const libc = LIBC_BINDINGS.find(([, calls]) => calls !== null)?.[1] ?? null;

/** The size of the pipe our end of `channel` reads. */
function pipeBytes(channel: OutputChannel): number {
  const fd = (channel.reader as net.Socket & { _handle: { fd: number } })._handle.fd;
  assert.match(fs.readlinkSync(`/proc/self/fd/${fd}`), /^pipe:/, 'the channel is a pipe');
  assert.ok(libc, 'a binding of the C calls loads');
  return libc.fcntl(fd, F_GETPIPE_SZ, 'int', 0);
}

const options = (stdout: OutputChannel['childEnd']): ChildSpawnOptions => ({
  argv0: 'sh',
  cwd: undefined,
  env: { PATH: process.env.PATH },
  stdio: ['ignore', stdout, 'ignore'],
  detached: true,
  umask: null,
});

test(
  'a capture pipe found full grows to 1 MiB; a quiet one keeps its size',
  { skip: spawner === null && 'posix_spawn is not available here' },
  async () => {
    const channels = new CaptureChannels();
    const [busy, quiet] = [channels.take(), channels.take()];
    assert.ok(busy && quiet);
    const before = pipeBytes(busy);
    assert.equal(before, PIPE_BYTES);
    let busyBytes = 0;
    let quietText = '';
    busy.deliver = (chunk) => (busyBytes += chunk.length);
    quiet.deliver = (chunk) => (quietText += chunk.toString());
    // Not read until the child has filled the pipe, so that the first read finds it full.
    busy.reader.pause();
    const dir = fs.mkdtempSync('/tmp/sv-capture-');
    const children = [
      spawner!.spawn('/bin/sh', ['-c', `head -c ${PIPE_BYTES} /dev/zero && touch ${dir}/filled && exec sleep 600`], options(busy.childEnd)),
      spawner!.spawn('/bin/sh', ['-c', 'echo hi && exec sleep 600'], options(quiet.childEnd)),
    ];
    try {
      await Promise.all(children.map((child) => new Promise((resolve) => child.once('spawn', resolve))));
      releaseChildEnd(busy);
      releaseChildEnd(quiet);
      assert.ok(await waitUntil(() => fs.existsSync(`${dir}/filled`), STEP_TIMEOUT), 'the busy child filled its pipe');
      busy.reader.resume();
      assert.ok(
        await waitUntil(() => busyBytes === PIPE_BYTES && quietText === 'hi\n', STEP_TIMEOUT),
        `${busyBytes} bytes, ${JSON.stringify(quietText)}`,
      );
      assert.equal(pipeBytes(busy), 1024 * 1024);
      assert.equal(pipeBytes(quiet), before);
    } finally {
      for (const child of children) if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      busy.reader.destroy();
      quiet.reader.destroy();
      channels.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);
