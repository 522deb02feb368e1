// User and group lookups (Node has no getpwnam): the local files first, then `getent`, which
// also consults NSS sources such as LDAP.
import { readFileSync } from 'node:fs';

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

export interface GroupEntry {
  name: string;
  gid: number;
}

/** Looks a user up by name, or by number when `byId` is set. */
export function lookupUser(key: string, byId: boolean): PasswdEntry | null {
  const fields = lookup('passwd', '/etc/passwd', key, byId);
  if (!fields) return null;
  return { name: fields[0]!, uid: Number(fields[2]), gid: Number(fields[3]), home: fields[5] ?? '' };
}

export function lookupGroup(key: string, byId: boolean): GroupEntry | null {
  const fields = lookup('group', '/etc/group', key, byId);
  return fields ? { name: fields[0]!, gid: Number(fields[2]) } : null;
}

function lookup(database: string, file: string, key: string, byId: boolean): string[] | null {
  const matches = (fields: string[]): boolean => (byId ? fields[2] === key : fields[0] === key);
  const local = readEntries(file).find(matches);
  if (local) return local;
  try {
    // Loaded here, not imported: supervisorctl reads configs too and never runs getent.
    const out = process
      .getBuiltinModule('node:child_process')
      .execFileSync('getent', [database, key], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return (
      out
        .split('\n')
        .map((l) => l.split(':'))
        .find(matches) ?? null
    );
  } catch {
    return null; // getent missing, or no such entry (exit status 2)
  }
}

function readEntries(file: string): string[][] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(':'));
  } catch {
    return [];
  }
}
