// How processes are named on the command line, in the API and in URLs: "group:name",
// "group:*" or "group:" for a whole group, and a bare "name" for the process of that name in the
// group of that name (a [program:x] with one process). One parser for the daemon and the client.

export interface Namespec {
  group: string;
  /** null: every process of the group. */
  process: string | null;
}

export function parseNamespec(spec: string): Namespec {
  const colon = spec.indexOf(':');
  if (colon < 0) return { group: spec, process: spec };
  const process = spec.slice(colon + 1);
  return { group: spec.slice(0, colon), process: process === '' || process === '*' ? null : process };
}

/** As the reference names a process in messages: just its name when it has its group's name. */
export function namespecOf(process: { group: string; name: string }): string {
  return process.group === process.name ? process.name : `${process.group}:${process.name}`;
}

/** Always "group:name": the web UI's unambiguous key for a process. */
export function qualifiedName(process: { group: string; name: string }): string {
  return `${process.group}:${process.name}`;
}
