// env_file= (our extension): dotenv files read at each spawn, so that an edited file takes effect
// on the program's next start without a reread.
import { closeSync, constants as fsConstants, fstatSync, openSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { describeError, SupervisorError, systemErrorCode } from '../common/errors.js';
import type { EnvFileSetting } from '../config/types.js';

function unreadable(file: EnvFileSetting, reason: string, cause?: unknown): SupervisorError {
  return new SupervisorError('SPAWN', `couldn't read env_file ${file.path}: ${reason}`, { cause });
}

/** The text of an env file; null for a missing optional one. */
function readEnvFile(file: EnvFileSetting): string | null {
  let fd: number | null = null;
  try {
    // Non-blocking, so that a fifo named by mistake is refused instead of hanging the daemon.
    fd = openSync(file.path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
    if (!fstatSync(fd).isFile()) throw unreadable(file, 'not a regular file');
    return readFileSync(fd, 'utf8');
  } catch (error) {
    if (error instanceof SupervisorError) throw error;
    const code = systemErrorCode(error);
    if (file.optional && (code === 'ENOENT' || code === 'ENOTDIR')) return null;
    throw unreadable(file, code ?? describeError(error), error);
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * The variables of `files` (dotenv syntax, nothing expanded), later files winning. Throws a SPAWN
 * error naming a file that cannot be read; an optional file may be missing.
 */
export function readEnvFiles(files: readonly EnvFileSetting[]): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const file of files) {
    const text = readEnvFile(file);
    if (text === null) continue;
    for (const [name, value] of Object.entries(parseEnv(text))) if (value !== undefined) variables[name] = value;
  }
  return variables;
}
