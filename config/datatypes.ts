// Converters from configuration text to typed values, each raising the reference's error text.
import { constants as osConstants } from 'node:os';
import { statSync } from 'node:fs';
import path from 'node:path';
import {
  ConfigError,
  type AutoRestart,
  type BackoffKind,
  type EnvFileSetting,
  type LogFormat,
  type LogLevelName,
  type RotationPeriod,
} from './types.js';
import { pyDirname, pyInt, pyIntOrNull, pyRepr, pyStrip } from './python.js';
import { lookupGroup, lookupUser } from './users.js';

export { dictOfKeyValuePairs } from './shlex.js';

const TRUTHY = ['yes', 'true', 'on', '1'];
const FALSY = ['no', 'false', 'off', '0'];

/** A process or group name: no space, colon or slash (they break URLs and the listener protocol). */
export function processOrGroupName(name: string): string {
  const s = pyStrip(name);
  for (const ch of [' ', ':', '/']) {
    if (s.includes(ch)) throw new ConfigError(`Invalid name: ${pyRepr(name)} because of character: ${pyRepr(ch)}`);
  }
  return s;
}

export function integer(value: string): number {
  try {
    return pyInt(value);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
}

export function boolean(value: string): boolean {
  const s = value.toLowerCase();
  if (TRUTHY.includes(s)) return true;
  if (FALSY.includes(s)) return false;
  throw new ConfigError(`not a valid boolean value: ${pyRepr(value)}`);
}

export function listOfStrings(arg: string | null): string[] {
  if (!arg) return [];
  return arg.split(',').map(pyStrip);
}

/** env_file=: comma separated paths, a leading '-' making one optional; empty items are skipped. */
export function envFiles(arg: string): EnvFileSetting[] {
  return listOfStrings(arg)
    .filter((item) => item !== '')
    .map((item) => {
      const optional = item.startsWith('-');
      const file = optional ? pyStrip(item.slice(1)) : item;
      if (!file) throw new ConfigError(`missing file name after '-': ${pyRepr(arg)}`);
      return { path: file, optional };
    });
}

export function listOfExitcodes(arg: string): number[] {
  if (!arg) return [];
  const codes = arg.split(',').map((part) => pyIntOrNull(part));
  if (codes.some((c) => c === null || c < 0 || c > 255)) {
    throw new ConfigError(`not a valid list of exit codes: ${pyRepr(arg)}`);
  }
  return codes as number[];
}

export function autoRestart(value: string): AutoRestart {
  const v = value.toLowerCase();
  if (TRUTHY.includes(v)) return 'true';
  if (FALSY.includes(v)) return 'false';
  if (v === 'unexpected') return 'unexpected';
  throw new ConfigError(`invalid 'autorestart' value ${pyRepr(v)}`);
}

/** startretries: an integer as the reference reads it, or `infinite` (ours). */
export function retries(value: string): number {
  return pyStrip(value).toLowerCase() === 'infinite' ? Infinity : integer(value);
}

export function backoffKind(value: string): BackoffKind {
  const v = pyStrip(value).toLowerCase();
  if (v === 'linear' || v === 'exponential') return v;
  throw new ConfigError(`invalid backoff ${pyRepr(value)}: expected linear or exponential`);
}

const LOG_FORMATS: readonly LogFormat[] = ['raw', 'timestamped', 'json'];

export function logFormat(value: string): LogFormat {
  const v = pyStrip(value).toLowerCase();
  const format = LOG_FORMATS.find((known) => known === v);
  if (format) return format;
  throw new ConfigError(`invalid log format ${pyRepr(value)}: expected raw, timestamped or json`);
}

export function rotationPeriod(value: string): RotationPeriod {
  const v = pyStrip(value).toLowerCase();
  if (v === 'hourly' || v === 'daily') return v;
  throw new ConfigError(`invalid log rotation ${pyRepr(value)}: expected hourly or daily`);
}

/** A number of seconds, possibly fractional, not negative. */
export function seconds(value: string): number {
  const text = pyStrip(value);
  const n = /^\d+(\.\d*)?$|^\.\d+$/.test(text) ? Number(text) : NaN;
  if (Number.isNaN(n)) throw new ConfigError(`not a number of seconds: ${pyRepr(value)}`);
  return n;
}

const SIZE_SUFFIXES: Array<[string, number]> = [
  ['kb', 1024],
  ['mb', 1024 * 1024],
  ['gb', 1024 * 1024 * 1024],
];

/** "50MB", "1kb", "1024": a number of bytes. */
export function byteSize(value: string): number {
  const v = value.toLowerCase();
  for (const [suffix, factor] of SIZE_SUFFIXES) {
    if (v.endsWith(suffix)) return integer(v.slice(0, -suffix.length)) * factor;
  }
  return integer(v);
}

export function octalType(arg: string): number {
  const n = pyIntOrNull(arg, 8);
  if (n === null) throw new ConfigError(`${arg} can not be converted to an octal type`);
  return n;
}

/** A signal name (with or without SIG, any case) or number, as the Node signal name. */
export function signalName(value: string): NodeJS.Signals {
  const signals = osConstants.signals as Record<string, number>;
  const num = pyIntOrNull(value);
  if (num === null) {
    let name = pyStrip(value).toUpperCase();
    if (!name.startsWith('SIG')) name = 'SIG' + name;
    if (name === 'SIGCLD') name = 'SIGCHLD'; // Python knows this alias, Node does not
    if (!(name in signals)) throw new ConfigError(`value ${pyRepr(value)} is not a valid signal name`);
    return name as NodeJS.Signals;
  }
  // Python also accepts 0, SIGRTMIN and SIGRTMAX here; Node cannot send those by name, so they are refused.
  const found = Object.keys(signals).find((n) => signals[n] === num);
  if (found === undefined) throw new ConfigError(`value ${pyRepr(value)} is not a valid signal number`);
  return found as NodeJS.Signals;
}

const LOG_LEVELS: LogLevelName[] = ['critical', 'error', 'warn', 'info', 'debug', 'trace', 'blather'];

export function loggingLevel(value: string): LogLevelName {
  const s = value.toLowerCase();
  const level = LOG_LEVELS.find((l) => l === s);
  if (level === undefined) throw new ConfigError(`bad logging level name ${pyRepr(value)}`);
  return level;
}

/** What a child log file setting names. */
export type LogfileName = { kind: 'none' } | { kind: 'auto' } | { kind: 'syslog' } | { kind: 'path'; path: string };

export function logfileName(value: string, env: NodeJS.ProcessEnv): LogfileName {
  const v = value.toLowerCase();
  if (v === 'none' || v === 'off') return { kind: 'none' };
  if (v === 'auto') return { kind: 'auto' };
  if (v === 'syslog') return { kind: 'syslog' };
  return { kind: 'path', path: existingDirpath(value, env) };
}

/** Python's os.path.expanduser: ~ and ~user; an unknown user leaves the path alone. */
export function expandUser(p: string, env: NodeJS.ProcessEnv): string {
  if (!p.startsWith('~')) return p;
  const slash = p.indexOf('/', 1);
  const end = slash < 0 ? p.length : slash;
  let home: string | undefined;
  if (end === 1) {
    home = env['HOME'] ?? lookupUser(String(process.getuid?.() ?? 0), true)?.home;
  } else {
    home = lookupUser(p.slice(1, end), false)?.home;
  }
  if (home === undefined) return p;
  return home.replace(/\/+$/, '') + p.slice(end) || '/';
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export function existingDirectory(value: string, env: NodeJS.ProcessEnv): string {
  const p = expandUser(value, env);
  if (isDirectory(p)) return p;
  throw new ConfigError(`${value} is not an existing directory`);
}

/** A file path whose directory must exist; a bare relative file name is accepted as is. */
export function existingDirpath(value: string, env: NodeJS.ProcessEnv): string {
  const p = expandUser(value, env);
  const dir = pyDirname(p);
  if (!dir || isDirectory(dir)) return p;
  throw new ConfigError(`The directory named as part of the path ${value} does not exist`);
}

/** os.path.normpath(os.path.abspath(os.path.expanduser(v))). */
export function normalizePath(value: string, env: NodeJS.ProcessEnv, cwd: string): string {
  return path.resolve(cwd, expandUser(value, env));
}

/** A TCP port, 1 to 65535. */
export function portNumber(value: string): number {
  const n = integer(value);
  if (n < 1) throw new ConfigError(`${n} is below lower bound (1)`);
  if (n > 0xffff) throw new ConfigError(`${n} is above upper bound (65535)`);
  return n;
}

/** "host:port", "*:port", ":port" or "port"; an empty or "*" host means all interfaces (""). */
export function inetAddress(s: string): { host: string; port: number } {
  let host = '';
  let port: number;
  const colon = s.lastIndexOf(':');
  if (colon >= 0) {
    host = s.slice(0, colon);
    const rest = s.slice(colon + 1);
    if (!rest) throw new ConfigError(`no port number specified in ${pyRepr(rest)}`);
    port = portNumber(rest);
    host = host.toLowerCase();
  } else {
    try {
      port = portNumber(s);
    } catch {
      throw new ConfigError(`not a valid port number: ${pyRepr(s)} `);
    }
  }
  return { host: host === '*' ? '' : host, port };
}

/** A user name or numeric uid that must exist; returns the uid. */
export function nameToUid(name: string): number {
  const id = pyIntOrNull(name);
  if (id === null) {
    const entry = lookupUser(name, false);
    if (!entry) throw new ConfigError(`Invalid user name ${name}`);
    return entry.uid;
  }
  if (!lookupUser(String(id), true)) throw new ConfigError(`Invalid user id ${name}`);
  return id;
}

export function nameToGid(name: string): number {
  const id = pyIntOrNull(name);
  if (id === null) {
    const entry = lookupGroup(name, false);
    if (!entry) throw new ConfigError(`Invalid group name ${name}`);
    return entry.gid;
  }
  if (!lookupGroup(String(id), true)) throw new ConfigError(`Invalid group id ${name}`);
  return id;
}

/** "user" or "user:group", both of which must exist. */
export function colonSeparatedUserGroup(arg: string): { uid: number; gid: number } {
  try {
    const colon = arg.indexOf(':');
    if (colon < 0) return { uid: nameToUid(arg), gid: -1 };
    return { uid: nameToUid(arg.slice(0, colon)), gid: nameToGid(arg.slice(colon + 1)) };
  } catch {
    throw new ConfigError(`Invalid user:group definition ${arg}`);
  }
}
