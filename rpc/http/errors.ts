// Why the HTTP servers could not start. The messages are the reference's, which the CLI prints
// as "Error: <message>" followed by its usage hint, exiting with status 2.
import { constants } from 'node:os';
import { SupervisorError } from '../../common/errors.js';

export function httpServerError(message: string, cause?: unknown): SupervisorError {
  return new SupervisorError('STARTUP', message, { cause });
}

export const ADDRESS_IN_USE_MESSAGE =
  'Another program is already listening on a port that one of our HTTP servers is configured to use.  ' +
  'Shut this program down first before starting supervisord.';

/** Python's getaddrinfo error numbers, which the reference prints bare (it has no name for them). */
const RESOLVER_ERROR_NUMBERS: Record<string, number> = { ENOTFOUND: -2, EAI_AGAIN: -3, EAI_FAIL: -4 };

/** Turns a bind/listen failure into the reference's message for it. */
export function httpServerErrorFrom(error: NodeJS.ErrnoException): SupervisorError {
  const code = error.code ?? '';
  if (code === 'EADDRINUSE') return httpServerError(ADDRESS_IN_USE_MESSAGE, error);
  const help = 'Cannot open an HTTP server: socket.error reported';
  const resolverNumber = RESOLVER_ERROR_NUMBERS[code];
  if (resolverNumber !== undefined) return httpServerError(`${help} ${resolverNumber}`, error);
  const errno = (constants.errno as Record<string, number | undefined>)[code];
  if (errno !== undefined) return httpServerError(`${help} errno.${code} (${errno})`, error);
  return httpServerError(`${help} ${error.message}`, error);
}
