// Loads a supervisord configuration file into the typed Config, following the reference's reading
// order, defaults, expansions, validation and messages (Supervisor 4.2.5's ServerOptions.read_config).
import { accessSync, constants as fsConstants, readFileSync, statSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ConfigError,
  type ChildLogConfig,
  type Config,
  type Credentials,
  type EventListenerSettings,
  type InetHttpServerConfig,
  type LoadMessage,
  type ProcessConfig,
  type ProcessGroupConfig,
  type RpcInterfaceConfig,
  type SourceLocation,
  type SupervisorctlConfig,
  type SupervisordConfig,
  type UnixHttpServerConfig,
} from './types.js';
import { IniDocument, type IniSection } from './ini.js';
import { expand } from './expand.js';
import { glob } from './glob.js';
import { pyJoin, pyRepr, pySplitWhitespace, pyStrip } from './python.js';
import {
  autoRestart,
  boolean,
  byteSize,
  colonSeparatedUserGroup,
  dictOfKeyValuePairs,
  existingDirectory,
  existingDirpath,
  inetAddress,
  integer,
  listOfExitcodes,
  listOfStrings,
  loggingLevel,
  logfileName,
  nameToUid,
  normalizePath,
  octalType,
  processOrGroupName,
  signalName,
} from './datatypes.js';

export interface LoadOptions {
  /** The daemon's environment: ENV_x expansions and ~ expansion. Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Command-line options; they take precedence over the file. */
  overrides?: Partial<SupervisordConfig>;
  /** Directory relative paths (logfile, pidfile, sockets) are resolved against. Defaults to process.cwd(). */
  cwd?: string;
}

type Vars = Map<string, string | number>;

/** Event types a listener may subscribe to (the reference's EventTypes). */
export const EVENT_TYPE_NAMES: readonly string[] = [
  'EVENT',
  'PROCESS_STATE',
  'PROCESS_STATE_STOPPED',
  'PROCESS_STATE_EXITED',
  'PROCESS_STATE_STARTING',
  'PROCESS_STATE_STOPPING',
  'PROCESS_STATE_BACKOFF',
  'PROCESS_STATE_FATAL',
  'PROCESS_STATE_RUNNING',
  'PROCESS_STATE_UNKNOWN',
  'PROCESS_COMMUNICATION',
  'PROCESS_COMMUNICATION_STDOUT',
  'PROCESS_COMMUNICATION_STDERR',
  'PROCESS_LOG',
  'PROCESS_LOG_STDOUT',
  'PROCESS_LOG_STDERR',
  'REMOTE_COMMUNICATION',
  'SUPERVISOR_STATE_CHANGE',
  'SUPERVISOR_STATE_CHANGE_RUNNING',
  'SUPERVISOR_STATE_CHANGE_STOPPING',
  'TICK',
  'TICK_5',
  'TICK_60',
  'TICK_3600',
  'PROCESS_GROUP',
  'PROCESS_GROUP_ADDED',
  'PROCESS_GROUP_REMOVED',
];

export const DEFAULT_RESULT_HANDLER = 'supervisor.dispatchers:default_handler';
const RPC_FACTORY_KEY = 'supervisor.rpcinterface_factory';

export function loadConfig(file: string, options: LoadOptions = {}): Config {
  return new Loader(file, options).load();
}

/** Python's tempfile.gettempdir(): the first writable candidate directory. */
export function defaultTempDir(env: NodeJS.ProcessEnv, cwd: string): string {
  const candidates = [env['TMPDIR'], env['TEMP'], env['TMP'], '/tmp', '/var/tmp', '/usr/tmp', cwd];
  for (const c of candidates) {
    if (!c) continue;
    try {
      if (statSync(c).isDirectory()) {
        accessSync(c, fsConstants.W_OK);
        return path.resolve(cwd, c);
      }
    } catch {
      // not usable; try the next one
    }
  }
  return cwd;
}

class Loader {
  private readonly env: NodeJS.ProcessEnv;
  private readonly cwd: string;
  private readonly here: string;
  private readonly hostname = os.hostname();
  private readonly doc = new IniDocument();
  /** ENV_x names; extended by [supervisord] environment= before programs are read. */
  private readonly envVars: Vars = new Map();
  private readonly warnings: string[] = [];
  private readonly infos: string[] = [];
  private readonly files: string[] = [];

