// The shape of the configuration table (config/schema/): every section kind lists its keys, each
// with its datatype, default and help. The loader reads keys through it, echo_supervisord_conf
// prints it, the loader's unknown-name warnings compare against it, and getAllConfigInfo takes
// its members from it. Only types and the identity helper live here, so importing a table
// costs nothing (supervisorctl reads the [supervisorctl] one on every start).
import type { LogfileName } from '../datatypes.js';
import type {
  AutoRestart,
  BackoffKind,
  EnvFileSetting,
  LivenessCheck,
  LogFormat,
  LogLevelName,
  ProcessConfig,
  ReadinessCheck,
  RotationPeriod,
} from '../types.js';

/** What each datatype's converter (config/convert.ts) makes of a key's text. */
export interface DatatypeValues {
  string: string;
  integer: number;
  boolean: boolean;
  /** A number of bytes, optionally suffixed KB, MB or GB. */
  'byte-size': number;
  octal: number;
  'logging-level': LogLevelName;
  signal: NodeJS.Signals;
  'auto-restart': AutoRestart;
  'exit-codes': number[];
  /** Comma separated, each item stripped. */
  'list-of-strings': string[];
  /** KEY=value,KEY2="quoted value" */
  'key-value-pairs': Record<string, string>;
  /** Comma separated paths as written, each optional when it starts with '-'. */
  'env-files': EnvFileSetting[];
  'existing-directory': string;
  /** A file whose directory exists. */
  'existing-dirpath': string;
  /** A path, AUTO, NONE (or OFF) or syslog. */
  'child-logfile': LogfileName;
  /** A name without space, colon or slash. */
  'process-name': string;
  /** A user name or uid that exists, kept as written. */
  user: string;
  /** "user" or "user:group", both existing. */
  'user-and-group': { uid: number; gid: number };
  /** host:port, *:port or port. */
  'inet-address': { host: string; port: number };
  /** An integer, or `infinite` (ours: never give up). */
  retries: number;
  /** How the wait between retries grows (ours). */
  'backoff-kind': BackoffKind;
  /** Seconds, possibly fractional, not negative (ours). */
  seconds: number;
  /** readiness= (ours). */
  'readiness-check': ReadinessCheck;
  /** liveness= (ours). */
  'liveness-check': LivenessCheck;
  /** raw, timestamped or json (ours). */
  'log-format': LogFormat;
  /** hourly or daily (ours). */
  'rotation-period': RotationPeriod;
}

export type Datatype = keyof DatatypeValues;

/** A value of a getAllConfigInfo struct member, as XML-RPC carries it. */
export type ConfigInfoValue = string | number | boolean | number[];

/** How a process key shows in getAllConfigInfo. */
export interface ConfigInfoMember {
  readonly member: string;
  /**
   * `named` is the config of the process running from exactly this config, if any, else the
   * config itself: only a started process has names for its AUTO log files.
   */
  readonly value: (config: ProcessConfig, named: ProcessConfig) => ConfigInfoValue;
}

export interface KeySpec {
  readonly type: Datatype;
  /** The text the loader uses when the key is absent, as it would be written; null for none. */
  readonly default: string | null;
  /** What the key does, in one line: the sample config's comment. */
  readonly help: string;
  /** What the sample config shows instead of the default (which may be missing or unhelpful). */
  readonly example?: string;
  /** The sample config shows the key switched on, not commented out. */
  readonly active?: boolean;
  /** Read as written: the loader expands it later, once per process. */
  readonly expand?: false;
  /** %(here)s expands in it even though the section's other keys do not offer it. */
  readonly here?: true;
  readonly info?: ConfigInfoMember;
}

export type KeyTable = Readonly<Record<string, KeySpec>>;

/** Keeps the literal types of a table (defaults, datatypes) for the loader's typed reads. */
export function defineKeys<const T extends KeyTable>(keys: T): T {
  return keys;
}
