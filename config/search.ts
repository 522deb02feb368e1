// Where supervisord looks for its configuration when no -c is given, in the reference's order.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pyDirname, pyJoin } from './python.js';

/**
 * The candidate paths. `executable` is the program path as invoked (the reference uses argv[0]);
 * its grandparent directory is searched first, then the current directory, then /etc.
 */
export function configSearchPaths(executable: string = process.argv[1] ?? ''): string[] {
  // dirname(dirname(argv[0])), kept relative when argv[0] is relative, as the reference does.
  const here = pyDirname(pyDirname(executable));
  return [
    pyJoin(pyJoin(here, 'etc'), 'supervisord.conf'),
    pyJoin(here, 'supervisord.conf'),
    'supervisord.conf',
    'etc/supervisord.conf',
    '/etc/supervisord.conf',
    '/etc/supervisor/supervisord.conf',
  ];
}

/** The first existing candidate (relative ones against `cwd`), or null. */
export function findConfigFile(executable?: string, cwd: string = process.cwd()): string | null {
  for (const candidate of configSearchPaths(executable)) {
    if (existsSync(path.resolve(cwd, candidate))) return candidate;
  }
  return null;
}

/** The reference's usage error when nothing is found; the CLI prints it as "Error: ...". */
export function noConfigFileMessage(executable?: string): string {
  return `No config file found at default paths (${configSearchPaths(executable).join(', ')}); use the -c option to specify a config file at a different path`;
}
