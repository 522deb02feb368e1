// Finds and runs the method an XML-RPC call names. Only registered methods resolve: a name is
// exactly "namespace.method" (the reference's CVE-2017-11610 came from walking further).
import { rpcError } from './faults.js';
import { checkParams, type Namespaces, type RpcMethod } from './registry.js';
import { XmlRpcFault, type XmlRpcValue } from '../common/xmlrpc/types.js';

export class RpcDispatcher {
  constructor(
    readonly namespaces: Namespaces,
    /** Told about exceptions that are not faults (bugs); the caller gets a FAILED fault. */
    private readonly onUnexpected: (method: string, error: unknown) => void,
  ) {}

  resolve(name: string): RpcMethod {
    const parts = name.split('.');
    if (parts.length !== 2 || parts[1]!.startsWith('_')) throw rpcError('UNKNOWN_METHOD');
    const method = this.namespaces.get(parts[0]!)?.get(parts[1]!);
    if (!method) throw rpcError('UNKNOWN_METHOD');
    return method;
  }

  /** Runs a call; every failure is thrown as an XmlRpcFault. */
  async call(name: string, params: XmlRpcValue[]): Promise<XmlRpcValue> {
    const method = this.resolve(name);
    checkParams(method, params);
    try {
      return await method.call(params);
    } catch (error) {
      if (error instanceof XmlRpcFault) throw error;
      this.onUnexpected(name, error);
      throw rpcError('FAILED', error instanceof Error ? error.message : String(error));
    }
  }

  /** Every published method name, sorted. */
  methodNames(): string[] {
    const names: string[] = [];
    for (const [namespace, methods] of this.namespaces) {
      for (const method of methods.keys()) names.push(`${namespace}.${method}`);
    }
    return names.sort();
  }
}
