// A process group: the processes of one [program:x], [group:x], [eventlistener:x] or
// [fcgi-program:x] section. Starts its processes in priority order and stops them in the reverse
// order; an fcgi-program's group holds the socket its processes share.
import { merge, type Observable } from 'rxjs';
import type { ProcessGroupConfig } from '../config/types.js';
import { FcgiSocket } from './fcgi/socket-manager.js';
import { SupervisedProcess, type ProcessStateEvent } from './process.js';
import type { ProcessEnvironment } from './process-environment.js';

export class ProcessGroup {
  /** In start order. */
  readonly processes: SupervisedProcess[];
  readonly changes: Observable<ProcessStateEvent>;
  /** An [fcgi-program:x]'s socket; null for every other kind of group. */
  readonly socket: FcgiSocket | null;

  /** @param config as read from the file, for telling whether a reread changed it */
  constructor(
    readonly config: ProcessGroupConfig,
    env: ProcessEnvironment,
    /** Told of each state change of its processes, before their own subscribers. */
    reportChange?: (change: ProcessStateEvent) => void,
  ) {
    this.socket = config.socket ? new FcgiSocket(config.name, config.socket, env.log) : null;
    const processEnv = this.socket ? { ...env, fcgiSocket: this.socket } : env;
    this.processes = config.processes.map((processConfig) => new SupervisedProcess(processConfig, config.name, processEnv, reportChange));
    this.changes = merge(...this.processes.map((p) => p.changes));
  }

  get name(): string {
    return this.config.name;
  }

  get priority(): number {
    return this.config.priority;
  }

  startAutostarting(): void {
    for (const process of this.processes) {
      if (process.config.autostart) process.start();
    }
  }

  /**
   * Signals everything that runs, highest priority number first (equal priorities in reverse
   * start order); gives up on retrying ones.
   */
  stopAll(): void {
    const stopOrder = [...this.processes].sort((a, b) => a.config.priority - b.config.priority).reverse();
    for (const process of stopOrder) {
      if (process.state === 'BACKOFF') process.giveUp();
      else process.stop();
    }
  }

  unstopped(): SupervisedProcess[] {
    return this.processes.filter((p) => !p.stopped);
  }

  dispose(): void {
    for (const process of this.processes) process.dispose();
    this.socket?.dispose();
  }
}
