// The sd_notify protocol: a unix datagram socket whose path the program gets as $NOTIFY_SOCKET,
// each datagram one or more newline-separated KEY=VALUE assignments (READY=1, WATCHDOG=1,
// STATUS=…). Node cannot receive unix datagrams, so a small Perl script binds the socket and
// writes each datagram on its stdout as one line of hex. Perl because Debian always has it
// (perl-base is Essential) and because a plain recv drops the file descriptors a sender may
// pass: systemd-notify passes one and waits until it is closed (its "barrier"). socat, the
// obvious tool, keeps them open, so each systemd-notify there hangs 5 s and exits 1; it also
// runs datagrams together on its stdout. The script exits, removing the socket, when its stdin
// closes, so it does not outlive a daemon that was killed. Either side removes the socket file
// only while it is still the one the script bound.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { Subject, type Observable } from 'rxjs';
import { describeError, SupervisorError } from '../../common/errors.js';
import { resolveCommand } from '../command-line.js';

export interface NotifyAssignment {
  key: string;
  value: string;
}

export interface NotifySocket {
  readonly path: string;
  /** Every assignment of every datagram, in order; completes once the socket is closed. */
  readonly messages: Observable<NotifyAssignment>;
  /** Why the socket went away on its own (the helper died; `messages` then completed), or null. */
  readonly failure: string | null;
  /** Stops the helper and removes the socket file. */
  close(): Promise<void>;
}

export interface NotifySocketOptions {
  /** The Perl to run (default: perl, looked up in the daemon's PATH). */
  perl?: string;
}

/** The longest socket path the kernel takes (sun_path, less its terminating NUL). */
const MAX_PATH_BYTES = 107;

const HELPER = String.raw`
use strict;
use warnings;
use Socket qw(AF_UNIX SOCK_DGRAM pack_sockaddr_un);
use IO::Select;
my $path = shift;
socket(my $socket, AF_UNIX, SOCK_DGRAM, 0) or die "socket: $!\n";
bind($socket, pack_sockaddr_un($path)) or die "$!\n";
my $inode = (stat $path)[1];
$| = 1;
print "bound\n";
my $ready = IO::Select->new($socket, \*STDIN);
while (1) {
  for my $handle ($ready->can_read) {
    if ($handle == $socket) {
      print unpack('H*', $_), "\n" if defined recv($socket, $_, 65536, 0);
    } elsif (!sysread(STDIN, my $ignored, 4096)) {
      unlink $path if ((stat $path)[1] // -1) == $inode;
      exit 0;
    }
  }
}`;

/** The assignments in one datagram: lines without "=" carry none. */
export function parseAssignments(datagram: Buffer): NotifyAssignment[] {
  return datagram
    .toString('utf8')
    .split('\n')
    .map((line) => ({ line, equals: line.indexOf('=') }))
    .filter(({ equals }) => equals > 0)
    .map(({ line, equals }) => ({ key: line.slice(0, equals), value: line.slice(equals + 1) }));
}

function openError(path: string, reason: string, cause?: unknown): SupervisorError {
  return new SupervisorError('SPAWN', `can't open the notify socket ${path}: ${reason}`, { cause });
}

/**
 * Binds the socket at `path`, replacing a socket file already there (one a killed daemon left);
 * resolves once it receives.
 */
export async function openNotifySocket(path: string, options: NotifySocketOptions = {}): Promise<NotifySocket> {
  const perl = options.perl ?? 'perl';
  let filename: string;
  try {
    filename = resolveCommand(perl, process.env).filename;
  } catch (error) {
    throw openError(path, `it needs ${perl} (Debian package perl-base), which is missing: ${describeError(error)}`, error);
  }
  if (Buffer.byteLength(path) > MAX_PATH_BYTES) throw openError(path, `the path is longer than ${MAX_PATH_BYTES} bytes`);
  if (fs.lstatSync(path, { throwIfNoEntry: false })?.isSocket()) fs.rmSync(path);
  // No environment: PERL5OPT and the like must not change what the script does. Its own process
  // group: a Ctrl-C meant for the daemon must not end it before the daemon closes it.
  const child = spawn(filename, ['-e', HELPER, path], { env: {}, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  child.stdin.on('error', () => {});
  const messages = new Subject<NotifyAssignment>();
  let bound = false;
  let closing = false;
  let failure: string | null = null;
  let stderr = '';
  let inode: number | undefined;
  let markExited = () => {};
  const exited = new Promise<void>((resolve) => (markExited = resolve));
  let closed: Promise<void> | null = null;
  const socket: NotifySocket = {
    path,
    messages: messages.asObservable(),
    get failure() {
      return failure;
    },
    close: () =>
      (closed ??= (async () => {
        closing = true;
        child.kill('SIGTERM');
        await exited;
        // Only its own socket: another may have been bound at the path since.
        if (inode !== undefined && fs.statSync(path, { throwIfNoEntry: false })?.ino === inode) fs.rmSync(path);
      })()),
  };

  return new Promise<NotifySocket>((resolve, reject) => {
    let carry = '';
    child.stdout.setEncoding('latin1').on('data', (text: string) => {
      const lines = (carry + text).split('\n');
      carry = lines.pop() ?? '';
      for (const line of lines) {
        if (bound) parseAssignments(Buffer.from(line, 'hex')).forEach((assignment) => messages.next(assignment));
        else if (line === 'bound') {
          bound = true;
          inode = fs.statSync(path, { throwIfNoEntry: false })?.ino;
          resolve(socket);
        }
      }
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-1000)));
    child.once('error', (error) => reject(openError(path, `couldn't run ${filename}: ${describeError(error)}`, error)));
    // 'close' comes after the last of its output: every datagram has been passed on, and the
    // reason it gave is all there.
    child.once('close', (code, signal) => {
      const reason = stderr.trim().split('\n').at(-1) || `the helper ended (${signal ?? `exit status ${code}`})`;
      if (!bound) reject(openError(path, reason));
      else if (!closing) failure = reason;
      messages.complete();
      markExited();
    });
  });
}
