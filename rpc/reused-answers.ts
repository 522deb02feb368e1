// Large XML-RPC answers, encoded once while they stay the same. Clients polling
// getAllProcessInfo get the same value until a process changes or the clock's second turns:
// such calls share one buffer instead of each holding its own copy while it is being sent
// (50 clients of a daemon with 1000 programs: 50 copies of ~1.1 MB), and skip the encoding.
// Exact by construction: an answer is reused only for a value equal, member for member, to the
// one it was encoded from, and encoding depends on nothing else. Only for methods that build
// their answer anew at each call (RpcMethod.reusableAnswer): a value kept and changed in place
// by its method would compare equal to itself.
import { encodeMethodResponse } from '../common/xmlrpc/serialize.js';
import { XmlRpcDouble, type XmlRpcValue } from '../common/xmlrpc/types.js';

/** Smaller answers are cheap to encode again and not worth keeping. */
const REUSED_FROM_BYTES = 64 * 1024;

/** Whether `a` and `b` encode to the same XML-RPC value (NaN is never equal: it is re-encoded). */
export function sameValue(a: XmlRpcValue, b: XmlRpcValue): boolean {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return a === b;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i] as XmlRpcValue, b[i] as XmlRpcValue)) return false;
    return true;
  }
  if (Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (a instanceof Date) return a.getTime() === (b as Date).getTime();
  if (a instanceof XmlRpcDouble) return a.value === (b as XmlRpcDouble).value;
  if (Buffer.isBuffer(a)) return a.equals(b as Buffer);
  const aStruct = a as { [member: string]: XmlRpcValue };
  const bStruct = b as { [member: string]: XmlRpcValue };
  const keys = Object.keys(aStruct);
  const otherKeys = Object.keys(bStruct);
  if (keys.length !== otherKeys.length) return false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    // The same members in the same order: that is the order they are written in.
    if (key !== otherKeys[i] || !sameValue(aStruct[key] as XmlRpcValue, bStruct[key] as XmlRpcValue)) return false;
  }
  return true;
}

/** Per method, the last large answer and the value it was encoded from. */
export class ReusedAnswers {
  private readonly last = new Map<string, { value: XmlRpcValue; bytes: Buffer }>();

  /** The encoded response for `value`, the one given before if `method` returned an equal value then. */
  encode(method: string, value: XmlRpcValue): Buffer {
    const previous = this.last.get(method);
    if (previous !== undefined && sameValue(previous.value, value)) return previous.bytes;
    const bytes = encodeMethodResponse(value);
    if (bytes.length >= REUSED_FROM_BYTES) this.last.set(method, { value, bytes });
    else this.last.delete(method);
    return bytes;
  }
}
