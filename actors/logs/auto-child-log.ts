// stdout_logfile=AUTO / stderr_logfile=AUTO: names in childlogdir and their cleanup at startup.
//
// Names look like "<childlogdir>/cat-stdout---supervisor-k2x_9q0a.log": the reference creates
// the file (mode 0600, like tempfile.mkstemp) with eight random characters from [a-z0-9_] when
// the process group is added; with nocleanup=false it first deletes every earlier AUTO log of
// the same identifier, rotated backups included.
import { describeError, SupervisorError, systemErrorCode } from '../../common/errors.js';
import fs from 'node:fs';
import path from 'node:path';
import type { OutputChannel } from '../../config/types.js';
import { pyRepr } from '../../config/python.js';

const RANDOM_CHARACTERS = 'abcdefghijklmnopqrstuvwxyz0123456789_';
const RANDOM_LENGTH = 8;
/** tempfile.mkstemp gives up after this many names that already exist. */
const MAX_ATTEMPTS = 10000;

/** node:crypto is loaded by the first AUTO log, not imported: a daemon may have none. */
function randomPart(): string {
  const { randomInt } = process.getBuiltinModule('node:crypto');
  let text = '';
  for (let i = 0; i < RANDOM_LENGTH; i += 1) text += RANDOM_CHARACTERS[randomInt(RANDOM_CHARACTERS.length)];
  return text;
}

/** A channel's log file as configured, or, for AUTO, a new one created in childlogdir. */
export function childLogPath(
  processName: string,
  channel: OutputChannel,
  logfile: string | null,
  daemon: { childlogdir: string; identifier: string },
): string | null {
  return logfile === 'AUTO' ? createAutoChildLog(daemon.childlogdir, processName, channel, daemon.identifier) : logfile;
}

/** Creates a new, empty AUTO log file for one channel of one process and returns its path. */
export function createAutoChildLog(childlogdir: string, processName: string, channel: OutputChannel, identifier: string): string {
  const prefix = `${processName}-${channel}---${identifier}-`;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const candidate = path.join(childlogdir, `${prefix}${randomPart()}.log`);
    try {
      fs.closeSync(fs.openSync(candidate, 'wx', 0o600));
      return candidate;
    } catch (caught) {
      if (systemErrorCode(caught) !== 'EEXIST') {
        throw new SupervisorError('LOG_IO', `cannot create an AUTO log file in ${childlogdir}: ${describeError(caught)}`, {
          cause: caught,
        });
      }
    }
  }
  throw new SupervisorError('LOG_IO', `No usable temporary file name found in ${childlogdir}`);
}

function patternWithIdentifier(identifierSource: string): RegExp {
  return new RegExp(`^.+?---${identifierSource}-\\S+\\.log\\.{0,1}\\d{0,4}`);
}

/**
 * The reference's pattern, matched at the start of each name only (Python re.match), so a name
 * merely beginning like an AUTO log ("x---supervisor-a.logZ") is removed too. The identifier is
 * used as a regular expression, unescaped, as the reference does.
 */
export function autoChildLogPattern(identifier: string): RegExp {
  try {
    return patternWithIdentifier(identifier);
  } catch {
    // Not a valid JavaScript regular expression (the reference would crash): match it literally.
    return patternWithIdentifier(identifier.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  }
}

export interface CleanupLog {
  warn(message: string): void;
}

/** Startup cleanup (nocleanup=false): deletes earlier AUTO logs of this identifier. */
export function removeStaleAutoChildLogs(childlogdir: string, identifier: string, log: CleanupLog): void {
  let names: string[];
  try {
    names = fs.readdirSync(childlogdir);
  } catch {
    log.warn('Could not clear childlog dir');
    return;
  }
  const pattern = autoChildLogPattern(identifier);
  for (const name of names) {
    if (!pattern.test(name)) continue;
    const pathname = path.join(childlogdir, name);
    try {
      fs.unlinkSync(pathname);
    } catch {
      log.warn(`Failed to clean up ${pyRepr(pathname)}`);
    }
  }
}
