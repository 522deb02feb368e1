// Spawning with the C library's posix_spawn. Node's spawn (libuv 1.46) forks: the kernel copies
// the daemon's page tables for a child that execs at once, then tears them down, ~1.5 ms of the
// daemon's time per child measured here; glibc's and musl's posix_spawn share the parent's memory
// until the exec (vfork), ~0.5 ms. Node has no binding for it, so koffi (shipped for the reaper)
// calls it. The child is set up as libuv sets up one: every signal at its default disposition
// (Node ignores SIGPIPE, and an ignored signal stays ignored across exec), none blocked, its own
// session when detached, a socket pair for each 'pipe'. libuv never learns of these children, so
// this module reaps them itself on each SIGCHLD. A waitpid(-1) would take the exit statuses of
// libuv's children (a syslog helper, say): waitid(WNOWAIT) shows which child is dead without
// reaping it, and only ours are reaped; when the dead one is libuv's, it hides any behind it, so
// each of ours is asked then (one SIGCHLD may stand for many exits).
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import type { Readable, Writable } from 'node:stream';
import type * as Koffi from 'koffi';
import { loadKoffi } from './koffi.js';
import type { ChildSpawnOptions, SpawnedChild, StdioSpec } from './spawner.js';

const AF_UNIX = 1;
const SOCK_STREAM = 1;
const SOCK_CLOEXEC = 0o2000000;
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

interface LibcSpawn {
  posix_spawn(pid: Int32Array, path: string, actions: Buffer, attr: Buffer, argv: Array<string | null>, envp: Array<string | null>): number;
  actionsInit(actions: Buffer): number;
  actionsDestroy(actions: Buffer): number;
  addDup2(actions: Buffer, fd: number, newFd: number): number;
  addOpen(actions: Buffer, fd: number, path: string, flags: number, mode: number): number;
  addChdir(actions: Buffer, path: string): number;
  /** glibc 2.34 and later; null where the C library has no such call. */
  addCloseFrom: ((actions: Buffer, lowFd: number) => number) | null;
  attrInit(attr: Buffer): number;
  attrSetFlags(attr: Buffer, flags: number): number;
  attrSetSigDefault(attr: Buffer, set: Buffer): number;
  attrSetSigMask(attr: Buffer, set: Buffer): number;
  socketpair(domain: number, type: number, protocol: number, fds: Int32Array): number;
  fcntl(fd: number, cmd: number, ...typedArgs: unknown[]): number;
  waitpid(pid: number, status: Int32Array, options: number): number;
  waitid(idType: number, id: number, info: Int32Array, options: number): number;
  /** Where siginfo_t keeps si_pid, in 32-bit words. */
  siPidIndex: number;
  close(fd: number): number;
  errno(): number;
}

function optional<T>(bind: () => T): T | null {
  try {
    return bind();
  } catch {
    return null;
  }
}

function bindLibc(koffi: typeof Koffi): LibcSpawn {
  const libc = koffi.load(null);
  return {
    posix_spawn: libc.func('int posix_spawn(int *pid, const char *path, void *actions, void *attr, const char **argv, const char **envp)'),
    actionsInit: libc.func('int posix_spawn_file_actions_init(void *actions)'),
    actionsDestroy: libc.func('int posix_spawn_file_actions_destroy(void *actions)'),
    addDup2: libc.func('int posix_spawn_file_actions_adddup2(void *actions, int fd, int newfd)'),
    addOpen: libc.func('int posix_spawn_file_actions_addopen(void *actions, int fd, const char *path, int flags, unsigned int mode)'),
    addChdir: libc.func('int posix_spawn_file_actions_addchdir_np(void *actions, const char *path)'),
    addCloseFrom: optional(() => libc.func('int posix_spawn_file_actions_addclosefrom_np(void *actions, int lowfd)')),
    attrInit: libc.func('int posix_spawnattr_init(void *attr)'),
    attrSetFlags: libc.func('int posix_spawnattr_setflags(void *attr, short flags)'),
    attrSetSigDefault: libc.func('int posix_spawnattr_setsigdefault(void *attr, const void *set)'),
    attrSetSigMask: libc.func('int posix_spawnattr_setsigmask(void *attr, const void *set)'),
    socketpair: libc.func('int socketpair(int domain, int type, int protocol, int *fds)'),
    fcntl: libc.func('int fcntl(int fd, int cmd, ...)'),
    waitpid: libc.func('int waitpid(int pid, int *status, int options)'),
    waitid: libc.func('int waitid(int idtype, int id, int *info, int options)'),
    // After si_signo, si_errno and si_code, at the union's alignment (a pointer's).
    siPidIndex: koffi.sizeof('void *') === 8 ? 4 : 3,
    close: libc.func('int close(int fd)'),
    errno: () => koffi.errno(),
  };
}

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

class PosixChild extends EventEmitter implements SpawnedChild {
  constructor(
    readonly pid: number | undefined,
    readonly stdin: Writable | null,
    readonly stdout: Readable | null,
    readonly stderr: Readable | null,
    readonly spawnError?: NodeJS.ErrnoException,
  ) {
    super();
  }
}

