// supervisorctl's command line and its [supervisorctl] settings. Options end at the first word
// that is not one (Python getopt, as the reference parses them), so `tail -100 foo` and
// `-p -secret-` reach the action and the option intact; everything after is the action.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describeError, UsageError } from '../../common/errors.js';
import { getopt, optionsHelp, type OptionSpec } from '../../common/getopt.js';
import { IniDocument } from '../../config/ini.js';
import { expand } from '../../config/expand.js';
import { pyRepr } from '../../config/python.js';
import { decodeConfigText } from '../../config/utf8.js';
import type { KeySpec } from '../../config/schema/keys.js';
import { SUPERVISORCTL_KEYS } from '../../config/schema/supervisorctl.js';
import { findConfigFile } from '../../config/search.js';
import type { FleetHostConfig } from '../../config/types.js';
import { Fleet } from './fleet.js';

/**
 * os.path.normpath(os.path.abspath(os.path.expanduser(p))); the user lookups behind `~` are
 * loaded only for such paths.
 */
async function normalizePath(p: string, env: NodeJS.ProcessEnv, cwd: string): Promise<string> {
  if (!p.startsWith('~')) return path.resolve(cwd, p);
  const { normalizePath: expandAndResolve } = await import('../../config/datatypes.js');
  return expandAndResolve(p, env, cwd);
}

export interface Settings {
  serverurl: string;
  username: string | undefined;
  password: string | undefined;
  prompt: string;
  historyFile: string | undefined;
  /** True with -i or when no action is given. */
  interactive: boolean;
  /** The action and its arguments; empty for the shell. */
  args: string[];
  /** The other daemons: [supervisorctl:NAME] sections, narrowed by -H (ours). */
  fleet: Fleet | undefined;
}

type Name = 'configfile' | 'interactive' | 'serverurl' | 'username' | 'password' | 'historyFile' | 'hosts' | 'help';

const DEFAULT_SERVERURL = SUPERVISORCTL_KEYS.serverurl.default;
const DEFAULT_PROMPT = SUPERVISORCTL_KEYS.prompt.default;

/** In the order the help lists them. */
const SPECS: ReadonlyArray<OptionSpec & { name: Name }> = [
  {
    short: 'c',
    long: 'configuration',
    takesValue: true,
    metavar: 'FILE',
    name: 'configfile',
    help: 'read [supervisorctl] from FILE (default: the first supervisord.conf found in the usual places)',
  },
  { short: 'h', long: 'help', takesValue: false, name: 'help', help: 'show this text and exit' },
  { short: '?', long: null, takesValue: false, name: 'help' },
  { short: 'i', long: 'interactive', takesValue: false, name: 'interactive', help: 'ask before shutdown/reload and for credentials' },
  {
    short: 's',
    long: 'serverurl',
    takesValue: true,
    metavar: 'URL',
    name: 'serverurl',
    help: `where supervisord listens, http://host:port or unix:///path (default: ${DEFAULT_SERVERURL})`,
  },
  { short: 'u', long: 'username', takesValue: true, metavar: 'NAME', name: 'username', help: 'user name to authenticate with' },
  { short: 'p', long: 'password', takesValue: true, metavar: 'PASSWORD', name: 'password', help: 'password to authenticate with' },
  // The reference's long form is --history_file (its help says --history-file): both work here.
  {
    short: 'r',
    long: 'history_file',
    takesValue: true,
    metavar: 'FILE',
    name: 'historyFile',
    help: "keep the shell's command history in FILE",
  },
  {
    short: 'H',
    long: 'hosts',
    takesValue: true,
    metavar: 'NAMES',
    name: 'hosts',
    help: 'talk to these [supervisorctl:NAME] daemons (comma separated, or all) instead of every daemon of the file',
  },
];

export function usageText(progname: string): string {
  return `supervisorctl: control the processes of a running supervisord.

Usage: ${progname} [options] [action [arguments]]

Options:
${optionsHelp(SPECS)}
action [arguments] is what to do, e.g. "status" or "tail -f web"; "help"
lists the actions. Without an action an interactive shell starts.
`;
}

