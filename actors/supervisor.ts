// The root actor: owns the process groups built from one configuration, starts them in priority
// order and stops them group by group in reverse order, as the reference does.
import { filter, firstValueFrom, startWith, Subject, type Subscription } from 'rxjs';
import type { ChildLogConfig, Config, ProcessConfig, ProcessGroupConfig } from '../config/types.js';
import { byPriorityThenName } from '../config/load.js';
import { ProcessGroup } from './group.js';
import type { ActivityLog } from './logs/activity-log.js';
import { createAutoChildLog } from './logs/auto-child-log.js';
import { EventBus } from './events/bus.js';
import { processGroupEvent, supervisorStateEvent } from './events/payloads.js';
import { defaultResultHandler, type ResultHandler } from './listener.js';
import { ListenerPool } from './listener-pool.js';
import { OutputChannels } from './output-channels.js';
import type { Syslog } from './logs/syslog.js';
import { Ticks } from './ticks.js';
import type { ProcessEnvironment, ProcessStateEvent, SupervisedProcess } from './process.js';

/** The daemon's states as getState reports them. */
export const SUPERVISOR_STATES = { FATAL: 2, RUNNING: 1, RESTARTING: 0, SHUTDOWN: -1 } as const;
export type SupervisorStateName = keyof typeof SUPERVISOR_STATES;

/** How often a shutdown that waits on stubborn children says so. */
const SHUTDOWN_REPORT_INTERVAL_MS = 3000;

export interface SupervisorOptions {
  config: Config;
  log: ActivityLog;
  /** SUPERVISOR_SERVER_URL for children, when the daemon serves one. */
  serverUrl: string | null;
  /** The environment children inherit before [supervisord] environment= is applied. */
  env?: NodeJS.ProcessEnv;
  /** result_handler= values that are Node modules, already loaded. */
  resultHandlers?: ReadonlyMap<string, ResultHandler>;
  /** For stdout_syslog / stderr_syslog. */
  syslog?: Syslog;
}

export class Supervisor {
  /** Every process state change, of every group. */
  readonly changes = new Subject<ProcessStateEvent>();
  readonly events = new EventBus();
  state: SupervisorStateName = 'RUNNING';
  private readonly groups = new Map<string, ProcessGroup>();
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly pools = new Map<string, ListenerPool>();
  private readonly ticks = new Ticks(this.events);
  private readonly channels = new OutputChannels();
  private readonly processEnv: ProcessEnvironment;
  private stopping: Promise<void> | null = null;

  constructor(private readonly options: SupervisorOptions) {
    const { config, log } = options;
    this.processEnv = {
      log,
      baseEnv: { ...(options.env ?? process.env), ...config.supervisord.environment },
      serverUrl: options.serverUrl,
      stripAnsi: config.supervisord.stripAnsi,
      bus: this.events,
      isListener: false,
      channels: this.channels,
      syslog: options.syslog ?? null,
    };
    for (const groupConfig of config.groups) this.addGroup(groupConfig);
    this.availableGroups = config.groups;
  }

  /**
   * The group configurations last read from the file: at startup those in use, after a
   * reloadConfig the new ones (which update/addProcessGroup then bring into use).
   */
  availableGroups: ProcessGroupConfig[];

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

  /** Brings a group into use; its autostart processes start when `start` says so. */
  addGroup(groupConfig: ProcessGroupConfig, start = false): ProcessGroup {
    const isListener = groupConfig.kind === 'eventlistener';
    const group = new ProcessGroup(
      { ...groupConfig, processes: groupConfig.processes.map((p) => this.withAutoLogsNamed(p)) },
      groupConfig,
      { ...this.processEnv, isListener },
    );
    this.groups.set(group.name, group);
    this.subscriptions.set(
      group.name,
      group.changes.subscribe((change) => this.changes.next(change)),
    );
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
    if (start) group.startAutostarting();
    return group;
  }

  /** Takes a fully stopped group out of use; false when some process still runs. */
  removeGroup(name: string): boolean {
    const group = this.groups.get(name);
    if (!group || group.unstopped().length) return false;
    this.subscriptions.get(name)?.unsubscribe();
    this.subscriptions.delete(name);
    this.pools.get(name)?.dispose();
    this.pools.delete(name);
    this.groups.delete(name);
    group.dispose();
    this.events.publish(processGroupEvent('REMOVED', name));
    return true;
  }

  /** Starts every autostart process, groups and processes in ascending priority. */
  start(): void {
    // As in the reference, listeners hear the daemon is running before any process starts.
    this.events.publish(supervisorStateEvent('RUNNING'));
    for (const group of this.groupList) group.startAutostarting();
  }

  reopenLogs(): void {
    for (const process of this.processes()) process.reopenLogs();
  }

  /**
   * Stops everything: no process restarts any more; groups are stopped one at a time, highest
   * priority number first, each only once the previous one has fully stopped.
   */
  stopAll(): Promise<void> {
    this.stopping ??= this.runShutdown();
    return this.stopping;
  }

  private async runShutdown(): Promise<void> {
    this.events.publish(supervisorStateEvent('STOPPING'));
    for (const process of this.processes()) process.shutdown();
    const report = () => {
      const unstopped = this.processes().filter((p) => !p.stopped);
      if (unstopped.length) this.options.log.info(`waiting for ${unstopped.map((p) => p.name).join(', ')} to die`);
    };
    let reporter: NodeJS.Timeout | undefined;
    try {
      for (const group of this.groupList.reverse()) {
        const stopped = this.stopGroup(group);
        // As the reference: the first report follows the signals sent to the first group.
        if (!reporter) {
          report();
          reporter = setInterval(report, SHUTDOWN_REPORT_INTERVAL_MS);
        }
        await stopped;
      }
    } finally {
      clearInterval(reporter);
    }
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

  dispose(): void {
    this.ticks.stop();
    this.channels.close();
    for (const pool of this.pools.values()) pool.dispose();
    for (const subscription of this.subscriptions.values()) subscription.unsubscribe();
    for (const group of this.groups.values()) group.dispose();
    this.changes.complete();
    this.events.complete();
  }

  /** AUTO log files are created when their group is added, as the reference does. */
  private withAutoLogsNamed(config: ProcessConfig): ProcessConfig {
    const { childlogdir, identifier } = this.options.config.supervisord;
    const named = (channel: 'stdout' | 'stderr'): ChildLogConfig => {
      const logConfig = config[channel];
      if (logConfig.logfile !== 'AUTO') return logConfig;
      return { ...logConfig, logfile: createAutoChildLog(childlogdir, config.name, channel, identifier) };
    };
    return { ...config, stdout: named('stdout'), stderr: named('stderr') };
  }
}
