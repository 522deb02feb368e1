// One daemon under measurement: its generated config in a fresh directory under the scratch root,
// started in the foreground (-n) in its own process group with our marker in its environment, and
// disposed of (group and marked processes killed, directory removed) whatever happened.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { countMatching, parseLog, type LogLine } from './activity-log.js';
import { MARKER, MARKER_VAR, killMarked, scratchRoot, trackDaemon, untrackDaemon } from './cleanup.js';
import { OURS_DAEMON, REFERENCE_DAEMON, type Kind } from './installation.js';
import { sleep } from './measurement.js';

function commonSections(dir: string): string {
  return `[unix_http_server]
file=${dir}/supervisor.sock

[supervisord]
logfile=${dir}/supervisord.log
pidfile=${dir}/supervisord.pid
childlogdir=${dir}
loglevel=info

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://${dir}/supervisor.sock

`;
}

/** `count` programs running `sleep 1000`, without output logs. */
export function sleeperPrograms(count: number, startsecs: number): string {
  let text = '';
  for (let i = 0; i < count; i += 1) {
    text += `[program:sleeper${String(i).padStart(4, '0')}]
command=sleep 1000
startsecs=${startsecs}
stdout_logfile=NONE
stderr_logfile=NONE

`;
  }
  return text;
}

export class Daemon {
  readonly conf: string;
  readonly socket: string;
  readonly child: ChildProcess;
  /** process.hrtime.bigint() right before the daemon process was spawned. */
  readonly spawnedAt: bigint;
  /** process.hrtime.bigint() when the daemon process was seen to exit, or null while it runs. */
  exitedAt: bigint | null = null;
  readonly exited: Promise<void>;
  private stderr = '';

  constructor(
    readonly kind: Kind,
    readonly dir: string,
    programs: string,
  ) {
    this.conf = path.join(dir, 'supervisord.conf');
    this.socket = path.join(dir, 'supervisor.sock');
    fs.writeFileSync(this.conf, commonSections(dir) + programs);
    const [command, args] = kind === 'reference' ? [REFERENCE_DAEMON, []] : [process.execPath, [OURS_DAEMON]];
    this.spawnedAt = process.hrtime.bigint();
    this.child = spawn(command, [...args, '-n', '-c', this.conf], {
      cwd: dir,
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      // Its temporary files (a notify socket's directory) in its own directory: a daemon killed
      // with SIGKILL cannot remove them, the run's cleanup then does.
      env: { ...process.env, [MARKER_VAR]: MARKER, TMPDIR: dir },
    });
    trackDaemon(this.child);
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-4000);
    });
    this.exited = new Promise((resolve) => {
      this.child.on('exit', () => {
        this.exitedAt = process.hrtime.bigint();
        untrackDaemon(this.child);
        resolve();
      });
    });
  }

  static start(kind: Kind, programs: (dir: string) => string): Daemon {
    const dir = fs.mkdtempSync(path.join(scratchRoot, `${kind === 'reference' ? 'ref' : 'ours'}-`));
    return new Daemon(kind, dir, programs(dir));
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.kind}: daemon did not start`);
    return this.child.pid;
  }

  log(): LogLine[] {
    try {
      return parseLog(fs.readFileSync(path.join(this.dir, 'supervisord.log'), 'utf8'));
    } catch {
      return [];
    }
  }

  /** Poll the activity log until `done` holds; throws after `timeoutMs` or if the daemon died. */
  async waitLog(what: string, timeoutMs: number, done: (lines: LogLine[]) => boolean): Promise<LogLine[]> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const lines = this.log();
      if (done(lines)) return lines;
      if (this.exitedAt !== null) throw new Error(`${this.kind}: daemon exited while waiting for ${what}\n${this.stderr}`);
      if (Date.now() > until) throw new Error(`${this.kind}: timed out waiting for ${what}\n${this.stderr}`);
      await sleep(50);
    }
  }

  /** Waits until the daemon has logged its start and `programs` programs entered RUNNING. */
  waitRunning(programs: number, timeoutMs: number): Promise<LogLine[]> {
    return this.waitLog(
      `${programs} running`,
      timeoutMs,
      (lines) =>
        lines.some((l) => /^INFO supervisord started with pid /.test(l.text)) && countMatching(lines, /^INFO success: /) >= programs,
    );
  }

  /** Kill the daemon's group and everything marked, and remove the directory. */
  async dispose(): Promise<void> {
    if (this.exitedAt === null) {
      try {
        process.kill(-this.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
      await Promise.race([this.exited, sleep(5000)]);
    }
    killMarked();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export async function withDaemon<T>(kind: Kind, programs: (dir: string) => string, body: (daemon: Daemon) => Promise<T>): Promise<T> {
  const daemon = Daemon.start(kind, programs);
  try {
    return await body(daemon);
  } finally {
    await daemon.dispose();
  }
}