  constructor(
    private readonly file: string,
    private readonly options: LoadOptions,
  ) {
    this.env = options.env ?? process.env;
    this.cwd = options.cwd ?? process.cwd();
    this.here = path.dirname(path.resolve(this.cwd, file));
    for (const [k, v] of Object.entries(this.env)) if (v !== undefined) this.envVars.set(`ENV_${k}`, v);
  }

  load(): Config {
    this.readFiles();
    if (!this.doc.has('supervisord')) throw new ConfigError('.ini file does not include supervisord section');
    const supervisord = this.readSupervisord();
    const rpcInterfaces = this.readRpcInterfaces();
    const groups = this.readGroups();
    const { unix, inet } = this.readServers();
    return {
      file: path.resolve(this.cwd, this.file),
      files: this.files,
      supervisord,
      groups,
      unixHttpServer: unix,
      inetHttpServer: inet,
      supervisorctl: this.readSupervisorctl(),
      rpcInterfaces,
      messages: [
        ...this.warnings.map((text): LoadMessage => ({ level: 'warn', text })),
        ...this.infos.map((text): LoadMessage => ({ level: 'info', text })),
      ],
    };
  }

  // ---- files -------------------------------------------------------------------------------

  private readFiles(): void {
    const abs = path.resolve(this.cwd, this.file);
    if (!existsSync(abs)) throw new ConfigError(`could not find config file ${this.file}`);
    let text: string;
    try {
      text = readFileSync(abs, 'utf8');
    } catch {
      throw new ConfigError(`could not read config file ${this.file}`);
    }
    this.doc.read(text, this.file);
    this.files.push(abs);
    if (!this.doc.has('include')) return;

    this.expandHere(this.here);
    const filesValue = this.doc.get('include', 'files');
    if (!filesValue) throw new ConfigError('.ini file has [include] section, but no files setting');
    this.includeFiles(filesValue.value, this.here, new Set(this.files));
  }

  /**
   * Reads the files an [include] names, relative to the including file's directory. Unlike the
   * reference, an included file's own [include] is followed too (each file once, so a cycle
   * ends), as our users asked; a file without one reads exactly as with the reference.
   */
  private includeFiles(filesValue: string, here: string, seen: Set<string>): void {
    const vars: Vars = new Map([['here', here], ['host_node_name', this.hostname], ...this.envVars]);
    for (const relative of pySplitWhitespace(expand(filesValue, vars, 'include.files'))) {
      const pattern = pyJoin(here, relative);
      const matches = glob(pattern);
      if (matches.length === 0) {
        this.warnings.push(`No file matches via include "${pattern}"`);
        continue;
      }
      for (const match of matches.sort()) {
        const absolute = path.resolve(this.cwd, match);
        if (seen.has(absolute)) continue;
        seen.add(absolute);
        this.infos.push(`Included extra file "${match}" during parsing`);
        let included: string;
        try {
          included = readFileSync(match, 'utf8');
        } catch {
          continue; // configparser silently skips files it cannot open
        }
        const own = new IniDocument();
        own.read(included, match);
        this.doc.read(included, match);
        this.files.push(absolute);
        this.expandHere(path.dirname(absolute));
        const nested = own.get('include', 'files');
        if (nested) this.includeFiles(nested.value, path.dirname(absolute), seen);
      }
    }
  }

  /**
   * With an [include] section the reference substitutes %(here)s textually after each file is read,
   * so each file's values see that file's directory. DEFAULT values are copied into the sections.
   */
  private expandHere(here: string): void {
    const marker = '%(here)s';
    for (const section of this.doc.sections.values()) {
      for (const key of this.doc.options(section.name)) {
        const v = this.doc.get(section.name, key)!;
        if (v.value.includes(marker)) section.values.set(key, { ...v, value: v.value.split(marker).join(here) });
      }
    }
  }

  // ---- value access ------------------------------------------------------------------------

  /** The raw value of a key, or null when absent. */
  private raw(section: string, key: string): string | null {
    return this.doc.get(section, key)?.value ?? null;
  }

  /** A value expanded with the ENV_ names plus `vars`, like the reference's saneget. */
  private get(section: string, key: string, fallback: string, vars?: Vars): string;
  private get(section: string, key: string, fallback: null, vars?: Vars): string | null;
  private get(section: string, key: string, fallback: string | null, vars: Vars = new Map()): string | null {
    const value = this.raw(section, key) ?? fallback;
    if (value === null) return null;
    return expand(value, new Map([...this.envVars, ...vars]), `${section}.${key}`);
  }

