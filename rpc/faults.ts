// Supervisor's fault codes (api.rst, xmlrpc.py). A fault's string is "NAME" or "NAME: detail",
// exactly as the reference builds it, because clients (supervisorctl among them) parse it.
import { XmlRpcFault } from '../common/xmlrpc/types.js';

export const Faults = {
  UNKNOWN_METHOD: 1,
  INCORRECT_PARAMETERS: 2,
  BAD_ARGUMENTS: 3,
  SIGNATURE_UNSUPPORTED: 4,
  SHUTDOWN_STATE: 6,
  BAD_NAME: 10,
  BAD_SIGNAL: 11,
  NO_FILE: 20,
  NOT_EXECUTABLE: 21,
  FAILED: 30,
  ABNORMAL_TERMINATION: 40,
  SPAWN_ERROR: 50,
  ALREADY_STARTED: 60,
  NOT_RUNNING: 70,
  SUCCESS: 80,
  ALREADY_ADDED: 90,
  STILL_RUNNING: 91,
  CANT_REREAD: 92,
} as const;

export type FaultName = keyof typeof Faults;

/** The reference's RPCError: faultString is the name, then ": detail" when there is one. */
export function rpcError(name: FaultName, detail?: string): XmlRpcFault {
  return new XmlRpcFault(Faults[name], detail === undefined ? name : `${name}: ${detail}`);
}
