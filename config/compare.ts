// Whether a reread changed a group: its configuration compared as values, apart from where in
// the files it was written.
import { isDeepStrictEqual } from 'node:util';
import type { ProcessConfig, ProcessGroupConfig } from './types.js';

function withoutLocation<T extends { location: unknown }>(value: T): Omit<T, 'location'> {
  const { location: _location, ...rest } = value;
  return rest;
}

export function sameGroupConfig(a: ProcessGroupConfig, b: ProcessGroupConfig): boolean {
  const processes = (group: ProcessGroupConfig) => group.processes.map((p: ProcessConfig) => withoutLocation(p));
  return isDeepStrictEqual({ ...withoutLocation(a), processes: processes(a) }, { ...withoutLocation(b), processes: processes(b) });
}
