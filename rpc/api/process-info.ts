// api.rst "Process Control", the reading part: what getProcessInfo tells about processes.
import type { SupervisedProcess } from '../../actors/process.js';
import type { ProcessConfig } from '../../config/types.js';
import type { XmlRpcValue } from '../../common/xmlrpc/types.js';
import { PROCESS_STATES } from '../../machines/states.js';
import { describeProcess } from '../process-description.js';
import { str, type Api, type ApiTable } from './table.js';

const MAX_XMLRPC_INT = 2 ** 31 - 1;

/** Python's int(time) capped at the XML-RPC int range. */
function seconds(milliseconds: number): number {
  return Math.min(Math.floor(milliseconds / 1000), MAX_XMLRPC_INT);
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function processInfo(process: SupervisedProcess): XmlRpcValue {
  const snapshot = process.snapshot();
  const info = {
    name: snapshot.name,
    group: snapshot.group,
    start: seconds(snapshot.laststart),
    stop: seconds(snapshot.laststop),
    now: seconds(Date.now()),
    state: PROCESS_STATES[snapshot.state],
    statename: snapshot.state,
    spawnerr: snapshot.spawnerr ?? '',
    exitstatus: snapshot.exitstatus ?? 0,
    logfile: snapshot.logfiles.stdout ?? '',
    stdout_logfile: snapshot.logfiles.stdout ?? '',
    stderr_logfile: snapshot.logfiles.stderr ?? '',
    pid: snapshot.pid,
    description: '',
  };
  info.description = describeProcess(info);
  if (!usesStartupExtensions(process.config)) return info;
  // Ours, for processes that use our start-up keys: members Python clients ignore.
  return { ...info, readiness: snapshot.readiness ?? '', restarts: snapshot.restarts, next_retry: seconds(snapshot.nextRetry) };
}

/** Whether the process uses a key of ours about starting it (a plain config answers as the reference). */
function usesStartupExtensions(config: ProcessConfig): boolean {
  return (
    config.readiness !== null ||
    config.liveness !== null ||
    config.dependsOn.length > 0 ||
    config.startretries === Infinity ||
    config.backoff !== 'linear' ||
    config.backoffMax !== null
  );
}

export function processInformation(api: Api): ApiTable {
  return {
    getProcessInfo: {
      help: 'Everything known about one process.\n\n@param string name\n@return struct result',
      signature: ['struct', 'string'],
      call: ([name]) => processInfo(api.process(str(name))),
    },
    getAllProcessInfo: {
      help: 'getProcessInfo for every process, groups and processes in name order.\n\n@return array result',
      signature: ['array'],
      // A new array of new structs of plain values, every time.
      reusableAnswer: true,
      call: () =>
        [...api.supervisor.groupList]
          .sort(byName)
          .flatMap((group) => [...group.processes].sort(byName))
          .map(processInfo),
    },
  };
}
