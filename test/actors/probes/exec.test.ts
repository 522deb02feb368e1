// execCheck with real commands.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execCheck } from '../../../actors/probes/exec.js';
import { STEP_TIMEOUT, waitUntil } from '../../harness/wait.js';

const within = (timeoutMs: number, signal = new AbortController().signal) => ({ signal, timeoutMs });
/** A timeout no attempt that should succeed comes near, even on a loaded machine. */
const PLENTY = 30_000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'probes-exec-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const how = { env: { PATH: process.env.PATH }, cwd: null };

/** Whether any process is left in the process group `pgid`. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A spawn that remembers the pids it gave (each the id of the command's own process group). */
function spawnedPids() {
  const pids: number[] = [];
  return {
    pids,
    spawn: (file: string, args: readonly string[], options: SpawnOptions) => {
      const child = spawn(file, args, options);
      if (child.pid !== undefined) pids.push(child.pid);
      return child;
    },
  };
}

describe('execCheck', () => {
  it('is ok when the command exits 0, and fails with its exit status otherwise', async () => {
    assert.deepEqual(await execCheck('true', how)(within(PLENTY)), { ok: true, detail: 'exit status 0' });
    assert.deepEqual(await execCheck('false', how)(within(PLENTY)), { ok: false, detail: 'exit status 1' });
    assert.deepEqual(await execCheck("sh -c 'kill -TERM $$'", how)(within(PLENTY)), { ok: false, detail: 'terminated by SIGTERM' });
  });

  it('adds the last line of what the command wrote on stderr, and drops its stdout', async () => {
    const command = `sh -c 'echo lots on stdout; echo first >&2; echo "  the reason  " >&2; exit 3'`;
    assert.deepEqual(await execCheck(command, how)(within(PLENTY)), { ok: false, detail: 'exit status 3: the reason' });
  });

  it('runs without a shell: the words are passed as they are split, nothing is expanded', async () => {
    assert.deepEqual(await execCheck("test $NOPE = '$NOPE'", how)(within(PLENTY)), { ok: true, detail: 'exit status 0' });
    const check = execCheck('touch marker ; rm marker', { ...how, cwd: dir });
    assert.deepEqual(await check(within(PLENTY)), { ok: true, detail: 'exit status 0' });
    assert.ok(fs.existsSync(path.join(dir, 'marker')) && fs.existsSync(path.join(dir, ';')));
  });

  it("runs in the program's environment and directory", async () => {
    const check = execCheck(`sh -c 'test "$PWD" = "$WANTED" && test "$MARK" = yes'`, {
      env: { PATH: process.env.PATH, WANTED: fs.realpathSync(dir), MARK: 'yes' },
      cwd: dir,
    });
    assert.deepEqual(await check(within(PLENTY)), { ok: true, detail: 'exit status 0' });
    const elsewhere = execCheck('sh -c \'test "$MARK" = yes\'', { env: { PATH: process.env.PATH }, cwd: null });
    assert.deepEqual(await elsewhere(within(PLENTY)), { ok: false, detail: 'exit status 1' });
  });

  it('fails with the reason when the command cannot run', async () => {
    assert.deepEqual(await execCheck('no-such-command-here --flag', how)(within(PLENTY)), {
      ok: false,
      detail: "can't find command 'no-such-command-here'",
    });
    assert.deepEqual(await execCheck('', how)(within(PLENTY)), { ok: false, detail: 'command is empty' });
    assert.deepEqual(await execCheck('true', { ...how, cwd: path.join(dir, 'missing') })(within(PLENTY)), {
      ok: false,
      detail: `can't chdir to ${path.join(dir, 'missing')}`,
    });
  });

  it('kills the command and all it started when the timeout passes', async () => {
    const spawned = spawnedPids();
    const check = execCheck("sh -c 'sleep 600 & sleep 600'", { ...how, spawn: spawned.spawn });
    assert.deepEqual(await check(within(300)), { ok: false, detail: 'timed out after 300 ms' });
    const [pgid] = spawned.pids;
    assert.ok(pgid !== undefined);
    assert.ok(await waitUntil(() => !groupAlive(pgid), STEP_TIMEOUT), 'the process group is gone');
  });

  it('kills the command when aborted', async () => {
    const spawned = spawnedPids();
    const controller = new AbortController();
    const pending = execCheck('sleep 600', { ...how, spawn: spawned.spawn })(within(60_000, controller.signal));
    assert.ok(await waitUntil(() => spawned.pids.length === 1, STEP_TIMEOUT));
    controller.abort();
    assert.deepEqual(await pending, { ok: false, detail: 'aborted' });
    const [pgid] = spawned.pids;
    assert.ok(pgid !== undefined);
    assert.ok(await waitUntil(() => !groupAlive(pgid), STEP_TIMEOUT), 'the process group is gone');
  });

  it('uses the spawn it is given, with the resolved file and argv[0] as written', async () => {
    const calls: string[][] = [];
    const check = execCheck('true --flag', {
      ...how,
      spawn: (file, args, options) => {
        calls.push([file, ...args, String(options.argv0)]);
        return spawn(file, args, options);
      },
    });
    assert.equal((await check(within(PLENTY))).ok, true);
    assert.equal(calls.length, 1);
    assert.match(calls[0]?.[0] ?? '', /\/true$/);
    assert.deepEqual(calls[0]?.slice(1), ['--flag', 'true']);
  });
});
