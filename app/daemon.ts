// The supervisord process itself: one "generation" per configuration (a SIGHUP starts the next),
// each with its activity log and its Supervisor; signals, the pidfile and the user switch.
import fs from 'node:fs';
import { isSupervisorError, SupervisorError } from '../common/errors.js';
import { config as rxjsConfig } from 'rxjs';
import type { Config, SupervisordConfig } from '../config/types.js';
import { ConfigError } from '../config/types.js';
import { loadConfig } from '../config/load.js';
import { pyRepr } from '../config/python.js';
import { lookupUser } from '../config/users.js';
import { ActivityLog, activityLogTargets } from '../actors/logs/activity-log.js';
import { removeStaleAutoChildLogs } from '../actors/logs/auto-child-log.js';
import { Syslog } from '../actors/logs/syslog.js';
import { loadResultHandlers } from '../actors/result-handlers.js';
import { Supervisor } from '../actors/supervisor.js';
import { createControlPlane } from '../rpc/control-plane.js';
import { serverUrlFor, type HttpServers } from '../rpc/http/servers.js';
import type { ApiHost } from '../rpc/supervisor-api.js';

export interface DaemonOptions {
  configFile: string;
  /** Command-line settings, re-applied on every reload. */
  overrides: Partial<SupervisordConfig>;
  /** The configuration already loaded (and validated) by the command line. */
  config: Config;
  /** Running in the background (the parent already exited or is about to). */
  daemonized: boolean;
  /** Called once the first generation runs (the background handshake). */
  onStarted?: () => void;
}

type StopRequest = 'shutdown' | 'restart';

const EXIT_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGQUIT'] as const;

/** Switches the daemon to user= (initgroups, gid, uid); returns an error text or null. */
export function dropPrivileges(user: string): string | null {
  const byId = /^\d+$/.test(user);
  const entry = lookupUser(user, byId);
  if (!entry) return byId ? `Can't find uid ${user}` : `Can't find username '${user}'`;
  const current = process.getuid?.();
  if (current === entry.uid) return null;
  if (current !== 0) return "Can't drop privilege as nonroot user";
  try {
    // process.initgroups exists on POSIX but is missing from @types/node.
    (process as NodeJS.Process & { initgroups?: (user: string, group: number) => void }).initgroups?.(entry.name, entry.gid);
    process.setgid?.(entry.gid);
    process.setuid?.(entry.uid);
  } catch (error) {
    return `Could not set user id of the process: ${(error as Error).message}`;
  }
  return null;
}

/**
 * What the reference does once its servers are open and it has forked into the background:
 * change into directory= and apply umask= (the activity log already exists by then).
 */
function enterBackground(supervisord: SupervisordConfig, log: ActivityLog): void {
  log.info('daemonizing the supervisord process');
  if (supervisord.directory) {
    try {
      process.chdir(supervisord.directory);
      log.info(`set current directory: ${pyRepr(supervisord.directory)}`);
    } catch (error) {
      log.critical(`can't chdir into ${pyRepr(supervisord.directory)}: ${(error as Error).message}`);
    }
  }
  process.umask(supervisord.umask);
}

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

export class Daemon {
  private log: ActivityLog | null = null;
  private supervisor: Supervisor | null = null;
  private request: StopRequest | null = null;
  private wake: (() => void) | null = null;
  private nextConfig: Config | null = null;
  /** Shared by every generation's activity log and child logs that go to syslog. */
  private readonly syslog = new Syslog((message) => this.log?.error(message));
  /** The pidfile this process wrote, to remove at exit. */
  private pidfile: string | null = null;

  constructor(private readonly options: DaemonOptions) {}