  private location(section: IniSection): SourceLocation {
    return { file: path.resolve(this.cwd, section.file), line: section.line };
  }

  private section(name: string): IniSection {
    return this.doc.sections.get(name)!;
  }

  private sectionsStartingWith(prefix: string): string[] {
    return [...this.doc.sections.keys()].filter((s) => s.startsWith(prefix));
  }

  // ---- [supervisord] -----------------------------------------------------------------------

  private readSupervisord(): SupervisordConfig {
    const vars: Vars = new Map([['here', this.here]]);
    const get = (key: string, fallback: string): string => this.get('supervisord', key, fallback, vars);
    const opt = (key: string): string | null => this.get('supervisord', key, null, vars);
    const env = this.env;

    const minfds = integer(get('minfds', '1024'));
    const minprocs = integer(get('minprocs', '200'));
    const dir = opt('directory');
    const directory = dir === null ? null : existingDirectory(dir, env);
    const user = opt('user');
    const umask = octalType(get('umask', '022'));
    const logfile = existingDirpath(get('logfile', 'supervisord.log'), env);
    const logfileMaxbytes = byteSize(get('logfile_maxbytes', '50MB'));
    const logfileBackups = integer(get('logfile_backups', '10'));
    const loglevel = loggingLevel(get('loglevel', 'info'));
    const pidfile = existingDirpath(get('pidfile', 'supervisord.pid'), env);
    const identifier = get('identifier', 'supervisor');
    const nodaemon = boolean(get('nodaemon', 'false'));
    const silent = boolean(get('silent', 'false'));
    const childlogdir = existingDirectory(get('childlogdir', defaultTempDir(env, this.cwd)), env);
    const nocleanup = boolean(get('nocleanup', 'false'));
    const stripAnsi = boolean(get('strip_ansi', 'false'));
    // Expanded twice, the second time with host_node_name too, exactly as the reference does.
    const envVars: Vars = new Map([['here', this.here], ['host_node_name', this.hostname], ...this.envVars]);
    const environment = dictOfKeyValuePairs(expand(get('environment', ''), envVars, 'environment'));
    for (const [k, v] of Object.entries(environment)) this.envVars.set(`ENV_${k}`, v);

    const fromFile: SupervisordConfig = {
      logfile,
      logfileMaxbytes,
      logfileBackups,
      loglevel,
      pidfile,
      umask,
      nodaemon,
      silent,
      minfds,
      minprocs,
      nocleanup,
      childlogdir,
      user,
      directory,
      stripAnsi,
      environment,
      identifier,
    };
    const merged: SupervisordConfig = { ...fromFile };
    for (const [k, v] of Object.entries(this.options.overrides ?? {})) {
      // Partial<> may carry explicit undefined for options not given on the command line.
      if (v !== undefined) Object.assign(merged, { [k]: v });
    }
    // What the reference's realize() does once file and command line are combined.
    if (merged.user !== null) nameToUid(merged.user);
    if (merged.logfile !== null && merged.logfile !== 'syslog') merged.logfile = normalizePath(merged.logfile, env, this.cwd);
    merged.pidfile = normalizePath(merged.pidfile, env, this.cwd);
    return merged;
  }

  // ---- [rpcinterface:x] --------------------------------------------------------------------

  private readRpcInterfaces(): RpcInterfaceConfig[] {
    return this.sectionsStartingWith('rpcinterface:').map((section) => {
      const factory = this.get(section, RPC_FACTORY_KEY, null);
      if (factory === null) throw new ConfigError(`section [${section}] does not specify a ${RPC_FACTORY_KEY}`);
      const options: Record<string, string> = {};
      for (const key of this.doc.options(section)) {
        if (key !== RPC_FACTORY_KEY) options[key] = this.get(section, key, '');
      }
      return { name: section.slice(section.indexOf(':') + 1), factory, options };
    });
  }

  // ---- process groups ----------------------------------------------------------------------

