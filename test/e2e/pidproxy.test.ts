// pidproxy: relays signals to the pid in a pidfile and lives as long as its child and that pid;
// standalone, then as a program under the daemon chosen by SUPERVISORD_UNDER_TEST.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { supervisordSection } from '../harness/config-text.js';
import { waitForFileContent, waitUntil } from '../harness/wait.js';
import { isAlive, waitForPidGone, markerEnv, findMarkedPids } from '../harness/pids.js';
import { withDaemon, underTest } from '../harness/daemon.js';
import { builtCli } from '../paths.js';
import { descendantPids } from '../../listener/memmon/rss.js';

const PIDPROXY = builtCli('pidproxy');

/** Forks `sleep` into the background, writes its pid to $1 and exits: a daemonizing program. */
const DAEMONIZE = '#!/bin/sh\nsleep 1000 &\necho $! > "$1"\n';

/**
 * Forks a loop that logs READY to $2 once its traps are set, then each HUP/USR1/USR2 it gets, and
 * exits 0 on TERM; writes its pid to $1 and exits.
 */
const DAEMONIZE_LOGGING = `#!/bin/sh
log="$2" sh -c 'trap "echo HUP >> \\"\\$log\\"" HUP; trap "echo USR1 >> \\"\\$log\\"" USR1; trap "echo USR2 >> \\"\\$log\\"" USR2; trap "exit 0" TERM; echo READY >> "$log"; while :; do sleep 0.05; done' &
echo $! > "$1"
`;

interface Run {
  child: ChildProcess;
  stdout: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** pidproxy `args`; it and everything it starts carry `marker`, so a failed test leaves nothing running. */
function pidproxy(args: string[], marker: string): Run {
  const child = spawn(process.execPath, [PIDPROXY, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...markerEnv(marker) },
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, exited };
}

async function pidIn(file: string): Promise<number> {
  assert.ok(await waitForFileContent(file, 10_000), `${file} written`);
  return Number(readFileSync(file, 'utf8').trim());
}

/** Lines of a signal log written by DAEMONIZE_LOGGING. */
function logged(log: string): string[] {
  return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
}

/** Sends `sig` to pidproxy and waits until the daemonized loop has logged it (relayed). */
async function relay(run: Run, sig: 'SIGHUP' | 'SIGUSR1' | 'SIGUSR2', log: string): Promise<void> {
  const before = logged(log).length;
  run.child.kill(sig);
  assert.ok(await waitUntil(() => logged(log).length > before, 10_000), `${sig} relayed: ${logged(log).join(' ')}`);
}

describe('pidproxy standalone', { concurrency: true }, () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'pidproxy-'));
    writeFileSync(path.join(dir, 'daemonize.sh'), DAEMONIZE, { mode: 0o755 });
    writeFileSync(path.join(dir, 'daemonize-logging.sh'), DAEMONIZE_LOGGING, { mode: 0o755 });
  });
  after(() => {
    for (const pid of findMarkedPids(dir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone in the meantime
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('without arguments: usage on stdout, exit 1', async () => {
    const run = pidproxy([], dir);
    assert.deepEqual(await run.exited, { code: 1, signal: null });
    assert.match(run.stdout(), /Usage: pidproxy <pidfile name> <command>/);
  });

  it('outlives a program that daemonizes; SIGTERM goes to the pidfile pid and it exits with its child (0)', async () => {
    const pidfile = path.join(dir, 'term.pid');
    const log = path.join(dir, 'term.log');
    const run = pidproxy([pidfile, path.join(dir, 'daemonize-logging.sh'), pidfile, log], dir);
    const daemonPid = await pidIn(pidfile);
    assert.ok(await waitUntil(() => logged(log).includes('READY'), 10_000), 'the daemonized loop set its traps');
    // Its child reaped (no zombie left), pidproxy has looked at the pidfile process; relaying a
    // signal after that shows it decided to stay.
    assert.ok(await waitUntil(() => descendantPids(run.child.pid ?? 0).length === 0, 10_000), 'the daemonizing script was reaped');
    await relay(run, 'SIGHUP', log);
    run.child.kill('SIGTERM');
    assert.deepEqual(await run.exited, { code: 0, signal: null });
    assert.ok(await waitForPidGone(daemonPid, 5000), 'the daemonized process got SIGTERM');
  });

  it('HUP, USR1 and USR2 are relayed without ending it; it exits once the pidfile process is gone', async () => {
    const pidfile = path.join(dir, 'hup.pid');
    const log = path.join(dir, 'signals.log');
    const run = pidproxy([pidfile, path.join(dir, 'daemonize-logging.sh'), pidfile, log], dir);
    const daemonPid = await pidIn(pidfile);
    assert.ok(await waitUntil(() => logged(log).includes('READY'), 10_000), 'the daemonized loop set its traps');
    // The HUP at the end is relayed only if the USR2 before it did not end pidproxy.
    for (const sig of ['SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGHUP'] as const) await relay(run, sig, log);
    assert.deepEqual(logged(log), ['READY', 'HUP', 'USR1', 'USR2', 'HUP']);
    process.kill(daemonPid, 'SIGKILL');
    assert.deepEqual(await run.exited, { code: 0, signal: null });
  });

  it("no readable pidfile: prints the reference's message and signals its own child instead", async () => {
    const pidfile = path.join(dir, 'missing.pid');
    const run = pidproxy([pidfile, 'sleep', '1000'], dir);
    // its signal handlers are set by the time it has started its child
    assert.ok(await waitUntil(() => descendantPids(run.child.pid ?? 0).length > 0, 10_000), 'its child started');
    run.child.kill('SIGTERM');
    assert.deepEqual(await run.exited, { code: 128 + 15, signal: null });
    assert.equal(run.stdout(), `Can't read child pidfile ${pidfile}!\n`);
    assert.equal(existsSync(pidfile), false);
  });

  it('a program that stays in the foreground: exits with its exit status', async () => {
    const pidfile = path.join(dir, 'fg.pid');
    const run = pidproxy([pidfile, 'sh', '-c', `echo $$ > ${pidfile}; sleep 0.3; exit 3`], dir);
    assert.deepEqual(await run.exited, { code: 3, signal: null });
  });
});

describe(`pidproxy under the daemon (${underTest})`, () => {
  it('stopping the program relays SIGTERM to the daemonized process; the stop is clean (exit status 0)', async () => {
    const config =
      supervisordSection() +
      `[program:pp]\ncommand=${process.execPath} ${PIDPROXY} %(tmp)s/d.pid %(tmp)s/daemonize.sh %(tmp)s/d.pid\nstartsecs=1\n`;
    await withDaemon(config, { files: { 'daemonize.sh': { content: DAEMONIZE, mode: 0o755 } } }, async (d) => {
      await d.waitForLine(/success: pp entered RUNNING state/);
      const daemonPid = await pidIn(d.path('d.pid'));
      assert.ok(isAlive(daemonPid));
      d.signal('SIGTERM');
      await d.waitForExit();
      assert.ok(
        d.matching(/stopped: pp/).includes('WARN stopped: pp (exit status 0)') ||
          d.matching(/stopped: pp/).includes('INFO stopped: pp (exit status 0)'),
        d.describe(),
      );
      assert.ok(await waitForPidGone(daemonPid, 5000), 'the daemonized sleep was stopped');
    });
  });
});
