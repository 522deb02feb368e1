// The text of one XML-RPC scalar element (<int>, <double>, <dateTime.iso8601>, …) → its value,
// checked as Python's xmlrpc.client checks it; parse.ts's decisions list what is accepted.
import { SupervisorError } from '../errors.js';
import type { XmlRpcValue } from './types.js';

/** The document is not XML, or not the XML-RPC we expect: the server answers with an error. */
export function xmlRpcParseError(message: string): SupervisorError {
  return new SupervisorError('XMLRPC_PARSE', message);
}

const INTEGER = /^\s*[+-]?\d+\s*$/;
const DOUBLE = /^\s*[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf|infinity|nan)\s*$/i;
const DATE_TIME = /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** Text that is only white space, where no text may be. */
export const WHITESPACE = /^\s*$/;

/** The value of a <tag> element holding `text`. */
export function scalar(tag: string, text: string): XmlRpcValue {
  switch (tag) {
    case 'string':
      return text;
    case 'int':
    case 'i4':
    case 'i8':
    case 'i1':
    case 'i2':
    case 'biginteger': {
      if (!INTEGER.test(text)) throw xmlRpcParseError(`bad <${tag}> value ${JSON.stringify(text)}`);
      const n = Number(text);
      if (!Number.isSafeInteger(n)) {
        throw xmlRpcParseError(`<${tag}> value ${text.trim()} is beyond ±(2^53-1), which a number cannot hold exactly`);
      }
      return n;
    }
    case 'double':
    case 'float': {
      if (!DOUBLE.test(text)) throw xmlRpcParseError(`bad <${tag}> value ${JSON.stringify(text)}`);
      const t = text
        .trim()
        .toLowerCase()
        .replace(/^([+-]?)inf(inity)?$/, '$1Infinity');
      return t.endsWith('nan') ? NaN : Number(t);
    }
    case 'boolean':
      // Python accepts exactly "0" and "1", without surrounding whitespace.
      if (text === '0') return false;
      if (text === '1') return true;
      throw xmlRpcParseError(`bad <boolean> value ${JSON.stringify(text)} (must be 0 or 1)`);
    case 'dateTime.iso8601':
      return dateTime(text.trim());
    case 'base64': {
      const compact = text.replace(/\s+/g, '');
      if (compact.length % 4 !== 0 || !BASE64.test(compact)) {
        throw xmlRpcParseError('bad <base64> value');
      }
      return Buffer.from(compact, 'base64');
    }
    case 'nil':
      if (!WHITESPACE.test(text)) throw xmlRpcParseError('<nil/> must be empty');
      return null;
  }
  throw xmlRpcParseError(`unknown type <${tag}>`);
}

function dateTime(text: string): Date {
  const m = DATE_TIME.exec(text);
  if (!m) throw xmlRpcParseError(`bad <dateTime.iso8601> value ${JSON.stringify(text)}`);
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  let utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    utc -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  const date = new Date(utc);
  // Date.UTC rolls over (month 13, day 32): a field out of range is an error instead.
  if (
    Number.isNaN(utc) ||
    Number(mo) < 1 ||
    Number(mo) > 12 ||
    Number(d) < 1 ||
    Number(d) > new Date(Date.UTC(Number(y), Number(mo), 0)).getUTCDate() ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 61
  ) {
    throw xmlRpcParseError(`bad <dateTime.iso8601> value ${JSON.stringify(text)}`);
  }
  return date;
}
