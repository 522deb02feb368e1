// The floors measured in the same run as the daemons: the bare interpreters (python3 for the
// reference, node for ours) doing the least that the figure needs, started like a daemon (own
// process group, our marker in the environment) so that the run's cleanup reaches them too.
import { spawn, type ChildProcess } from 'node:child_process';
import { MARKER, MARKER_VAR, killMarked, trackDaemon, untrackDaemon } from './cleanup.js';
import { PYTHON, type Kind } from './installation.js';
import { sleep } from './measurement.js';

/** The interpreter each daemon runs on: the floor beside each daemon's figure. */
export const FLOOR_LABEL: Record<Kind, string> = { reference: 'python3', ours: 'node' };

export class FloorProcess {
  readonly child: ChildProcess;
  readonly spawnedAt = process.hrtime.bigint();
  readonly exited: Promise<number | null>;
  stdout = '';

  private constructor(kind: Kind, script: string, args: readonly string[]) {
    const [command, flag] = kind === 'reference' ? [PYTHON, '-c'] : [process.execPath, '-e'];
    this.child = spawn(command, [flag, script, ...(kind === 'ours' ? ['--'] : []), ...args], {
      detached: true,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, [MARKER_VAR]: MARKER },
    });
    trackDaemon(this.child);
    this.child.stdout?.setEncoding('utf8');
    this.child.stdout?.on('data', (chunk: string) => {
      this.stdout += chunk;
    });
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code) => {
        untrackDaemon(this.child);
        resolve(code);
      });
    });
  }

  /** `script` in the kind's interpreter (python3 -c / node -e), with `args` as its arguments. */
  static start(kind: Kind, script: Record<Kind, string>, args: readonly string[] = []): FloorProcess {
    return new FloorProcess(kind, script[kind], args);
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('floor process did not start');
    return this.child.pid;
  }

  async dispose(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      try {
        process.kill(-this.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
      await Promise.race([this.exited, sleep(5000)]);
    }
    killMarked();
  }
}

/** Does nothing but wake once a second: the least a process on each interpreter takes. */
export const IDLE_SCRIPT: Record<Kind, string> = {
  reference: 'import time\nwhile True: time.sleep(1)',
  ours: 'setInterval(() => {}, 1000)',
};

/** Listens on the unix socket named by its argument and answers each HTTP request with a 200. */
export const ANSWER_SCRIPT: Record<Kind, string> = {
  reference: `import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1])
s.listen(8)
while True:
    c, _ = s.accept()
    c.recv(65536)
    c.sendall(b'HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nok')
    c.close()`,
  ours: `require('node:net')
  .createServer((c) => c.once('data', () => c.end('HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nok')))
  .listen(process.argv[1])`,
};

/**
 * Spawns the arguments after the first and waits for its exit, one at a time, for the first argument's
 * seconds, then prints the spawns per second: the ceiling of a one-at-a-time restart loop on each
 * interpreter (os.posix_spawn + waitpid; child_process.spawn and its 'exit' event).
 */
export const SPAWN_LOOP_SCRIPT: Record<Kind, string> = {
  reference: `import os, sys, time
seconds, argv = float(sys.argv[1]), sys.argv[2:]
count, start = 0, time.monotonic()
while time.monotonic() - start < seconds:
    os.waitpid(os.posix_spawn(argv[0], argv, os.environ), 0)
    count += 1
print(count / (time.monotonic() - start))`,
  ours: `const { spawn } = require('node:child_process');
const [seconds, command, ...args] = process.argv.slice(1);
const start = process.hrtime.bigint();
const elapsed = () => Number(process.hrtime.bigint() - start) / 1e9;
let count = 0;
const next = () => {
  if (elapsed() >= Number(seconds)) return console.log(count / elapsed());
  spawn(command, args, { stdio: 'ignore' }).on('exit', () => { count += 1; next(); });
};
next();`,
};
