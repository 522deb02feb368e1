// Python string semantics that the reference's parsing and error texts depend on:
// what counts as whitespace, how int() parses, and how repr() quotes a string.

// Characters for which Python's str.isspace() is true (also what `\s` matches in its re module).
const PY_SPACE =
  '\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';

const PY_SPACES = new Set(PY_SPACE);

/** Whether the character `ch` is whitespace for Python. */
export function isPySpace(ch: string): boolean {
  return PY_SPACES.has(ch);
}

export function pyStrip(s: string): string {
  // Most values have nothing to strip: no copy then.
  if (s.length === 0 || (!PY_SPACES.has(s[0]!) && !PY_SPACES.has(s[s.length - 1]!))) return s;
  return pyRstrip(pyLstrip(s));
}

export function pyLstrip(s: string): string {
  let i = 0;
  while (i < s.length && isPySpace(s[i]!)) i++;
  return s.slice(i);
}

export function pyRstrip(s: string): string {
  let j = s.length;
  while (j > 0 && isPySpace(s[j - 1]!)) j--;
  return s.slice(0, j);
}

/** str.split() without arguments: runs of whitespace separate, no empty fields. */
export function pySplitWhitespace(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (const ch of s) {
    if (isPySpace(ch)) {
      if (cur) out.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  if (cur) out.push(cur);
  return out;
}

/** Python's int(s, base) for base 8 or 10, or null where Python raises ValueError. */
export function pyIntOrNull(s: string, base: 8 | 10 = 10): number | null {
  let t = pyStrip(s);
  let sign = 1;
  if (t.startsWith('+') || t.startsWith('-')) {
    if (t[0] === '-') sign = -1;
    t = t.slice(1);
  }
  const digits = base === 8 ? '[0-7]' : '[0-9]';
  // Base 8 allows an optional 0o prefix; an underscore may follow the prefix or separate digits.
  const re = base === 8 ? new RegExp(`^(?:0[oO]_?)?${digits}+(?:_${digits}+)*$`) : new RegExp(`^${digits}+(?:_${digits}+)*$`);
  if (!re.test(t)) return null;
  const body = t.replace(/^0[oO]/, '').replace(/_/g, '');
  return sign * parseInt(body, base);
}

/** int(s) in base 10, with Python's error text. */
export function pyInt(s: string): number {
  const n = pyIntOrNull(s);
  if (n === null) throw new Error(`invalid literal for int() with base 10: ${pyRepr(s)}`);
  return n;
}

/** Python's repr() of a str (ascii=true gives ascii()). */
export function pyRepr(s: string, ascii = false): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + hex(cp, 2);
    else if (cp < 0x7f) out += ch;
    else if (ascii || !isPrintable(ch)) out += cp <= 0xff ? '\\x' + hex(cp, 2) : cp <= 0xffff ? '\\u' + hex(cp, 4) : '\\U' + hex(cp, 8);
    else out += ch;
  }
  return out + quote;
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

// Approximates Python's str.isprintable(): separators and control/format/unassigned characters
// are escaped by repr(), except the plain space.
function isPrintable(ch: string): boolean {
  return !/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u.test(ch);
}

/** os.path.dirname: everything before the last slash, trailing slashes dropped unless all slashes. */
export function pyDirname(p: string): string {
  const i = p.lastIndexOf('/') + 1;
  const head = p.slice(0, i);
  return head && head !== '/'.repeat(head.length) ? head.replace(/\/+$/, '') : head;
}

/** os.path.join for two parts: an absolute second part wins. */
export function pyJoin(a: string, b: string): string {
  if (b.startsWith('/') || !a) return b;
  return a.endsWith('/') ? a + b : `${a}/${b}`;
}
