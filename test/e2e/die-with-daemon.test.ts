// End-to-end: [supervisord] children_die_with_daemon= (our extension). The daemon is killed with
// SIGKILL, so it cannot stop anything itself: the kernel sends each child its stopsignal
// (PR_SET_PDEATHSIG through setpriv), also a child run as another user (the setting survives
// setpriv's change of credentials). Without the key the children outlive the daemon, as with
// the reference. Ours only: the reference ignores the key.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isRoot } from '../harness/activity-lines.js';
import { supervisordSection } from '../harness/config-text.js';
import { parseSpawned, underTest, withDaemon, type Daemon } from '../harness/daemon.js';
import { haveCommand } from '../harness/daemon-runs.js';
import { isAlive, waitForPidGone } from '../harness/pids.js';

/** The pid each program was spawned with, once all of `names` have stayed up. */
async function runningPids(d: Daemon, names: readonly string[]): Promise<Map<string, number>> {
  await d.waitForCount(/success: /, names.length);
  const pids = new Map<string, number>();
  for (const line of d.lines) {
    const hit = parseSpawned(line);
    if (hit) pids.set(hit.name, hit.pid);
  }
  assert.deepEqual([...pids.keys()].sort(), [...names].sort());
  return pids;
}

/** SIGKILL: the daemon gets no chance to stop anything. */
async function killDaemon(d: Daemon): Promise<void> {
  d.signal('SIGKILL');
  assert.equal((await d.waitForExit()).signal, 'SIGKILL');
}

const uidOf = (pid: number) => /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];

/** Stops on SIGINT only, leaving a note that it did. */
const INT_ONLY = `sh -c 'trap "" TERM; trap "echo got SIGINT > %(tmp)s/int; exit 0" INT; while :; do sleep 0.1; done'`;

const skip =
  underTest !== 'ours' ? 'children_die_with_daemon is our extension' : haveCommand('setpriv') ? false : 'needs setpriv (util-linux)';

describe(`e2e children_die_with_daemon= (${underTest})`, { concurrency: true, skip }, () => {
  it('SIGKILLed, the daemon takes its children with it: each gets its stopsignal', async () => {
    const programs = `[program:plain]\ncommand=sleep 100000\n[program:int]\ncommand=${INT_ONLY}\nstopsignal=INT\n`;
    await withDaemon(supervisordSection('children_die_with_daemon=true') + programs, {}, async (d) => {
      const pids = await runningPids(d, ['plain', 'int']);
      await killDaemon(d);
      for (const [name, pid] of pids) assert.ok(await waitForPidGone(pid), `${name} (${pid}) outlived the daemon`);
      assert.equal(d.read('int'), 'got SIGINT\n', 'the stopsignal, not SIGTERM');
    });
  });

  it(
    'user=: the child run as nobody goes too (setpriv sets the signal after switching users)',
    { skip: isRoot ? false : 'needs root' },
    async () => {
      const programs = `[program:nobody]\ncommand=sleep 100000\nuser=nobody\n`;
      await withDaemon(supervisordSection('children_die_with_daemon=true') + programs, {}, async (d) => {
        const pid = (await runningPids(d, ['nobody'])).get('nobody')!;
        assert.equal(uidOf(pid), '65534');
        await killDaemon(d);
        assert.ok(await waitForPidGone(pid), 'the child run as nobody outlived the daemon');
      });
    },
  );

  it('without the key, children outlive a SIGKILLed daemon, as with the reference', async () => {
    await withDaemon(supervisordSection() + '[program:plain]\ncommand=sleep 100000\n', {}, async (d) => {
      const pid = (await runningPids(d, ['plain'])).get('plain')!;
      await killDaemon(d);
      assert.ok(isAlive(pid), 'the child is still there');
      // The harness's teardown kills it.
    });
  });
});
