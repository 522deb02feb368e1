// Shared by the daemon-user and daemon-rlimits suites: a config written into a run's temp dir, and
// the daemon run in the foreground behind a wrapper (setpriv to become nobody, prlimit to set
// limits) until it has started, then stopped cleanly.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Run, haveCommand, isRoot } from './daemon-runs.js';

/** Command words that run what follows as nobody (uid and gid 65534, no groups). */
export const NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
export const limitsTools = isRoot && haveCommand('setpriv') && haveCommand('prlimit');
export const noLimitsTools = isRoot ? 'needs setpriv and prlimit (util-linux)' : 'needs root to run the daemon as nobody';

/** Writes `<tmp>/supervisord.conf` with logs and pidfile inside tmp; `extra` goes into [supervisord]. */
export function writeConfig(tmp: string, extra: string, programs = ''): string {
  const conf = path.join(tmp, 'supervisord.conf');
  writeFileSync(
    conf,
    `[supervisord]\nlogfile=${tmp}/supervisord.log\npidfile=${tmp}/supervisord.pid\nchildlogdir=${tmp}\n${extra}\n${programs}`,
  );
  return conf;
}

/** Runs the daemon in the foreground behind `prefix` until "supervisord started"; returns the run. */
export async function startWrapped(prefix: string[], tmp: string, conf: string, args: string[] = []): Promise<Run> {
  const run = new Run(['-n', '-c', conf, ...args], { prefix, cwd: tmp });
  await run.waitForLine(/supervisord started with pid/);
  return run;
}

/** Stops a run that is still going with SIGTERM; it must exit 0. */
export async function stopRun(run: Run): Promise<void> {
  if (run.child.pid !== undefined && !run.exit) process.kill(run.child.pid, 'SIGTERM');
  const e = await run.waitForExit();
  assert.equal(e.code, 0, run.describe());
}