/** The descriptor under a socket Node opened (what Node's own spawn passes for a socket in stdio). */
function socketFd(socket: net.Socket): number {
  return (socket as unknown as { _handle?: { fd?: number } | null })._handle?.fd ?? -1;
}

export class PosixSpawner {
  private readonly attr = Buffer.alloc(OPAQUE_BYTES);
  private readonly actions = Buffer.alloc(OPAQUE_BYTES);
  private readonly pidOut = new Int32Array(1);
  private readonly pairOut = new Int32Array(2);
  private readonly statusOut = new Int32Array(1);
  /** A siginfo_t (128 bytes). */
  private readonly infoOut = new Int32Array(32);
  private readonly live = new Map<number, PosixChild>();
  /** Holds the event loop open while a child lives, as Node's child handles do; it never fires. */
  private keepAlive: NodeJS.Timeout | null = null;

  constructor(private readonly libc: LibcSpawn) {
    // Signals 1-64 set by hand, since sigfillset leaves out those the C library keeps for itself.
    // (glibc 2.36 still leaves its two, 32 and 33, ignored in the child: no program can use them,
    // its SIGRTMIN is 34.)
    const all = Buffer.alloc(OPAQUE_BYTES).fill(0xff, 0, 8);
    const none = Buffer.alloc(OPAQUE_BYTES);
    libc.attrInit(this.attr);
    libc.attrSetSigDefault(this.attr, all);
    libc.attrSetSigMask(this.attr, none);
    process.on('SIGCHLD', () => this.reap());
  }

  spawn(file: string, args: readonly string[], options: ChildSpawnOptions): SpawnedChild {
    const argv = [checkNoNul(options.argv0, 'argv0'), ...args.map((arg) => checkNoNul(arg, 'args')), null];
    const envp: Array<string | null> = [];
    for (const [name, value] of Object.entries(options.env)) {
      if (value !== undefined) envp.push(checkNoNul(`${name}=${value}`, 'options.env'));
    }
    envp.push(null);
    checkNoNul(file, 'file');
    if (options.cwd !== undefined) checkNoNul(options.cwd, 'options.cwd');
    const { libc, actions } = this;
    libc.actionsInit(actions);
    /** Our ends of the socket pairs, by child fd; the child's ends, closed here once it has them. */
    const ours: Array<number | null> = [null, null, null];
    const theirs: number[] = [];
    /** An errno value once a step failed. */
    let failure = 0;
    try {
      for (let fd = 0; fd < 3 && !failure; fd += 1) failure = this.addStdio(options.stdio[fd]!, fd, ours, theirs);
      // As the reference's child does, it lets go of every descriptor above 2: Node opens its own
      // close-on-exec, but not those the daemon inherited (a reaper's pipe, a shell's).
      if (!failure && libc.addCloseFrom) failure = libc.addCloseFrom(actions, 3);
      if (!failure && options.cwd !== undefined) failure = libc.addChdir(actions, options.cwd);
      libc.attrSetFlags(this.attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | (options.detached ? POSIX_SPAWN_SETSID : 0));
      if (!failure) failure = libc.posix_spawn(this.pidOut, file, actions, this.attr, argv, envp);
    } finally {
      libc.actionsDestroy(actions);
      for (const fd of theirs) libc.close(fd);
    }
    if (failure) {
      for (const fd of ours) if (fd !== null) libc.close(fd);
      const error = spawnError(failure, file, args);
      const child = new PosixChild(undefined, null, null, null, error);
      process.nextTick(() => child.emit('error', error));
      return child;
    }
    const pid = this.pidOut[0]!;
    const [stdin, stdout, stderr] = ours.map((fd, index) => (fd === null ? null : new net.Socket({ fd, readable: index > 0 })));
    const child = new PosixChild(pid, stdin ?? null, stdout ?? null, stderr ?? null);
    this.live.set(pid, child);
    this.keepAlive ??= setInterval(() => {}, 2 ** 31 - 1);
    return child;
  }

  /** A new connected pair of stream sockets, close-on-exec; null when the system refuses one. */
  socketPair(): [number, number] | null {
    if (this.libc.socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, this.pairOut) !== 0) return null;
    return [this.pairOut[0]!, this.pairOut[1]!];
  }

  /** Adds the file action that gives the child its fd `fd`; returns 0, or the errno of what failed. */
  private addStdio(spec: StdioSpec, fd: number, ours: Array<number | null>, theirs: number[]): number {
    const { libc, actions } = this;
    if (spec === 'ignore') return libc.addOpen(actions, fd, '/dev/null', O_RDWR, 0);
    let source: number;
    if (spec === 'pipe') {
      const pair = this.socketPair();
      if (pair === null) return libc.errno();
      [ours[fd], source] = pair;
      theirs.push(source);
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
    if (this.live.size === 0 && this.keepAlive !== null) {
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

let loaded: PosixSpawner | null | undefined;

/** The process's one spawner (it owns SIGCHLD), loaded at first use; null when koffi or one of the calls is not available here. */
export function posixSpawner(): PosixSpawner | null {
  if (loaded === undefined) {
    try {
      loaded = new PosixSpawner(bindLibc(loadKoffi()));
    } catch {
      loaded = null;
    }
  }
  return loaded;
}
