// Whether a reread changed a group: its configuration compared as values, apart from where in
// the files it was written.
import { isDeepStrictEqual } from 'node:util';
import type { ProcessConfig, ProcessGroupConfig } from './types.js';

function withoutLocation<T extends { location: unknown }>(value: T): Omit<T, 'location'> {
  const { location: _location, ...rest } = value;
  return rest;
}

export function sameGroupConfig(a: ProcessGroupConfig, b: ProcessGroupConfig): boolean {
  // As in the reference, a FastCGI socket is compared by its URL alone: a new socket_mode,
  // socket_owner or socket_backlog by itself leaves the group as it runs.
  const comparable = (group: ProcessGroupConfig) => ({
    ...withoutLocation(group),
    socket: group.socket?.url,
    processes: group.processes.map((p: ProcessConfig) => withoutLocation(p)),
  });
  return isDeepStrictEqual(comparable(a), comparable(b));
}
