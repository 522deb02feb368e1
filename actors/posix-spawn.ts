// Spawning with the C library's posix_spawn. Node's spawn (libuv 1.46) forks: the kernel copies
// the daemon's page tables for a child that execs at once, then tears them down, ~1.5 ms of the
// daemon's time per child measured here; glibc's and musl's posix_spawn share the parent's memory
// until the exec (vfork), ~0.5 ms. Node has no binding for it: our addon calls it
// (posix-spawn-addon.ts) where it was built, koffi (shipped for the reaper) elsewhere. The child
// is set up as libuv sets up one: every signal at its default disposition
// (Node ignores SIGPIPE, and an ignored signal stays ignored across exec), none blocked, its own
// session when detached, a socket pair for each 'pipe'. libuv never learns of these children, so
// this module reaps them itself on each SIGCHLD. A waitpid(-1) would take the exit statuses of
// libuv's children (a syslog helper, say): waitid(WNOWAIT) shows which child is dead without
// reaping it, and only ours are reaped; when the dead one is libuv's, it hides any behind it, so
// each of ours is asked then (one SIGCHLD may stand for many exits).
// The calling thread waits in posix_spawn while the child execs, ~0.5 ms. Spawns asked for in
// one tick (the autostart pass, a `start all`) therefore run on worker threads (the
// asynchronous call) while the daemon's thread goes on with its work; one asked for alone (a
// restart) runs on the daemon's thread at the end of the tick, quicker than a hand-off. Either
// way they are reported in request order, so logs and states read as if they had run one after
// another. umask= is the process's, not the thread's: such a spawn runs on the daemon's thread,
// its umask set around the call.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { loadKoffi } from './koffi.js';
import { loadSpawnAddon } from './posix-spawn-addon.js';
import { bindLibc, type LibcSpawn } from './posix-spawn-libc.js';
import type { ChildSpawnOptions, SpawnedChild, StdioSpec } from './spawned-child.js';

const AF_UNIX = 1;
const SOCK_STREAM = 1;
const SOCK_CLOEXEC = 0o2000000;
const O_CLOEXEC = 0o2000000;
const F_SETPIPE_SZ = 1031;
const WNOHANG = 1;
const WEXITED = 4;
const WNOWAIT = 0x01000000;
const P_ALL = 0;
const O_RDWR = 2;
const F_GETFL = 3;
const F_SETFL = 4;
const POSIX_SPAWN_SETSIGDEF = 0x04;
const POSIX_SPAWN_SETSIGMASK = 0x08;
const POSIX_SPAWN_SETSID = 0x80;
/** Larger than glibc's and musl's posix_spawn_file_actions_t, posix_spawnattr_t and sigset_t. */
const OPAQUE_BYTES = 1024;
/** Linux's default pipe buffer (16 pages). */
export const PIPE_BYTES = 64 * 1024;
/** What a busy capture pipe grows to: the most an unprivileged process may ask for by default (fs.pipe-max-size). */
const GROWN_PIPE_BYTES = 1024 * 1024;
/** Spawns under way at once: each holds a worker thread until its child has exec'd. */
const PARALLEL_SPAWNS = 4;

const ERRNO_NAMES = new Map(Object.entries(os.constants.errno).map(([name, value]) => [value, name]));
const SIGNAL_NAMES = new Map(Object.entries(os.constants.signals).map(([name, value]) => [value, name as NodeJS.Signals]));

/** What Node's spawn reports for a failed spawn: an error with `code`, on a later tick. */
function spawnError(errno: number, file: string, args: readonly string[]): NodeJS.ErrnoException {
  const code = ERRNO_NAMES.get(errno) ?? `errno ${errno}`;
  return Object.assign(new Error(`spawn ${file} ${code}`), { errno: -errno, code, syscall: `spawn ${file}`, path: file, spawnargs: args });
}

/** Node refuses strings with NUL bytes, which C would cut short: so do we, the same way. */
function checkNoNul(value: string, what: string): string {
  if (value.includes('\0')) {
    throw Object.assign(new TypeError(`The argument '${what}' must be a string without null bytes. Received ${JSON.stringify(value)}`), {
      code: 'ERR_INVALID_ARG_VALUE',
    });
  }
  return value;
}

/** A child as the daemon sees it: its pid and pipes are there from 'spawn' on. */
class PosixChild extends EventEmitter implements SpawnedChild {
  pid: number | undefined = undefined;
  stdout: Readable | null = null;
  stderr: Readable | null = null;
  spawnError: NodeJS.ErrnoException | undefined = undefined;
  /**
   * Our end of its stdin, a stream only once used: few children are ever written to
   * (sendProcessStdin, a listener's protocol), and a stream with its libuv handle is ~1 KB.
   */
  stdinFd: number | null = null;
  private stdinSocket: net.Socket | null = null;

