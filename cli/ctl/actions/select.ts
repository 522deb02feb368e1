// Which processes of a getAllProcessInfo answer the names given to `status` pick, and the
// complaints for names that pick none.
import { parseNamespec } from '../../../actors/namespec.js';
import { PROCESS_STATES, STOPPED_STATES } from '../../../machines/states.js';
import type { ProcessInfo } from '../supervisor-rpc.js';

/** The codes of the states `status` counts as not running. */
export const STOPPED_CODES: readonly number[] = STOPPED_STATES.map((state) => PROCESS_STATES[state]);

export interface Selection {
  matching: ProcessInfo[];
  /** `web: ERROR (no such group)`, `web:x: ERROR (no such process)`, in the order of the names. */
  complaints: string[];
}

/** Every process for no names or `all`; else those of each name, in the order of the names. */
export function selectProcesses(all: ProcessInfo[], names: readonly string[]): Selection {
  if (names.length === 0 || names.includes('all')) return { matching: all, complaints: [] };
  const matching: ProcessInfo[] = [];
  const complaints: string[] = [];
  for (const name of names) {
    const { group, process: member } = parseNamespec(name);
    const found = all.filter((info) => info.group === group && (member === null || info.name === member));
    matching.push(...found);
    if (found.length === 0) complaints.push(member === null ? `${group}: ERROR (no such group)` : `${name}: ERROR (no such process)`);
  }
  return { matching, complaints };
}
