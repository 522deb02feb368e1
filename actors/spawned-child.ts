// What a child's spawn takes and gives back, whichever spawner makes it: the types that
// spawner.ts, posix-spawn.ts, the process actor and the tests' fake system share.
import type { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';

/** One of the child's fds 0-2: a new socket pair, /dev/null, a descriptor or a socket's. */
export type StdioSpec = 'pipe' | 'ignore' | number | Socket;

export interface ChildSpawnOptions {
  argv0: string;
  cwd: string | undefined;
  env: NodeJS.ProcessEnv;
  stdio: [StdioSpec, StdioSpec, StdioSpec];
  /** Its own session (and process group). */
  detached: boolean;
  /** umask= for the child; null: the daemon's. */
  umask: number | null;
}

/**
 * A child as Node's ChildProcess presents one, reduced to what the daemon uses: its pid, our ends
 * of its 'pipe' stdio, and 'exit' (code, signal). Without a pid on return the spawn is either
 * still to come (posix_spawn, at the end of the tick or on a worker thread), and 'spawn' comes
 * when the pid and the pipes are set, or it failed: an 'error' comes.
 */
export interface SpawnedChild extends EventEmitter {
  readonly pid?: number | undefined;
  /** Why posix_spawn failed, set by the time 'error' comes; Node's spawn leaves it unset. */
  readonly spawnError?: NodeJS.ErrnoException;
  /** Our end of its stdin, whose errors (a child gone: EPIPE) are ignored: writers check `destroyed`. */
  readonly stdin: Writable | null;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  /** Lets go of our end of its stdin (it exited), without making a stream of it first. */
  closeStdin(): void;
}

export type Spawn = (file: string, args: readonly string[], options: ChildSpawnOptions) => SpawnedChild;
