// The names and codes of every state the API reports, defined once. A leaf without XState, so
// supervisorctl and the web page's scripts can use it without loading the machines.

/** A supervised process (subprocess.rst, "Process States"), with the API's state codes. */
export const PROCESS_STATES = {
  STOPPED: 0,
  STARTING: 10,
  RUNNING: 20,
  BACKOFF: 30,
  STOPPING: 40,
  EXITED: 100,
  FATAL: 200,
  UNKNOWN: 1000,
} as const;

export type ProcessStateName = keyof typeof PROCESS_STATES;

/** Not running and not about to run (the reference's STOPPED_STATES). */
export const STOPPED_STATES: readonly ProcessStateName[] = ['STOPPED', 'EXITED', 'FATAL', 'UNKNOWN'];
/** Running or about to run: a start is refused as "already started", a stop is possible. */
export const RUNNING_STATES: readonly ProcessStateName[] = ['RUNNING', 'BACKOFF', 'STARTING'];
/** A child exists that a signal can reach. */
export const SIGNALLABLE_STATES: readonly ProcessStateName[] = ['RUNNING', 'STARTING', 'STOPPING'];

/** supervisord itself, as getState reports it (the reference never enters FATAL). */
export const DAEMON_STATES = { FATAL: 2, RUNNING: 1, RESTARTING: 0, SHUTDOWN: -1 } as const;

export type DaemonStateName = keyof typeof DAEMON_STATES;

/** An event listener's side of the protocol (events.rst). */
export const LISTENER_STATES = { ACKNOWLEDGED: 0, READY: 1, BUSY: 2, UNKNOWN: 3 } as const;

export type ListenerStateName = keyof typeof LISTENER_STATES;
