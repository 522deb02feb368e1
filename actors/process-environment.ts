// What a supervised process needs from the daemon and the system around it, and the environment
// its children get.
import type { ProcessConfig, SupervisordConfig } from '../config/types.js';
import { REAL_CLOCK, type Clock } from './clock.js';
import { readEnvFiles } from './env-files.js';
import type { FcgiSocketSource } from './fcgi/socket-manager.js';
import { PROC_TABLE, type ProcessTable } from './proc-table.js';
import type { EventBus } from './events/bus.js';
import type { ActivityLog } from './logs/activity-log.js';
import type { Syslog } from './logs/syslog.js';
import type { ChannelSource } from './output-channels.js';
import type { FindProcess } from './process-dependencies.js';
import type { Spawn } from './spawned-child.js';
import { DAEMON_SPAWN } from './spawner.js';

/** What the actor needs from the operating system; tests give it fakes and a simulated clock. */
export interface ProcessSystem {
  spawn: Spawn;
  kill(pid: number, signal: NodeJS.Signals): void;
  /** The system's processes, for stopastree. */
  processes: ProcessTable;
  /** Drives the machine's delays and the actor's own timers. */
  clock: Clock;
  /** Milliseconds since the epoch. */
  now(): number;
}

export const NODE_SYSTEM: ProcessSystem = {
  spawn: DAEMON_SPAWN,
  kill: (pid, signal) => process.kill(pid, signal),
  processes: PROC_TABLE,
  clock: REAL_CLOCK,
  now: () => Date.now(),
};

/** What a process needs from the daemon around it. */
export interface ProcessEnvironment {
  log: ActivityLog;
  /** The daemon's own environment, which every child inherits. */
  baseEnv: NodeJS.ProcessEnv;
  /** [supervisord] env_file= and environment=, applied over baseEnv in that order; where AUTO logs go. */
  supervisord: Pick<SupervisordConfig, 'envFiles' | 'environment' | 'childlogdir' | 'identifier'>;
  /** The URL children reach the daemon at (SUPERVISOR_SERVER_URL), when it serves one. */
  serverUrl: string | null;
  /** [supervisord] strip_ansi. */
  stripAnsi: boolean;
  /** [supervisord] children_die_with_daemon (ours). */
  childrenDieWithDaemon: boolean;
  /** Where PROCESS_STATE, PROCESS_LOG and PROCESS_COMMUNICATION events go. */
  bus: EventBus;
  /** An event listener's stdout carries the protocol: it is logged, but never captured or evented. */
  isListener: boolean;
  /** Ready socket pairs for fast output capture; a spawn uses a pipe when none is ready. */
  channels: ChannelSource | null;
  /** For stdout_syslog / stderr_syslog. */
  syslog: Syslog | null;
  system: ProcessSystem;
  /** Another process of the daemon, for depends_on=. */
  findProcess: FindProcess;
  /** An [fcgi-program:x]'s group socket, which each child gets as its fd 0. */
  fcgiSocket?: FcgiSocketSource;
}

/**
 * Built at each spawn, as env files are read then: the daemon's environment, [supervisord]
 * env_file= and environment=, SUPERVISOR_*, then the program's env_file= and environment=.
 * Throws a SPAWN error naming an env file that cannot be read.
 */
export function childEnvironment(
  config: ProcessConfig,
  group: string,
  env: Pick<ProcessEnvironment, 'baseEnv' | 'supervisord' | 'serverUrl'>,
): NodeJS.ProcessEnv {
  const { baseEnv, supervisord } = env;
  const vars: NodeJS.ProcessEnv = {
    ...baseEnv,
    ...readEnvFiles(supervisord.envFiles),
    ...supervisord.environment,
    SUPERVISOR_ENABLED: '1',
  };
  const serverUrl = config.serverurl ?? env.serverUrl;
  if (serverUrl) vars.SUPERVISOR_SERVER_URL = serverUrl;
  vars.SUPERVISOR_PROCESS_NAME = config.name;
  vars.SUPERVISOR_GROUP_NAME = group;
  // Into the same object: this runs at every spawn, and each copy of an environment is ~3 KB.
  return Object.assign(vars, readEnvFiles(config.envFiles), config.environment);
}
