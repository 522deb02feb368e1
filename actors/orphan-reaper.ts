// Reaping orphans. A process whose parent dies is re-parented to pid 1 of its pid namespace, or
// to the nearest ancestor that made itself a child subreaper, which must wait() for it or it
// stays a zombie. Node cannot wait for a pid that libuv did not spawn (there is no
// waitpid(-1)), and a waitpid(-1) of our own would take the exit statuses libuv needs for the
// daemon's children. So supervisord turns itself into a small reaper that runs the daemon as its
// only child: the process keeps its pid (execve), now a Perl script that waits for every
// orphan, forwards the daemon's signals to it and exits as the daemon exits; the daemon's own
// children stay its direct children, with their exact statuses. Perl because Debian always has
// it (perl-base is Essential) and it runs in ~5.6 MB of RSS, starting in ~10 ms; Node has no
// execve (before 22.15) nor prctl, so koffi, an FFI with prebuilt binaries in its npm package,
// calls them, in this process that is about to become Perl. The reaper tells the daemon of each orphan it reaped on a pipe (the daemon logs it as the
// reference does), and the pipe's end tells the daemon that the reaper is gone.
import fs from 'node:fs';
import os from 'node:os';
import { describeError, SupervisorError } from '../common/errors.js';
import { resolveCommand } from './command-line.js';
import { loadKoffi } from './koffi.js';
import type * as Koffi from 'koffi';

/** Set by the reaper in the daemon's environment: "<reaper pid>:<fd of the report pipe>". */
export const REAPER_VARIABLE = 'SUPERVISORD_REAPER';

/** The reaper's argv[0], what ps shows for it. */
export const REAPER_NAME = 'supervisord-reaper';

/** Variables that change what Perl itself does, moved aside for the reaper and restored for the daemon. */
const KEPT_PREFIX = 'SUPERVISORD_REAPER_KEEP_';
const PERL_VARIABLE = /^(PERL|LC_|LANG$|LANGUAGE$)/;

const PR_SET_CHILD_SUBREAPER = 36;
const F_SETFD = 2;
const F_GETFL = 3;
const F_SETFL = 4;

/**
 * The reaper. It blocks in waitpid(-1) and forwards the signals the daemon handles; a signal
 * that comes before the fork is forwarded right after it. The pipe is made without
 * close-on-exec ($^F) so that the daemon inherits its read end; the reaper writes without
 * blocking (a full pipe loses a report, never stalls the reaping). It lets go of every other
 * descriptor it inherited: the daemon holds its own copies, and the reaper's would keep the
 * background handshake's pipe open after the daemon closed it. A daemon killed by a signal is
 * passed on by the same signal, except where that would dump a second core or cannot work (pid
 * 1 ignores its own signals): 128 + the signal then, as shells report it.
 */
const REAPER_SCRIPT = String.raw`
use strict;
use warnings;
use Fcntl qw(F_GETFL F_SETFL O_NONBLOCK);
my @forwarded = qw(TERM INT QUIT HUP USR1 USR2);
my ($daemon, @early) = (0);
$SIG{$_} = sub { $daemon ? kill($_[0], $daemon) : push(@early, $_[0]) } for @forwarded;
$SIG{PIPE} = 'IGNORE';
my ($reports, $reporter);
{ local $^F = 1023; pipe($reports, $reporter) or die "supervisord: can't make the reaper's pipe: $!\n"; }
my $reaper = $$;
$daemon = fork() // die "supervisord: can't fork the daemon: $!\n";
if ($daemon == 0) {
  close $reporter;
  $SIG{$_} = 'DEFAULT' for @forwarded, 'PIPE', 'XFSZ';
  $ENV{substr($_, length '${KEPT_PREFIX}')} = delete $ENV{$_} for grep { /^${KEPT_PREFIX}/ } keys %ENV;
  $ENV{${REAPER_VARIABLE}} = "$reaper:" . fileno($reports);
  exec { $ARGV[0] } @ARGV or print STDERR "supervisord: can't run $ARGV[0]: $!\n";
  exit 127;
}
close $reports;
kill($_, $daemon) for splice @early;
fcntl($reporter, F_SETFL, fcntl($reporter, F_GETFL, 0) | O_NONBLOCK);
if (opendir(my $fds, '/proc/self/fd')) {
  my @inherited = grep { /^\d+$/ && $_ > 2 && $_ != fileno($reporter) } readdir $fds;
  closedir $fds;
  for my $fd (@inherited) {
    if (open(my $handle, '<&=', $fd)) { close $handle }
  }
}
while ((my $pid = waitpid(-1, 0)) != $daemon) {
  die "supervisord-reaper: waitpid: $!\n" if $pid < 0;
  syswrite($reporter, "$pid $?\n");
}
my $status = $?;
exit($status >> 8) unless $status & 127;
my $signal = $status & 127;
unless ($status & 128) {
  $SIG{$_} = 'DEFAULT' for @forwarded, 'PIPE';
  kill($signal, $$);
}
exit(128 + $signal);
`;

