// The daemon's supervisor.* methods that supervisorctl calls, typed by what the API documents
// they return (docs/reference-api-facts.md), over one kept-alive XML-RPC connection.
import { createXmlRpcClient, type XmlRpcClient } from '../../common/xmlrpc/client.js';
import { XmlRpcFault, type XmlRpcValue } from '../../common/xmlrpc/types.js';

export { Faults } from '../../rpc/faults.js';

export interface ProcessInfo {
  name: string;
  group: string;
  start: number;
  stop: number;
  now: number;
  state: number;
  statename: string;
  spawnerr: string;
  exitstatus: number;
  logfile: string;
  stdout_logfile: string;
  stderr_logfile: string;
  pid: number;
  description: string;
}

/** One entry of a group/all call's answer (start, stop, signal, clear). */
export interface ProcessOutcome {
  name: string;
  group: string;
  status: number;
  description: string;
}

export interface ConfigInfo {
  name: string;
  group: string;
  inuse: boolean;
  autostart: boolean;
  group_prio: number;
  process_prio: number;
  /** Ours, where depends_on= is set: "db, migrate:completed". */
  depends_on?: string;
}

/** [added, changed, removed] group names. */
export type ConfigChanges = [string[], string[], string[]];

interface Methods {
  getVersion: { params: []; result: string };
  getSupervisorVersion: { params: []; result: string };
  getPID: { params: []; result: number };
  getProcessInfo: { params: [string]; result: ProcessInfo };
  getAllProcessInfo: { params: []; result: ProcessInfo[] };
  getAllConfigInfo: { params: []; result: ConfigInfo[] };
  startProcess: { params: [string]; result: boolean };
  startProcessGroup: { params: [string]; result: ProcessOutcome[] };
  startAllProcesses: { params: []; result: ProcessOutcome[] };
  stopProcess: { params: [string]; result: boolean };
  stopProcessGroup: { params: [string]; result: ProcessOutcome[] };
  stopAllProcesses: { params: []; result: ProcessOutcome[] };
  signalProcess: { params: [string, string]; result: boolean };
  signalProcessGroup: { params: [string, string]; result: ProcessOutcome[] };
  signalAllProcesses: { params: [string]; result: ProcessOutcome[] };
  clearProcessLogs: { params: [string]; result: boolean };
  clearAllProcessLogs: { params: []; result: ProcessOutcome[] };
  readProcessStdoutLog: { params: [string, number, number]; result: string };
  readProcessStderrLog: { params: [string, number, number]; result: string };
  readLog: { params: [number, number]; result: string };
  sendProcessStdin: { params: [string, string]; result: boolean };
  reloadConfig: { params: []; result: [ConfigChanges] };
  addProcessGroup: { params: [string]; result: boolean };
  removeProcessGroup: { params: [string]; result: boolean };
  shutdown: { params: []; result: boolean };
  restart: { params: []; result: boolean };
}

export type MethodName = keyof Methods;

export interface SupervisorRpc {
  call<M extends MethodName>(method: M, ...params: Methods[M]['params']): Promise<Methods[M]['result']>;
  close(): void;
}

/** @param timeoutMs how long a call may go unanswered (no limit when absent) */
export function connectSupervisor(serverurl: string, username?: string, password?: string, timeoutMs?: number): SupervisorRpc {
  let client: XmlRpcClient | undefined;
  return {
    async call(method, ...params) {
      client ??= createXmlRpcClient({ serverurl, username, password, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
      const value: XmlRpcValue = await client.call(`supervisor.${method}`, ...params);
      // The result's shape is the API's documented contract for this method.
      return value as never;
    },
    close: () => client?.close(),
  };
}

/** The fault code when `e` is a fault the daemon answered, else null. */
export function faultCode(e: unknown): number | null {
  return e instanceof XmlRpcFault ? e.faultCode : null;
}
