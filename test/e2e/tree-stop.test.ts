// End-to-end: stopastree= (our extension) with real process trees. A double-forking daemonizer
// (setsid, fork, the middle process exits: its daemon is re-parented away, in a session of its
// own) and an npm-like `sh -c` wrapper whose node child ignores SIGTERM leave nothing behind
// after a stop, a restart or the daemon's shutdown; without the key, the same trees keep their
// survivors, as with the reference. Ours only: the reference ignores the key.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withCtlDaemon } from '../harness/ctl.js';
import { terminate, underTest, type Daemon } from '../harness/daemon.js';
import { isAlive } from '../harness/pids.js';
import { call, pidOf } from '../harness/rpc.js';

/** Starts a daemon the classic way, records its pid in daemon.pid, and stays in the foreground. */
const DAEMONIZER = `#!/bin/sh
( setsid sh -c 'sleep 100000 & echo $! > "$1.new" && mv "$1.new" "$1"' sh "%(tmp)s/daemon.pid" & )
exec sleep 100000
`;

/** Ignores SIGTERM, as a server with a handler that never finishes would; records its pid. */
const STUBBORN = `import { renameSync, writeFileSync } from 'node:fs';
process.on('SIGTERM', () => {});
writeFileSync(process.argv[2] + '.new', String(process.pid));
renameSync(process.argv[2] + '.new', process.argv[2]);
setInterval(() => {}, 1000);
`;

const FILES = { 'daemonizer.sh': { content: DAEMONIZER, mode: 0o755 }, 'stubborn.mjs': STUBBORN };

/** `npm start`: a shell that runs the server and waits for it, never exec'ing it. */
const npmLike = (extra: string) =>
  `[program:npm]\ncommand=sh -c 'node %(tmp)s/stubborn.mjs %(tmp)s/server.pid; echo server ended'\nstopwaitsecs=1\n${extra}`;

const daemonizer = (extra: string) => `[program:daemonizer]\ncommand=%(tmp)s/daemonizer.sh\n${extra}`;

/** The pid a program wrote into `file`, once it has. */
async function pidIn(d: Daemon, file: string): Promise<number> {
  const pid = Number(await d.readWhen(file, (text) => /^\d+\s*$/.test(text)));
  assert.ok(isAlive(pid), `${file}: ${pid} runs`);
  return pid;
}

/** Every process the daemon started (its environment says so) but the daemon itself. */
const leftovers = (d: Daemon) => d.strayPids().filter((pid) => pid !== d.pid);

describe(
  `e2e stopastree= (${underTest})`,
  { concurrency: true, skip: underTest === 'ours' ? false : 'stopastree is our extension' },
  () => {
    it("supervisorctl stop: a double-forked daemon's grandchild, re-parented away and in a session of its own, is gone", async () => {
      await withCtlDaemon(daemonizer('stopastree=true\n'), { files: FILES }, async ({ d, ctl }) => {
        await d.waitForLine(/success: daemonizer /);
        const daemon = await pidIn(d, 'daemon.pid');
        const stop = await ctl('stop', 'daemonizer');
        assert.equal(stop.stdout, 'daemonizer: stopped\n');
        assert.ok(!isAlive(daemon), 'the daemon went with the stop');
        assert.deepEqual(leftovers(d), []);
        assert.deepEqual(d.matching(/tree: /), [`INFO tree: sent SIGTERM to 1 descendant of 'daemonizer' (pid <pid>)`]);
        assert.deepEqual(d.about('daemonizer').slice(-1), ['WARN stopped: daemonizer (terminated by SIGTERM)']);
      });
    });

    it('stopProcess: a wrapper whose child ignores SIGTERM stays STOPPING until SIGKILL ends the child, stopwaitsecs after the stop', async () => {
      await withCtlDaemon(npmLike('stopastree=true\n'), { files: FILES }, async ({ d, unix }) => {
        await d.waitForLine(/success: npm /);
        const server = await pidIn(d, 'server.pid');
        const from = d.lines.length;
        assert.equal(await call(unix, 'supervisor.stopProcess', 'npm'), true);
        assert.ok(!isAlive(server), 'SIGKILL ended the server');
        assert.deepEqual(leftovers(d), []);
        assert.deepEqual(
          d
            .activity()
            .slice(from)
            .filter((line) => !line.startsWith('INFO waiting for ')),
          [
            "INFO tree: sent SIGTERM to 1 descendant of 'npm' (pid <pid>)",
            "INFO tree: 'npm' is gone; waiting for 1 descendant (pid <pid>)",
            "WARN tree: killing 1 descendant of 'npm' with SIGKILL (pid <pid>)",
            'WARN stopped: npm (terminated by SIGTERM)',
          ],
        );
        assert.ok(
          d.lines.some((line) => line.endsWith(`with SIGKILL (pid ${server})`)),
          'the line names the server',
        );
        const info = await call(unix, 'supervisor.getProcessInfo', 'npm');
        assert.equal((info as { statename: string }).statename, 'STOPPED');
      });
    });

    it('restart and shutdown: each stop waits for the whole tree, and the daemon leaves nothing behind', async () => {
      await withCtlDaemon(daemonizer('stopastree=true\n') + npmLike('stopastree=true\n'), { files: FILES }, async ({ d, ctl }) => {
        await d.waitForCount(/success: (daemonizer|npm) /, 2);
        const first = await pidIn(d, 'daemon.pid');
        await pidIn(d, 'server.pid');
        const restart = await ctl('restart', 'daemonizer');
        assert.equal(restart.stdout, 'daemonizer: stopped\ndaemonizer: started\n');
        assert.ok(!isAlive(first), "the first spawn's daemon is gone before the second spawn");
        const second = await d.readWhen('daemon.pid', (text) => /^\d+\s*$/.test(text) && Number(text) !== first);
        assert.ok(isAlive(Number(second)));
        assert.equal(await terminate(d), 0);
        assert.deepEqual(d.strayPids(), []);
        assert.equal(d.matching(/tree: killing 1 descendant of 'npm' with SIGKILL/).length, 1);
      });
    });

    it('without stopastree the survivors stay, as with the reference, and nothing else changes', async () => {
      await withCtlDaemon(daemonizer('') + npmLike(''), { files: FILES }, async ({ d, unix }) => {
        await d.waitForCount(/success: (daemonizer|npm) /, 2);
        const daemon = await pidIn(d, 'daemon.pid');
        const server = await pidIn(d, 'server.pid');
        for (const name of ['daemonizer', 'npm']) assert.equal(await call(unix, 'supervisor.stopProcess', name), true);
        assert.ok(isAlive(daemon) && isAlive(server), 'a stop reaches the child alone');
        assert.deepEqual(d.matching(/tree: |SIGKILL/), []);
        assert.deepEqual(d.about('npm').slice(-1), ['WARN stopped: npm (terminated by SIGTERM)']);
        const info = await call(unix, 'supervisor.getProcessInfo', 'npm');
        assert.equal(pidOf(info), 0);
      });
    });
  },
);