  private readGroups(): ProcessGroupConfig[] {
    const here: Vars = new Map([['here', this.here]]);
    const all = [...this.doc.sections.keys()];
    const fcgi = all.find((s) => s.startsWith('fcgi-program:'));
    if (fcgi !== undefined) throw new ConfigError(`[${fcgi}] sections are not supported by this implementation`);
    const groups: ProcessGroupConfig[] = [];
    const inHeterogeneousGroup = new Set<string>();

    for (const groupSection of all.filter((s) => s.startsWith('group:'))) {
      const name = processOrGroupName(afterColon(groupSection));
      const programs = listOfStrings(this.get(groupSection, 'programs', null, here));
      const priority = integer(this.get(groupSection, 'priority', '999', here));
      const processes: ProcessConfig[] = [];
      // The reference reuses one variable for the group and the member sections, so an unknown
      // program is reported against the previous member's section; kept for identical messages.
      let reported = groupSection;
      for (const program of programs) {
        const programSection = `program:${program}`;
        if (!this.doc.has(programSection)) throw new ConfigError(`[${reported}] names unknown program or fcgi-program ${program}`);
        reported = programSection;
        inHeterogeneousGroup.add(programSection);
        processes.push(...this.processesFromSection(programSection, name));
      }
      groups.push({ kind: 'group', name, priority, processes, location: this.location(this.section(groupSection)) });
    }

    for (const section of all.filter((s) => s.startsWith('program:') && !inHeterogeneousGroup.has(s))) {
      const name = processOrGroupName(afterColon(section));
      const priority = integer(this.get(section, 'priority', '999', here));
      const processes = this.processesFromSection(section, name);
      groups.push({ kind: 'program', name, priority, processes, location: this.location(this.section(section)) });
    }

    for (const section of all.filter((s) => s.startsWith('eventlistener:'))) {
      groups.push(this.readEventListenerPool(section, here));
    }

    return groups.sort(byPriorityThenName);
  }

  private readEventListenerPool(section: string, here: Vars): ProcessGroupConfig {
    const name = afterColon(section);
    const priority = integer(this.get(section, 'priority', '-1', here));
    const bufferSize = integer(this.get(section, 'buffer_size', '10', here));
    if (bufferSize < 1) throw new ConfigError(`[${section}] section sets invalid buffer_size (${bufferSize})`);
    // Python handlers cannot be imported here; the daemon decides what a handler name means.
    const resultHandler = this.get(section, 'result_handler', DEFAULT_RESULT_HANDLER, here);
    const events = [...new Set(listOfStrings(this.get(section, 'events', '', here)).map((e) => e.toUpperCase()))];
    if (events.length === 0) throw new ConfigError(`[${section}] section requires an "events" line`);
    for (const event of events) {
      if (!EVENT_TYPE_NAMES.includes(event)) throw new ConfigError(`Unknown event type ${event} in [${section}] events`);
    }
    if (boolean(this.get(section, 'redirect_stderr', 'false', here))) {
      throw new ConfigError(
        `[${section}] section sets redirect_stderr=true but this is not allowed because it will interfere with the eventlistener protocol`,
      );
    }
    const listener: EventListenerSettings = { bufferSize, events, resultHandler };
    const processes = this.processesFromSection(section, name);
    return { kind: 'eventlistener', name, priority, processes, listener, location: this.location(this.section(section)) };
  }

  /** The processes of one [program:x] or [eventlistener:x]; errors name the section and file. */
  private processesFromSection(section: string, groupName: string): ProcessConfig[] {
    try {
      return this.buildProcesses(section, groupName);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      const file = this.section(section).file;
      throw new ConfigError(`${err.message} in section ${pyRepr(section)} (file: ${pyRepr(file)})`);
    }
  }

