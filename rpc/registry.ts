// The methods the XML-RPC endpoint publishes: each with its help text, its signature (return
// type then parameter types, as system.methodSignature reports it) and its implementation.
import { rpcError } from './faults.js';
import type { XmlRpcValue } from './xmlrpc/types.js';

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

/**
 * Whether `value` may stand for a parameter of `type`. Deliberately as lenient as the reference,
 * which only fails where Python would raise a TypeError: names must be strings, offsets must
 * convert with int(), a `wait` flag is taken for its truth.
 */
function accepts(type: XmlRpcTypeName, value: XmlRpcValue): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'int':
      return (
        (typeof value === 'number' && Number.isInteger(value)) ||
        typeof value === 'boolean' ||
        (typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value))
      );
    case 'array':
      return Array.isArray(value);
    default:
      return true;
  }
}

/** Checks the parameter count and types: the reference answers a mismatch with INCORRECT_PARAMETERS. */
export function checkParams(method: RpcMethod, params: XmlRpcValue[]): void {
  if (!method.signature) return;
  const types = method.signature.slice(1);
  const required = method.required ?? types.length;
  if (params.length < required || params.length > types.length) throw rpcError('INCORRECT_PARAMETERS');
  params.forEach((value, i) => {
    if (!accepts(types[i]!, value)) throw rpcError('INCORRECT_PARAMETERS');
  });
}

/** Python's truth of a value (a `wait` flag may come as 1, "yes", …). */
export function truthy(value: XmlRpcValue | undefined, otherwise: boolean): boolean {
  if (value === undefined) return otherwise;
  if (Array.isArray(value) || typeof value === 'string') return value.length > 0;
  return Boolean(value);
}
