// Python `%`-style string expansion against a mapping (`'%(name)s' % expansions`), the way the
// reference expands configuration values, with the reference's error texts.
import { ConfigError } from './types.js';
import { pyRepr } from './python.js';

/** Names available to an expansion; only process_num and numprocs are numbers. */
export type Expansions = ReadonlyMap<string, string | number>;

class FormatError extends Error {}
/** Stands for the whole mapping, which Python formats when a spec has no (name). */
const MAPPING = Symbol('mapping');
type Arg = string | number | typeof MAPPING;
class MissingKey extends Error {
  constructor(readonly key: string) {
    super(key);
  }
}

/**
 * Expands `s`; `name` is what the reference calls the value in its errors (e.g. "program:x.command").
 * Throws ConfigError with the reference's text for unknown names or bad format strings.
 */
export function expand(s: string, expansions: Expansions, name: string): string {
  if (!s.includes('%')) return s;
  try {
    return format(s, expansions);
  } catch (err) {
    if (err instanceof MissingKey) {
      const available = [...expansions.keys()].sort().join(', ');
      throw new ConfigError(
        `Format string ${pyRepr(s)} for ${pyRepr(name)} contains names (${pyRepr(err.key)}) which cannot be expanded. Available names: ${available}`,
      );
    }
    if (err instanceof FormatError) {
      throw new ConfigError(`Format string ${pyRepr(s)} for ${pyRepr(name)} is badly formatted: ${err.message}`);
    }
    throw err;
  }
}

function format(s: string, expansions: Expansions): string {
  const chars = Array.from(s); // Python indexes by code point in its messages
  let out = '';
  let i = 0;
  let specs = 0;
  while (i < chars.length) {
    const c = chars[i]!;
    if (c !== '%') {
      out += c;
      i++;
      continue;
    }
    i++;
    if (i >= chars.length) throw new FormatError('incomplete format');
    if (chars[i] === '%') {
      out += '%';
      i++;
      continue;
    }
    let value: Arg;
    if (chars[i] === '(') {
      // The key may itself contain balanced parentheses.
      let depth = 1;
      const start = ++i;
      while (i < chars.length && depth > 0) {
        if (chars[i] === '(') depth++;
        else if (chars[i] === ')') depth--;
        i++;
      }
      if (depth > 0) throw new FormatError('incomplete format key');
      const key = chars.slice(start, i - 1).join('');
      const found = expansions.get(key);
      if (found === undefined) throw new MissingKey(key);
      value = found;
    } else {
      // Without a (name) Python formats the mapping itself, and only for the first spec.
      if (specs > 0) throw new FormatError('not enough arguments for format string');
      value = MAPPING;
    }
    specs++;
    const flags = new Set<string>();
    while (i < chars.length && '-+ #0'.includes(chars[i]!)) flags.add(chars[i++]!);
    if (chars[i] === '*') throw new FormatError('not enough arguments for format string');
    let width = 0;
    while (i < chars.length && /[0-9]/.test(chars[i]!)) width = width * 10 + Number(chars[i++]);
    let precision: number | null = null;
    if (chars[i] === '.') {
      i++;
      if (chars[i] === '*') throw new FormatError('not enough arguments for format string');
      precision = 0;
      while (i < chars.length && /[0-9]/.test(chars[i]!)) precision = precision * 10 + Number(chars[i++]);
    }
    if (i < chars.length && 'hlL'.includes(chars[i]!)) i++;
    if (i >= chars.length) throw new FormatError('incomplete format');
    out += convert(chars[i]!, i, value, flags, width, precision);
    i++;
  }
  return out;
}