export interface ReaperOptions {
  /** Also make the reaper a child subreaper (not needed as pid 1, which reaps its namespace). */
  subreaper: boolean;
  /** Descriptors the daemon needs besides 0-2 (Node marks every inherited one close-on-exec). */
  keepFds: number[];
  /** The Perl to run (default: perl, looked up in PATH). */
  perl?: string;
}

function reaperError(reason: string, cause?: unknown): SupervisorError {
  return new SupervisorError('STARTUP', reason, { cause });
}

/** errno's name, as the C library sets it after a failed call. */
function errnoName(errno: number): string {
  return Object.entries(os.constants.errno).find(([, value]) => value === errno)?.[0] ?? `errno ${errno}`;
}

/** The environment for Perl: what would change the script's behaviour is carried past it. */
export function reaperEnvironment(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env).flatMap(([name, value]) =>
    value === undefined ? [] : [`${PERL_VARIABLE.test(name) ? KEPT_PREFIX : ''}${name}=${value}`],
  );
}

interface LibcCalls {
  prctl(option: number, ...typedArgs: unknown[]): number;
  fcntl(fd: number, cmd: number, ...typedArgs: unknown[]): number;
  execve(path: string, argv: Array<string | null>, envp: Array<string | null>): number;
  errno(): number;
}

/** The C library's calls, from the symbols already in this process (whatever its libc is called). */
function bindLibc(koffi: typeof Koffi): LibcCalls {
  const libc = koffi.load(null);
  return {
    prctl: libc.func('int prctl(int option, ...)'),
    fcntl: libc.func('int fcntl(int fd, int cmd, ...)'),
    execve: libc.func('int execve(const char *path, const char **argv, const char **envp)'),
    errno: () => koffi.errno(),
  };
}

/**
 * Replaces this process with the reaper, which runs this same command line again as its child.
 * Returns only by throwing, with the reason in one line (nothing is changed then but the
 * subreaper mark and close-on-exec on the kept descriptors).
 */
export async function execUnderReaper(options: ReaperOptions): Promise<never> {
  const perl = options.perl ?? 'perl';
  let filename: string;
  try {
    filename = resolveCommand(perl, process.env).filename;
  } catch (error) {
    throw reaperError(`it needs ${perl} (Debian package perl-base), which is missing: ${describeError(error)}`, error);
  }
  let libc: LibcCalls;
  try {
    libc = bindLibc(loadKoffi());
  } catch (error) {
    throw reaperError(`the koffi package could not call the C library: ${describeError(error)}`, error);
  }
  const { prctl, fcntl, execve } = libc;
  const failed = (call: string) => reaperError(`${call} failed: ${errnoName(libc.errno())}`);

  if (options.subreaper && prctl(PR_SET_CHILD_SUBREAPER, 'unsigned long', 1) !== 0) throw failed('prctl(PR_SET_CHILD_SUBREAPER)');
  for (const fd of [0, 1, 2, ...options.keepFds]) {
    if (fcntl(fd, F_SETFD, 'int', 0) !== 0) continue;
    // Node may have made a pipe non-blocking; the flag belongs to the open file, shared with
    // whoever else holds it, and Node's exit would have reset it.
    const flags = fcntl(fd, F_GETFL, 'int', 0);
    if (flags >= 0 && flags & fs.constants.O_NONBLOCK) fcntl(fd, F_SETFL, 'int', flags & ~fs.constants.O_NONBLOCK);
  }
  const command = [process.execPath, ...process.execArgv, ...process.argv.slice(1)];
  // Named in ps by argv[0]: setting $0 would wipe what /proc/<pid>/environ shows (Perl pads the
  // environment's memory), which some read from pid 1.
  execve(filename, [REAPER_NAME, '-e', REAPER_SCRIPT, ...command, null], [...reaperEnvironment(process.env), null]);
  throw failed(`execve(${filename})`);
}
