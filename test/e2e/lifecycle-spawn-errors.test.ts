// End-to-end: the activity log of programs that cannot be started: a command that is missing,
// not executable or a directory, and an exec that fails inside the child. Runs against
// SUPERVISORD_UNDER_TEST=reference or ours.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startupLines, spawned, gaveUp } from '../harness/activity-lines.js';
import { supervisordSection } from '../harness/config-text.js';
import { withDaemon, underTest, terminate } from '../harness/daemon.js';

// Quick-exiting children use startsecs=3: the reference only notices an exit (reaps) on a
// main-loop pass, and an idle pass can come >1 s after the pipes closed, in which case a
// child that died at once is first declared RUNNING ("success: ...") with startsecs=1.

describe(`e2e lifecycle: spawn errors (${underTest})`, { concurrency: true }, () => {
  it("spawn error: unknown command gives \"spawnerr: can't find command 'nope'\" per attempt then gave up", async () => {
    await withDaemon(supervisordSection() + '[program:x]\ncommand=nope --flag\nstartretries=1\n', {}, async (d) => {
      await d.waitForLine(/gave up: x /, 20_000);
      assert.deepEqual(d.activity(), [
        ...startupLines(),
        "INFO spawnerr: can't find command 'nope'",
        "INFO spawnerr: can't find command 'nope'",
        gaveUp('x'),
      ]);
      assert.equal(await terminate(d), 0);
    });
  });

  it('spawn error: absolute path that does not exist', async () => {
    await withDaemon(supervisordSection() + '[program:x]\ncommand=%(tmp)s/missing\nstartretries=0\n', {}, async (d) => {
      await d.waitForLine(/gave up: x /, 20_000);
      assert.deepEqual(d.activity().slice(-2), ["INFO spawnerr: can't find command '%(tmp)s/missing'", gaveUp('x')]);
      assert.equal(await terminate(d), 0);
    });
  });

  it('spawn error: a file without any execute bit', async () => {
    await withDaemon(
      supervisordSection() + '[program:x]\ncommand=%(tmp)s/script.sh\nstartretries=2\n',
      { files: { 'script.sh': { content: '#!/bin/sh\necho hi\n', mode: 0o644 } } },
      async (d) => {
        await d.waitForLine(/gave up: x /, 20_000);
        const err = "INFO spawnerr: command at '%(tmp)s/script.sh' is not executable";
        assert.deepEqual(d.activity().slice(startupLines().length), [err, err, err, gaveUp('x')]);
        assert.equal(await terminate(d), 0);
      },
    );
  });

  it('spawn error: a directory as command', async () => {
    await withDaemon(
      (tmp) => supervisordSection() + `[program:x]\ncommand=${tmp}\nstartretries=0\n`,
      {},
      async (d) => {
        await d.waitForLine(/gave up: x /, 20_000);
        assert.deepEqual(d.activity().slice(startupLines().length), ["INFO spawnerr: command at '%(tmp)s' is a directory", gaveUp('x')]);
        assert.equal(await terminate(d), 0);
      },
    );
  });

  it('exec failure inside the child (a script without #!: ENOEXEC) is an ordinary quick exit with status 127', async () => {
    await withDaemon(
      supervisordSection() +
        `
[program:x]
command=%(tmp)s/no-interpreter-line --flag
startretries=0
startsecs=3
stderr_logfile=%(tmp)s/x.err
`,
      { files: { 'no-interpreter-line': { content: 'echo run by a shell after all\n', mode: 0o755 } } },
      async (d) => {
        await d.waitForLine(/gave up: x /, 20_000);
        assert.deepEqual(d.about('x'), [spawned('x'), 'WARN exited: x (exit status 127; not expected)', gaveUp('x')]);
        assert.equal(
          await d.readWhen('x.err', (t) => t.endsWith('was not spawned\n')),
          `supervisor: couldn't exec ${d.tmp}/no-interpreter-line: ENOEXEC\nsupervisor: child process was not spawned\n`,
        );
        assert.equal(await terminate(d), 0);
      },
    );
  });

  it('exec failure inside the child (bad directory=) is an ordinary quick exit with status 127 and a message in the child log', async () => {
    await withDaemon(
      supervisordSection() +
        `
[program:x]
command=sleep 1000
directory=%(tmp)s/no-such-dir
startretries=0
startsecs=3
stderr_logfile=%(tmp)s/x.err
`,
      {},
      async (d) => {
        await d.waitForLine(/gave up: x /, 20_000);
        assert.deepEqual(d.about('x'), [spawned('x'), 'WARN exited: x (exit status 127; not expected)', gaveUp('x')]);
        assert.equal(
          await d.readWhen('x.err', (t) => t.endsWith('was not spawned\n')),
          `supervisor: couldn't chdir to ${d.tmp}/no-such-dir: ENOENT\nsupervisor: child process was not spawned\n`,
        );
        assert.equal(await terminate(d), 0);
      },
    );
  });
});