  get stdin(): Writable | null {
    if (this.stdinFd !== null) {
      this.stdinSocket = new net.Socket({ fd: this.stdinFd, readable: false });
      this.stdinSocket.on('error', () => {});
      this.stdinFd = null;
    }
    return this.stdinSocket;
  }

  closeStdin(): void {
    if (this.stdinFd !== null) fs.closeSync(this.stdinFd);
    this.stdinFd = null;
    this.stdinSocket?.destroy();
  }
}

/** The descriptor under a socket Node opened (what Node's own spawn passes for a socket in stdio). */
function socketFd(socket: net.Socket): number {
  return (socket as unknown as { _handle?: { fd?: number } | null })._handle?.fd ?? -1;
}

/** What one spawn passes to posix_spawn, checked at request time. */
interface SpawnRequest {
  child: PosixChild;
  file: string;
  args: readonly string[];
  argv: Array<string | null>;
  envp: Array<string | null>;
  options: ChildSpawnOptions;
}

/** A request whose file actions are made; `result` is posix_spawn's (0 or an errno) once known. */
interface PreparedSpawn extends SpawnRequest {
  actions: Buffer;
  pidOut: Int32Array;
  /** Our ends of the socket pairs, by child fd. */
  ours: Array<number | null>;
  /** The child's ends, closed here once it has its copies. */
  theirs: number[];
  result: number | null;
}

export class PosixSpawner {
  /** With and without a session of its own. */
  private readonly attrs: { detached: Buffer; attached: Buffer };
  /** The file actions of the spawns done on this thread, each done on return. */
  private readonly actionsHere = Buffer.alloc(OPAQUE_BYTES);
  private readonly pairOut = new Int32Array(2);
  private readonly statusOut = new Int32Array(1);
  /** A siginfo_t (128 bytes). */
  private readonly infoOut = new Int32Array(32);
  private readonly live = new Map<number, PosixChild>();
  /** Requests not handed to a worker thread yet. */
  private readonly waiting: SpawnRequest[] = [];
  /** Handed out, in request order, until reported. */
  private readonly underWay: PreparedSpawn[] = [];
  private running = 0;
  /** A dispatch of the waiting requests is due. */
  private dispatching = false;
  /** See holdLoop; it never fires. */
  private keepAlive: NodeJS.Timeout | null = null;

  constructor(private readonly libc: LibcSpawn) {
    // Signals 1-64 set by hand, since sigfillset leaves out those the C library keeps for itself.
    // (glibc 2.36 still leaves its two, 32 and 33, ignored in the child: no program can use them,
    // its SIGRTMIN is 34.)
    const all = Buffer.alloc(OPAQUE_BYTES).fill(0xff, 0, 8);
    const none = Buffer.alloc(OPAQUE_BYTES);
    const attr = (flags: number) => {
      const made = Buffer.alloc(OPAQUE_BYTES);
      libc.attrInit(made);
      libc.attrSetSigDefault(made, all);
      libc.attrSetSigMask(made, none);
      libc.attrSetFlags(made, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | flags);
      return made;
    };
    this.attrs = { detached: attr(POSIX_SPAWN_SETSID), attached: attr(0) };
    process.on('SIGCHLD', () => this.reap());
  }

  /**
   * Starts a child once this tick is over: it then emits 'spawn' (its pid and pipes set) or
   * 'error' (spawnError set).
   */
  spawn(file: string, args: readonly string[], options: ChildSpawnOptions): SpawnedChild {
    const argv = [checkNoNul(options.argv0, 'argv0'), ...args.map((arg) => checkNoNul(arg, 'args')), null];
    const envp: Array<string | null> = [];
    for (const [name, value] of Object.entries(options.env)) {
      if (value !== undefined) envp.push(checkNoNul(`${name}=${value}`, 'options.env'));
    }
    envp.push(null);
    checkNoNul(file, 'file');
    if (options.cwd !== undefined) checkNoNul(options.cwd, 'options.cwd');
    const request: SpawnRequest = { child: new PosixChild(), file, args, argv, envp, options };
    this.waiting.push(request);
    if (!this.dispatching) {
      this.dispatching = true;
      process.nextTick(() => this.dispatch());
    }
    return request.child;
  }