  /** Runs until an exit request; resolves with the process exit code. */
  async run(): Promise<number> {
    this.installSignalHandlers();
    // A subscriber that throws (an extension's, say) must not take the daemon down: RxJS would
    // rethrow it later as an uncaught exception.
    rxjsConfig.onUnhandledError = (error) => this.log?.error(`error in an event subscriber: ${describeError(error)}`);
    // The last line of defence: a bug must not take every supervised program down with it.
    const critical = (message: string) => (this.log ? this.log.critical(message) : process.stderr.write(`supervisord: ${message}\n`));
    process.on('uncaughtException', (error) => critical(`uncaptured exception: ${describeError(error)}`));
    process.on('unhandledRejection', (error) => critical(`unhandled rejection: ${describeError(error)}`));
    let config = this.options.config;
    let first = true;
    for (;;) {
      const outcome = await this.runGeneration(config, first).catch((error: unknown) => {
        // Whatever keeps a generation from starting (a log file, a socket, a module) is reported
        // as the daemon failing to start, in one line.
        throw isSupervisorError(error) ? new SupervisorError('STARTUP', error.message, { cause: error }) : error;
      });
      first = false;
      if (outcome === 'shutdown') break;
      config = this.nextConfig ?? config;
      this.nextConfig = null;
    }
    this.removePidfile();
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
    log.open({ ...activityLogTargets(supervisord), syslog: this.syslog });
    if (!supervisord.nocleanup) {
      removeStaleAutoChildLogs(supervisord.childlogdir, supervisord.identifier, log);
    }

    let resultHandlers;
    try {
      resultHandlers = await loadResultHandlers(config);
    } catch (error) {
      log.close();
      throw error;
    }
    const supervisor = new Supervisor({
      config,
      log,
      serverUrl: serverUrlFor({ unix: config.unixHttpServer, inet: config.inetHttpServer }),
      resultHandlers,
      syslog: this.syslog,
    });
    this.supervisor = supervisor;
    const host: ApiHost = {
      supervisor,
      config,
      log,
      // Acted on after the answer is on its way to the client.
      requestStop: (kind) => setImmediate(() => (kind === 'shutdown' ? this.requestStop('shutdown') : this.reload())),
      reread: () => this.readConfig(),
    };
    let servers: HttpServers;
    try {
      servers = await createControlPlane(config, log, host);
      await servers.listen();
    } catch (error) {
      supervisor.dispose();
      log.close();
      throw error;
    }
    if (this.options.daemonized && first) enterBackground(supervisord, log);
    this.writePidfile(supervisord.pidfile, log);
    supervisor.start();
    if (first) this.options.onStarted?.();

    const outcome = await this.waitForRequest();
    supervisor.state = outcome === 'shutdown' ? 'SHUTDOWN' : 'RESTARTING';
    await supervisor.stopAll();
    await servers.close();
    supervisor.dispose();
    this.supervisor = null;
    this.request = null;
    if (outcome === 'shutdown') this.removePidfile();
    log.close();
    return outcome;
  }

  private waitForRequest(): Promise<StopRequest> {
    // Signal listeners do not keep Node's event loop alive: with no child and no server left, the
    // daemon would simply end. This timer never fires; it only holds the loop open.
    const keepAlive = setInterval(() => {}, 2 ** 31 - 1);
    return new Promise((resolve) => {
      const check = () => {
        if (this.request) {
          clearInterval(keepAlive);
          resolve(this.request);
        } else {
          this.wake = check;
        }
      };
      check();
    });
  }

  private requestStop(request: StopRequest): void {
    this.request = request;
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private installSignalHandlers(): void {
    for (const signal of EXIT_SIGNALS) {
      process.on(signal, () => {
        this.log?.warn(`received ${signal} indicating exit request`);
        // A second request while a reload is stopping turns it into an exit.
        this.requestStop('shutdown');
        if (this.supervisor) this.supervisor.state = 'SHUTDOWN';
      });
    }
    process.on('SIGHUP', () => this.onReloadSignal());
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

  /**
   * SIGHUP: the new configuration is loaded before anything stops, so a broken file leaves the
   * daemon running as it was (the reference would exit instead).
   */
  private onReloadSignal(): void {
    const log = this.log;
    if (this.request) {
      log?.warn('ignored SIGHUP indicating restart request (shutdown in progress)');
      return;
    }
    log?.warn('received SIGHUP indicating restart request');
    this.reload();
  }

  /** Restarts with the configuration file as it is now, unless it cannot be loaded. */
  private reload(): void {
    try {
      this.nextConfig = this.readConfig();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      this.log?.error(`not restarting: the configuration could not be loaded: ${error.message}`);
      return;
    }
    this.requestStop('restart');
  }

  private readConfig(): Config {
    return loadConfig(this.options.configFile, { overrides: this.options.overrides });
  }

  private writePidfile(pidfile: string, log: ActivityLog): void {
    try {
      fs.writeFileSync(pidfile, `${process.pid}\n`);
      this.pidfile = pidfile;
      log.info(`supervisord started with pid ${process.pid}`);
    } catch {
      log.critical(`could not write pidfile ${pidfile}`);
    }
  }

  private removePidfile(): void {
    if (!this.pidfile) return;
    const pidfile = this.pidfile;
    this.pidfile = null;
    try {
      fs.unlinkSync(pidfile);
    } catch {
      // Already gone: nothing to clean up.
    }
  }
}
