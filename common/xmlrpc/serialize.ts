// Values → XML-RPC documents, laid out line for line as Python's xmlrpc.client.dumps lays them
// out: as one string, or as the bytes the HTTP layer writes in one piece.
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

/** Where a document's text goes, piece by piece. */
interface Sink {
  add(text: string): void;
}

/** The document as one string. */
class TextSink implements Sink {
  text = '';

  add(text: string): void {
    this.text += text;
  }
}

/** Text gathered into short strings before each is encoded into the buffer. */
const FLUSH_CHARS = 8192;

/** The scratch buffer's size at rest; one grown past KEPT_SCRATCH_BYTES for a huge answer is let go. */
const SCRATCH_BYTES = 64 * 1024;
const KEPT_SCRATCH_BYTES = 4 * 1024 * 1024;
/** Shared by every encoding (each runs to its end synchronously); null while one is using it. */
let scratch: Buffer | null = Buffer.allocUnsafeSlow(SCRATCH_BYTES);

/**
 * The document as UTF-8 bytes. A large answer (100 processes' info is ~110 KB) would otherwise
 * be a string of thousands of pieces, live across garbage collections until written, then
 * copied whole into a Buffer; here at most one short piece is in the JS heap at a time. The
 * bytes go into a scratch buffer that grows as needed and is reused, and the answer is one
 * exact-size copy: many answers waiting for slow clients hold only their own bytes.
 */
class ByteSink implements Sink {
  private buffer = scratch ?? Buffer.allocUnsafeSlow(SCRATCH_BYTES);
  private length = 0;
  private pending = '';

  constructor() {
    scratch = null;
  }

  add(text: string): void {
    this.pending += text;
    if (this.pending.length >= FLUSH_CHARS) this.flush();
  }

  /** The document's bytes; the sink is done with. */
  bytes(): Buffer {
    this.flush();
    const bytes = Buffer.allocUnsafe(this.length);
    this.buffer.copy(bytes, 0, 0, this.length);
    scratch = this.buffer.length <= KEPT_SCRATCH_BYTES ? this.buffer : Buffer.allocUnsafeSlow(SCRATCH_BYTES);
    return bytes;
  }

  private flush(): void {
    const text = this.pending;
    this.pending = '';
    // A UTF-16 code unit takes at most 3 bytes of UTF-8.
    const needed = this.length + text.length * 3;
    if (needed > this.buffer.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(needed, this.buffer.length * 2));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    this.length += this.buffer.write(text, this.length);
  }
}

/** One `<value>…</value>\n`. */
function value(v: XmlRpcValue, out: Sink): void {
  switch (typeof v) {
    case 'string':
      out.add('<value><string>');
      out.add(escapeText(v));
      out.add('</string></value>\n');
      return;
    case 'number':
      if (Number.isSafeInteger(v)) {
        out.add('<value><int>');
        out.add(String(v));
        out.add('</int></value>\n');
      } else {
        out.add(`<value><double>${formatDouble(v)}</double></value>\n`);
      }
      return;
    case 'boolean':
      out.add(v ? '<value><boolean>1</boolean></value>\n' : '<value><boolean>0</boolean></value>\n');
      return;
    case 'object': {
      if (v === null) {
        out.add('<value><nil/></value>\n');
      } else if (Array.isArray(v)) {
        out.add('<value><array><data>\n');
        for (const item of v) value(item, out);
        out.add('</data></array></value>\n');
      } else if (v instanceof XmlRpcDouble) {
        out.add(`<value><double>${formatDouble(v.value)}</double></value>\n`);
      } else if (v instanceof Date) {
        out.add(`<value><dateTime.iso8601>${formatDate(v)}</dateTime.iso8601></value>\n`);
      } else if (Buffer.isBuffer(v)) {
        out.add(`<value><base64>\n${v.toString('base64')}\n</base64></value>\n`);
      } else if (isStruct(v)) {
        out.add('<value><struct>\n');
        for (const name of Object.keys(v)) {
          out.add('<member>\n<name>');
          out.add(escapeText(name));
          out.add('</name>\n');
          value(v[name] as XmlRpcValue, out);
          out.add('</member>\n');
        }
        out.add('</struct></value>\n');
      } else {
        throw new TypeError(`cannot marshal ${Object.prototype.toString.call(v)} objects`);
      }
      return;
    }
    default:
      throw new TypeError(`cannot marshal ${typeof v} values`);
  }
}

function methodResponse(v: XmlRpcValue, out: Sink): void {
  out.add(`${HEADER}<methodResponse>\n<params>\n<param>\n`);
  value(v, out);
  out.add('</param>\n</params>\n</methodResponse>\n');
}

function faultResponse(f: XmlRpcFault, out: Sink): void {
  out.add(`${HEADER}<methodResponse>\n<fault>\n`);
  value({ faultCode: f.faultCode, faultString: f.faultString }, out);
  out.add('</fault>\n</methodResponse>\n');
}

/** A successful response carrying one value. */
export function serializeMethodResponse(v: XmlRpcValue): string {
  const out = new TextSink();
  methodResponse(v, out);
  return out.text;
}

/** serializeMethodResponse as the UTF-8 bytes to send, made without the whole text in memory. */
export function encodeMethodResponse(v: XmlRpcValue): Buffer {
  const out = new ByteSink();
  methodResponse(v, out);
  return out.bytes();
}

/** A fault response: a struct of faultCode (int) and faultString (string). */
export function serializeFault(f: XmlRpcFault): string {
  const out = new TextSink();
  faultResponse(f, out);
  return out.text;
}

/** A request. */
export function serializeMethodCall(call: MethodCall): string {
  const out = new TextSink();
  out.add(`${HEADER}<methodCall>\n<methodName>${escapeText(call.methodName)}</methodName>\n<params>\n`);
  for (const param of call.params) {
    out.add('<param>\n');
    value(param, out);
    out.add('</param>\n');
  }
  out.add('</params>\n</methodCall>\n');
  return out.text;
}
