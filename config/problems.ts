// What `supervisord --check` reports: every error and warning about a configuration, each at the
// place it is about, one greppable line apiece ("FILE:LINE: error: [SECTION] KEY: MESSAGE").
import { ConfigError, type Place } from './types.js';

export interface ConfigProblem {
  severity: 'error' | 'warning';
  /** Starts with the daemon's own wording for it, without the place. */
  message: string;
  /** null: the configuration as a whole (shown at the main file). */
  place: Place | null;
}

/** An error of the loader as a problem: the innermost reason (the reference's words), at the most precise place. */
export function problemFromError(error: ConfigError): ConfigProblem {
  let reason = error.reason;
  for (let cause: unknown = error.cause; cause instanceof ConfigError; cause = cause.cause) reason = cause.reason;
  if (error.place !== undefined) return { severity: 'error', message: reason, place: error.place };
  // A place that is not in a file (the command line), or a file as a whole: said as the daemon says it.
  return { severity: 'error', message: error.where === undefined ? reason : `${reason} (${error.where})`, place: null };
}

/**
 * "/etc/supervisord.conf:14: error: [program:web] startsecs: ...", "FILE:3: warning: [progam:x] unknown
 * section; ...", "FILE: error: ..." for a problem without a line.
 */
export function formatProblem(problem: ConfigProblem, mainFile: string): string {
  const place = problem.place ?? { file: mainFile };
  const at = place.line === undefined ? place.file : `${place.file}:${place.line}`;
  const subject = place.section === undefined ? '' : `[${place.section}]${place.key === undefined ? '' : ` ${place.key}:`} `;
  return `${at}: ${problem.severity}: ${subject}${problem.message}`;
}

/**
 * Each problem once (a [program:x] with numprocs=3 is read three times), in the order of the
 * files (`files`, the main one first) and of their lines; those about no line first.
 */
export function orderedProblems(problems: readonly ConfigProblem[], files: readonly string[]): ConfigProblem[] {
  const main = files[0] ?? '';
  const seen = new Set<string>();
  const distinct = problems.filter((problem) => {
    const line = formatProblem(problem, main);
    if (seen.has(line)) return false;
    seen.add(line);
    return true;
  });
  const fileIndex = (problem: ConfigProblem) => {
    const index = files.indexOf(problem.place?.file ?? main);
    return index < 0 ? files.length : index;
  };
  return distinct
    .map((problem, found) => ({ problem, found }))
    .sort(
      (a, b) =>
        fileIndex(a.problem) - fileIndex(b.problem) || (a.problem.place?.line ?? 0) - (b.problem.place?.line ?? 0) || a.found - b.found,
    )
    .map(({ problem }) => problem);
}
