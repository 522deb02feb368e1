// The typed result of loading a configuration: what every other part of the daemon consumes.
// Values are fully validated and expanded; defaults are those of Supervisor 4.2.5.
import { SupervisorError } from '../common/errors.js';

/** Where a value came from, for error messages: "file.conf line 12". */
export interface SourceLocation {
  file: string;
  line: number;
}

export type AutoRestart = 'true' | 'false' | 'unexpected';

/** How the wait before each retry grows: 1 s more each time (the reference), or twice as long. */
export type BackoffKind = 'linear' | 'exponential';

/**
 * A child log destination. 'AUTO' is resolved by the daemon (childlogdir) when it starts;
 * null means no log file (NONE/OFF, or stderr when redirect_stderr is set).
 */
export type LogFileSetting = string | 'AUTO' | null;

/** One file of env_file= (our extension): a dotenv file read at each spawn. */
export interface EnvFileSetting {
  /** Absolute. */
  path: string;
  /** Written with a leading '-': a missing file is skipped (an unreadable one is still an error). */
  optional: boolean;
}

/** How a child log file holds the output (ours): as written, or one record per line. */
export type LogFormat = 'raw' | 'timestamped' | 'json';

/** Time-based rotation (ours): at the start of each local hour or day. */
export type RotationPeriod = 'hourly' | 'daily';

/** A child's output stream, as its config keys (stdout_*, stderr_*) and log files name it. */
export type OutputChannel = 'stdout' | 'stderr';

export interface ChildLogConfig {
  logfile: LogFileSetting;
  /** 0 means never rotate. */
  maxbytes: number;
  backups: number;
  captureMaxbytes: number;
  eventsEnabled: boolean;
  syslog: boolean;
  /** *_logfile_format= (ours); 'raw' is the reference's. */
  format: LogFormat;
  /** *_logfile_rotate= (ours): also rotate at each hour or day; null for size only. */
  rotate: RotationPeriod | null;
}

/** readiness= and liveness= (ours): how to tell that a program is ready, or still alive. */
export type HealthCheck =
  /** A TCP connect to host:port succeeds. */
  | { kind: 'tcp'; host: string; port: number }
  /** A GET of the URL answers 2xx. */
  | { kind: 'http'; url: string }
  /** The command exits 0 (split and run as command= is, in the program's environment and directory). */
  | { kind: 'exec'; command: string }
  /** A line the program writes on that channel matches the pattern. */
  | { kind: 'output'; channel: 'stdout' | 'stderr'; pattern: string }
  /** The program sends READY=1 to $NOTIFY_SOCKET (sd_notify). */
  | { kind: 'notify' }
  /** The program sends WATCHDOG=1 to $NOTIFY_SOCKET often enough. */
  | { kind: 'watchdog' };

/** The check as written in the file, for messages ("readiness check tcp://127.0.0.1:80"). */
export type DescribedCheck = HealthCheck & { spec: string };

/** A check that polls: tried again every interval. */
export type PollingCheck = Extract<DescribedCheck, { kind: 'tcp' | 'http' | 'exec' }>;
export type ReadinessCheck = PollingCheck | Extract<DescribedCheck, { kind: 'output' | 'notify' }>;
export type LivenessCheck = PollingCheck | Extract<DescribedCheck, { kind: 'watchdog' }>;

export interface ReadinessConfig {
  check: ReadinessCheck;
  /** Seconds from the spawn after which a program still not ready counts as a failed start. */
  timeout: number;
  /** Seconds between two attempts of a polling check (tcp, http, exec). */
  interval: number;
}

export interface LivenessConfig {
  check: LivenessCheck;
  /** Seconds between two attempts of a polling check. */
  interval: number;
  /** Consecutive failed attempts that make the program restart. */
  failures: number;
  /** watchdog: the longest silence, in seconds, between two WATCHDOG=1. */
  timeout: number;
}

/** A process that must be RUNNING (or, completed, have EXITED as expected) before another starts. */
export interface Dependency {
  group: string;
  name: string;
  completed: boolean;
}

