// What exactly to execute for a child. Node's spawn cannot do three things the reference does
// between fork and exec, so small exec-only wrappers do them and keep the child's pid:
// - user=: `setpriv` switches uid and gid and sets the supplementary groups (initgroups), which
//   spawn's own uid/gid options drop;
// - [supervisord] children_die_with_daemon (ours): `setpriv --pdeathsig` has the kernel send the
//   child its stopsignal when the daemon dies, even by SIGKILL (PR_SET_PDEATHSIG). Measured:
//   setpriv sets it after switching the user, so it survives user= (a change of credentials
//   would clear it); the signal comes when the thread that spawned ends, and both the main
//   thread (Node's spawn) and libuv's worker threads (posix_spawn) live as long as the daemon.
//   Exec'ing a set-user-ID program clears it; descendants never inherit it.
// - redirect_stderr: `sh -c 'exec … 2>&1'` gives stderr the very pipe stdout uses, so the two
//   stay in the order the child wrote them.
// Behind a wrapper the program would get the resolved path as argv[0]; bash's `exec -a` (in POSIX
// mode, which reads no startup file such as $BASH_ENV) restores the word written in command=, as
// the reference passes it. Without bash the wrappers still work, with the path as argv[0].
// When the reference's forked child would fail before exec (bad directory, user switch refused),
// it writes "supervisor: …" lines to its stderr and exits 127; a tiny shell child does the same
// here, so the logs and the exit status read exactly as with the reference.
import fs from 'node:fs';
import type { ProcessConfig } from '../config/types.js';
import { lookupUser } from '../config/users.js';
import type { ResolvedCommand } from './command-line.js';

export interface SpawnPlan {
  file: string;
  args: string[];
  argv0: string;
  cwd: string | undefined;
  /** Set when the plan only reports why the program cannot be started, and which key is the cause (for supervisord --check). */
  failure?: { key: 'user' | 'directory'; reason: string };
}

// Absolute, because spawn would search the child's PATH, which the config may have changed.
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((file) => fs.existsSync(file)) ?? 'setpriv';
const BASH = ['/bin/bash', '/usr/bin/bash'].find((file) => fs.existsSync(file)) ?? null;
const REDIRECT_STDERR_SCRIPT = 'exec "$0" "$@" 2>&1';

/** Words that exec `file` with `args`, argv[0] set to `argv0` when bash is there; stderr onto stdout if asked. */
function execWrapper(file: string, args: string[], argv0: string, redirectStderr: boolean): string[] {
  if (BASH) return [BASH, '--posix', '-c', `exec -a "$0" "$@"${redirectStderr ? ' 2>&1' : ''}`, argv0, file, ...args];
  return redirectStderr ? ['/bin/sh', '-c', REDIRECT_STDERR_SCRIPT, file, ...args] : [file, ...args];
}
const FAIL_SCRIPT = 'printf "supervisor: %s\\n" "$@" >&2; exit 127';

/** A child that reports why the program could not be started, as the reference's child does. */
function reportingChild(config: ProcessConfig, reason: string): SpawnPlan {
  const script = config.redirectStderr ? FAIL_SCRIPT.replace('>&2', '') : FAIL_SCRIPT;
  return { file: '/bin/sh', args: ['-c', script, 'sh', reason, 'child process was not spawned'], argv0: 'sh', cwd: undefined };
}

function failingChild(config: ProcessConfig, key: 'user' | 'directory', reason: string): SpawnPlan {
  return { ...reportingChild(config, reason), failure: { key, reason } };
}

/**
 * The reference forks before it execs: when the exec itself fails (a script without `#!`, say:
 * ENOEXEC), its child reports it and exits 127. posix_spawn says so at once instead; this child
 * then takes the program's place, so that the logs and the exit status read the same.
 */
export function execFailureChild(config: ProcessConfig, argv0: string, errno: string): SpawnPlan {
  return reportingChild(config, `couldn't exec ${argv0}: ${errno}`);
}

/** Why chdir into `directory` would fail, as an errno name, or null. */
function chdirProblem(directory: string): string | null {
  try {
    if (!fs.statSync(directory).isDirectory()) return 'ENOTDIR';
    fs.accessSync(directory, fs.constants.X_OK);
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'EIO';
  }
}

/** @param dieWithDaemon [supervisord] children_die_with_daemon */
export function childSpawnPlan(config: ProcessConfig, command: ResolvedCommand, dieWithDaemon: boolean): SpawnPlan {
  const programArgs = command.argv.slice(1);
  const programArgv0 = command.argv[0] ?? command.filename;
  let switchTo: string[] | null = null;
  if (config.user !== null) {
    const user = lookupUser(config.user, /^\d+$/.test(config.user));
    if (!user) return failingChild(config, 'user', `couldn't setuid to ${config.user}: Can't find username '${config.user}'`);
    const myUid = process.getuid?.();
    if (myUid !== user.uid) {
      if (myUid !== 0) return failingChild(config, 'user', `couldn't setuid to ${user.uid}: Can't drop privilege as nonroot user`);
      switchTo = [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups'];
    }
  }
  if (dieWithDaemon) switchTo = [...(switchTo ?? []), `--pdeathsig=${config.stopsignal.replace(/^SIG/, '')}`];
  let argv = [command.filename, ...programArgs];
  let argv0 = programArgv0;
  if (config.redirectStderr || switchTo) {
    argv = execWrapper(command.filename, programArgs, programArgv0, config.redirectStderr);
    argv0 = argv[0]!;
  }
  if (switchTo) {
    argv = [SETPRIV, ...switchTo, '--', ...argv];
    argv0 = 'setpriv';
  }
  if (config.directory !== null) {
    const problem = chdirProblem(config.directory);
    if (problem) return failingChild(config, 'directory', `couldn't chdir to ${config.directory}: ${problem}`);
  }
  const [file, ...args] = argv;
  return { file: file!, args, argv0, cwd: config.directory ?? undefined };
}
