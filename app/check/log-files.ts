// --check: the files the daemon writes at start-up and when it spawns — its log, its pidfile,
// the child logs — checked with access(2) only, so that nothing is created.
import fs from 'node:fs';
import path from 'node:path';
import { describeError } from '../../common/errors.js';
import type { ConfigProblem } from '../../config/problems.js';
import type { Config, Place } from '../../config/types.js';

export type PlaceOf = (section: string, key: string) => Place;

/** Why `file` could not be opened for appending (and created if missing), or null. */
export function whyNotWritable(file: string): string | null {
  try {
    const stats = fs.statSync(file, { throwIfNoEntry: false });
    if (stats?.isDirectory()) return `EISDIR: illegal operation on a directory, open '${file}'`;
    if (stats) fs.accessSync(file, fs.constants.W_OK);
    else fs.accessSync(path.dirname(file), fs.constants.W_OK | fs.constants.X_OK);
    return null;
  } catch (error) {
    return describeError(error);
  }
}

/** Why no new file could be made in `directory`, or null. */
function whyNoNewFile(directory: string): string | null {
  try {
    fs.accessSync(directory, fs.constants.W_OK | fs.constants.X_OK);
    return null;
  } catch (error) {
    return describeError(error);
  }
}

export function logFileProblems(config: Config, placeOf: PlaceOf): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const problem = (severity: ConfigProblem['severity'], section: string, key: string, message: string) =>
    problems.push({ severity, message, place: placeOf(section, key) });
  const { logfile, pidfile, childlogdir } = config.supervisord;
  const logProblem = logfile === null || logfile === 'syslog' ? null : whyNotWritable(logfile);
  if (logProblem) problem('error', 'supervisord', 'logfile', `cannot open log file ${logfile}: ${logProblem}`);
  // The daemon runs on without its pidfile (the reference logs it as critical).
  const pidProblem = whyNotWritable(pidfile);
  if (pidProblem) problem('warning', 'supervisord', 'pidfile', `could not write pidfile ${pidfile}: ${pidProblem}`);

  let autoLogs = false;
  for (const group of config.groups) {
    for (const process of group.processes) {
      for (const channel of ['stdout', 'stderr'] as const) {
        const file = process[channel].logfile;
        if (file === 'AUTO') autoLogs = true;
        const why = file === null || file === 'AUTO' ? null : whyNotWritable(file);
        // The spawn error the daemon would report, then why.
        if (why) problem('error', process.section, `${channel}_logfile`, `unknown error making dispatchers for '${process.name}': ${why}`);
      }
    }
  }
  const autoProblem = autoLogs ? whyNoNewFile(childlogdir) : null;
  if (autoProblem) problem('error', 'supervisord', 'childlogdir', `cannot create an AUTO log file in ${childlogdir}: ${autoProblem}`);
  return problems;
}
