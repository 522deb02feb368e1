// [rpcinterface:x] sections. The reference's own factory line
// (supervisor.rpcinterface:make_main_rpcinterface) names our built-in `supervisor` methods;
// any other factory is a Node module, "path/to/module.js:exportName" (relative to the config
// file) or "package:exportName", whose export builds the methods of namespace x:
//
//   export function makeInterface(daemon: DaemonApi, options: Record<string, string>) {
//     return { hello: (name) => `hello ${name}` };   // → x.hello
//   }
import type { Observable } from 'rxjs';
import { loadModuleExport } from '../actors/module-export.js';
import { describeError, isSupervisorError, SupervisorError } from '../common/errors.js';
import type { ProcessStateEvent } from '../actors/process.js';
import type { RpcInterfaceConfig } from '../config/types.js';
import type { RpcDispatcher } from './dispatch.js';
import { isSignature, XML_RPC_TYPE_NAMES, type RpcMethod } from './registry.js';
import type { XmlRpcValue } from '../common/xmlrpc/types.js';

/** What an extension may use of the daemon. */
export interface DaemonApi {
  /** Calls any published method, e.g. call('supervisor.getAllProcessInfo'); faults reject. */
  call(method: string, ...params: XmlRpcValue[]): Promise<XmlRpcValue>;
  log: { critical(m: string): void; error(m: string): void; warn(m: string): void; info(m: string): void; debug(m: string): void };
  /** Every process state change. */
  processStateChanges: Observable<ProcessStateEvent>;
}

export type ExtensionMethod =
  | ((...params: XmlRpcValue[]) => XmlRpcValue | Promise<XmlRpcValue>)
  | { help?: string; signature?: RpcMethod['signature']; call(...params: XmlRpcValue[]): XmlRpcValue | Promise<XmlRpcValue> };

export type RpcInterfaceFactory = (
  daemon: DaemonApi,
  options: Record<string, string>,
) => Record<string, ExtensionMethod> | Promise<Record<string, ExtensionMethod>>;

/** @param where the section, for the error about a signature that is not one */
function asRpcMethod(where: string, name: string, method: ExtensionMethod): RpcMethod {
  if (typeof method === 'function') {
    return { help: `${name} (no documentation)`, call: (params) => method(...params) };
  }
  if (method.signature !== undefined && !isSignature(method.signature)) {
    throw new SupervisorError(
      'STARTUP',
      `${where}: the signature of ${name} is not [returnType, ...paramTypes] with types among ${XML_RPC_TYPE_NAMES.join(', ')}`,
    );
  }
  return { help: method.help ?? `${name} (no documentation)`, signature: method.signature, call: (params) => method.call(...params) };
}

/** Loads one custom interface; throws a STARTUP error naming the section when it cannot. */
export async function loadRpcInterface(section: RpcInterfaceConfig, configDir: string, daemon: DaemonApi): Promise<Map<string, RpcMethod>> {
  const where = `[rpcinterface:${section.name}] supervisor.rpcinterface_factory = ${section.factory}`;
  let factory: unknown;
  try {
    factory = await loadModuleExport(section.factory, configDir);
  } catch (error) {
    if (isSupervisorError(error, 'MODULE_EXPORT')) throw new SupervisorError('STARTUP', `${where}: ${error.message}`, { cause: error });
    throw error;
  }
  if (typeof factory !== 'function') throw new SupervisorError('STARTUP', `${where}: not a function`);
  let methods: Record<string, ExtensionMethod>;
  try {
    methods = await (factory as RpcInterfaceFactory)(daemon, section.options);
  } catch (error) {
    throw new SupervisorError('STARTUP', `${where}: the factory failed: ${describeError(error)}`, { cause: error });
  }
  const published = new Map<string, RpcMethod>();
  for (const [name, method] of Object.entries(methods ?? {})) {
    // As in the reference, names starting with an underscore are never published.
    if (name.startsWith('_') || (typeof method !== 'function' && typeof method?.call !== 'function')) continue;
    published.set(name, asRpcMethod(where, `${section.name}.${name}`, method));
  }
  return published;
}

export function daemonApi(dispatcher: RpcDispatcher, log: DaemonApi['log'], changes: Observable<ProcessStateEvent>): DaemonApi {
  return { call: (method, ...params) => dispatcher.call(method, params), log, processStateChanges: changes };
}
