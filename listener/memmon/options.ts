// memmon's command line, with the options and meanings of superlance's memmon (getopt style:
// short options cluster, long options may be abbreviated). One table gives the parser its
// options and the help its list.
import { UsageError } from '../../common/errors.js';
import { getopt, optionsHelp, type OptionSpec } from '../../common/getopt.js';
import { byteSize } from '../../config/datatypes.js';

export const DEFAULT_SENDMAIL = '/usr/sbin/sendmail -t -i';

export interface MemmonOptions {
  /** Limits by program name or `group:name` namespec, in bytes. */
  programs: Map<string, number>;
  /** Limits by group name, in bytes. */
  groups: Map<string, number>;
  /** Limit for every process, in bytes. */
  any: number | undefined;
  /** Count the RSS of the process's descendants too. */
  cumulative: boolean;
  /** Shell command that sends a mail read from its stdin (headers included). */
  sendmail: string;
  /** Mail this address when a process is restarted. */
  email: string | undefined;
  /** Mail only when the restarted process had been up this many seconds or less. */
  emailUptimeLimit: number | undefined;
  /** Identifies this memmon in messages and mail subjects. */
  name: string | undefined;
}

/** In the order the help lists them. */
const SPECS: OptionSpec[] = [
  { short: 'h', long: 'help', takesValue: false, help: 'show this help' },
  { short: 'c', long: 'cumulative', takesValue: false, help: "add the RSS of the process's child processes" },
  { short: 'p', long: 'program', takesValue: true, metavar: 'NAME=SIZE', help: 'limit for program NAME (or GROUP:NAME); repeatable' },
  { short: 'g', long: 'groupname', takesValue: true, metavar: 'GROUP=SIZE', help: 'limit for every process of GROUP; repeatable' },
  { short: 'a', long: 'any', takesValue: true, metavar: 'SIZE', help: 'limit for every process' },
  {
    short: 's',
    long: 'sendmail',
    takesValue: true,
    metavar: 'COMMAND',
    help: `mail command reading the message on stdin (default: ${DEFAULT_SENDMAIL})`,
  },
  { short: 'm', long: 'email', takesValue: true, metavar: 'ADDRESS', help: 'mail ADDRESS when a process is restarted' },
  {
    short: 'u',
    long: 'uptime',
    takesValue: true,
    metavar: 'SECONDS',
    help: 'mail only if the process had been up at most this long (suffixes m, h, d)',
  },
  {
    short: 'n',
    long: 'name',
    takesValue: true,
    metavar: 'NAME',
    help: 'name of this memmon, shown in mail subjects ("memmon [NAME]: ...")',
  },
];

export const MEMMON_HELP = `memmon: restart supervisor processes whose resident memory (RSS) grows too large.
Run it as a supervisor event listener subscribed to a TICK event, e.g.
  [eventlistener:memmon]
  command=memmon -a 200MB -m bob@example.com
  events=TICK_60

Options:
${optionsHelp(SPECS)}SIZE is a number of bytes, optionally suffixed KB, MB or GB.
The most specific limit applies: program, then group, then any.
`;

function size(text: string): number {
  try {
    return byteSize(text);
  } catch {
    throw new UsageError(`invalid size ${JSON.stringify(text)} (a number of bytes, optionally with KB, MB or GB)`);
  }
}

/** `NAME=SIZE` → [NAME, bytes]. */
function nameAndSize(text: string): [string, number] {
  const eq = text.lastIndexOf('=');
  if (eq <= 0) throw new UsageError(`expected NAME=SIZE, got ${JSON.stringify(text)}`);
  return [text.slice(0, eq), size(text.slice(eq + 1))];
}

const SECONDS_PER: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `90`, `5m`, `2h`, `1d` → seconds. */
export function parseSeconds(text: string): number {
  const m = /^(\d+)([smhd]?)$/i.exec(text.trim());
  if (!m || m[1] === undefined) throw new UsageError(`invalid uptime ${JSON.stringify(text)} (seconds, optionally with m, h or d)`);
  return Number(m[1]) * (SECONDS_PER[(m[2] || 's').toLowerCase()] ?? 1);
}

/** The parsed options, or 'help' for -h. */
export function parseMemmonArgs(argv: readonly string[]): MemmonOptions | 'help' {
  const parsed = getopt(argv, SPECS);
  if (parsed.rest.length > 0) throw new UsageError(`unexpected arguments: ${parsed.rest.join(' ')}`);
  const options: MemmonOptions = {
    programs: new Map(),
    groups: new Map(),
    any: undefined,
    cumulative: false,
    sendmail: DEFAULT_SENDMAIL,
    email: undefined,
    emailUptimeLimit: undefined,
    name: undefined,
  };
  for (const { spec, value } of parsed.options) {
    const text = value ?? '';
    switch (spec.short) {
      case 'h':
        return 'help';
      case 'c':
        options.cumulative = true;
        break;
      case 'p':
        options.programs.set(...nameAndSize(text));
        break;
      case 'g':
        options.groups.set(...nameAndSize(text));
        break;
      case 'a':
        options.any = size(text);
        break;
      case 's':
        options.sendmail = text;
        break;
      case 'm':
        options.email = text;
        break;
      case 'u':
        options.emailUptimeLimit = parseSeconds(text);
        break;
      case 'n':
        options.name = text;
        break;
    }
  }
  if (options.programs.size === 0 && options.groups.size === 0 && options.any === undefined) {
    throw new UsageError('nothing to monitor: give at least one of -p, -g or -a');
  }
  return options;
}
