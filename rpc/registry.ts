// The methods the XML-RPC endpoint publishes: each with its help text, its signature (return
// type then parameter types, as system.methodSignature reports it) and its implementation.
import { SupervisorError } from '../common/errors.js';
import { rpcError } from './faults.js';
import type { XmlRpcValue } from '../common/xmlrpc/types.js';

export type XmlRpcTypeName = 'string' | 'int' | 'boolean' | 'array' | 'struct' | 'double' | 'base64' | 'dateTime.iso8601';

export interface RpcMethod {
  help: string;
  /** [returnType, ...paramTypes]; absent for extension methods that do not declare one. */
  signature?: [XmlRpcTypeName, ...XmlRpcTypeName[]];
  /** How many leading parameters are required (the rest have defaults). */
  required?: number;
  call(params: XmlRpcValue[]): XmlRpcValue | Promise<XmlRpcValue>;
}

/** namespace → method name → method. */
export type Namespaces = Map<string, Map<string, RpcMethod>>;

function convertible(type: XmlRpcTypeName, value: XmlRpcValue): boolean {
  if (type !== 'int') return true;
  return (
    (typeof value === 'number' && Number.isInteger(value)) ||
    typeof value === 'boolean' ||
    (typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value))
  );
}

/**
 * Checks the parameter count (a mismatch is INCORRECT_PARAMETERS) and that int parameters
 * convert. Otherwise as lenient as the reference: each method checks what it must.
 */
export function checkParams(method: RpcMethod, params: XmlRpcValue[]): void {
  if (!method.signature) return;
  const types = method.signature.slice(1);
  const required = method.required ?? types.length;
  if (params.length < required || params.length > types.length) throw rpcError('INCORRECT_PARAMETERS');
  params.forEach((value, i) => {
    // A parameter the reference cannot even convert (int('x')): it answers with HTTP 500, not a
    // fault, and so do we.
    if (!convertible(types[i]!, value)) throw new SupervisorError('MALFORMED_CALL', `cannot convert ${String(value)} to int`);
  });
}

/** Python's truth of a value (a `wait` flag may come as 1, "yes", …). */
export function truthy(value: XmlRpcValue | undefined, otherwise: boolean): boolean {
  if (value === undefined) return otherwise;
  if (Array.isArray(value) || typeof value === 'string') return value.length > 0;
  return Boolean(value);
}