function convert(conv: string, index: number, value: Arg, flags: Set<string>, width: number, precision: number | null): string {
  const typeName = typeof value === 'number' ? 'int' : typeof value === 'string' ? 'str' : 'dict';
  switch (conv) {
    case 's':
    case 'r':
    case 'a': {
      // Python would print the whole dict of expansions (the environment included); we refuse instead.
      if (value === MAPPING) throw new FormatError('format requires a mapping');
      let text = typeof value === 'number' ? String(value) : conv === 's' ? value : pyRepr(value, conv === 'a');
      if (precision !== null) text = Array.from(text).slice(0, precision).join('');
      return pad(text, width, flags.has('-'));
    }
    case 'd':
    case 'i':
    case 'u':
      if (typeof value !== 'number') throw new FormatError(`%${conv} format: a real number is required, not ${typeName}`);
      return formatInteger(value, 10, '', flags, width, precision);
    case 'o':
    case 'x':
    case 'X': {
      if (typeof value !== 'number') throw new FormatError(`%${conv} format: an integer is required, not ${typeName}`);
      const base = conv === 'o' ? 8 : 16;
      const prefix = flags.has('#') ? `0${conv}` : '';
      const text = formatInteger(value, base, prefix, flags, width, precision);
      return conv === 'X' ? text.toUpperCase() : text;
    }
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
      if (typeof value !== 'number') throw new FormatError(`must be real number, not ${typeName}`);
      return formatFloat(value, conv, flags, width, precision ?? 6);
    case 'c': {
      let ch: string;
      if (value === MAPPING) throw new FormatError('%c requires int or char');
      if (typeof value === 'number') {
        if (value < 0 || value > 0x10ffff) throw new FormatError('%c arg not in range(0x110000)');
        ch = String.fromCodePoint(value);
      } else {
        if (Array.from(value).length !== 1) throw new FormatError('%c requires int or char');
        ch = value;
      }
      return pad(ch, width, flags.has('-'));
    }
    default: {
      const cp = conv.codePointAt(0)!;
      const shown = cp < 0x80 ? conv : '?';
      throw new FormatError(`unsupported format character '${shown}' (0x${cp.toString(16)}) at index ${index}`);
    }
  }
}

function pad(text: string, width: number, left: boolean): string {
  const len = Array.from(text).length;
  if (len >= width) return text;
  return left ? text + ' '.repeat(width - len) : ' '.repeat(width - len) + text;
}

function signOf(negative: boolean, flags: Set<string>): string {
  if (negative) return '-';
  if (flags.has('+')) return '+';
  return flags.has(' ') ? ' ' : '';
}

/** Sign, prefix and digits, zero-padded between sign/prefix and digits when '0' is given without '-'. */
function assemble(sign: string, prefix: string, body: string, flags: Set<string>, width: number): string {
  if (flags.has('0') && !flags.has('-')) {
    const room = width - sign.length - prefix.length;
    return sign + prefix + body.padStart(room, '0');
  }
  return pad(sign + prefix + body, width, flags.has('-'));
}

function formatInteger(value: number, base: number, prefix: string, flags: Set<string>, width: number, precision: number | null): string {
  let digits = Math.abs(value).toString(base);
  if (precision !== null) digits = digits.padStart(precision, '0');
  return assemble(signOf(value < 0, flags), prefix, digits, flags, width);
}

function formatFloat(value: number, conv: string, flags: Set<string>, width: number, precision: number): string {
  const abs = Math.abs(value);
  const lower = conv.toLowerCase();
  let body: string;
  if (lower === 'f') {
    body = abs.toFixed(precision);
    if (flags.has('#') && precision === 0) body += '.';
  } else if (lower === 'e') {
    body = exponential(abs, precision, flags.has('#'));
  } else {
    // %g: exponent decides between fixed and exponential; trailing zeros go unless '#'.
    const p = precision === 0 ? 1 : precision;
    const exp = Number(abs.toExponential(p - 1).split('e')[1]);
    body = exp >= -4 && exp < p ? abs.toFixed(Math.max(0, p - 1 - exp)) : exponential(abs, p - 1, flags.has('#'));
    if (!flags.has('#')) body = stripTrailingZeros(body);
    else if (!body.includes('.')) body = body.replace(/(?=e|$)/, '.');
  }
  if (conv !== lower) body = body.toUpperCase();
  return assemble(signOf(value < 0, flags), '', body, flags, width);
}

/** Python writes at least two exponent digits: 3.0e+00. */
function exponential(abs: number, digits: number, alt: boolean): string {
  const [mantissa, exp] = abs.toExponential(digits).split('e') as [string, string];
  const sign = exp.startsWith('-') ? '-' : '+';
  const m = alt && !mantissa.includes('.') ? mantissa + '.' : mantissa;
  return `${m}e${sign}${exp.replace(/^[+-]/, '').padStart(2, '0')}`;
}

function stripTrailingZeros(body: string): string {
  const [mantissa, exp] = body.split('e') as [string, string | undefined];
  const m = mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa;
  return exp === undefined ? m : `${m}e${exp}`;
}