/** Python urlparse's test in the reference's `url` option type: a scheme and something after it. */
function isUrl(value: string): boolean {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(value);
  if (!m) return false;
  const rest = m[2]!.replace(/[?#].*$/s, '');
  return rest.replace(/^\/\//, '') !== '' || rest.startsWith('///');
}

/** `--history-file` is spelled as the reference accepts it before getopt sees it. */
function aliasLongOptions(argv: readonly string[]): string[] {
  return argv.map((a) => (a === '--history-file' || a.startsWith('--history-file=') ? `--history_file${a.slice(14)}` : a));
}

export interface CommandLine {
  help: boolean;
  values: Partial<Record<Exclude<Name, 'help' | 'interactive'>, string>>;
  interactive: boolean;
  args: string[];
}

/** Parses the global options. Throws UsageError; `help` set means: print usage, exit 0. */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const parsed = getopt(aliasLongOptions(argv), SPECS);
  // The action's words as typed (the alias touches only tokens, one for one).
  const args = argv.slice(argv.length - parsed.rest.length);
  const result: CommandLine = { help: false, values: {}, interactive: false, args };
  const seen = new Set<Name>();
  for (const option of parsed.options) {
    const name = SPECS.find((s) => s === option.spec)!.name;
    if (name === 'help') return { ...result, help: true };
    if (name === 'serverurl' && !isUrl(option.value ?? '')) {
      throw new UsageError(
        `invalid value for ${option.flag} ${pyRepr(option.value ?? '')}: value ${pyRepr(option.value ?? '')} is not a URL`,
      );
    }
    if (seen.has(name)) throw new UsageError(`conflicting command line option ${pyRepr(option.flag)}`);
    seen.add(name);
    if (name === 'interactive') result.interactive = true;
    else result.values[name] = option.value ?? '';
  }
  return result;
}

interface FileSettings {
  serverurl: string;
  username: string | undefined;
  password: string | undefined;
  prompt: string;
  historyFile: string | undefined;
  /** The [supervisorctl:NAME] sections, sorted by name. */
  fleet: FleetHostConfig[];
}

/** [supervisorctl:NAME] sections, read (by a module loaded only then) when the file has any. */
async function readFleetSections(doc: IniDocument, file: string, env: NodeJS.ProcessEnv, cwd: string): Promise<FleetHostConfig[]> {
  if (![...doc.sections.keys()].some((name) => name.startsWith('supervisorctl:'))) return [];
  const { readFleet } = await import('../../config/loader/fleet.js');
  try {
    return readFleet({ doc, file, env, cwd }).hosts;
  } catch (e) {
    throw new UsageError(describeError(e), { cause: e });
  }
}

/**
 * The [supervisorctl] section of the main file only (includes are not read), with ENV_x
 * expansions everywhere and %(here)s in serverurl and history_file, as the reference reads it.
 */
export async function readSupervisorctlSection(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): Promise<FileSettings> {
  const absolute = path.resolve(cwd, file);
  if (!existsSync(absolute)) throw new UsageError(`could not find config file ${file}`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(absolute);
  } catch (e) {
    throw new UsageError(`could not read config file ${file}`, { cause: e });
  }
  const doc = new IniDocument();
  try {
    doc.read(decodeConfigText(bytes, absolute), file);
  } catch (e) {
    throw new UsageError(describeError(e), { cause: e });
  }
  if (!doc.has('supervisorctl')) throw new UsageError(`.ini file does not include supervisorctl section (in ${absolute})`);
  const envVars = new Map<string, string>();
  for (const [k, v] of Object.entries(env)) if (v !== undefined) envVars.set(`ENV_${k}`, v);
  const here = path.dirname(absolute);
  const get = (key: keyof typeof SUPERVISORCTL_KEYS): string | undefined => {
    const raw = doc.get('supervisorctl', key);
    if (raw === undefined) return undefined;
    const spec: KeySpec = SUPERVISORCTL_KEYS[key];
    const vars = spec.here ? new Map([...envVars, ['here', here]]) : envVars;
    try {
      return expand(raw.value, vars, `supervisorctl.${key}`);
    } catch (e) {
      const where = `[supervisorctl] ${key}= at ${path.resolve(cwd, raw.file)}:${raw.line}`;
      throw new UsageError(`${describeError(e)} (${where})`, { cause: e });
    }
  };
  let serverurl = get('serverurl') ?? DEFAULT_SERVERURL;
  if (serverurl.startsWith('unix://')) serverurl = `unix://${await normalizePath(serverurl.slice(7), env, cwd)}`;
  const history = get('history_file');
  return {
    serverurl,
    username: get('username'),
    password: get('password'),
    prompt: get('prompt') ?? DEFAULT_PROMPT,
    historyFile: history ? await normalizePath(history, env, cwd) : undefined,
    fleet: await readFleetSections(doc, file, env, cwd),
  };
}

/**
 * The fleet of this run: with -H, the hosts it names (every host for `all`) without the default
 * daemon; else every [supervisorctl:NAME] of the file beside the default daemon; none without
 * such sections.
 */
function fleetOf(hosts: FleetHostConfig[], option: string | undefined, configfile: string | undefined): Fleet | undefined {
  if (option === undefined) return hosts.length === 0 ? undefined : new Fleet(hosts, hosts, true);
  const where = configfile === undefined ? 'no configuration file was found' : `in ${configfile}`;
  if (option === 'all') {
    if (hosts.length === 0) throw new UsageError(`-H all: there is no [supervisorctl:NAME] section (${where})`);
    return new Fleet(hosts, hosts, false);
  }
  const selected = option.split(',').map((name) => {
    const host = hosts.find((h) => h.name === name.trim());
    if (host === undefined) throw new UsageError(`-H: there is no [supervisorctl:${name.trim()}] section (${where})`);
    return host;
  });
  return new Fleet(
    hosts,
    [...new Set(selected)].sort((a, b) => (a.name < b.name ? -1 : 1)),
    false,
  );
}

/** Command line first, then the configuration file (given, or found where the reference looks), then defaults. */
export async function resolveSettings(line: CommandLine): Promise<Settings> {
  const given = line.values;
  const configfile = given.configfile ?? findConfigFile();
  const file = configfile ? await readSupervisorctlSection(configfile) : undefined;
  return {
    serverurl: given.serverurl ?? file?.serverurl ?? DEFAULT_SERVERURL,
    username: given.username ?? file?.username,
    password: given.password ?? file?.password,
    prompt: file?.prompt ?? DEFAULT_PROMPT,
    historyFile: given.historyFile ?? file?.historyFile,
    interactive: line.interactive || line.args.length === 0,
    args: line.args,
    fleet: fleetOf(file?.fleet ?? [], given.hosts, configfile ?? undefined),
  };
}
