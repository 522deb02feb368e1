// Lines for syslog (logfile=syslog, stdout_syslog, stderr_syslog). Node cannot open the
// AF_UNIX datagram socket /dev/log, so one long-lived util-linux `logger` child carries every
// line, sent as the reference sends them: ident "supervisord", facility user, priority info.
import { spawn, type ChildProcess } from 'node:child_process';

/** Where logger sends; tests point it at a socket of their own. */
const SOCKET_VARIABLE = 'SUPERVISORD_SYSLOG_SOCKET';

export class Syslog {
  private child: ChildProcess | null = null;
  private failed = false;

  constructor(private readonly onError: (message: string) => void) {}

  /** Sends one line per line of `message` (the reference splits them so). */
  send(message: string, format: (line: string) => string): void {
    const stdin = this.start();
    if (!stdin) return;
    const lines = message.replace(/\n+$/, '').split('\n');
    stdin.write(lines.map((line) => `${format(line)}\n`).join(''));
  }

  close(): void {
    this.child?.stdin?.end();
    this.child = null;
  }

  private start(): NodeJS.WritableStream | null {
    if (this.failed) return null;
    if (this.child?.stdin?.writable) return this.child.stdin;
    const socket = process.env[SOCKET_VARIABLE];
    const args = ['-t', 'supervisord', '-p', 'user.info', ...(socket ? ['-u', socket] : [])];
    const child = spawn('logger', args, { stdio: ['pipe', 'ignore', 'ignore'] });
    const fail = (reason: string) => {
      if (this.failed) return;
      this.failed = true;
      this.child = null;
      this.onError(`cannot log to syslog: ${reason}`);
    };
    child.on('error', (error) => fail(error.message));
    child.on('exit', (code) => {
      if (this.child === child && code !== 0) fail(`logger exited with status ${code}`);
      if (this.child === child) this.child = null;
    });
    child.stdin.on('error', () => {});
    // Syslog alone must not keep the daemon alive.
    child.unref();
    this.child = child;
    return child.stdin;
  }
}
