// pidproxy: relays signals to the pid in a pidfile and lives as long as its child and that pid;
// standalone, then as a program under the daemon chosen by SUPERVISORD_UNDER_TEST.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { supervisordSection, withDaemon, underTest, isAlive, waitForPidGone, waitForFileContent } from './harness/daemon.js';
import { builtCli } from './paths.js';
import { descendantPids } from '../listener/memmon/rss.js';

const PIDPROXY = builtCli('pidproxy');

/** Forks `sleep` into the background, writes its pid to $1 and exits: a daemonizing program. */
const DAEMONIZE = '#!/bin/sh\nsleep 1000 &\necho $! > "$1"\n';

/**
 * Forks a loop that logs each HUP/USR1/USR2 it gets to $2 and exits 0 on TERM, writes its pid
 * to $1 and exits.
 */
const DAEMONIZE_LOGGING = `#!/bin/sh
log="$2" sh -c 'trap "echo HUP >> \\"\\$log\\"" HUP; trap "echo USR1 >> \\"\\$log\\"" USR1; trap "echo USR2 >> \\"\\$log\\"" USR2; trap "exit 0" TERM; while :; do sleep 0.05; done' &
echo $! > "$1"
`;

interface Run {
  child: ChildProcess;
  stdout: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function pidproxy(args: string[]): Run {
  const child = spawn(process.execPath, [PIDPROXY, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, exited };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The exit of `run` if it happens within `ms`, else 'running'. */
async function exitWithin(run: Run, ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null } | 'running'> {
  return Promise.race([run.exited, sleep(ms).then(() => 'running' as const)]);
}

async function pidIn(file: string): Promise<number> {
  assert.ok(await waitForFileContent(file, 10_000), `${file} written`);
  return Number(readFileSync(file, 'utf8').trim());
}

describe('pidproxy standalone', { concurrency: true }, () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'pidproxy-'));
    writeFileSync(path.join(dir, 'daemonize.sh'), DAEMONIZE, { mode: 0o755 });
    writeFileSync(path.join(dir, 'daemonize-logging.sh'), DAEMONIZE_LOGGING, { mode: 0o755 });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('without arguments: usage on stdout, exit 1', async () => {
    const run = pidproxy([]);
    assert.deepEqual(await run.exited, { code: 1, signal: null });
    assert.match(run.stdout(), /Usage: pidproxy <pidfile name> <command>/);
  });

  it('outlives a program that daemonizes; SIGTERM goes to the pidfile pid and it exits with its child (0)', async () => {
    const pidfile = path.join(dir, 'term.pid');
    const run = pidproxy([pidfile, path.join(dir, 'daemonize.sh'), pidfile]);
    const daemonPid = await pidIn(pidfile);
    assert.equal(await exitWithin(run, 700), 'running', 'still up while the daemonized sleep runs');
    run.child.kill('SIGTERM');
    assert.deepEqual(await run.exited, { code: 0, signal: null });
    assert.ok(await waitForPidGone(daemonPid, 5000), 'the daemonized process got SIGTERM');
  });

  it('HUP, USR1 and USR2 are relayed without ending it; it exits once the pidfile process is gone', async () => {
    const pidfile = path.join(dir, 'hup.pid');
    const log = path.join(dir, 'signals.log');
    const run = pidproxy([pidfile, path.join(dir, 'daemonize-logging.sh'), pidfile, log]);
    const daemonPid = await pidIn(pidfile);
    await sleep(200); // the loop's traps are set
    for (const sig of ['SIGHUP', 'SIGUSR1', 'SIGUSR2'] as const) {
      run.child.kill(sig);
      await sleep(200);
    }
    assert.equal(await exitWithin(run, 100), 'running');
    assert.deepEqual(readFileSync(log, 'utf8').split('\n').filter(Boolean), ['HUP', 'USR1', 'USR2']);
    process.kill(daemonPid, 'SIGKILL');
    assert.deepEqual(await run.exited, { code: 0, signal: null });
  });

  it("no readable pidfile: prints the reference's message and signals its own child instead", async () => {
    const pidfile = path.join(dir, 'missing.pid');
    const run = pidproxy([pidfile, 'sleep', '1000']);
    // its signal handlers are set by the time it has started its child
    for (let i = 0; i < 100 && descendantPids(run.child.pid ?? 0).length === 0; i++) await sleep(50);
    run.child.kill('SIGTERM');
    assert.deepEqual(await run.exited, { code: 128 + 15, signal: null });
    assert.equal(run.stdout(), `Can't read child pidfile ${pidfile}!\n`);
    assert.equal(existsSync(pidfile), false);
  });

  it('a program that stays in the foreground: exits with its exit status', async () => {
    const pidfile = path.join(dir, 'fg.pid');
    const run = pidproxy([pidfile, 'sh', '-c', `echo $$ > ${pidfile}; sleep 0.3; exit 3`]);
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
