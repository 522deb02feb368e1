// What the browser is told about the daemon and its processes: plain JSON built from the actors'
// snapshots, with the description worded as supervisorctl status words it.
import { describeExit } from '../../actors/exit-status.js';
import { qualifiedName } from '../../actors/namespec.js';
import type { ProcessStateEvent, SupervisedProcess } from '../../actors/process.js';
import { SUPERVISOR_VERSION } from '../../common/version.js';
import type { ProcessStateName } from '../../machines/states.js';
import type { DaemonHost } from '../host.js';
import { describeProcess } from '../process-description.js';

export interface ProcessView {
  /** "group:name": how actions and links name the process. */
  namespec: string;
  name: string;
  group: string;
  state: ProcessStateName;
  description: string;
  pid: number;
  /** Milliseconds since the epoch, 0 when never started: RUNNING uptimes tick from it in the page. */
  start: number;
  /** Exit code of the last exit (-1 when killed by a signal); null when it never exited. */
  exitstatus: number | null;
  spawnerr: string | null;
  logs: { stdout: boolean; stderr: boolean };
  /** Ours: readiness= passed during this start (null without a check), spawns after the first. */
  readiness: 'waiting' | 'ready' | null;
  restarts: number;
}

export interface TransitionView {
  from: ProcessStateName;
  to: ProcessStateName;
  /** Milliseconds since the epoch. */
  at: number;
  /** What caused it: the machine event, with the exit status or spawn error it carried. */
  cause: string;
}

export interface SupervisorView {
  identification: string;
  version: string;
  state: string;
  pid: number;
}

export function processView(process: SupervisedProcess, now = Date.now()): ProcessView {
  const snapshot = process.snapshot();
  const seconds = (ms: number) => Math.floor(ms / 1000);
  return {
    namespec: qualifiedName(process),
    name: snapshot.name,
    group: snapshot.group,
    state: snapshot.state,
    description: describeProcess({
      name: snapshot.name,
      statename: snapshot.state,
      start: seconds(snapshot.laststart),
      stop: seconds(snapshot.laststop),
      now: seconds(now),
      pid: snapshot.pid,
      spawnerr: snapshot.spawnerr ?? '',
    }),
    pid: snapshot.pid,
    start: snapshot.laststart,
    exitstatus: snapshot.exitstatus,
    spawnerr: snapshot.spawnerr,
    logs: { stdout: snapshot.logfiles.stdout !== null, stderr: snapshot.logfiles.stderr !== null },
    readiness: snapshot.readiness,
    restarts: snapshot.restarts,
  };
}

export function transitionView(change: ProcessStateEvent): TransitionView {
  const { cause } = change;
  const detail =
    cause.type === 'EXIT'
      ? `: ${describeExit(cause.status)}`
      : cause.type === 'SPAWN_FAILED' || cause.type === 'KILL_FAILED'
        ? `: ${cause.error}`
        : cause.type === 'SPAWNED'
          ? ` (pid ${cause.pid})`
          : '';
  // Delayed transitions arrive as XState's internal event, "xstate.after.<delay>.<state id>".
  const delayed = /^xstate\.after\.([^.]+)\./.exec(cause.type);
  const trigger = delayed ? `after ${delayed[1]}` : cause.type;
  return { from: change.from, to: change.to, at: change.at, cause: `${trigger}${detail}` };
}

export function supervisorView(host: DaemonHost): SupervisorView {
  return {
    identification: host.config.supervisord.identifier,
    version: SUPERVISOR_VERSION,
    state: host.state.state,
    pid: process.pid,
  };
}
