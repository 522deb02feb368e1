// The C library's calls that posix-spawn.ts makes, bound through koffi: posix_spawn and its file
// actions and attributes, socketpair, pipe2, fcntl and the waits.
import type * as Koffi from 'koffi';

type SpawnArguments = [
  pid: Int32Array,
  path: string,
  actions: Buffer,
  attr: Buffer,
  argv: Array<string | null>,
  envp: Array<string | null>,
];

export interface LibcSpawn {
  posix_spawn(...args: SpawnArguments): number;
  /** The same call on a worker thread; throws when koffi cannot take it (too many queued, too large an environment). */
  posixSpawnAsync(...args: [...SpawnArguments, (error: unknown, result: number) => void]): void;
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
  pipe2(fds: Int32Array, flags: number): number;
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

export function bindLibc(koffi: typeof Koffi): LibcSpawn {
  const libc = koffi.load(null);
  const posixSpawn = libc.func(
    'int posix_spawn(int *pid, const char *path, void *actions, void *attr, const char **argv, const char **envp)',
  );
  return {
    posix_spawn: posixSpawn,
    posixSpawnAsync: posixSpawn.async,
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
    pipe2: libc.func('int pipe2(int *fds, int flags)'),
    fcntl: libc.func('int fcntl(int fd, int cmd, ...)'),
    waitpid: libc.func('int waitpid(int pid, int *status, int options)'),
    waitid: libc.func('int waitid(int idtype, int id, int *info, int options)'),
    // After si_signo, si_errno and si_code, at the union's alignment (a pointer's).
    siPidIndex: koffi.sizeof('void *') === 8 ? 4 : 3,
    close: libc.func('int close(int fd)'),
    errno: () => koffi.errno(),
  };
}
