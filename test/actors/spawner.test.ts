// The ways the daemon starts a child, held to one contract with real processes: Node's spawn, and
// posix_spawn called through our addon (the daemon's choice where it was built) or through koffi
// (where it was not). What a supervised process
// relies on: exit codes and signals, the three stdio kinds, argv[0], directory, environment, its
// own session, default signal dispositions, nothing leaked, and failures reported as Node does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Readable } from 'node:stream';
import { execFileSync, spawnSync } from 'node:child_process';
import { CaptureChannels } from '../../actors/capture-channels.js';
import { OutputChannels, releaseChildEnd, type ChannelSource, type OutputChannel } from '../../actors/output-channels.js';
import { loadKoffi } from '../../actors/koffi.js';
import { PosixSpawner } from '../../actors/posix-spawn.js';
import type { ChildSpawnOptions, Spawn, SpawnedChild } from '../../actors/spawned-child.js';
import { NODE_SPAWN } from '../../actors/spawner.js';
import { haveCommand } from '../harness/daemon-runs.js';
import { LIBC_BINDINGS } from '../harness/libc-bindings.js';
import { waitUntil } from '../harness/wait.js';

const STEP_TIMEOUT = 20_000;
const F_SETFD = 2;

const spawners: Array<[string, Spawn | null]> = [
  ['node', NODE_SPAWN],
  // A spawner of its own on each binding: each reaps only its own children.
  ...LIBC_BINDINGS.map(([name, libc]): [string, Spawn | null] => {
    const spawner = libc && new PosixSpawner(libc);
    return [`posix_spawn (${name})`, spawner && ((file, args, options) => spawner.spawn(file, args, options))];
  }),
];

function options(overrides: Partial<ChildSpawnOptions> = {}): ChildSpawnOptions {
  return {
    argv0: 'sh',
    cwd: undefined,
    env: { PATH: process.env.PATH },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
    umask: null,
    ...overrides,
  };
}

/** Resolves once the child's pid and pipes are set: on return from spawn, or at its 'spawn'. */
function started(child: SpawnedChild): Promise<SpawnedChild> {
  if (child.pid !== undefined) return Promise.resolve(child);
  return new Promise((resolve, reject) => {
    child.once('spawn', () => resolve(child));
    child.once('error', reject);
  });
}

function exited(child: SpawnedChild): Promise<[number | null, NodeJS.Signals | null]> {
  return new Promise((resolve) => child.once('exit', (code: number | null, signal: NodeJS.Signals | null) => resolve([code, signal])));
}

function readAll(stream: Readable | null): Promise<string> {
  assert.ok(stream, 'the stream is piped');
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return new Promise((resolve) => stream.once('end', () => resolve(text)));
}

/** Runs `sh -c script` to its end: its exit and what it wrote on stdout. */
async function run(spawn: Spawn, script: string, overrides: Partial<ChildSpawnOptions> = {}) {
  const child = await started(spawn('/bin/sh', ['-c', script], options(overrides)));
  const [stdout, exit] = await Promise.all([readAll(child.stdout), exited(child)]);
  return { stdout, exit };
}

/** A /proc/<pid>/status field, once the child has exec'd what `ready` recognises. */
async function procStatus(pid: number, field: string): Promise<string> {
  let value = '';
  assert.ok(
    await waitUntil(() => {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      if (!status.includes('Name:\tsleep')) return false;
      value = new RegExp(`^${field}:\\s*(\\S+)`, 'm').exec(status)?.[1] ?? '';
      return true;
    }, STEP_TIMEOUT),
    'the child runs sleep',
  );
  return value;
}

