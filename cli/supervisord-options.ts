// supervisord's command line: the reference's options, values checked by the same converters as
// the config file, errors worded as the reference words them. One table gives the parser its
// options and the help its list.
import { byteSize, existingDirectory, existingDirpath, integer, loggingLevel, octalType } from '../config/datatypes.js';
import { pyRepr } from '../config/python.js';
import type { SupervisordConfig } from '../config/types.js';
import { describeError, UsageError } from '../common/errors.js';
import { getopt, optionsHelp, type OptionSpec } from '../common/getopt.js';
import { IMPLEMENTATION, SUPERVISOR_VERSION } from '../common/version.js';

export interface SupervisordArgs {
  help: boolean;
  version: boolean;
  /** --check: report the configuration's problems, start nothing. */
  check: boolean;
  configFile: string | null;
  overrides: Partial<SupervisordConfig>;
}

type Override = {
  [K in keyof SupervisordConfig]: { key: K; convert: (value: string) => SupervisordConfig[K] };
}[keyof SupervisordConfig];

type Option = OptionSpec & {
  /** What the option sets; flags set their key to true. */
  sets?: Override | { key: 'nodaemon' | 'silent' | 'nocleanup' | 'stripAnsi'; flag: true };
};

const env = process.env;
/** In the order the help lists them. */
const OPTIONS: Option[] = [
  { short: 'c', long: 'configuration', takesValue: true, metavar: 'FILENAME', help: 'the configuration file to use' },
  {
    short: null,
    long: 'check',
    takesValue: false,
    help: 'check the configuration, print each problem, start nothing (exit 0 ok, 1 warnings, 2 errors)',
  },
  {
    short: 'n',
    long: 'nodaemon',
    takesValue: false,
    sets: { key: 'nodaemon', flag: true },
    help: 'stay in the foreground and log to stdout as well',
  },
  { short: 's', long: 'silent', takesValue: false, sets: { key: 'silent', flag: true }, help: 'with -n: do not echo the log to stdout' },
  { short: 'h', long: 'help', takesValue: false, help: 'show this text and exit' },
  { short: '?', long: null, takesValue: false },
  { short: 'v', long: 'version', takesValue: false, help: 'show the Supervisor version and exit' },
  {
    short: 'u',
    long: 'user',
    takesValue: true,
    metavar: 'USER',
    sets: { key: 'user', convert: (v) => v },
    help: 'run as USER (name or uid) when started as root',
  },
  {
    short: 'm',
    long: 'umask',
    takesValue: true,
    metavar: 'UMASK',
    sets: { key: 'umask', convert: octalType },
    help: 'umask of the background daemon (octal, e.g. 022)',
  },
  {
    short: 'd',
    long: 'directory',
    takesValue: true,
    metavar: 'DIRECTORY',
    sets: { key: 'directory', convert: (v) => existingDirectory(v, env) },
    help: 'directory the background daemon changes into',
  },
  {
    short: 'l',
    long: 'logfile',
    takesValue: true,
    metavar: 'FILENAME',
    sets: { key: 'logfile', convert: (v) => existingDirpath(v, env) },
    help: "the daemon's own log file (NONE for none)",
  },
  {
    short: 'y',
    long: 'logfile_maxbytes',
    takesValue: true,
    metavar: 'BYTES',
    sets: { key: 'logfileMaxbytes', convert: byteSize },
    help: 'rotate the log file at this size (e.g. 50MB)',
  },
  {
    short: 'z',
    long: 'logfile_backups',
    takesValue: true,
    metavar: 'NUM',
    sets: { key: 'logfileBackups', convert: integer },
    help: 'how many rotated log files to keep',
  },
  {
    short: 'e',
    long: 'loglevel',
    takesValue: true,
    metavar: 'LEVEL',
    sets: { key: 'loglevel', convert: loggingLevel },
    help: 'critical, error, warn, info, debug, trace or blather',
  },
  {
    short: 'j',
    long: 'pidfile',
    takesValue: true,
    metavar: 'FILENAME',
    sets: { key: 'pidfile', convert: (v) => existingDirpath(v, env) },
    help: "where to write the daemon's pid",
  },
  {
    short: 'i',
    long: 'identifier',
    takesValue: true,
    metavar: 'STR',
    sets: { key: 'identifier', convert: (v) => v },
    help: "this daemon's name (also in AUTO log names)",
  },
  {
    short: 'q',
    long: 'childlogdir',
    takesValue: true,
    metavar: 'DIRECTORY',
    sets: { key: 'childlogdir', convert: (v) => existingDirectory(v, env) },
    help: 'where AUTO child log files are created',
  },
  {
    short: 'k',
    long: 'nocleanup',
    takesValue: false,
    sets: { key: 'nocleanup', flag: true },
    help: 'keep earlier AUTO child logs at startup',
  },
  {
    short: 'a',
    long: 'minfds',
    takesValue: true,
    metavar: 'NUM',
    sets: { key: 'minfds', convert: integer },
    help: 'free file descriptors needed to start',
  },
  {
    short: null,
    long: 'minprocs',
    takesValue: true,
    metavar: 'NUM',
    sets: { key: 'minprocs', convert: integer },
    help: 'available processes needed to start',
  },
  {
    short: 't',
    long: 'strip_ansi',
    takesValue: false,
    sets: { key: 'stripAnsi', flag: true },
    help: 'strip ANSI escape sequences from child logs',
  },
];

export function parseSupervisordArgs(argv: readonly string[]): SupervisordArgs {
  const parsed = getopt(argv, OPTIONS);
  if (parsed.rest.length) {
    throw new UsageError(`positional arguments are not supported: [${parsed.rest.map((a) => pyRepr(a)).join(', ')}]`);
  }
  const result: SupervisordArgs = { help: false, version: false, check: false, configFile: null, overrides: {} };
  const overrides: Record<string, unknown> = result.overrides;
  const seen = new Set<string>();
  for (const { spec, flag, value } of parsed.options) {
    const option = spec as Option;
    if (option.short === 'h' || option.short === '?') result.help = true;
    else if (option.short === 'v') result.version = true;
    else if (option.long === 'check') result.check = true;
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

/** The help text, with %PROG% where the program's name goes (made on demand: most starts never print it). */
export function supervisordHelp(): string {
  return `supervisord -- run a set of programs as daemons, restarting them when they die.
This is ${IMPLEMENTATION.name} ${IMPLEMENTATION.version}, a reimplementation of Supervisor ${SUPERVISOR_VERSION}
(the version -v prints, for scripts that compare it).

Usage: %PROG% [options]

Options:
${optionsHelp(OPTIONS)}
Without -c, the configuration is looked for in ../etc/supervisord.conf and
../supervisord.conf next to this program, then supervisord.conf and
etc/supervisord.conf in the current directory, then /etc/supervisord.conf
and /etc/supervisor/supervisord.conf.
`;
}
