// The root actor of one daemon generation: owns the process groups built from one
// configuration, starts them in priority order and stops them group by group in reverse order,
// as the reference does; knows which groups a reread added, changed or removed.
import { filter, firstValueFrom, merge, startWith, Subject, type Subscription } from 'rxjs';
import { SupervisorError } from '../common/errors.js';
import { sameGroupConfig } from '../config/compare.js';
import { byPriorityThenName } from '../config/load.js';
import type { Config, ProcessConfig, ProcessGroupConfig } from '../config/types.js';
import { processGroupEvent, supervisorStateEvent } from './events/payloads.js';
import { EventBus } from './events/bus.js';
import { FcgiSocket } from './fcgi/socket-manager.js';
import { ProcessGroup } from './group.js';
import { defaultResultHandler, type ResultHandler } from './listener.js';
import { ListenerPool } from './listener-pool.js';
import { CaptureChannels } from './capture-channels.js';
import type { ActivityLog } from './logs/activity-log.js';
import type { Syslog } from './logs/syslog.js';
import { parseNamespec } from './namespec.js';
import type { ProcessStateEvent, SupervisedProcess } from './process.js';
import { NODE_SYSTEM, type ProcessEnvironment, type ProcessSystem } from './process-environment.js';
import { Ticks } from './ticks.js';
import { every } from './clock.js';

/** How often a shutdown that waits on stubborn children says so. */
const SHUTDOWN_REPORT_INTERVAL_MS = 3000;

function dependingIn(group: ProcessGroup): number {
  return group.processes.filter((p) => p.config.dependsOn.length > 0).length;
}

export interface SupervisorOptions {
  config: Config;
  log: ActivityLog;
  /** SUPERVISOR_SERVER_URL for children, when the daemon serves one. */
  serverUrl: string | null;
  /** The environment children inherit before [supervisord] env_file= and environment= are applied. */
  env?: NodeJS.ProcessEnv;
  /** result_handler= values that are Node modules, already loaded. */
  resultHandlers?: ReadonlyMap<string, ResultHandler>;
  /** For stdout_syslog / stderr_syslog. */
  syslog?: Syslog;
  /** Spawning, signals and time; the real ones unless a test says otherwise. */
  system?: ProcessSystem;
}

/** Group names a reread found added, changed and removed, each sorted. */
export interface ConfigDiff {
  added: string[];
  changed: string[];
  removed: string[];
}

/** One process of the configuration last read, and whether it is in use. */
export interface ConfigEntry {
  group: ProcessGroupConfig;
  process: ProcessConfig;
  inUse: boolean;
  /** The running process's config (AUTO logs named) when it was started from this very entry. */
  running: ProcessConfig | null;
}

/** What a namespec names: one process, or (process null) a whole group. */
export interface Target {
  group: ProcessGroup;
  process: SupervisedProcess | null;
}

export class Supervisor {
  /** Every process state change, of every group. */
  readonly changes = new Subject<ProcessStateEvent>();
  readonly events = new EventBus();
  private readonly groups = new Map<string, ProcessGroup>();
  private readonly pools = new Map<string, ListenerPool>();
  /** How many processes in use have depends_on= (ours): without any, a stop need not look for dependents. */
  private depending = 0;
  private readonly ticks = new Ticks(this.events);
  private readonly channels = new CaptureChannels();
  private readonly processEnv: ProcessEnvironment;
  private stopping: Promise<void> | null = null;
  /**
   * Every process reports its changes here, before its own subscribers hear of them (as they
   * would through a subscription made first): a subscription per group was ~1 KB a process.
   */
  private readonly reportChange = (change: ProcessStateEvent): void => this.changes.next(change);
  /**
   * The group configurations last read from the file: at startup those in use, after a reread
   * the new ones (which addAvailableGroup then brings into use).
   */
  private available: ProcessGroupConfig[];

  constructor(private readonly options: SupervisorOptions) {
    const { config, log } = options;
    this.processEnv = {
      log,
      // A plain copy: every spawn spreads it, and each read of process.env itself asks the C library.
      baseEnv: options.env ?? { ...process.env },
      supervisord: config.supervisord,
      serverUrl: options.serverUrl,
      stripAnsi: config.supervisord.stripAnsi,
      childrenDieWithDaemon: config.supervisord.childrenDieWithDaemon,
      bus: this.events,
      isListener: false,
      channels: this.channels,
      syslog: options.syslog ?? null,
      system: options.system ?? NODE_SYSTEM,
      findProcess: (group, name) => this.groups.get(group)?.processes.find((p) => p.name === name),
    };
    for (const groupConfig of config.groups) this.addGroup(groupConfig);
    this.available = config.groups;
  }

