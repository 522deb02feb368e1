// An operating-system error as Python prints one, "[Errno 2] No such file or directory", plus
// ": '/the/path'" when the call named a file: the reference puts these in its FastCGI socket
// messages. The text is the C library's strerror, which Node does not expose (libuv has texts of
// its own, e.g. "address not available" for "Cannot assign requested address"), so Perl, which
// Debian always has (perl-base is Essential), is asked for it; without Perl, libuv's text is used.
import { execFileSync } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import util from 'node:util';
import { pyRepr } from '../../config/python.js';
import { resolveCommand } from '../command-line.js';

const STRERROR = 'local $! = shift; print "$!"';

function strerror(errno: number): string {
  try {
    const perl = resolveCommand('perl', process.env).filename;
    return execFileSync(perl, ['-e', STRERROR, String(errno)], { encoding: 'utf8', env: {}, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    const text = util.getSystemErrorMap().get(-errno)?.[1] ?? `error ${errno}`;
    return text.charAt(0).toUpperCase() + text.slice(1);
  }
}

/** Python's str() of the OSError with this errno name ('ENOENT', ...), naming `filename` if given. */
export function osErrorText(code: string, filename?: string): string {
  const errno = (osConstants.errno as Record<string, number>)[code];
  if (errno === undefined) return code;
  return `[Errno ${errno}] ${strerror(errno)}${filename === undefined ? '' : `: ${pyRepr(filename)}`}`;
}

/** The errno name of a Node system error, of a libuv error number (negative), or of an errno (positive). */
export function errorCode(error: unknown): string {
  if (typeof error === 'number') return util.getSystemErrorName(error < 0 ? error : -error);
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : String(error);
}
