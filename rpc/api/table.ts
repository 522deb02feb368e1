// The API's methods are declared in tables, one per section of the manual's api.rst: name,
// signature (return type, then parameter types), help text and handler. This module turns a
// table into what the dispatcher publishes, and holds the lookups every section shares.
import { rpcError } from '../faults.js';
import type { DaemonHost } from '../host.js';
import type { RpcMethod, Signature } from '../registry.js';
import type { ProcessGroup } from '../../actors/group.js';
import type { SupervisedProcess } from '../../actors/process.js';
import type { Target } from '../../actors/supervisor.js';
import type { XmlRpcValue } from '../../common/xmlrpc/types.js';

export interface ApiMethod {
  help: string;
  signature: Signature;
  /** How many leading parameters are required (the rest have defaults); all of them by default. */
  required?: number;
  /** Also answered while the daemon stops; every other method then faults with SHUTDOWN_STATE. */
  whileStopping?: boolean;
  /** See RpcMethod.reusableAnswer. */
  reusableAnswer?: boolean;
  call(params: XmlRpcValue[]): XmlRpcValue | Promise<XmlRpcValue>;
}

export type ApiTable = Record<string, ApiMethod>;

/** The lookups and checks the sections share. */
export class Api {
  constructor(readonly host: DaemonHost) {}

  get supervisor() {
    return this.host.supervisor;
  }

  /** Most methods refuse to work once the daemon is stopping. */
  ensureRunning(): void {
    if (!this.host.state.running) throw rpcError('SHUTDOWN_STATE');
  }

  /** The process or group a namespec names; BAD_NAME when there is none. */
  target(spec: string): Target {
    const found = this.supervisor.find(spec);
    if (!found) throw rpcError('BAD_NAME', spec);
    return found;
  }

  process(spec: string): SupervisedProcess {
    const { process } = this.target(spec);
    if (!process) throw rpcError('BAD_NAME', spec);
    return process;
  }

  group(name: string): ProcessGroup {
    const group = this.supervisor.group(name);
    if (!group) throw rpcError('BAD_NAME', name);
    return group;
  }

  /** Priority order: groups by priority, processes within by priority (stable). */
  byPriority(groups: ProcessGroup[] = this.supervisor.groupList): SupervisedProcess[] {
    return groups.flatMap((group) => [...group.processes].sort((a, b) => a.config.priority - b.config.priority));
  }
}

/** The table's methods as the dispatcher publishes them. */
export function publish(api: Api, table: ApiTable): Map<string, RpcMethod> {
  return new Map(
    Object.entries(table).map(([name, method]) => [
      name,
      {
        help: method.help,
        signature: method.signature,
        required: method.required,
        reusableAnswer: method.reusableAnswer,
        call: (params: XmlRpcValue[]) => {
          if (!method.whileStopping) api.ensureRunning();
          return method.call(params);
        },
      },
    ]),
  );
}

// Parameters arrive as XML-RPC values; the signature check already ran.
export const str = (value: XmlRpcValue | undefined): string => value as string;
export const int = (value: XmlRpcValue | undefined): number => Number(value);