  get config(): Config {
    return this.options.config;
  }

  /** Groups in start order. */
  get groupList(): ProcessGroup[] {
    return [...this.groups.values()].sort(byPriorityThenName);
  }

  group(name: string): ProcessGroup | undefined {
    return this.groups.get(name);
  }

  processes(): SupervisedProcess[] {
    return this.groupList.flatMap((group) => group.processes);
  }

  /** The [eventlistener:x] pools, by name. */
  listenerPools(): ListenerPool[] {
    return [...this.pools.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The group or process a namespec names (see namespec.ts); null when there is none. */
  find(spec: string): Target | null {
    const { group: groupName, process: processName } = parseNamespec(spec);
    const group = this.groups.get(groupName);
    if (!group) return null;
    if (processName === null) return { group, process: null };
    const process = group.processes.find((p) => p.name === processName);
    return process ? { group, process } : null;
  }

  /** Takes in a configuration read again; says what changed, without applying it. */
  reread(config: Config): ConfigDiff {
    const next = new Map(config.groups.map((group) => [group.name, group]));
    const names = (groups: Iterable<{ name: string }>) => [...groups].map((g) => g.name).sort();
    const diff = {
      added: names(config.groups.filter((g) => !this.groups.has(g.name))),
      changed: names(config.groups.filter((g) => this.groups.has(g.name) && !sameGroupConfig(g, this.groups.get(g.name)!.config))),
      removed: names([...this.groups.values()].filter((g) => !next.has(g.name))),
    };
    this.available = config.groups;
    return diff;
  }

  /**
   * Brings a group of the configuration last read into use and starts its autostart processes.
   * Throws the SPAWN error of an fcgi-program's socket that cannot be created (checked first, as
   * the reference does); the group is then not added.
   */
  addAvailableGroup(name: string): 'added' | 'no-such-group' | 'already-added' {
    const config = this.available.find((g) => g.name === name);
    if (!config) return 'no-such-group';
    if (this.groups.has(name)) return 'already-added';
    if (config.socket) new FcgiSocket(name, config.socket, this.options.log).check();
    this.addGroup(config).startAutostarting();
    return 'added';
  }

  /**
   * Creates and closes each fcgi-program's socket once, as the reference does as it adds the
   * groups at startup: one that cannot be created stops the start (a STARTUP error).
   */
  checkSockets(): void {
    for (const group of this.groupList) {
      try {
        group.socket?.check();
      } catch (error) {
        throw error instanceof SupervisorError ? new SupervisorError('STARTUP', error.message, { cause: error }) : error;
      }
    }
  }

  /** Takes a fully stopped group out of use. */
  removeGroup(name: string): 'removed' | 'no-such-group' | 'still-running' {
    const group = this.groups.get(name);
    if (!group) return 'no-such-group';
    if (group.unstopped().length) return 'still-running';
    this.pools.get(name)?.dispose();
    this.pools.delete(name);
    this.groups.delete(name);
    this.depending -= dependingIn(group);
    group.dispose();
    this.events.publish(processGroupEvent('REMOVED', name));
    return 'removed';
  }

  /** Every process of the configuration last read, in use or not. */
  configEntries(): ConfigEntry[] {
    return this.available.flatMap((group) => {
      const active = this.groups.get(group.name);
      // After a reread the configs are new, and the reference then shows 'auto' even for running ones.
      const sameConfig = active?.config === group;
      return group.processes.map((process) => ({
        group,
        process,
        inUse: active !== undefined,
        running: sameConfig ? runningConfig(active.processes.find((p) => p.name === process.name)) : null,
      }));
    });
  }

  /**
   * The order a stop of everything follows with depends_on= (ours): waves, each to be stopped
   * before the next, a process only after everything that depends on it. Without dependencies
   * one wave, as the reference stops them.
   */
  stopWaves(): SupervisedProcess[][] {
    const all = this.processes();
    const level = new Map<SupervisedProcess, number>();
    const levelOf = (process: SupervisedProcess): number => {
      const known = level.get(process);
      if (known !== undefined) return known;
      const dependents = this.dependentsOf([process]);
      const value = dependents.length ? 1 + Math.max(...dependents.map(levelOf)) : 0;
      level.set(process, value);
      return value;
    };
    const waves: SupervisedProcess[][] = [];
    for (const process of all) (waves[levelOf(process)] ??= []).push(process);
    return waves.filter((wave) => wave.length > 0);
  }

  /** Starts every autostart process, groups and processes in ascending priority. */
  start(): void {
    // As in the reference, listeners hear the daemon is running before any process starts.
    this.events.publish(supervisorStateEvent('RUNNING'));
    for (const group of this.groupList) group.startAutostarting();
  }

  reopenLogs(): void {
    for (const process of this.processes()) process.logs.reopen();
  }

  /**
   * Stops everything: no process restarts any more; groups are stopped one at a time, highest
   * priority number first, each only once the previous one has fully stopped.
   */
  stopAll(): Promise<void> {
    this.stopping ??= this.runShutdown();
    return this.stopping;
  }

  dispose(): void {
    this.ticks.stop();
    this.channels.close();
    for (const pool of this.pools.values()) pool.dispose();
    for (const group of this.groups.values()) group.dispose();
    this.changes.complete();
    this.events.complete();
  }

  private addGroup(groupConfig: ProcessGroupConfig): ProcessGroup {
    const isListener = groupConfig.kind === 'eventlistener';
    const group = new ProcessGroup(
      groupConfig,
      // Shared by the groups of programs (a copy each was ~200 bytes a process).
      isListener ? { ...this.processEnv, isListener } : this.processEnv,
      this.reportChange,
    );
    this.groups.set(group.name, group);
    this.depending += dependingIn(group);
    if (isListener && groupConfig.listener) {
      const resultHandler = this.options.resultHandlers?.get(groupConfig.listener.resultHandler) ?? defaultResultHandler;
      this.pools.set(
        group.name,
        new ListenerPool({
          group,
          settings: groupConfig.listener,
          bus: this.events,
          log: this.options.log,
          identifier: this.options.config.supervisord.identifier,
          resultHandler,
        }),
      );
    }
    // Published after a pool subscribed, so a pool hears of its own group too (as in the reference).
    this.events.publish(processGroupEvent('ADDED', group.name));
    return group;
  }

  private async runShutdown(): Promise<void> {
    this.events.publish(supervisorStateEvent('STOPPING'));
    for (const process of this.processes()) process.shutdown();
    let reports: Subscription | undefined;
    try {
      for (const group of this.groupList.reverse()) {
        // depends_on= (ours): what depends on the group's processes stops first, wherever it is.
        const dependents = this.dependentsOf(group.processes);
        const stopped = dependents.length ? this.stopFirst(dependents).then(() => this.stopGroup(group)) : this.stopGroup(group);
        // As the reference: the first report follows the signals sent to the first group.
        reports ??= every(this.processEnv.system.clock, SHUTDOWN_REPORT_INTERVAL_MS).subscribe(() => this.reportUnstopped());
        await stopped;
      }
    } finally {
      reports?.unsubscribe();
    }
  }

  private reportUnstopped(): void {
    const unstopped = this.processes().filter((p) => !p.stopped);
    if (unstopped.length) this.options.log.info(`waiting for ${unstopped.map((p) => p.name).join(', ')} to die`);
  }

  /** The processes not stopped yet that depend on any of `processes`. */
  private dependentsOf(processes: readonly SupervisedProcess[]): SupervisedProcess[] {
    if (this.depending === 0) return [];
    return this.processes().filter(
      (p) => !p.stopped && p.config.dependsOn.some((d) => processes.some((q) => q.group === d.group && q.name === d.name)),
    );
  }

  /** Stops `processes` once what depends on them has stopped, and waits until they have. */
  private async stopFirst(processes: SupervisedProcess[]): Promise<void> {
    const dependents = this.dependentsOf(processes);
    if (dependents.length) await this.stopFirst(dependents);
    const stopped = () => {
      for (const process of processes) {
        if (process.state === 'BACKOFF') process.giveUp();
        else process.stop();
      }
      return processes.every((p) => p.stopped);
    };
    await firstValueFrom(merge(...processes.map((p) => p.changes)).pipe(startWith(null), filter(stopped)), { defaultValue: null });
  }

  /** Resolves once every process of the group is in a stopped state. */
  private async stopGroup(group: ProcessGroup): Promise<void> {
    // Re-applied on every change: a process still spawning, or falling back into BACKOFF, is
    // stopped (or given up on) as soon as it can be.
    const stopped = () => {
      group.stopAll();
      return group.unstopped().length === 0;
    };
    await firstValueFrom(group.changes.pipe(startWith(null), filter(stopped)), { defaultValue: null });
  }
}

/** A process's config with its log files as it runs them (AUTO named), as getAllConfigInfo shows it. */
function runningConfig(process: SupervisedProcess | undefined): ProcessConfig | null {
  if (!process) return null;
  const { config, logfiles } = process;
  return { ...config, stdout: { ...config.stdout, logfile: logfiles.stdout }, stderr: { ...config.stderr, logfile: logfiles.stderr } };
}