  private buildProcesses(section: string, groupName: string): ProcessConfig[] {
    const env = this.env;
    const programName = processOrGroupName(afterColon(section));
    // One mutable set of names, as in the reference: later keys see what earlier steps added
    // (process_num, numprocs and the program's own ENV_ names exist only from the loop on).
    const vars: Vars = new Map([
      ['here', this.here],
      ['program_name', programName],
      ['host_node_name', this.hostname],
      ['group_name', groupName],
    ]);
    const get = (key: string, fallback: string): string => this.get(section, key, fallback, vars);
    const opt = (key: string): string | null => this.get(section, key, null, vars);

    const priority = integer(get('priority', '999'));
    const autostart = boolean(get('autostart', 'true'));
    const autorestart = autoRestart(get('autorestart', 'unexpected'));
    const startsecs = integer(get('startsecs', '1'));
    const startretries = integer(get('startretries', '3'));
    const stopsignal = signalName(get('stopsignal', 'TERM'));
    const stopwaitsecs = integer(get('stopwaitsecs', '10'));
    const stopasgroup = boolean(get('stopasgroup', 'false'));
    const killasgroupRaw = opt('killasgroup');
    const killasgroup = killasgroupRaw === null ? stopasgroup : boolean(killasgroupRaw);
    const exitcodes = listOfExitcodes(get('exitcodes', '0'));
    const redirectStderr = boolean(get('redirect_stderr', 'false'));
    const numprocs = integer(get('numprocs', '1'));
    const numprocsStart = integer(get('numprocs_start', '0'));
    const environmentTemplate = this.raw(section, 'environment') ?? '';
    const stdoutCaptureMaxbytes = byteSize(get('stdout_capture_maxbytes', '0'));
    const stdoutEvents = boolean(get('stdout_events_enabled', 'false'));
    const stderrCaptureMaxbytes = byteSize(get('stderr_capture_maxbytes', '0'));
    const stderrEvents = boolean(get('stderr_events_enabled', 'false'));
    let serverurl = opt('serverurl');
    if (serverurl !== null && pyStrip(serverurl).toUpperCase() === 'AUTO') serverurl = null;
    const user = opt('user');
    if (user !== null) nameToUid(user);
    const umaskRaw = opt('umask');
    const umask = umaskRaw === null ? null : octalType(umaskRaw);
    const processName = processOrGroupName(this.raw(section, 'process_name') ?? '%(program_name)s');
    if (numprocs > 1 && !processName.includes('%(process_num)')) {
      throw new ConfigError('%(process_num) must be present within process_name when numprocs > 1');
    }
    if (stopasgroup && !killasgroup) throw new ConfigError('Cannot set stopasgroup=true and killasgroup=false');

    const processes: ProcessConfig[] = [];
    for (let processNum = numprocsStart; processNum < numprocs + numprocsStart; processNum++) {
      vars.set('process_num', processNum);
      vars.set('numprocs', numprocs);
      for (const [k, v] of this.envVars) vars.set(k, v);
      const environment = dictOfKeyValuePairs(expand(environmentTemplate, vars, 'environment'));
      for (const [k, v] of Object.entries(environment)) vars.set(`ENV_${k}`, v);
      const directory = opt('directory');

      const channel = (name: 'stdout' | 'stderr', captureMaxbytes: number, eventsEnabled: boolean): ChildLogConfig => {
        const key = `${name}_logfile`;
        const configured = opt(key);
        // The reference expands a configured log file name a second time.
        const parsed = configured === null ? ({ kind: 'auto' } as const) : logfileName(expand(configured, vars, key), env);
        const backups = integer(get(`${name}_logfile_backups`, '10'));
        const maxbytes = byteSize(get(`${name}_logfile_maxbytes`, '50MB'));
        let syslog = boolean(get(`${name}_syslog`, 'false'));
        let logfile: string | null = parsed.kind === 'auto' ? 'AUTO' : parsed.kind === 'path' ? parsed.path : null;
        if (parsed.kind === 'syslog') {
          this.warnings.push(
            `For [${section}], ${key}=syslog but this is deprecated and will be removed.  Use ${name}_syslog=true to enable syslog instead.`,
          );
          logfile = null;
          syslog = true;
        }
        if (logfile === 'AUTO' && !maxbytes) {
          this.warnings.push(
            `For [${section}], AUTO logging used for ${key} without rollover, set maxbytes > 0 to avoid filling up filesystem unintentionally`,
          );
        }
        return { logfile, maxbytes, backups, captureMaxbytes, eventsEnabled, syslog };
      };
      const stdout = channel('stdout', stdoutCaptureMaxbytes, stdoutEvents);
      const stderr = channel('stderr', stderrCaptureMaxbytes, stderrEvents);
      if (redirectStderr) {
        if (stderr.logfile !== 'AUTO' && stderr.logfile !== null) {
          this.warnings.push(
            `For [${section}], redirect_stderr=true but stderr_logfile has also been set to a filename, the filename has been ignored`,
          );
        }
        stderr.logfile = null; // stderr goes to stdout's log
      }

      const command = opt('command');
      if (command === null) throw new ConfigError(`program section ${section} does not specify a command`);

      processes.push({
        name: expand(processName, vars, 'process_name'),
        section,
        command,
        priority,
        autostart,
        autorestart,
        startsecs,
        startretries,
        exitcodes,
        stopsignal,
        stopwaitsecs,
        stopasgroup,
        killasgroup,
        user,
        directory,
        umask,
        environment,
        redirectStderr,
        stdout,
        stderr,
        serverurl,
        location: this.location(this.section(section)),
      });
    }
    return processes.sort(byPriorityThenName);
  }

