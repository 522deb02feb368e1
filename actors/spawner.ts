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
}

/**
 * A child as Node's ChildProcess presents one, reduced to what the daemon uses: its pid (none when
 * the spawn failed: an 'error' follows), our ends of its 'pipe' stdio, and 'exit' (code, signal).
 */
export interface SpawnedChild extends EventEmitter {
  readonly pid?: number | undefined;
  /** Why the spawn failed, when that is known at once (posix_spawn); the 'error' still follows. */
  readonly spawnError?: NodeJS.ErrnoException;
  readonly stdin: Writable | null;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
}

export type Spawn = (file: string, args: readonly string[], options: ChildSpawnOptions) => SpawnedChild;

export const NODE_SPAWN: Spawn = (file, args, options) => nodeSpawn(file, args, options);

let chosen: Spawn | null = null;

/** posix_spawn if this system has it, Node's spawn otherwise; decided at the first spawn. */
export const DAEMON_SPAWN: Spawn = (file, args, options) => {
  if (chosen === null) {
    const spawner = posixSpawner();
    chosen = spawner ? (f, a, o) => spawner.spawn(f, a, o) : NODE_SPAWN;
  }
  return chosen(file, args, options);
};
