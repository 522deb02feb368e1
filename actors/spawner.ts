// How a child is started: the options a supervised process's spawn uses, what it gets back, and
// the spawner the daemon uses. posix_spawn (posix-spawn.ts) when the C library can be called,
// because Node's spawn forks, which costs the daemon ~1 ms per child; else Node's own.
import { spawn as nodeSpawn } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { posixSpawner } from './posix-spawn.js';

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
  readonly stdin: Writable | null;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
}

export type Spawn = (file: string, args: readonly string[], options: ChildSpawnOptions) => SpawnedChild;

export const NODE_SPAWN: Spawn = (file, args, { umask, ...options }) => {
  const previousUmask = umask === null ? null : process.umask(umask);
  try {
    return nodeSpawn(file, args, options);
  } finally {
    if (previousUmask !== null) process.umask(previousUmask);
  }
};

let chosen: Spawn | null = null;

/** posix_spawn if this system has it, Node's spawn otherwise; decided at the first spawn. */
export const DAEMON_SPAWN: Spawn = (file, args, options) => {
  if (chosen === null) {
    const spawner = posixSpawner();
    chosen = spawner ? (f, a, o) => spawner.spawn(f, a, o) : NODE_SPAWN;
  }
  return chosen(file, args, options);
};