  /** A new connected pair of stream sockets, close-on-exec; null when the system refuses one. */
  private socketPair(): [number, number] | null {
    if (this.libc.socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, this.pairOut) !== 0) return null;
    return [this.pairOut[0]!, this.pairOut[1]!];
  }

  /** A new pipe, close-on-exec, as [read end, write end]; null when the system refuses one. */
  pipe(): [number, number] | null {
    if (this.libc.pipe2(this.pairOut, O_CLOEXEC) !== 0) return null;
    return [this.pairOut[0]!, this.pairOut[1]!];
  }

  /**
   * Lets the pipe hold 1 MiB rather than 64 KiB, so that each read takes more. A pipe's buffer
   * table is kernel memory of its own (16 KiB at this size), so only pipes found full are grown.
   * Past the user's allowance of pipe memory the kernel refuses, and the pipe stays as it was.
   */
  growPipe(fd: number): void {
    this.libc.fcntl(fd, F_SETPIPE_SZ, 'int', GROWN_PIPE_BYTES);
  }

  /** Once the caller's tick is over, and its spawns with it. */
  private dispatch(): void {
    this.dispatching = false;
    // One spawn alone (a restart, a start asked for): quicker here than handed to a worker and
    // back (measured: ~10 % more restarts a second in a crash loop).
    this.handOut(this.waiting.length === 1 && this.underWay.length === 0);
  }

  /** Hands waiting requests to worker threads, up to PARALLEL_SPAWNS at once, or spawns them here. */
  private handOut(alone = false): void {
    let endedHere = false;
    while (this.running < PARALLEL_SPAWNS && this.waiting.length > 0) {
      const request = this.waiting.shift()!;
      // umask= is the process's, not a thread's: set around a call on this thread.
      const here = alone || request.options.umask !== null;
      const spawn = this.prepare(request, here ? this.actionsHere : Buffer.alloc(OPAQUE_BYTES));
      this.underWay.push(spawn);
      if (spawn.result === null && here) this.ended(spawn, this.spawnHere(spawn));
      if (spawn.result !== null) {
        endedHere = true;
        continue;
      }
      this.running += 1;
      try {
        this.libc.posixSpawnAsync(spawn.pidOut, spawn.file, spawn.actions, this.attr(spawn), spawn.argv, spawn.envp, (error, result) => {
          this.running -= 1;
          this.ended(spawn, error ? os.constants.errno.EIO : result);
          this.report();
          this.handOut();
        });
      } catch {
        this.running -= 1;
        this.ended(spawn, this.spawnHere(spawn));
        endedHere = true;
      }
    }
    if (endedHere) this.report();
    this.holdLoop();
  }

  /** Reports the spawns that have ended, in request order. */
  private report(): void {
    let spawned = false;
    for (let spawn = this.underWay[0]; spawn && spawn.result !== null; spawn = this.underWay[0]) {
      this.underWay.shift();
      const { child } = spawn;
      this.settle(spawn, spawn.result);
      if (child.spawnError) {
        child.emit('error', child.spawnError);
        continue;
      }
      child.emit('spawn');
      spawned = true;
    }
    // One may have ended before it was known as ours, its SIGCHLD then passed over. Asked once
    // those who heard 'spawn' have had their turn, as an exit never comes in the tick of a spawn.
    if (spawned) setImmediate(() => this.reap());
    this.holdLoop();
  }

  private spawnHere(spawn: PreparedSpawn): number {
    const { umask } = spawn.options;
    const previousUmask = umask === null ? null : process.umask(umask);
    try {
      return this.libc.posix_spawn(spawn.pidOut, spawn.file, spawn.actions, this.attr(spawn), spawn.argv, spawn.envp);
    } finally {
      if (previousUmask !== null) process.umask(previousUmask);
    }
  }

  /** posix_spawn has returned `result` (or a file action failed): the child has its copies, or never will. */
  private ended(spawn: PreparedSpawn, result: number): void {
    spawn.result = result;
    this.libc.actionsDestroy(spawn.actions);
    for (const fd of spawn.theirs) this.libc.close(fd);
  }

  private attr(spawn: SpawnRequest): Buffer {
    return spawn.options.detached ? this.attrs.detached : this.attrs.attached;
  }

  /** Makes the file actions in `actions`; the spawn has ended already when one of them failed. */
  private prepare(request: SpawnRequest, actions: Buffer): PreparedSpawn {
    const { libc } = this;
    const { options } = request;
    const spawn: PreparedSpawn = {
      ...request,
      actions,
      pidOut: new Int32Array(1),
      ours: [null, null, null],
      theirs: [],
      result: null,
    };
    libc.actionsInit(actions);
    let failure = 0;
    for (let fd = 0; fd < 3 && !failure; fd += 1) failure = this.addStdio(spawn, options.stdio[fd]!, fd);
    // As the reference's child does, it lets go of every descriptor above 2: Node opens its own
    // close-on-exec, but not those the daemon inherited (a reaper's pipe, a shell's).
    if (!failure && libc.addCloseFrom) failure = libc.addCloseFrom(actions, 3);
    if (!failure && options.cwd !== undefined) failure = libc.addChdir(actions, options.cwd);
    if (failure) this.ended(spawn, failure);
    return spawn;
  }

  /** The child gets its pid and pipes, or its spawnError. */
  private settle(spawn: PreparedSpawn, result: number): void {
    const { child } = spawn;
    if (result !== 0) {
      for (const fd of spawn.ours) if (fd !== null) this.libc.close(fd);
      child.spawnError = spawnError(result, spawn.file, spawn.args);
      return;
    }
    const [stdin, stdout, stderr] = spawn.ours;
    child.pid = spawn.pidOut[0]!;
    child.stdinFd = stdin ?? null;
    child.stdout = stdout == null ? null : new net.Socket({ fd: stdout, readable: true });
    child.stderr = stderr == null ? null : new net.Socket({ fd: stderr, readable: true });
    this.live.set(child.pid, child);
  }

  /** Adds the file action that gives the child its fd `fd`; returns 0, or the errno of what failed. */
  private addStdio(spawn: PreparedSpawn, spec: StdioSpec, fd: number): number {
    const { libc } = this;
    const { actions } = spawn;
    if (spec === 'ignore') return libc.addOpen(actions, fd, '/dev/null', O_RDWR, 0);
    let source: number;
    if (spec === 'pipe') {
      const pair = this.socketPair();
      if (pair === null) return libc.errno();
      [spawn.ours[fd], source] = pair;
      spawn.theirs.push(source);
    } else {
      source = typeof spec === 'number' ? spec : socketFd(spec);
      if (source < 0) return os.constants.errno.EBADF;
      // Node made its own sockets non-blocking, and the flag belongs to the open file that the
      // child's copy shares: a program writing to it would get EAGAIN. libuv's spawn clears it too.
      const flags = libc.fcntl(source, F_GETFL, 'int', 0);
      if (flags < 0 || libc.fcntl(source, F_SETFL, 'int', flags & ~fs.constants.O_NONBLOCK) < 0) return libc.errno();
    }
    return libc.addDup2(actions, source, fd);
  }

  private reap(): void {
    const { libc, infoOut } = this;
    for (;;) {
      infoOut.fill(0);
      if (libc.waitid(P_ALL, 0, infoOut, WEXITED | WNOHANG | WNOWAIT) !== 0) break;
      const pid = infoOut[libc.siPidIndex]!;
      // 0: no child has ended.
      if (pid === 0) break;
      if (!this.live.has(pid)) {
        for (const ours of this.live.keys()) this.reapOne(ours);
        break;
      }
      if (!this.reapOne(pid)) break;
    }
    this.holdLoop();
  }

  /** Holds the event loop open while a child lives or a spawn is under way, as Node's child handles do (the C calls do not). */
  private holdLoop(): void {
    if (this.live.size > 0 || this.underWay.length > 0) {
      this.keepAlive ??= setInterval(() => {}, 2 ** 31 - 1);
    } else if (this.keepAlive !== null) {
      clearInterval(this.keepAlive);
      this.keepAlive = null;
    }
  }

  /** Reaps `pid` if it has ended, reporting its exit; whether it had. */
  private reapOne(pid: number): boolean {
    const { libc, statusOut } = this;
    const child = this.live.get(pid);
    const reaped = libc.waitpid(pid, statusOut, WNOHANG);
    if (child === undefined || reaped === 0) return false;
    this.live.delete(pid);
    // -1 (ECHILD) would mean someone else took its status: it is gone, how is not known.
    const status = reaped === pid ? statusOut[0]! : null;
    if (status === null) child.emit('exit', null, null);
    else if ((status & 0x7f) === 0) child.emit('exit', (status >> 8) & 0xff, null);
    else child.emit('exit', null, SIGNAL_NAMES.get(status & 0x7f) ?? null);
    return true;
  }
}

/** Our addon's calls where it loads, else koffi's; throws when neither can be had. */
function libcCalls(): LibcSpawn {
  try {
    const addon = loadSpawnAddon();
    if (addon !== null) return addon;
  } catch {
    // A build this node cannot load: koffi's calls instead.
  }
  return bindLibc(loadKoffi());
}

let loaded: PosixSpawner | null | undefined;

/** The process's one spawner (it owns SIGCHLD), loaded at first use; null when neither the addon nor koffi can make the calls here. */
export function posixSpawner(): PosixSpawner | null {
  if (loaded === undefined) {
    try {
      loaded = new PosixSpawner(libcCalls());
    } catch {
      loaded = null;
    }
  }
  return loaded;
}
