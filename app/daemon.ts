// The composition root: the supervisord process as a series of "generations", one per
// configuration (a restart starts the next). Each generation wires an activity log, a
// Supervisor and the HTTP servers together; the daemon's own state, its signals and its pidfile
// outlive them.
import { config as rxjsConfig } from 'rxjs';
import { DaemonState, type StopRequest } from '../actors/daemon-state.js';
import { enterBackground, Pidfile } from '../actors/daemon-process.js';
import { ActivityLog, activityLogTargets } from '../actors/logs/activity-log.js';
import { removeStaleAutoChildLogs } from '../actors/logs/auto-child-log.js';
import type { ReaperLink } from '../actors/reaper-link.js';
import { Syslog } from '../actors/logs/syslog.js';
import type { ServiceManager } from '../actors/service-manager.js';
import { loadResultHandlers } from '../actors/result-handlers.js';
import { Supervisor } from '../actors/supervisor.js';
import { describeError, isSupervisorError, SupervisorError } from '../common/errors.js';
import { loadConfig } from '../config/load.js';
import type { Config, SupervisordConfig } from '../config/types.js';
import { createControlPlane } from '../rpc/control-plane.js';
import type { DaemonHost } from '../rpc/host.js';
import { serverUrlFor } from '../rpc/http/servers.js';
import { ServiceStatus } from './service-status.js';

export interface DaemonOptions {
  configFile: string;
  /** Command-line settings, re-applied on every reload. */
  overrides: Partial<SupervisordConfig>;
  /** The configuration already loaded (and validated) by the command line. */
  config: Config;
  /** Running in the background (the parent already exited or is about to). */
  daemonized: boolean;
  /** The reaper of orphans this daemon runs under (as pid 1 or with subreaper=true), if any. */
  reaper?: ReaperLink | null;
  /** Called once the first generation runs (the background handshake). */
  onStarted?: () => void;
  /** The service manager to tell when the daemon runs, restarts and stops ($NOTIFY_SOCKET). */
  serviceManager?: ServiceManager | null;
  /** Called when the HTTP servers went quiet after answering requests. */
  afterRequests?: () => void;
  /** Called after each answered request and each spawn: where garbage builds up. */
  checkHeap?: () => void;
}

const EXIT_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGQUIT'] as const;

