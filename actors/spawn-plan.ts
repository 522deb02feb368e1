// What exactly to execute for a child. Node's spawn cannot do three things the reference does
// between fork and exec, so small exec-only wrappers do them and keep the child's pid:
// - user=: `setpriv` switches uid and gid and sets the supplementary groups (initgroups), which
//   spawn's own uid/gid options drop;
// - redirect_stderr: `sh -c 'exec … 2>&1'` gives stderr the very pipe stdout uses, so the two
//   stay in the order the child wrote them.
import fs from 'node:fs';
import type { ProcessConfig } from '../config/types.js';
import type { ResolvedCommand } from './command-line.js';
import { lookupUser } from '../config/users.js';

export interface SpawnPlan {
  file: string;
  args: string[];
  argv0: string;
}

// Absolute, because spawn would search the child's PATH, which the config may have changed.
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((file) => fs.existsSync(file)) ?? 'setpriv';
const REDIRECT_STDERR_SCRIPT = 'exec "$0" "$@" 2>&1';

export function childSpawnPlan(config: ProcessConfig, command: ResolvedCommand): SpawnPlan {
  let argv = [command.filename, ...command.argv.slice(1)];
  let argv0 = command.argv[0] ?? command.filename;
  if (config.redirectStderr) {
    argv = ['/bin/sh', '-c', REDIRECT_STDERR_SCRIPT, ...argv];
    argv0 = '/bin/sh';
  }
  if (config.user !== null) {
    const user = lookupUser(config.user, /^\d+$/.test(config.user));
    if (!user) throw new Error(`couldn't setuid to ${config.user}: no such user`);
    const myUid = process.getuid?.();
    if (myUid !== user.uid) {
      if (myUid !== 0) throw new Error(`couldn't setuid to ${user.uid}: Can't drop privilege as nonroot user`);
      argv = [SETPRIV, `--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups', '--', ...argv];
      argv0 = 'setpriv';
    }
  }
  const [file, ...args] = argv;
  return { file: file!, args, argv0 };
}
