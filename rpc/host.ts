// What the control plane needs from the running daemon; the composition root (app/) provides it
// anew for each generation.
import type { DaemonState } from '../actors/daemon-state.js';
import type { ActivityLog } from '../actors/logs/activity-log.js';
import type { Supervisor } from '../actors/supervisor.js';
import type { Config } from '../config/types.js';

export interface DaemonHost {
  readonly supervisor: Supervisor;
  /** supervisord's own state, across generations. */
  readonly state: DaemonState;
  readonly config: Config;
  readonly log: ActivityLog;
  /** Asked by shutdown/restart; acted on once the response is on its way. */
  requestStop(kind: 'shutdown' | 'restart'): void;
  /** Reads the configuration file again (throws ConfigError). */
  reread(): Config;
  /** The servers went quiet after answering requests: a moment to give back what they used. */
  afterRequests?(): void;
  /** A request was answered: a moment to collect garbage if it has built up. */
  checkHeap?(): void;
}
