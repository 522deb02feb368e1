#!/usr/bin/env node
// pidproxy <pidfile> <command> [args...]: runs a program that daemonizes (or that starts the real
// server as its own child, like mysqld_safe) under supervisord, which can only signal its own
// child. Signals we receive go to the pid in the pidfile, read at signal time.
//
// Like the reference: TERM, HUP, INT, USR1, USR2 and QUIT are relayed; when the pidfile cannot
// be read the message "Can't read child pidfile <file>!" is printed. Unlike it (deliberately):
//  - without a readable pidfile the signal goes to our child, if it still runs, instead of nowhere;
//  - we exit when our child has exited AND the pidfile's process is gone (the reference exits up
//    to 5 s after its child exits, so a program that forks into the background ends it at once,
//    and it exits at once on TERM/INT/QUIT without waiting for the program to stop);
//  - our exit status is our child's (128 + signal number if a signal ended it), not always 0;
//  - a command without a slash is searched in PATH (the reference only takes it relative to the
//    working directory).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { constants as osConstants } from 'node:os';

const RELAYED: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT', 'SIGUSR1', 'SIGUSR2', 'SIGQUIT'];
/** How often the pidfile's process is checked once our child has exited. */
const POLL_MS = 100;

const [pidfile, command, ...args] = process.argv.slice(2);
if (pidfile === undefined || command === undefined) {
  process.stdout.write(
    'pidproxy -- run command and proxy signals to it via its pidfile.\n\nUsage: pidproxy <pidfile name> <command> [<cmdarg1> ...]\n',
  );
  process.exit(1);
}

/** The pid in the pidfile, or undefined if it cannot be read or is not a positive integer. */
function pidFromFile(file: string): number | undefined {
  try {
    const text = readFileSync(file, 'utf8').trim();
    return /^\d+$/.test(text) && Number(text) > 0 ? Number(text) : undefined;
  } catch {
    return undefined;
  }
}

/** True while `pid` exists and is not a zombie (an orphan may wait a while to be reaped). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.charAt(stat.lastIndexOf(')') + 2));
  } catch {
    return true; // no /proc: trust kill()
  }
}

function sendQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // gone in the meantime
  }
}

let childStatus: number | undefined;

// Set before the child exists: a signal that arrives while it is being spawned must not end us
// by its default action. Node runs the handlers once the spawn has returned.
for (const signal of RELAYED) {
  process.on(signal, () => {
    const pid = pidFromFile(pidfile);
    if (pid !== undefined) {
      sendQuietly(pid, signal);
      return;
    }
    process.stdout.write(`Can't read child pidfile ${pidfile}!\n`);
    if (childStatus === undefined && child.pid !== undefined) sendQuietly(child.pid, signal);
  });
}

const child = spawn(command, args, { stdio: 'inherit' });

child.on('error', (err) => {
  process.stderr.write(`pidproxy: cannot run ${command}: ${err.message}\n`);
  process.exit(127);
});

child.on('exit', (code, signal) => {
  childStatus = code ?? 128 + (signal === null ? 0 : osConstants.signals[signal]);
  const exitWhenPidfileProcessGone = (): void => {
    const pid = pidFromFile(pidfile);
    if (pid === undefined || pid === child.pid || !isRunning(pid)) process.exit(childStatus);
  };
  exitWhenPidfileProcessGone();
  setInterval(exitWhenPidfileProcessGone, POLL_MS);
});
