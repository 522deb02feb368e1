// The spawner the daemon uses: posix_spawn (posix-spawn.ts) when the C library can be called,
// because Node's spawn forks, which costs the daemon ~1 ms per child; else Node's own.
import { spawn as nodeSpawn } from 'node:child_process';
import { posixSpawner } from './posix-spawn.js';
import type { Spawn } from './spawned-child.js';

export const NODE_SPAWN: Spawn = (file, args, { umask, ...options }) => {
  const previousUmask = umask === null ? null : process.umask(umask);
  try {
    const child = nodeSpawn(file, args, options);
    child.stdin?.on('error', () => {});
    return Object.assign(child, { closeStdin: () => child.stdin?.destroy() });
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