/** A stack for the activity log, where a developer may need it (never on a terminal). */
function withStack(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

export class Daemon {
  private readonly state = new DaemonState();
  private log: ActivityLog | null = null;
  private supervisor: Supervisor | null = null;
  /** The configuration a restart was asked for with, read before anything stopped. */
  private nextConfig: Config | null = null;
  /** Shared by every generation's activity log and child logs that go to syslog. */
  private readonly syslog = new Syslog((message) => this.log?.error(message));
  private readonly pidfile = new Pidfile();
  private readonly serviceStatus: ServiceStatus;

  constructor(private readonly options: DaemonOptions) {
    this.serviceStatus = new ServiceStatus(options.serviceManager ?? null, () => this.log, options.daemonized);
  }

  /** Runs until a shutdown; resolves with the process exit code. */
  async run(): Promise<number> {
    this.installSignalHandlers();
    this.watchReaper();
    // A subscriber that throws (an extension's, say) must not take the daemon down: RxJS would
    // rethrow it later as an uncaught exception.
    rxjsConfig.onUnhandledError = (error) => this.log?.error(`error in an event subscriber: ${withStack(error)}`);
    // The last line of defence: a bug must not take every supervised program down with it.
    const critical = (message: string) => (this.log ? this.log.critical(message) : process.stderr.write(`supervisord: ${message}\n`));
    process.on('uncaughtException', (error) => critical(`uncaptured exception: ${withStack(error)}`));
    process.on('unhandledRejection', (error) => critical(`unhandled rejection: ${withStack(error)}`));
    const notices = this.serviceStatus.follow(this.state);
    let config = this.options.config;
    for (let first = true; ; first = false) {
      await this.runGeneration(config, first).catch((error: unknown) => {
        // Whatever keeps a generation from starting (a log file, a socket, a module) is reported
        // as the daemon failing to start, in one line.
        throw isSupervisorError(error) ? new SupervisorError('STARTUP', error.message, { cause: error }) : error;
      });
      if (this.state.state === 'SHUTDOWN') break;
      config = this.nextConfig ?? config;
      this.nextConfig = null;
      this.state.restarted();
    }
    notices.unsubscribe();
    this.pidfile.remove();
    this.syslog.close();
    return 0;
  }

  private async runGeneration(config: Config, first: boolean): Promise<StopRequest> {
    const { supervisord } = config;
    const log = new ActivityLog(supervisord.loglevel);
    this.log = log;
    if (supervisord.user === null && process.getuid?.() === 0) {
      log.critical(
        'Supervisor is running as root.  Privileges were not dropped because no user is specified in the config file.  If you intend to run as root, you can set user=root in the config file to avoid this message.',
      );
    }
    for (const message of config.messages) log.log(message.level, message.text);
    const disposals: Array<() => void | Promise<void>> = [() => log.close()];
    const release = async () => {
      for (const dispose of disposals.reverse()) await dispose();
    };
    try {
      log.open({ ...activityLogTargets(supervisord), syslog: this.syslog });
      if (!supervisord.nocleanup) removeStaleAutoChildLogs(supervisord.childlogdir, supervisord.identifier, log);
      const supervisor = new Supervisor({
        config,
        log,
        serverUrl: serverUrlFor({ unix: config.unixHttpServer, inet: config.inetHttpServer }),
        resultHandlers: await loadResultHandlers(config),
        syslog: this.syslog,
      });
      disposals.push(() => {
        supervisor.dispose();
        this.supervisor = null;
      });
      this.supervisor = supervisor;
      supervisor.checkSockets();
      const host: DaemonHost = {
        supervisor,
        state: this.state,
        config,
        log,
        // Acted on after the answer is on its way to the client.
        requestStop: (kind) => setImmediate(() => (kind === 'shutdown' ? this.state.requestShutdown() : this.reload())),
        reread: () => this.readConfig(),
        afterRequests: this.options.afterRequests,
        checkHeap: this.options.checkHeap,
      };
      const servers = await createControlPlane(config, log, host);
      disposals.push(() => servers.close());
      await servers.listen();
      if (this.options.daemonized && first) enterBackground(supervisord, log);
      this.pidfile.write(supervisord.pidfile, log);
      supervisor.start();
      const { checkHeap } = this.options;
      if (checkHeap) {
        const spawns = supervisor.events.observe(['PROCESS_STATE_STARTING']).subscribe(() => checkHeap());
        disposals.push(() => spawns.unsubscribe());
      }
      servers.serve();
      this.serviceStatus.running(config);
      if (first) this.options.onStarted?.();
      const request = await this.stopRequested();
      await supervisor.stopAll();
      return request;
    } finally {
      await release();
    }
  }

  /** Waits for a restart or a shutdown request. */
  private async stopRequested(): Promise<StopRequest> {
    // Signal listeners do not keep Node's event loop alive: with no child and no server left, the
    // daemon would simply end. This timer never fires; it only holds the loop open.
    const keepAlive = setInterval(() => {}, 2 ** 31 - 1);
    try {
      return await this.state.stopRequested();
    } finally {
      clearInterval(keepAlive);
    }
  }

  private installSignalHandlers(): void {
    for (const signal of EXIT_SIGNALS) {
      process.on(signal, () => {
        this.log?.warn(`received ${signal} indicating exit request`);
        // Also during a restart: the daemon then exits once everything has stopped.
        this.state.requestShutdown();
      });
    }
    process.on('SIGHUP', () => {
      if (this.state.state !== 'RUNNING') {
        this.log?.warn('ignored SIGHUP indicating restart request (shutdown in progress)');
        return;
      }
      this.log?.warn('received SIGHUP indicating restart request');
      this.reload();
    });
    process.on('SIGUSR2', () => {
      this.log?.info('received SIGUSR2 indicating log reopen request');
      // Written before the reopen, so it closes the old file (as the reference does).
      this.log?.info('supervisord logreopen');
      this.log?.reopen();
      this.supervisor?.reopenLogs();
    });
    // Without a listener Node would start its inspector on SIGUSR1.
    process.on('SIGUSR1', () => this.log?.blather('received SIGUSR1 indicating nothing'));
  }

  private watchReaper(): void {
    const reaper = this.options.reaper;
    reaper?.watch(
      // The reference's line for a child it did not spawn.
      (pid, how) => this.log?.info(`reaped unknown pid ${pid} (${how})`),
      () => {
        // Killed: nothing would reap orphans any more, and the daemon would outlive the process
        // that whoever started supervisord watches.
        this.log?.warn(`supervisord-reaper (pid ${reaper.pid}) is gone: exiting`);
        this.state.requestShutdown();
      },
    );
  }

  /**
   * Restarts with the configuration file as it is now. It is loaded before anything stops, so a
   * broken file leaves the daemon running as it was (the reference would exit instead).
   */
  private reload(): void {
    let config: Config;
    try {
      config = this.readConfig();
    } catch (error) {
      if (!isSupervisorError(error, 'CONFIG')) throw error;
      this.log?.error(`not restarting: the configuration could not be loaded: ${describeError(error)}`);
      return;
    }
    if (this.state.requestRestart()) this.nextConfig = config;
  }

  private readConfig(): Config {
    return loadConfig(this.options.configFile, { overrides: this.options.overrides });
  }
}
