// supervisord's command line: the reference's options, values checked by the same converters as
// the config file, errors worded as the reference words them.
import { byteSize, existingDirectory, existingDirpath, integer, loggingLevel, octalType } from '../config/datatypes.js';
import { pyRepr } from '../config/python.js';
import type { SupervisordConfig } from '../config/types.js';
import { describeError, UsageError } from '../common/errors.js';
import { getopt, type OptionSpec } from '../common/getopt.js';

export interface SupervisordArgs {
  help: boolean;
  version: boolean;
  configFile: string | null;
  overrides: Partial<SupervisordConfig>;
}

type Override = {
  [K in keyof SupervisordConfig]: { key: K; convert: (value: string) => SupervisordConfig[K] };
}[keyof SupervisordConfig];

interface Option extends OptionSpec {
  /** What the option sets; flags set their key to true. */
  sets?: Override | { key: 'nodaemon' | 'silent' | 'nocleanup' | 'stripAnsi'; flag: true };
}

const env = process.env;
const OPTIONS: Option[] = [
  { short: 'h', long: 'help', takesValue: false },
  { short: '?', long: null, takesValue: false },
  { short: 'v', long: 'version', takesValue: false },
  { short: 'c', long: 'configuration', takesValue: true },
  { short: 'n', long: 'nodaemon', takesValue: false, sets: { key: 'nodaemon', flag: true } },
  { short: 's', long: 'silent', takesValue: false, sets: { key: 'silent', flag: true } },
  { short: 'k', long: 'nocleanup', takesValue: false, sets: { key: 'nocleanup', flag: true } },
  { short: 't', long: 'strip_ansi', takesValue: false, sets: { key: 'stripAnsi', flag: true } },
  { short: 'u', long: 'user', takesValue: true, sets: { key: 'user', convert: (v) => v } },
  { short: 'm', long: 'umask', takesValue: true, sets: { key: 'umask', convert: octalType } },
  { short: 'd', long: 'directory', takesValue: true, sets: { key: 'directory', convert: (v) => existingDirectory(v, env) } },
  { short: 'l', long: 'logfile', takesValue: true, sets: { key: 'logfile', convert: (v) => existingDirpath(v, env) } },
  { short: 'y', long: 'logfile_maxbytes', takesValue: true, sets: { key: 'logfileMaxbytes', convert: byteSize } },
  { short: 'z', long: 'logfile_backups', takesValue: true, sets: { key: 'logfileBackups', convert: integer } },
  { short: 'e', long: 'loglevel', takesValue: true, sets: { key: 'loglevel', convert: loggingLevel } },
  { short: 'j', long: 'pidfile', takesValue: true, sets: { key: 'pidfile', convert: (v) => existingDirpath(v, env) } },
  { short: 'i', long: 'identifier', takesValue: true, sets: { key: 'identifier', convert: (v) => v } },
  { short: 'q', long: 'childlogdir', takesValue: true, sets: { key: 'childlogdir', convert: (v) => existingDirectory(v, env) } },
  { short: 'a', long: 'minfds', takesValue: true, sets: { key: 'minfds', convert: integer } },
  { short: null, long: 'minprocs', takesValue: true, sets: { key: 'minprocs', convert: integer } },
];

export function parseSupervisordArgs(argv: readonly string[]): SupervisordArgs {
  const parsed = getopt(argv, OPTIONS);
  if (parsed.rest.length) {
    throw new UsageError(`positional arguments are not supported: [${parsed.rest.map((a) => pyRepr(a)).join(', ')}]`);
  }
  const result: SupervisordArgs = { help: false, version: false, configFile: null, overrides: {} };
  const overrides: Record<string, unknown> = result.overrides;
  const seen = new Set<string>();
  for (const { spec, flag, value } of parsed.options) {
    const option = spec as Option;
    if (option.short === 'h' || option.short === '?') result.help = true;
    else if (option.short === 'v') result.version = true;
    const key = option.short === 'c' ? 'configFile' : option.sets?.key;
    if (!key) continue;
    if (seen.has(key)) throw new UsageError(`conflicting command line option ${pyRepr(flag)}`);
    seen.add(key);
    if (option.short === 'c') {
      result.configFile = value;
    } else if (option.sets && 'flag' in option.sets) {
      overrides[key] = true;
    } else if (option.sets) {
      try {
        overrides[key] = option.sets.convert(value ?? '');
      } catch (error) {
        throw new UsageError(`invalid value for ${flag} ${pyRepr(value ?? '')}: ${describeError(error)}`, { cause: error });
      }
    }
  }
  return result;
}

export const SUPERVISORD_HELP = `supervisord -- run a set of programs as daemons, restarting them when they die.

Usage: %PROG% [options]

Options:
-c/--configuration FILENAME -- the configuration file to use
-n/--nodaemon -- stay in the foreground and log to stdout as well
-s/--silent -- with -n: do not echo the log to stdout
-h/--help -- show this text and exit
-v/--version -- show the Supervisor version this daemon implements and exit
-u/--user USER -- switch to this user (name or uid) after starting as root
-m/--umask UMASK -- umask of the background daemon, in octal (e.g. 022)
-d/--directory DIRECTORY -- directory the background daemon changes into
-l/--logfile FILENAME -- the daemon's own log file (NONE for none)
-y/--logfile_maxbytes BYTES -- rotate the log file at this size (e.g. 50MB)
-z/--logfile_backups NUM -- how many rotated log files to keep
-e/--loglevel LEVEL -- critical, error, warn, info, debug, trace or blather
-j/--pidfile FILENAME -- where to write the daemon's pid
-i/--identifier STR -- the name this daemon goes by (also in AUTO log names)
-q/--childlogdir DIRECTORY -- where AUTO child log files are created
-k/--nocleanup -- keep earlier AUTO child logs at startup
-a/--minfds NUM -- file descriptors the daemon needs before it starts
--minprocs NUM -- processes the daemon needs before it starts
-t/--strip_ansi -- remove ANSI escape sequences from child output logs

Without -c, the configuration is looked for in ../etc/supervisord.conf and
../supervisord.conf next to this program, then supervisord.conf and
etc/supervisord.conf in the current directory, then /etc/supervisord.conf
and /etc/supervisor/supervisord.conf.
`;
