// The `supervisor` namespace of the XML-RPC API (api.rst): a thin mapping from method names to
// the actors' commands and snapshots, with the reference's results and faults.
import fs from 'node:fs';
import { processConfigInfo } from '../config/config-info.js';
import { signalName } from '../config/datatypes.js';
import { ConfigError, type Config, type ProcessConfig, type ProcessGroupConfig } from '../config/types.js';
import { isSupervisorError } from '../common/errors.js';
import { remoteCommunicationEvent } from '../actors/events/payloads.js';
import type { ProcessGroup } from '../actors/group.js';
import type { ActivityLog } from '../actors/logs/activity-log.js';
import { isReadableLogFile, readLogSlice, tailLog } from '../actors/logs/read-log.js';
import type { SupervisedProcess } from '../actors/process.js';
import { SUPERVISOR_STATES, type Supervisor, type SupervisorStateName } from '../actors/supervisor.js';
import { PROCESS_STATES, RUNNING_STATES, type ProcessStateName } from '../machines/process.js';
import { SUPERVISOR_VERSION } from '../common/version.js';
import { Faults, rpcError } from './faults.js';
import { describeProcess } from './process-description.js';
import { truthy, type RpcMethod } from './registry.js';
import { XmlRpcFault, type XmlRpcValue } from '../common/xmlrpc/types.js';

export const API_VERSION = '3.0';

/** What the API needs from the running daemon. */
export interface ApiHost {
  readonly supervisor: Supervisor;
  readonly config: Config;
  readonly log: ActivityLog;
  /** Asked by shutdown/restart; acted on once the response is on its way. */
  requestStop(kind: 'shutdown' | 'restart'): void;
  /** Reads the configuration file again (throws ConfigError). */
  reread(): Config;
}

const SIGNALLABLE_STATES: readonly ProcessStateName[] = ['RUNNING', 'STARTING', 'STOPPING'];
/** How often a waited stop says it is still waiting (the reference's stop_report). */
const STOP_REPORT_INTERVAL_MS = 2000;
const MAX_XMLRPC_INT = 2 ** 31 - 1;

type Deferred = true | Promise<true>;

interface Target {
  group: ProcessGroup;
  process: SupervisedProcess | null;
}

/** One line of a start/stop/signal-all result. */
function outcome(process: SupervisedProcess, fault: XmlRpcFault | null): XmlRpcValue {
  return {
    name: process.name,
    group: process.group,
    status: fault ? fault.faultCode : Faults.SUCCESS,
    description: fault ? fault.faultString : 'OK',
  };
}

/** Python's int(time) capped at the XML-RPC int range. */
function seconds(milliseconds: number): number {
  return Math.min(Math.floor(milliseconds / 1000), MAX_XMLRPC_INT);
}

function decode(data: Buffer): string {
  return data.toString('utf8');
}

