// Telling the service manager (systemd, or anything speaking sd_notify(3)) how the daemon is
// doing: READY=1, RELOADING=1, STOPPING=1, STATUS=..., one datagram each on the unix datagram
// socket named by $NOTIFY_SOCKET ("@name" for an abstract one, as systemd writes it). Node
// cannot send unix datagrams, so a short Perl script sends each (perl-base is Essential on
// Debian); without Perl, systemd-notify does it. A failure is reported, never thrown at the
// daemon: a unit without Type=notify must not keep the daemon from running.
import { spawn } from 'node:child_process';
import { describeError, SupervisorError } from '../common/errors.js';
import { resolveCommand } from './command-line.js';

export const NOTIFY_SOCKET_VARIABLE = 'NOTIFY_SOCKET';

/** A helper that has not sent its datagram by then is stuck (a full socket buffer): it is killed. */
const SEND_TIMEOUT_MS = 5000;

const SENDER = String.raw`
use strict;
use warnings;
use Socket qw(AF_UNIX SOCK_DGRAM pack_sockaddr_un);
my ($path, $message) = @ARGV;
$path =~ s/^@/\0/;
socket(my $socket, AF_UNIX, SOCK_DGRAM, 0) or die "socket: $!\n";
defined send($socket, $message, 0, pack_sockaddr_un($path)) or die "$!\n";`;

export interface ServiceManagerOptions {
  /** The Perl to run (default: perl on the daemon's PATH). */
  perl?: string;
  /** Used when there is no Perl (default: systemd-notify on the daemon's PATH). */
  systemdNotify?: string;
}

export class ServiceManager {
  /** Each datagram leaves once the one before it has, so that they arrive in the order sent. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly socket: string,
    private readonly options: ServiceManagerOptions = {},
  ) {}

  /**
   * The manager the daemon was started under, from $NOTIFY_SOCKET, or null. The variable is
   * taken out of `env`: the children inherit it from there, and what they would send would be
   * taken for the daemon's word.
   */
  static fromEnvironment(env: NodeJS.ProcessEnv, options?: ServiceManagerOptions): ServiceManager | null {
    const socket = env[NOTIFY_SOCKET_VARIABLE];
    delete env[NOTIFY_SOCKET_VARIABLE];
    return socket ? new ServiceManager(socket, options) : null;
  }

  /** Sends one datagram of `KEY=VALUE` lines; rejects (an EXTERNAL_COMMAND error) when it could not. */
  notify(assignments: Record<string, string>): Promise<void> {
    const message = Object.entries(assignments)
      .map(([key, value]) => `${key}=${value}`)
      .join('\n');
    const sent = this.queue.then(() => this.send(message));
    this.queue = sent.catch(() => undefined);
    return sent;
  }

  private send(message: string): Promise<void> {
    const perl = findCommand(this.options.perl ?? 'perl');
    if (perl !== null) return runSender(perl, ['-e', SENDER, this.socket, message], {});
    const systemdNotify = findCommand(this.options.systemdNotify ?? 'systemd-notify');
    if (systemdNotify !== null) return runSender(systemdNotify, message.split('\n'), { [NOTIFY_SOCKET_VARIABLE]: this.socket });
    return Promise.reject(failure(`it needs perl (Debian package perl-base) or systemd-notify, and neither is on PATH`));
  }
}

function failure(reason: string, cause?: unknown): SupervisorError {
  return new SupervisorError('EXTERNAL_COMMAND', reason, { cause });
}

function findCommand(command: string): string | null {
  try {
    return resolveCommand(command, process.env).filename;
  } catch {
    return null;
  }
}

/** Runs a sender with only `env` (PERL5OPT and the like must not change what it does). */
function runSender(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-1000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), SEND_TIMEOUT_MS);
    timer.unref();
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(failure(`couldn't run ${file}: ${describeError(error)}`, error));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve();
      const why = stderr.trim().split('\n').at(-1) || (signal ? `killed after ${SEND_TIMEOUT_MS} ms` : `exit status ${code}`);
      reject(failure(why));
    });
  });
}