/** One process (a [program:x] with numprocs=3 yields three). */
export interface ProcessConfig {
  name: string;
  /** The [program:x] / [eventlistener:x] section this process comes from, e.g. "program:cat". */
  section: string;
  command: string;
  priority: number;
  autostart: boolean;
  autorestart: AutoRestart;
  startsecs: number;
  /** Failed starts in a row before FATAL; Infinity for `infinite` (ours). */
  startretries: number;
  /** How the wait in BACKOFF grows (ours; the reference's is linear). */
  backoff: BackoffKind;
  /** The longest wait in BACKOFF, in seconds; null for none (ours). */
  backoffMax: number | null;
  /** What RUNNING waits for besides startsecs (ours). */
  readiness: ReadinessConfig | null;
  /** What restarts a RUNNING program that stopped answering (ours). */
  liveness: LivenessConfig | null;
  /** What must be up (or done) before it starts (ours); resolved once every section is read. */
  dependsOn: Dependency[];
  exitcodes: number[];
  /** Signal name with the SIG prefix, e.g. "SIGTERM". */
  stopsignal: NodeJS.Signals;
  stopwaitsecs: number;
  stopasgroup: boolean;
  killasgroup: boolean;
  /** Stop signals reach every descendant, and a stop lasts until they are all gone (ours). */
  stopastree: boolean;
  /** User name or numeric uid as given; resolved to uid/gid when spawning. */
  user: string | null;
  directory: string | null;
  umask: number | null;
  /** Only the per-program environment= pairs; the daemon merges the rest. */
  environment: Record<string, string>;
  /** env_file=, in order: read at each spawn, applied before environment=. */
  envFiles: EnvFileSetting[];
  redirectStderr: boolean;
  stdout: ChildLogConfig;
  stderr: ChildLogConfig;
  /** null means AUTO (the daemon's own server URL). */
  serverurl: string | null;
  location: SourceLocation;
}

export interface EventListenerSettings {
  bufferSize: number;
  /** Event type names as written in events=, e.g. ["PROCESS_STATE", "TICK_60"]. */
  events: string[];
  /** "module:export"; the reference's default is supervisor.dispatchers:default_handler. */
  resultHandler: string;
}

export interface ProcessGroupConfig {
  kind: 'program' | 'group' | 'eventlistener' | 'fcgi-program';
  name: string;
  priority: number;
  /**
   * In start order: by priority then name for a [program:x]; as listed in programs= for a
   * [group:x] (the reference ignores the programs' priorities there when starting).
   */
  processes: ProcessConfig[];
  /** Present when kind is 'eventlistener'. */
  listener?: EventListenerSettings;
  /** Present when kind is 'fcgi-program'. */
  socket?: FcgiSocketConfig;
  location: SourceLocation;
}

/**
 * The socket= of an [fcgi-program:x]: one listening socket for the group, which each of its
 * processes gets as file descriptor 0.
 */
export type FcgiSocketConfig = (
  | { kind: 'tcp'; host: string; port: number }
  | {
      kind: 'unix';
      /** Absolute and normalized. */
      path: string;
      /** chown of the socket file; null leaves it to supervisord's own user. */
      owner: { uid: number; gid: number } | null;
      mode: number;
    }
) & {
  /** How the reference names it in its log lines: tcp://host:port or unix:///path. */
  url: string;
  /** The listen() backlog; null for the system's largest (SOMAXCONN). */
  backlog: number | null;
  /** Where socket= is written. */
  location: SourceLocation;
};

export interface SupervisordConfig {
  /** Absolute path, or null for NONE; may be "syslog". */
  logfile: string | null;
  logfileMaxbytes: number;
  logfileBackups: number;
  /** logfile_rotate= (ours): also rotate at each hour or day; null for size only. */
  logfileRotate: RotationPeriod | null;
  /** One of critical error warn info debug trace blather. */
  loglevel: LogLevelName;
  pidfile: string;
  umask: number;
  nodaemon: boolean;
  silent: boolean;
  minfds: number;
  minprocs: number;
  nocleanup: boolean;
  childlogdir: string;
  user: string | null;
  directory: string | null;
  stripAnsi: boolean;
  /** Children get their stopsignal if the daemon dies, even by SIGKILL (ours). */
  childrenDieWithDaemon: boolean;
  environment: Record<string, string>;
  /** env_file= for every child: read at each spawn, applied before environment=. */
  envFiles: EnvFileSetting[];
  identifier: string;
  /** subreaper= (ours): run under a reaper of orphans even when not pid 1. */
  subreaper: boolean;
}