export function supervisorMethods(host: ApiHost): Map<string, RpcMethod> {
  const supervisor = () => host.supervisor;

  /** Every method but a few refuses to work once the daemon is stopping (SHUTDOWN_STATE). */
  const ensureRunning = () => {
    if (SUPERVISOR_STATES[supervisor().state] < SUPERVISOR_STATES.RUNNING) throw rpcError('SHUTDOWN_STATE');
  };

  /** "group:name", "name" (group and process of that name) or "group:*" / "group:" (whole group). */
  const target = (spec: string): Target => {
    const colon = spec.indexOf(':');
    const groupName = colon < 0 ? spec : spec.slice(0, colon);
    let processName: string | null = colon < 0 ? spec : spec.slice(colon + 1);
    if (processName === '' || processName === '*') processName = null;
    const group = supervisor().group(groupName);
    if (!group) throw rpcError('BAD_NAME', spec);
    if (processName === null) return { group, process: null };
    const process = group.processes.find((p) => p.name === processName);
    if (!process) throw rpcError('BAD_NAME', spec);
    return { group, process };
  };

  const processNamed = (spec: string): SupervisedProcess => {
    const { process } = target(spec);
    if (!process) throw rpcError('BAD_NAME', spec);
    return process;
  };

  /** As the reference names a process in messages: just its name when it has its group's name. */
  const namespec = (process: SupervisedProcess) => (process.group === process.name ? process.name : `${process.group}:${process.name}`);

  /** Priority order: groups by priority, processes within by priority (stable). */
  const byPriority = (groups: ProcessGroup[]) =>
    groups.flatMap((group) => [...group.processes].sort((a, b) => a.config.priority - b.config.priority));

  /** Calls `settled` on each state change of the process until it returns true. */
  const waitForChange = (process: SupervisedProcess, settled: () => boolean, onGone: () => void): void => {
    const subscription = process.changes.subscribe({
      next: () => {
        if (settled()) subscription.unsubscribe();
      },
      complete: onGone,
    });
  };

  const startOne = (spec: string, wait: boolean): Deferred => {
    const process = processNamed(spec);
    try {
      process.checkCommand();
    } catch (error) {
      if (isSupervisorError(error, 'COMMAND_NOT_FOUND')) throw rpcError('NO_FILE', error.message);
      if (isSupervisorError(error, 'COMMAND_NOT_EXECUTABLE')) throw rpcError('NOT_EXECUTABLE', error.message);
      throw error;
    }
    if (RUNNING_STATES.includes(process.state)) throw rpcError('ALREADY_STARTED', spec);
    if (process.state === 'UNKNOWN') throw rpcError('FAILED', `${spec} is in an unknown process state`);
    process.start();
    if (process.snapshot().spawnerr) throw rpcError('SPAWN_ERROR', spec);
    if (!wait || process.state === 'RUNNING') return true;
    return new Promise<true>((resolve, reject) => {
      const verdict = (): boolean => {
        const { spawnerr, state } = process.snapshot();
        if (spawnerr) reject(rpcError('SPAWN_ERROR', spec));
        else if (state !== 'STARTING' && state !== 'RUNNING') reject(rpcError('ABNORMAL_TERMINATION', spec));
        else if (state === 'RUNNING') resolve(true);
        else return false;
        return true;
      };
      waitForChange(process, verdict, () => reject(rpcError('ABNORMAL_TERMINATION', spec)));
    });
  };

  const stopOne = (spec: string, wait: boolean): Deferred => {
    const process = processNamed(spec);
    if (!RUNNING_STATES.includes(process.state)) throw rpcError('NOT_RUNNING', spec);
    process.stop();
    if (!wait || process.stopped) return true;
    return new Promise<true>((resolve) => {
      const report = () => host.log.info(`waiting for ${process.name} to stop`);
      report();
      const reporter = setInterval(report, STOP_REPORT_INTERVAL_MS);
      const finish = () => {
        clearInterval(reporter);
        resolve(true);
      };
      waitForChange(
        process,
        () => {
          if (!process.stopped) return false;
          finish();
          return true;
        },
        finish,
      );
    });
  };

  const signalOne = (spec: string, signal: XmlRpcValue): true => {
    const process = processNamed(spec);
    let sig: NodeJS.Signals;
    try {
      sig = signalName(String(signal));
    } catch {
      throw rpcError('BAD_SIGNAL', String(signal));
    }
    if (!SIGNALLABLE_STATES.includes(process.state)) throw rpcError('NOT_RUNNING', spec);
    const problem = process.sendSignal(sig);
    if (problem) throw rpcError('FAILED', problem);
    return true;
  };

  /**
   * Applies `action` to each process the predicate selects; the result lists each outcome,
   * immediate ones first, then waited ones as they finish (as the reference reports them).
   */
  const forEach = async (
    processes: SupervisedProcess[],
    selected: (p: SupervisedProcess) => boolean,
    action: (spec: string) => Deferred,
  ): Promise<XmlRpcValue[]> => {
    const results: XmlRpcValue[] = [];
    const pending: Promise<void>[] = [];
    for (const process of processes) {
      if (!selected(process)) continue;
      try {
        const done = action(namespec(process));
        if (done === true) {
          results.push(outcome(process, null));
        } else {
          pending.push(
            done.then(
              () => void results.push(outcome(process, null)),
              (fault: XmlRpcFault) => void results.push(outcome(process, fault)),
            ),
          );
        }
      } catch (error) {
        if (!(error instanceof XmlRpcFault)) throw error;
        results.push(outcome(process, error));
      }
    }
    await Promise.all(pending);
    return results;
  };

  const isRunning = (p: SupervisedProcess) => RUNNING_STATES.includes(p.state);
  const isSignallable = (p: SupervisedProcess) => SIGNALLABLE_STATES.includes(p.state);

  const processInfo = (process: SupervisedProcess): XmlRpcValue => {
    const snapshot = process.snapshot();
    const now = Date.now();
    const info = {
      name: snapshot.name,
      group: snapshot.group,
      start: seconds(snapshot.laststart),
      stop: seconds(snapshot.laststop),
      now: seconds(now),
      state: PROCESS_STATES[snapshot.state],
      statename: snapshot.state,
      spawnerr: snapshot.spawnerr ?? '',
      exitstatus: snapshot.exitstatus ?? 0,
      logfile: process.config.stdout.logfile ?? '',
      stdout_logfile: process.config.stdout.logfile ?? '',
      stderr_logfile: process.config.stderr.logfile ?? '',
      pid: snapshot.pid,
    };
    return { ...info, description: describeProcess(info) };
  };

  const logOf = (spec: string, channel: 'stdout' | 'stderr'): string | null => processNamed(spec).config[channel].logfile;

  const readProcessLog = (spec: string, offset: number, length: number, channel: 'stdout' | 'stderr') => {
    const logfile = logOf(spec, channel);
    if (!isReadableLogFile(logfile)) throw rpcError('NO_FILE', logfile ?? undefined);
    try {
      return decode(readLogSlice(logfile, offset, length));
    } catch (error) {
      if (isSupervisorError(error, 'LOG_BAD_ARGUMENTS')) throw rpcError('BAD_ARGUMENTS');
      if (isSupervisorError(error, 'LOG_IO')) throw rpcError('FAILED');
      throw error;
    }
  };

  const tailProcessLog = (spec: string, offset: number, length: number, channel: 'stdout' | 'stderr') => {
    const logfile = logOf(spec, channel);
    if (!isReadableLogFile(logfile)) return ['', 0, false];
    const tail = tailLog(logfile, offset, length);
    return [decode(tail.data), tail.offset, tail.overflow];
  };

  /** @param running the process started from exactly this config, if any */
  const configInfo = (group: ProcessGroupConfig, config: ProcessConfig, inUse: boolean, running: SupervisedProcess | undefined) =>
    processConfigInfo(group, config, inUse, running?.config);

  const mainLogfile = () => host.config.supervisord.logfile;

  const method = (
    help: string,
    signature: RpcMethod['signature'],
    call: (params: XmlRpcValue[]) => XmlRpcValue | Promise<XmlRpcValue>,
    options: { required?: number; whileStopping?: boolean } = {},
  ): RpcMethod => ({
    help,
    signature,
    required: options.required,
    call: (params) => {
      if (!options.whileStopping) ensureRunning();
      return call(params);
    },
  });

  const str = (value: XmlRpcValue | undefined) => value as string;
  const int = (value: XmlRpcValue | undefined) => Number(value);

  const methods: Array<[string, RpcMethod]> = [
    ['getAPIVersion', method('The version of this RPC API.\n\n@return string version', ['string'], () => API_VERSION)],
    [
      'getSupervisorVersion',
      method('The Supervisor release this daemon behaves as.\n\n@return string version', ['string'], () => SUPERVISOR_VERSION),
    ],
    [
      'getIdentification',
      method(
        'The identifier set in [supervisord] (default "supervisor").\n\n@return string identifier',
        ['string'],
        () => host.config.supervisord.identifier,
      ),
    ],
    [
      'getState',
      method('The daemon state: statecode and statename.\n\n@return struct result', ['struct'], () => {
        const state: SupervisorStateName = supervisor().state;
        return { statecode: SUPERVISOR_STATES[state], statename: state };
      }),
    ],
    ['getPID', method("The daemon's process id.\n\n@return int pid", ['int'], () => process.pid)],
    [
      'readLog',
      method(
        'A slice of the activity log. A negative offset reads the last -offset bytes (length 0).\n\n@param int offset\n@param int length\n@return string result',
        ['string', 'int', 'int'],
        ([offset, length]) => {
          const logfile = mainLogfile();
          if (!isReadableLogFile(logfile)) throw rpcError('NO_FILE', logfile ?? undefined);
          try {
            return decode(readLogSlice(logfile, int(offset), int(length)));
          } catch (error) {
            if (isSupervisorError(error, 'LOG_BAD_ARGUMENTS')) throw rpcError('BAD_ARGUMENTS');
            if (isSupervisorError(error, 'LOG_IO')) throw rpcError('FAILED');
            throw error;
          }
        },
      ),
    ],
    [
      'clearLog',
      method('Empties the activity log and reopens it.\n\n@return boolean result', ['boolean'], () => {
        const logfile = mainLogfile();
        if (logfile === null || !fs.existsSync(logfile)) throw rpcError('NO_FILE');
        try {
          fs.unlinkSync(logfile);
        } catch {
          throw rpcError('FAILED');
        }
        host.log.info('reopening log file');
        host.log.reopen();
        return true;
      }),
    ],
    [
      'shutdown',
      method('Stops every process and exits.\n\n@return boolean result', ['boolean'], () => {
        host.requestStop('shutdown');
        return true;
      }),
    ],
    [
      'restart',
      method('Stops every process, rereads the configuration and starts again.\n\n@return boolean result', ['boolean'], () => {
        host.requestStop('restart');
        return true;
      }),
    ],
    [
      'reloadConfig',
      method(
        'Rereads the configuration file and reports which groups it adds, changes and removes\n(apply them with addProcessGroup/removeProcessGroup).\n\n@return array result  [[added, changed, removed]]',
        ['array'],
        () => {
          let config: Config;
          try {
            config = host.reread();
          } catch (error) {
            if (error instanceof ConfigError) throw rpcError('CANT_REREAD', error.message);
            throw error;
          }
          const next = config.groups;
          const active = supervisor().groupList;
          const activeNames = new Set(active.map((g) => g.name));
          const nextByName = new Map(next.map((g) => [g.name, g]));
          const added = next.filter((g) => !activeNames.has(g.name)).map((g) => g.name);
          const changed = next
            .filter((g) => activeNames.has(g.name) && !sameGroupConfig(g, supervisor().group(g.name)!.sourceConfig))
            .map((g) => g.name);
          const removed = active.filter((g) => !nextByName.has(g.name)).map((g) => g.name);
          supervisor().availableGroups = next;
          return [[added.sort(), changed.sort(), removed.sort()]];
        },
      ),
    ],
    [
      'addProcessGroup',
      method(
        'Brings a group from the configuration into use.\n\n@param string name\n@return boolean result',
        ['boolean', 'string'],
        ([name]) => {
          const config = supervisor().availableGroups.find((g) => g.name === name);
          if (!config) throw rpcError('BAD_NAME', str(name));
          if (supervisor().group(str(name))) throw rpcError('ALREADY_ADDED', str(name));
          supervisor().addGroup(config, true);
          return true;
        },
      ),
    ],
    [
      'removeProcessGroup',
      method('Takes a stopped group out of use.\n\n@param string name\n@return boolean result', ['boolean', 'string'], ([name]) => {
        if (!supervisor().group(str(name))) throw rpcError('BAD_NAME', str(name));
        if (!supervisor().removeGroup(str(name))) throw rpcError('STILL_RUNNING', str(name));
        return true;
      }),
    ],
    [
      'startProcess',
      method(
        'Starts a process ("group:name", or "group:*" for a whole group). With wait, answers once it\nis RUNNING.\n\n@param string name\n@param boolean wait\n@return boolean result',
        ['boolean', 'string', 'boolean'],
        ([name, wait]) => {
          const spec = str(name);
          const wanted = truthy(wait, true);
          if (target(spec).process === null) return startGroup(spec.split(':')[0]!, wanted);
          return startOne(spec, wanted);
        },
        { required: 1 },
      ),
    ],
    [
      'startProcessGroup',
      method(
        'Starts every process of a group.\n\n@param string name\n@param boolean wait\n@return array result  One struct per process: name, group, status, description.',
        ['array', 'string', 'boolean'],
        ([name, wait]) => startGroup(str(name), truthy(wait, true)),
        { required: 1 },
      ),
    ],
    [
      'startAllProcesses',
      method(
        'Starts every process that is not running.\n\n@param boolean wait\n@return array result',
        ['array', 'boolean'],
        ([wait]) =>
          forEach(
            byPriority(supervisor().groupList),
            (p) => !isRunning(p),
            (spec) => startOne(spec, truthy(wait, true)),
          ),
        { required: 0 },
      ),
    ],
    [
      'stopProcess',
      method(
        'Stops a process ("group:name", or "group:*"). With wait, answers once it has stopped.\n\n@param string name\n@param boolean wait\n@return boolean result',
        ['boolean', 'string', 'boolean'],
        ([name, wait]) => {
          const spec = str(name);
          const wanted = truthy(wait, true);
          if (target(spec).process === null) return stopGroup(spec.split(':')[0]!, wanted);
          return stopOne(spec, wanted);
        },
        { required: 1 },
      ),
    ],
    [
      'stopProcessGroup',
      method(
        'Stops every process of a group.\n\n@param string name\n@param boolean wait\n@return array result',
        ['array', 'string', 'boolean'],
        ([name, wait]) => stopGroup(str(name), truthy(wait, true)),
        { required: 1 },
      ),
    ],
    [
      'stopAllProcesses',
      method(
        'Stops every running process.\n\n@param boolean wait\n@return array result',
        ['array', 'boolean'],
        ([wait]) => forEach(byPriority(supervisor().groupList), isRunning, (spec) => stopOne(spec, truthy(wait, true))),
        { required: 0 },
      ),
    ],
    [
      'signalProcess',
      method(
        'Sends a signal (name like HUP, or number) to a process, or to a group with "group:*".\n\n@param string name\n@param string signal\n@return boolean result',
        ['boolean', 'string', 'string'],
        ([name, signal]) => {
          const spec = str(name);
          if (target(spec).process === null) return signalGroup(spec.split(':')[0]!, signal!);
          return signalOne(spec, signal!);
        },
      ),
    ],
    [
      'signalProcessGroup',
      method(
        'Sends a signal to every process of a group.\n\n@param string name\n@param string signal\n@return array result',
        ['array', 'string', 'string'],
        ([name, signal]) => signalGroup(str(name), signal!),
        { whileStopping: true },
      ),
    ],
    [
      'signalAllProcesses',
      method(
        'Sends a signal to every running process.\n\n@param string signal\n@return array result',
        ['array', 'string'],
        async ([signal]) => {
          const results = await forEach(byPriority(supervisor().groupList), isSignallable, (spec) => signalOne(spec, signal!));
          ensureRunning();
          return results;
        },
        { whileStopping: true },
      ),
    ],
    [
      'getAllConfigInfo',
      method("Every process's configuration, in use or not, sorted by name.\n\n@return array result", ['array'], () => {
        const infos = supervisor().availableGroups.flatMap((group) => {
          const active = supervisor().group(group.name);
          const sameConfig = active?.sourceConfig === group;
          return group.processes.map((config) =>
            configInfo(group, config, active !== undefined, sameConfig ? active.processes.find((p) => p.name === config.name) : undefined),
          );
        });
        return infos.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      }),
    ],
    [
      'getProcessInfo',
      method('Everything known about one process.\n\n@param string name\n@return struct result', ['struct', 'string'], ([name]) =>
        processInfo(processNamed(str(name))),
      ),
    ],
    [
      'getAllProcessInfo',
      method('getProcessInfo for every process, groups and processes in name order.\n\n@return array result', ['array'], () =>
        [...supervisor().groupList]
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
          .flatMap((group) => [...group.processes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)))
          .map(processInfo),
      ),
    ],
    [
      'readProcessStdoutLog',
      method(
        "A slice of a process's stdout log (offset and length as for readLog).\n\n@param string name\n@param int offset\n@param int length\n@return string result",
        ['string', 'string', 'int', 'int'],
        ([name, offset, length]) => readProcessLog(str(name), int(offset), int(length), 'stdout'),
      ),
    ],
    [
      'readProcessStderrLog',
      method(
        "A slice of a process's stderr log.\n\n@param string name\n@param int offset\n@param int length\n@return string result",
        ['string', 'string', 'int', 'int'],
        ([name, offset, length]) => readProcessLog(str(name), int(offset), int(length), 'stderr'),
      ),
    ],
    [
      'tailProcessStdoutLog',
      method(
        'Up to length bytes of the stdout log from offset; if the log grew past offset+length, its last\nbytes instead, with overflow set. The returned offset is where the next call should start.\n\n@param string name\n@param int offset\n@param int length\n@return array result  [string bytes, int offset, boolean overflow]',
        ['array', 'string', 'int', 'int'],
        ([name, offset, length]) => tailProcessLog(str(name), int(offset), int(length), 'stdout'),
      ),
    ],
    [
      'tailProcessStderrLog',
      method(
        'As tailProcessStdoutLog, for the stderr log.\n\n@param string name\n@param int offset\n@param int length\n@return array result',
        ['array', 'string', 'int', 'int'],
        ([name, offset, length]) => tailProcessLog(str(name), int(offset), int(length), 'stderr'),
      ),
    ],
    [
      'clearProcessLogs',
      method(
        "Empties a process's stdout and stderr logs.\n\n@param string name\n@return boolean result",
        ['boolean', 'string'],
        ([name]) => {
          const process = processNamed(str(name));
          try {
            process.clearLogs();
          } catch {
            throw rpcError('FAILED', str(name));
          }
          return true;
        },
      ),
    ],
    [
      'clearAllProcessLogs',
      method('Empties the logs of every process.\n\n@return array result', ['array'], () =>
        forEach(
          byPriority(supervisor().groupList),
          () => true,
          (spec) => {
            try {
              processNamed(spec).clearLogs();
            } catch {
              throw rpcError('FAILED', spec);
            }
            return true;
          },
        ),
      ),
    ],
    [
      'sendProcessStdin',
      method(
        "Writes characters to a process's stdin.\n\n@param string name\n@param string chars\n@return boolean result",
        ['boolean', 'string', 'string'],
        ([name, chars]) => {
          if (typeof chars !== 'string' && !Buffer.isBuffer(chars)) throw rpcError('INCORRECT_PARAMETERS', String(chars));
          const process = processNamed(str(name));
          if (!process.pid || process.stopping) throw rpcError('NOT_RUNNING', str(name));
          try {
            process.writeStdin(Buffer.isBuffer(chars) ? chars : Buffer.from(chars, 'utf8'));
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code === 'EPIPE') throw rpcError('NO_FILE', str(name));
            throw error;
          }
          return true;
        },
      ),
    ],
    [
      'sendRemoteCommEvent',
      method(
        'Sends a REMOTE_COMMUNICATION event to the event listeners subscribed to it.\n\n@param string type\n@param string data\n@return boolean result',
        ['boolean', 'string', 'string'],
        ([type, data]) => {
          supervisor().events.publish(remoteCommunicationEvent(String(type), String(data)));
          return true;
        },
        { whileStopping: true },
      ),
    ],
  ];

  function startGroup(name: string, wait: boolean): Promise<XmlRpcValue[]> {
    const group = supervisor().group(name);
    if (!group) throw rpcError('BAD_NAME', name);
    return forEach(
      byPriority([group]),
      (p) => !isRunning(p),
      (spec) => startOne(spec, wait),
    );
  }

  function stopGroup(name: string, wait: boolean): Promise<XmlRpcValue[]> {
    const group = supervisor().group(name);
    if (!group) throw rpcError('BAD_NAME', name);
    return forEach(byPriority([group]), isRunning, (spec) => stopOne(spec, wait));
  }

  async function signalGroup(name: string, signal: XmlRpcValue): Promise<XmlRpcValue[]> {
    const group = supervisor().group(name);
    if (!group) throw rpcError('BAD_NAME', name);
    ensureRunning();
    const results = await forEach(byPriority([group]), isSignallable, (spec) => signalOne(spec, signal));
    ensureRunning();
    return results;
  }

  const map = new Map(methods);
  // Older names the reference still answers to.
  const aliases: Array<[string, string]> = [
    ['getVersion', 'getAPIVersion'],
    ['readMainLog', 'readLog'],
    ['tailProcessLog', 'tailProcessStdoutLog'],
    ['readProcessLog', 'readProcessStdoutLog'],
    ['clearProcessLog', 'clearProcessLogs'],
  ];
  for (const [alias, name] of aliases) map.set(alias, map.get(name)!);
  return map;
}

/** Group configurations are equal when everything but where they were written is. */
export function sameGroupConfig(a: ProcessGroupConfig, b: ProcessGroupConfig): boolean {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value)
          .filter(([key]) => key !== 'location')
          .map(([key, v]) => [key, strip(v)]),
      );
    }
    return value;
  };
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}
