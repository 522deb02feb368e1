// Values → XML-RPC documents, laid out line for line as Python's xmlrpc.client.dumps lays them
// out, as one string the HTTP layer writes in one piece.
//
// Decisions:
// - A number that is a safe integer (|n| ≤ 2^53-1) is an <int>, whatever its size: Python's
//   client reads any size of <int> (its dumps refuses > 2^31-1, so the reference server fails
//   where we succeed, e.g. for log offsets past 2 GB). An integral number beyond that range is
//   not exact any more, so it goes as a <double>, as does anything non-integral or XmlRpcDouble.
// - Doubles are written so Python's float() reads them back exactly, mostly as its repr():
//   shortest round-trip digits, `.0` on integral values, `1e-07`, `inf`, `-inf`, `nan`.
// - XML 1.0 cannot carry control characters other than \t \n \r, lone surrogates, U+FFFE and
//   U+FFFF, even as character references: Python's client (expat) fails on the whole response
//   ("not well-formed"). Process output is full of them, so each is replaced by U+FFFD.
// - \r is written as `&#13;`: a raw \r would reach the client as \n (XML line-end handling).
// - Dates are written from their UTC fields (the parser reads a zone-less date as UTC).
import { XmlRpcDouble, type MethodCall, type XmlRpcFault, type XmlRpcValue } from './types.js';

const HEADER = "<?xml version='1.0'?>\n";

// Everything escaped or replaced, in one pass: markup characters, \r, characters XML 1.0
// forbids, and a surrogate half without its other half.
const SPECIAL =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const SPECIAL_ONCE = new RegExp(SPECIAL.source);

function replacement(ch: string): string {
  switch (ch) {
    case '&':
      return '&amp;';
    case '<':
      return '&lt;';
    case '>':
      return '&gt;';
    case '\r':
      return '&#13;';
    default:
      return '\ufffd';
  }
}

/** Text made safe to put between tags: always well-formed XML. */
export function escapeText(s: string): string {
  return SPECIAL_ONCE.test(s) ? s.replace(SPECIAL, replacement) : s;
}

function formatDouble(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return `${n}.0`;
  // Like Python's repr: an exponent from 1e16 up, with at least two digits.
  const s = Number.isInteger(n) && Math.abs(n) < 1e21 ? n.toExponential() : String(n);
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function formatDate(d: Date): string {
  if (Number.isNaN(d.getTime())) throw new TypeError('cannot marshal an invalid Date');
  return (
    `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}` +
    `T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`
  );
}

function isStruct(v: object): v is { [member: string]: XmlRpcValue } {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** One `<value>…</value>\n`. */
function value(v: XmlRpcValue): string {
  switch (typeof v) {
    case 'string':
      return `<value><string>${escapeText(v)}</string></value>\n`;
    case 'number':
      return Number.isSafeInteger(v) ? `<value><int>${v}</int></value>\n` : `<value><double>${formatDouble(v)}</double></value>\n`;
    case 'boolean':
      return `<value><boolean>${v ? 1 : 0}</boolean></value>\n`;
    case 'object': {
      if (v === null) return '<value><nil/></value>\n';
      if (Array.isArray(v)) {
        let out = '<value><array><data>\n';
        for (const item of v) out += value(item);
        return out + '</data></array></value>\n';
      }
      if (v instanceof XmlRpcDouble) return `<value><double>${formatDouble(v.value)}</double></value>\n`;
      if (v instanceof Date) return `<value><dateTime.iso8601>${formatDate(v)}</dateTime.iso8601></value>\n`;
      if (Buffer.isBuffer(v)) return `<value><base64>\n${v.toString('base64')}\n</base64></value>\n`;
      if (isStruct(v)) {
        let out = '<value><struct>\n';
        for (const name of Object.keys(v)) {
          out += `<member>\n<name>${escapeText(name)}</name>\n${value(v[name] as XmlRpcValue)}</member>\n`;
        }
        return out + '</struct></value>\n';
      }
      throw new TypeError(`cannot marshal ${Object.prototype.toString.call(v)} objects`);
    }
    default:
      throw new TypeError(`cannot marshal ${typeof v} values`);
  }
}

/** A successful response carrying one value. */
export function serializeMethodResponse(v: XmlRpcValue): string {
  return `${HEADER}<methodResponse>\n<params>\n<param>\n${value(v)}</param>\n</params>\n</methodResponse>\n`;
}

/** A fault response: a struct of faultCode (int) and faultString (string). */
export function serializeFault(fault: XmlRpcFault): string {
  const struct = { faultCode: fault.faultCode, faultString: fault.faultString };
  return `${HEADER}<methodResponse>\n<fault>\n${value(struct)}</fault>\n</methodResponse>\n`;
}

/** A request. */
export function serializeMethodCall(call: MethodCall): string {
  let out = `${HEADER}<methodCall>\n<methodName>${escapeText(call.methodName)}</methodName>\n<params>\n`;
  for (const param of call.params) out += `<param>\n${value(param)}</param>\n`;
  return out + '</params>\n</methodCall>\n';
}