export type LogLevelName = 'critical' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'blather';

export interface Credentials {
  username: string;
  /** As written: plain text or "{SHA}" followed by the hex SHA-1 of the password. */
  password: string;
}

export interface UnixHttpServerConfig {
  file: string;
  /** File mode of the socket, default 0o700. */
  chmod: number;
  /** "user" or "user:group", or null. */
  chown: string | null;
  credentials: Credentials | null;
}

export interface InetHttpServerConfig {
  /** "" or "*" for all interfaces. */
  host: string;
  port: number;
  credentials: Credentials | null;
}

export interface SupervisorctlConfig {
  serverurl: string;
  username: string | null;
  password: string | null;
  prompt: string;
  historyFile: string | null;
}

/** A [supervisorctl:NAME] section (ours): another daemon that supervisorctl and the web UI show. */
export interface FleetHostConfig {
  name: string;
  /** http://host:port or unix:///absolute/path. */
  serverurl: string;
  username: string | null;
  password: string | null;
  /** How long to wait for an answer before the daemon counts as down. */
  timeoutMs: number;
}

export interface RpcInterfaceConfig {
  name: string;
  /** The value of supervisor.rpcinterface_factory. */
  factory: string;
  /** Every other key of the section, as written. */
  options: Record<string, string>;
}

/** A message the loader produced before the activity log existed; the daemon logs it on start. */
export interface LoadMessage {
  level: LogLevelName;
  text: string;
  /**
   * Set on our own warnings about something the reference accepts without a word and that is
   * most likely a mistake (supervisord also shows those on stderr when it starts): a key or
   * section it does not use (a typo), a section or key given twice, a file included again.
   */
  kind?: 'unknown-name' | 'duplicate' | 'repeated-include';
}

export interface Config {
  /** Absolute path of the main config file. */
  file: string;
  /** Absolute paths of every file read, the main file first. */
  files: string[];
  supervisord: SupervisordConfig;
  groups: ProcessGroupConfig[];
  unixHttpServer: UnixHttpServerConfig | null;
  inetHttpServer: InetHttpServerConfig | null;
  supervisorctl: SupervisorctlConfig;
  /** The [supervisorctl:NAME] sections of the main file, by name (ours). */
  fleet: FleetHostConfig[];
  rpcInterfaces: RpcInterfaceConfig[];
  messages: LoadMessage[];
}

/**
 * Where a refused or doubtful text is written: a file, and within it the line, the section and
 * the key when they are known.
 */
export interface Place {
  file: string;
  line?: number;
  section?: string;
  key?: string;
}

/** "[program:a] startsecs= at /etc/supervisord.conf:14", "[program:a] in /etc/supervisord.conf", "at /x.conf:3". */
export function describePlace({ file, line, section, key }: Place): string {
  const at = line === undefined ? `in ${file}` : `at ${file}:${line}`;
  if (section === undefined) return at;
  return `[${section}]${key === undefined ? '' : ` ${key}=`} ${at}`;
}

/**
 * A bad configuration. The message starts with the reference's wording (so that it can be
 * searched for) and ends with where the refused text is, when that is known:
 * "999 can not be converted to an octal type ([supervisord] umask= at /etc/supervisord.conf:7)".
 */
export class ConfigError extends SupervisorError {
  override name = 'ConfigError';
  /** The message without the location. */
  readonly reason: string;
  /** Where the refused section or value is written, e.g. "[supervisord] umask= at /etc/supervisord.conf:7". */
  readonly where: string | undefined;
  /** The same, as parts, when it is a place in a file (not, say, the command line). */
  readonly place: Place | undefined;

  constructor(message: string, options?: { cause?: unknown; where?: string | Place }) {
    const where = options?.where;
    const text = typeof where === 'object' ? describePlace(where) : where;
    super('CONFIG', text === undefined ? message : `${message} (${text})`, { cause: options?.cause });
    this.reason = message;
    this.where = text;
    this.place = typeof where === 'object' ? where : undefined;
  }

  /** This error with `where` as its location, unless it already has one (the innermost is the most precise). */
  locatedAt(where: string | Place): ConfigError {
    return this.where === undefined ? new ConfigError(this.reason, { cause: this, where }) : this;
  }
}
