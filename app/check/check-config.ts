// supervisord --check: everything the daemon would refuse or regret at start-up, found without
// starting anything. First the loader, going on after each error it can; then, on what could be
// read, what the daemon meets next, in its order: its user and limits, its log and pidfile, the
// HTTP servers, the modules it loads, and what each program's spawn would find.
import { dropPrivileges } from '../../actors/daemon-process.js';
import { raiseLimits } from '../../actors/rlimits.js';
import { isSupervisorError } from '../../common/errors.js';
import { checkConfig } from '../../config/load.js';
import { orderedProblems, type ConfigProblem } from '../../config/problems.js';
import type { SupervisordConfig } from '../../config/types.js';
import { logFileProblems, type PlaceOf } from './log-files.js';
import { programProblems, resultHandlerProblems } from './programs.js';
import { serverProblems } from './servers.js';

export interface CheckResult {
  /** Each problem once, in the order of the files and lines they are about. */
  problems: ConfigProblem[];
  /** The files read, the main one first. */
  files: string[];
}

export async function checkConfiguration(file: string, overrides: Partial<SupervisordConfig>): Promise<CheckResult> {
  const loaded = checkConfig(file, { overrides });
  const problems = [...loaded.problems];
  const { config } = loaded;
  if (config !== null) {
    const found = [
      // First, as the daemon does: the rest is then checked as the user it switches to.
      ...daemonProcessProblems(config.supervisord, loaded.place),
      ...logFileProblems(config, loaded.place),
      ...(await serverProblems(config, loaded.place)),
      ...(await resultHandlerProblems(config, loaded.place)),
      ...programProblems(config, loaded.place),
    ];
    // A key the loader refused was checked here with its default instead: that says nothing.
    const refused = new Set(problems.filter((p) => p.severity === 'error').map((p) => keyOf(p)));
    problems.push(...found.filter((p) => !refused.has(keyOf(p))));
  }
  return { problems: orderedProblems(problems, loaded.files), files: loaded.files };
}

function keyOf({ place }: ConfigProblem): string {
  return place?.section === undefined ? '' : `[${place.section}] ${place.key ?? ''}`;
}

/**
 * user= and minfds=/minprocs=. The user switch really happens (when run as root), as in the
 * daemon, so that the files and ports are then checked with the daemon's own rights.
 */
function daemonProcessProblems(supervisord: SupervisordConfig, placeOf: PlaceOf): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const why = supervisord.user === null ? null : dropPrivileges(supervisord.user);
  if (why) problems.push({ severity: 'error', message: why, place: placeOf('supervisord', 'user') });
  for (const key of ['minfds', 'minprocs'] as const) {
    try {
      raiseLimits({ minfds: 0, minprocs: 0, [key]: supervisord[key] });
    } catch (error) {
      if (!isSupervisorError(error, 'STARTUP')) throw error;
      problems.push({ severity: 'error', message: error.message, place: placeOf('supervisord', key) });
    }
  }
  return problems;
}
