// The one top-level handler every command runs its main under: whatever escapes becomes one
// line on stderr and an exit status, never a stack trace. Usage and configuration errors exit
// with 2, as the reference's commands do; anything else with 1.
import { isSupervisorError, type ErrorCode } from './errors.js';

/** Errors that mean "you asked for something that cannot be done", not "something broke". */
const USAGE_CODES: ReadonlySet<ErrorCode> = new Set(['USAGE', 'CONFIG', 'STARTUP']);

export interface CommandOptions {
  /** The command's name, prefixed to lines that have no wording of their own. */
  name: string;
  /** How a usage or configuration error is shown (default: "<name>: <message>"). */
  formatUsageError?: (message: string) => string;
  /** Runs before the process exits on an error (a background daemon tells its parent). */
  onError?: (message: string) => void;
}

/** Runs `main` and exits with the status it returns. */
export function runCommand(options: CommandOptions, main: () => Promise<number | void>): void {
  main().then(
    (status) => {
      if (typeof status === 'number') process.exit(status);
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      options.onError?.(message);
      if (isSupervisorError(error) && USAGE_CODES.has(error.code)) {
        process.stderr.write(`${options.formatUsageError?.(message) ?? `${options.name}: ${message}`}\n`);
        process.exit(2);
      }
      // A bug, not bad input: still one line, unless the developer asks for the whole story.
      const detail = process.env['SUPERVISOR_DEBUG'] && error instanceof Error ? (error.stack ?? message) : message;
      process.stderr.write(`${options.name}: ${isSupervisorError(error) ? '' : 'internal error: '}${detail}\n`);
      process.exit(1);
    },
  );
}