for (const [name, spawn] of spawners) {
  const skip = spawn === null ? `${name} is not available here (for the addon: \`npm install\` with a C compiler builds it)` : false;
  const spawner = spawn!;

  test(`${name}: exit code, stdout and stderr`, { skip }, async () => {
    const child = await started(spawner('/bin/sh', ['-c', 'printf out; printf err >&2; exit 3'], options()));
    const [stdout, stderr, exit] = await Promise.all([readAll(child.stdout), readAll(child.stderr), exited(child)]);
    assert.deepEqual({ stdout, stderr, exit }, { stdout: 'out', stderr: 'err', exit: [3, null] });
  });

  test(`${name}: a child killed by a signal, in its own session, signals at their defaults`, { skip }, async () => {
    const child = await started(spawner('/bin/sleep', ['600'], options({ argv0: 'sleep' })));
    const pid = child.pid!;
    const exit = exited(child);
    const ignored = BigInt(`0x${await procStatus(pid, 'SigIgn')}`);
    // Signals 1-31: glibc 2.36's posix_spawn leaves its own two (32, 33) ignored.
    assert.equal(ignored & 0x7fffffffn, 0n, 'no signal ignored (Node ignores SIGPIPE)');
    assert.equal(BigInt(`0x${await procStatus(pid, 'SigBlk')}`), 0n, 'no signal blocked');
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [pgrp, session] = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .slice(2, 4)
      .map(Number);
    assert.deepEqual([pgrp, session], [pid, pid], 'its own process group and session');
    process.kill(pid, 'SIGTERM');
    assert.deepEqual(await exit, [null, 'SIGTERM']);
  });

  test(`${name}: argv[0], directory and environment`, { skip }, async () => {
    const directory = fs.realpathSync(os.tmpdir());
    const { stdout, exit } = await run(spawner, 'tr "\\0" " " < /proc/$$/cmdline; echo; pwd; echo "$GREETING"', {
      argv0: 'custom-name',
      cwd: directory,
      env: { PATH: process.env.PATH, GREETING: 'hello there' },
    });
    assert.deepEqual(exit, [0, null]);
    assert.deepEqual(stdout.split('\n'), [
      `custom-name -c ${'tr "\\0" " " < /proc/$$/cmdline; echo; pwd; echo "$GREETING"'} `,
      directory,
      'hello there',
      '',
    ]);
  });

  test(`${name}: stdin from a pipe, from a descriptor, and stderr to /dev/null`, { skip }, async () => {
    const child = await started(spawner('/bin/cat', [], options({ argv0: 'cat' })));
    // Listened for at once: the exit may be reported before the output's end is read.
    const exit = exited(child);
    const echoed = readAll(child.stdout);
    child.stdin!.end('typed in');
    assert.equal(await echoed, 'typed in');
    assert.deepEqual(await exit, [0, null]);

    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'spawner-'));
    try {
      const file = path.join(directory, 'input');
      fs.writeFileSync(file, 'from a file');
      const fd = fs.openSync(file, 'r');
      try {
        const { stdout } = await run(spawner, 'cat; readlink /proc/$$/fd/2', { stdio: [fd, 'pipe', 'ignore'] });
        assert.equal(stdout, 'from a file/dev/null\n');
      } finally {
        fs.closeSync(fd);
      }
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  test(`${name}: a stdin never written to, let go of: the child reads its end, none of our descriptors stays`, { skip }, async () => {
    const openDescriptors = () => fs.readdirSync('/proc/self/fd').length;
    const before = openDescriptors();
    const child = await started(spawner('/bin/cat', [], options({ argv0: 'cat' })));
    const exit = exited(child);
    const output = Promise.all([readAll(child.stdout), readAll(child.stderr)]);
    child.closeStdin();
    assert.deepEqual(await output, ['', '']);
    assert.deepEqual(await exit, [0, null]);
    assert.equal(child.stdin === null || child.stdin.destroyed, true, 'no stdin left to write to');
    assert.ok(await waitUntil(() => openDescriptors() <= before, STEP_TIMEOUT), `${openDescriptors()} descriptors open, ${before} before`);
  });

  const sources: Array<[string, () => ChannelSource]> = [
    ['the pool of socket pairs', () => new OutputChannels(1)],
    ['the daemon’s capture pipes', () => new CaptureChannels()],
  ];
  for (const [sourceName, makeSource] of sources) {
    test(`${name}: stdout onto a channel from ${sourceName} (fast capture), in blocking mode`, { skip }, async () => {
      const channels = makeSource();
      try {
        let taken: OutputChannel | null = null;
        assert.ok(await waitUntil(() => (taken ??= channels.take()) !== null, STEP_TIMEOUT), 'a channel is ready');
        const channel = taken as unknown as OutputChannel;
        let received = '';
        channel.deliver = (chunk) => (received += chunk.toString());
        // Node makes what it reads non-blocking; where the child's end shares that open file (a
        // socket of the pool), a program writing more than the channel holds would get EAGAIN.
        const script = 'echo through the channel; grep flags /proc/$$/fdinfo/1';
        const child = await started(spawner('/bin/sh', ['-c', script], options({ stdio: ['pipe', channel.childEnd, 'pipe'] })));
        releaseChildEnd(channel);
        assert.deepEqual(await exited(child), [0, null]);
        assert.ok(await waitUntil(() => received.split('\n').length === 3, STEP_TIMEOUT), received);
        const [line, flags] = received.split('\n');
        assert.equal(line, 'through the channel');
        assert.equal(Number.parseInt(flags!.replace(/^flags:\s*/, ''), 8) & fs.constants.O_NONBLOCK, 0, flags);
        channel.reader.destroy();
      } finally {
        channels.close();
      }
    });
  }

  test(`${name}: the child holds no descriptor of the daemon's, not even another child's pipes`, { skip }, async () => {
    const other = await started(spawner('/bin/sleep', ['600'], options({ argv0: 'sleep' })));
    const server = net.createServer().listen(0, '127.0.0.1');
    try {
      const { stdout } = await run(spawner, 'for fd in /proc/$$/fd/*; do readlink "$fd"; done');
      const sockets = stdout.split('\n').filter((target) => target.startsWith('socket:'));
      // Its own stdin, stdout and stderr, nothing more.
      assert.equal(sockets.length, 3, stdout);
    } finally {
      server.close();
      process.kill(other.pid!, 'SIGKILL');
      await exited(other);
    }
  });

  test(
    `${name}: the child gets no descriptor above 2, not even one the daemon inherited`,
    { skip: spawn === NODE_SPAWN ? "Node's spawn leaves them to the child" : skip },
    async () => {
      // Node's spawn leaves the daemon's inherited descriptors to the child; the reference closes
      // them. One such descriptor: a file opened here, with close-on-exec cleared.
      const fcntl = loadKoffi().load(null).func('int fcntl(int fd, int cmd, ...)');
      const fd = fs.openSync('/dev/null', 'r');
      try {
        assert.equal(fcntl(fd, F_SETFD, 'int', 0), 0);
        const { stdout } = await run(spawner, 'ls /proc/$$/fd');
        assert.equal(stdout, '0\n1\n2\n');
      } finally {
        fs.closeSync(fd);
      }
    },
  );

  test(`${name}: a program that does not exist fails later, as an 'error' with its code`, { skip }, async () => {
    const child = spawner('/nonexistent/program', [], options({ argv0: 'program' }));
    assert.equal(child.pid, undefined);
    let reported: NodeJS.ErrnoException | null = null;
    child.once('error', (error: NodeJS.ErrnoException) => (reported = error));
    assert.equal(reported, null, 'not reported synchronously');
    assert.ok(await waitUntil(() => reported !== null, STEP_TIMEOUT));
    assert.equal((reported as unknown as NodeJS.ErrnoException).code, 'ENOENT');
  });

  test(`${name}: umask= is the child's, and the daemon's own umask stays`, { skip }, async () => {
    const before = process.umask();
    const { stdout, exit } = await run(spawner, 'umask', { umask: 0o027 });
    assert.deepEqual(exit, [0, null]);
    assert.equal(stdout, '0027\n');
    assert.equal(process.umask(), before);
  });

  test(`${name}: children are reported started in the order they were asked for`, { skip }, async () => {
    const order: number[] = [];
    const children = Array.from({ length: 12 }, (_, index) => {
      const child = spawner('/bin/sh', ['-c', 'exit 0'], options({ stdio: ['ignore', 'ignore', 'ignore'] }));
      return started(child)
        .then(() => order.push(index))
        .then(() => exited(child));
    });
    await Promise.all(children);
    assert.deepEqual(
      order,
      Array.from({ length: 12 }, (_, index) => index),
    );
  });

  test(`${name}: a NUL byte in an argument is refused at once`, { skip }, () => {
    assert.throws(() => spawner('/bin/echo', ['a\0b'], options()), { code: 'ERR_INVALID_ARG_VALUE' });
  });

  test(`${name}: many children ending at once are each reported, beside children of the other spawners`, { skip }, async () => {
    const others = spawners.map(([, other]) => other).filter((other): other is Spawn => other !== null && other !== spawner);
    const mixed = [spawner, ...others];
    const runs = Array.from({ length: 30 }, (_, index) => run(mixed[index % mixed.length]!, `exit ${index}`).then(({ exit }) => exit));
    assert.deepEqual(
      await Promise.all(runs),
      Array.from({ length: 30 }, (_, index) => [index, null]),
    );
  });
}

test('the daemon spawns through the addon where it was built, and koffi stays unloaded', { skip: spawners[1]![1] === null }, () => {
  const spawnModule = new URL('../../actors/posix-spawn.js', import.meta.url).href;
  const script = `const { posixSpawner } = await import(${JSON.stringify(spawnModule)});
    posixSpawner();
    const { readFileSync } = await import('node:fs');
    process.stdout.write(readFileSync('/proc/self/maps', 'utf8'));`;
  const maps = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.match(maps, /native\/build\/Release\/posix_spawn\.node/);
  assert.doesNotMatch(maps, /koffi/);
});

test('where a C compiler is at hand, npm install has built the addon', { skip: !haveCommand('cc') && 'no C compiler here' }, () => {
  assert.notEqual(spawners[1]![1], null, 'native/build/Release/posix_spawn.node is missing or does not load: run `npm install`');
});

test('an install that cannot build the addon goes on, saying so in one line', () => {
  const script = fileURLToPath(new URL('../../../scripts/build-addon.js', import.meta.url));
  const env = { PATH: process.env.PATH, npm_config_node_gyp: '/nonexistent/node-gyp.js' };
  const result = spawnSync(process.execPath, [script], { env, encoding: 'utf8' });
  assert.equal(result.status, 0);
  assert.equal(
    result.stdout,
    "supervisor-node: the posix_spawn addon was not built (npm's node-gyp was not found); supervisord will spawn through koffi\n",
  );
  assert.equal(result.stderr, '');
});
