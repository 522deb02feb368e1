// What the daemon tells the service manager it runs under ($NOTIFY_SOCKET, systemd's
// Type=notify): READY=1 once it runs, RELOADING=1 when a restart begins (READY=1 again once the
// new configuration runs), STOPPING=1 when a shutdown begins. "Runs" is our definition, as the
// reference has no such notion: the activity log is open, the HTTP servers listen (supervisorctl
// works), the pidfile is written and the autostart programs are being started — not yet
// RUNNING, which depends on each program. A notice that cannot be sent is a warning.
import type { Subscription } from 'rxjs';
import type { DaemonState } from '../actors/daemon-state.js';
import type { ActivityLog } from '../actors/logs/activity-log.js';
import type { ServiceManager } from '../actors/service-manager.js';
import { describeError } from '../common/errors.js';
import type { Config } from '../config/types.js';

export class ServiceStatus {
  constructor(
    private readonly manager: ServiceManager | null,
    /** The activity log of the generation that runs now, for the warnings. */
    private readonly log: () => ActivityLog | null,
    /** In the background: the manager saw another process start, so it is told this one's pid. */
    private readonly daemonized: boolean,
  ) {}

  /** A generation runs its configuration. */
  running(config: Config): void {
    const processes = config.groups.reduce((n, group) => n + group.processes.length, 0);
    this.notify({
      READY: '1',
      STATUS: `running, ${processes} process${processes === 1 ? '' : 'es'} configured`,
      ...(this.daemonized ? { MAINPID: String(process.pid) } : {}),
    });
  }

  /** Follows the daemon's state: a restart or a shutdown has begun. */
  follow(state: DaemonState): Subscription {
    return state.changes.subscribe((name) => {
      // MONOTONIC_USEC: systemd (253 and later) takes a RELOADING=1 only with the time it began.
      if (name === 'RESTARTING') this.notify({ RELOADING: '1', MONOTONIC_USEC: monotonicMicroseconds(), STATUS: 'restarting' });
      else if (name === 'SHUTDOWN') this.notify({ STOPPING: '1', STATUS: 'shutting down' });
    });
  }

  private notify(assignments: Record<string, string>): void {
    const manager = this.manager;
    if (manager === null) return;
    manager.notify(assignments).catch((error: unknown) => {
      this.log()?.warn(`could not notify the service manager at ${manager.socket}: ${describeError(error)}`);
    });
  }
}

/** CLOCK_MONOTONIC in microseconds, which libuv's hrtime reads on Linux. */
function monotonicMicroseconds(): string {
  return String(process.hrtime.bigint() / 1000n);
}