  // ---- HTTP servers ------------------------------------------------------------------------

  private readServers(): { unix: UnixHttpServerConfig | null; inet: InetHttpServerConfig | null } {
    const inet: InetHttpServerConfig[] = this.sectionsStartingWith('inet_http_server').map((section) => {
      const credentials = this.readCredentials(section);
      const port = this.get(section, 'port', null);
      if (port === null) throw new ConfigError(`section [${section}] has no port value`);
      return { ...inetAddress(port), credentials };
    });
    const unix: UnixHttpServerConfig[] = this.sectionsStartingWith('unix_http_server').map((section) => {
      const file = this.get(section, 'file', null, new Map([['here', this.here]]));
      if (file === null) throw new ConfigError(`section [${section}] has no file value`);
      const credentials = this.readCredentials(section);
      const chown = this.get(section, 'chown', null);
      if (chown !== null) {
        try {
          colonSeparatedUserGroup(chown);
        } catch {
          throw new ConfigError(`Invalid sockchown value ${chown}`);
        }
      }
      const chmodRaw = this.get(section, 'chmod', null);
      let chmod = 0o700;
      if (chmodRaw !== null) {
        try {
          chmod = octalType(chmodRaw);
        } catch {
          throw new ConfigError(`Invalid chmod value ${chmodRaw}`);
        }
      }
      return { file: normalizePath(pyStrip(file), this.env, this.cwd), chmod, chown, credentials };
    });
    // The reference can run several servers of a kind; the daemon serves the first of each.
    return { unix: unix[0] ?? null, inet: inet[0] ?? null };
  }

  private readCredentials(section: string): Credentials | null {
    const username = this.get(section, 'username', null);
    const password = this.get(section, 'password', null);
    if (username === null && password === null) return null;
    if (username === null || password === null) {
      throw new ConfigError(
        `Section [${section}] contains incomplete authentication: If a username or a password is specified, both the username and password must be specified`,
      );
    }
    return { username, password };
  }

  // ---- [supervisorctl] ---------------------------------------------------------------------

  /**
   * supervisorctl reads only the main file and never fails supervisord's start, so a value that
   * cannot be expanded is kept as written instead of raising.
   */
  private readSupervisorctl(): SupervisorctlConfig {
    const main = this.file;
    const value = (key: string, fallback: string | null, withHere: boolean): string | null => {
      const own = this.doc.sections.get('supervisorctl')?.values.get(key);
      const def = this.doc.defaults.get(key);
      const found = own?.file === main ? own : def?.file === main ? def : undefined;
      const text = found?.value ?? fallback;
      if (text === null) return null;
      const vars: Vars = new Map([...this.daemonEnvVars(), ...(withHere ? [['here', this.here] as const] : [])]);
      try {
        return expand(text, vars, `supervisorctl.${key}`);
      } catch {
        return text;
      }
    };
    let serverurl = value('serverurl', 'http://localhost:9001', true)!;
    if (serverurl.startsWith('unix://')) serverurl = `unix://${normalizePath(serverurl.slice(7), this.env, this.cwd)}`;
    const history = value('history_file', null, true);
    return {
      serverurl,
      username: value('username', null, false),
      password: value('password', null, false),
      prompt: value('prompt', 'supervisor', false)!,
      historyFile: history ? normalizePath(history, this.env, this.cwd) : null,
    };
  }

  /** ENV_ names from the daemon's environment only (supervisorctl never sees [supervisord] environment=). */
  private daemonEnvVars(): Vars {
    const vars: Vars = new Map();
    for (const [k, v] of Object.entries(this.env)) if (v !== undefined) vars.set(`ENV_${k}`, v);
    return vars;
  }
}

function afterColon(section: string): string {
  return section.slice(section.indexOf(':') + 1);
}

/** Ascending priority, ties by name: the reference's ordering of groups and of one section's processes. */
/** The reference's order of groups and of a program's processes: priority, then name. */
export function byPriorityThenName(a: { priority: number; name: string }, b: { priority: number; name: string }): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
