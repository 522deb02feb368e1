// The methods the XML-RPC endpoint publishes: each with its help text, its signature (return
// type then parameter types, as system.methodSignature reports it) and its implementation.
import { rpcError } from './faults.js';
import { XmlRpcDouble, type XmlRpcValue } from '../common/xmlrpc/types.js';

export const XML_RPC_TYPE_NAMES = ['string', 'int', 'boolean', 'array', 'struct', 'double', 'base64', 'dateTime.iso8601'] as const;

export type XmlRpcTypeName = (typeof XML_RPC_TYPE_NAMES)[number];

/**
 * A parameter's type, or the types it accepts: the first is the one system.methodSignature
 * reports (a signal is a 'string', but may come as its number).
 */
export type ParamType = XmlRpcTypeName | readonly [XmlRpcTypeName, ...XmlRpcTypeName[]];

export type Signature = readonly [XmlRpcTypeName, ...ParamType[]];

export interface RpcMethod {
  help: string;
  /** [returnType, ...paramTypes]; absent for extension methods that do not declare one. */
  signature?: Signature;
  /** How many leading parameters are required (the rest have defaults). */
  required?: number;
  /** Builds its answer anew at each call: an equal answer may reuse the last one's encoding. */
  reusableAnswer?: boolean;
  call(params: XmlRpcValue[]): XmlRpcValue | Promise<XmlRpcValue>;
}

/** namespace → method name → method. */
export type Namespaces = Map<string, Map<string, RpcMethod>>;

/** A <struct>: an object that is none of the other types' classes. */
export const isStruct = (value: XmlRpcValue): value is { [member: string]: XmlRpcValue } =>
  value !== null &&
  typeof value === 'object' &&
  !Array.isArray(value) &&
  !(value instanceof Date) &&
  !(value instanceof XmlRpcDouble) &&
  !Buffer.isBuffer(value);

/**
 * What a value of each type may arrive as. No conversions: a string is never read as a number
 * nor an array as a string (`['TERM']` is not the signal TERM). The one leniency: a boolean may
 * come as the int 0 or 1, which is how clients without a boolean type write one (and what
 * <boolean> carries on the wire anyway).
 */
const ACCEPTS: Record<XmlRpcTypeName, (value: XmlRpcValue) => boolean> = {
  string: (value) => typeof value === 'string',
  // An integral <double> decodes to the same number as an <int>; both mean that integer.
  int: (value) => typeof value === 'number' && Number.isInteger(value),
  boolean: (value) => typeof value === 'boolean' || value === 0 || value === 1,
  array: (value) => Array.isArray(value),
  struct: isStruct,
  double: (value) => typeof value === 'number' || value instanceof XmlRpcDouble,
  base64: (value) => Buffer.isBuffer(value),
  'dateTime.iso8601': (value) => value instanceof Date,
};

const accepted = (type: ParamType): readonly XmlRpcTypeName[] => (typeof type === 'string' ? [type] : type);

const isTypeName = (value: unknown): value is XmlRpcTypeName => (XML_RPC_TYPE_NAMES as readonly unknown[]).includes(value);

/** Whether a signature an extension declared is one (its module is JavaScript: anything goes). */
export function isSignature(value: unknown): value is Signature {
  if (!Array.isArray(value) || !isTypeName(value[0])) return false;
  return value.slice(1).every((type: unknown) => isTypeName(type) || (Array.isArray(type) && type.length > 0 && type.every(isTypeName)));
}

/** The signature as system.methodSignature reports it: one type name per parameter. */
export function reportedSignature(signature: Signature): XmlRpcTypeName[] {
  const [returns, ...params] = signature;
  return [returns, ...params.map((type) => accepted(type)[0]!)];
}

const MAX_SHOWN = 80;

/** A value as a fault detail, the way the reference shows one (`INCORRECT_PARAMETERS: 5`). */
function shown(value: XmlRpcValue): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number') text = String(value);
  else if (typeof value === 'boolean') text = value ? 'True' : 'False';
  else if (value === null) text = 'None';
  else if (value instanceof XmlRpcDouble) text = String(value.value);
  else if (Buffer.isBuffer(value)) text = `<${value.length} bytes>`;
  else if (value instanceof Date) text = value.toISOString();
  else text = JSON.stringify(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

/**
 * Checks the parameters against the signature: a wrong count is INCORRECT_PARAMETERS without
 * detail (as in the reference), a wrongly typed value INCORRECT_PARAMETERS naming that value.
 */
export function checkParams(method: RpcMethod, params: XmlRpcValue[]): void {
  if (!method.signature) return;
  const types = method.signature.slice(1) as ParamType[];
  const required = method.required ?? types.length;
  if (params.length < required || params.length > types.length) throw rpcError('INCORRECT_PARAMETERS');
  params.forEach((value, i) => {
    if (!accepted(types[i]!).some((type) => ACCEPTS[type](value))) throw rpcError('INCORRECT_PARAMETERS', shown(value));
  });
}

/** A `wait` flag as checkParams let it through (a boolean, or 0/1); `otherwise` when absent. */
export function flag(value: XmlRpcValue | undefined, otherwise: boolean): boolean {
  return value === undefined ? otherwise : value === true || value === 1;
}
