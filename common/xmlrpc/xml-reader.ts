// A strict, non-validating XML reader for XML-RPC documents, fed piece by piece: start tags
// (attributes checked, then ignored), end tags, text with its character references decoded,
// CDATA sections; comments and processing instructions are skipped. It knows only the five
// predefined entities and reports a DOCTYPE to its caller (who refuses it), so nothing expands.
//
// It replaces sax (character by character in JavaScript): reading supervisorctl's 110 KB answer
// for 100 processes took ~45 ms of CPU in a fresh process, mostly before the JIT had warmed up;
// this reader takes each ordinary token with one match of a sticky regular expression (native
// code from the first call) and leaves only the rest (a token cut by the end of a chunk, a
// DOCTYPE, whatever is malformed) to a careful path, which also words the errors as sax did.

export interface XmlHandlers {
  open(name: string): void;
  close(name: string): void;
  text(text: string): void;
  /** A DOCTYPE was found. */
  doctype(): void;
  /** Must throw: the document is not well-formed. */
  error(message: string): never;
}

const NAME = /^[A-Za-z_:\u00c0-\uffff][-\w.:\u00b7-\uffff]*$/;
/** What follows a start tag's name: attributes, each with a quoted value. */
const ATTRIBUTES = /^(?:\s+[A-Za-z_:\u00c0-\uffff][-\w.:\u00b7-\uffff]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*\s*$/;
/** XML's white space (JavaScript's \s has more, U+FEFF among them). */
const WHITESPACE = /^[ \t\r\n]*$/;
/**
 * An ordinary token with the text before it: 1 text, 2 `/` of an end tag, 3 a tag's name, 4 its
 * attributes, 5 `/` of an empty-element tag; 6 a comment; 7 a CDATA section's text; or a
 * processing instruction.
 */
const TOKEN =
  /([^<]*)<(?:(\/?)([A-Za-z_:][-\w.:]*)((?:\s+[A-Za-z_:][-\w.:]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|!--([\s\S]*?)-->|!\[CDATA\[([\s\S]*?)\]\]>|\?[\s\S]*?\?>)/y;
const PREDEFINED = new Map([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
]);
/** The longest reference there is (`&#x10FFFF;`, `&#1114111;`): longer without `;` is no reference. */
const LONGEST_REFERENCE = 10;

/**
 * A faster way through a run of markup the reader's user knows the shape of (XML-RPC's struct
 * members): one match where tokens would take a dozen calls, which counts in a short-lived
 * client still running interpreted. The pattern is sticky and must match only complete,
 * well-formed, balanced markup without references, CDATA or comments, so the reader can step
 * over it without checking it.
 */
export interface XmlShortcut {
  readonly pattern: RegExp;
  /** Takes what was matched; false to have the reader read the same text token by token. */
  take(match: RegExpExecArray): boolean;
}

export class XmlReader {
  /** Tried before each token while set. */
  shortcut: XmlShortcut | undefined;
  /** Text not yet consumed: an incomplete piece of markup or reference at the end of the last write. */
  private rest = '';
  private readonly openNames: string[] = [];
  private rootSeen = false;
  private atStart = true;
  /** Where `rest` starts, 1-based line and 0-based column. */
  private restLine = 1;
  private restColumn = 0;
  /** The text being scanned and where in it the current token starts, for position(). */
  private scanned = '';
  private tokenStart = 0;

  constructor(private readonly handlers: XmlHandlers) {}

  write(chunk: string): void {
    this.rest = this.rest ? this.rest + chunk : chunk;
    this.scan(false);
  }

  /** The document ended. */
  close(): void {
    this.scan(true);
    if (this.rest) this.fail(this.rest, 0, 'Unexpected end');
    if (this.openNames.length > 0) this.fail('', 0, 'Unclosed root tag');
  }

  private scan(final: boolean): void {
    let s = this.rest;
    if (this.atStart && s.length > 0) {
      this.atStart = false;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    }
    this.scanned = s;
    let at = 0;
    while (at < s.length) {
      const shortcut = this.shortcut;
      if (shortcut !== undefined) {
        shortcut.pattern.lastIndex = at;
        const match = shortcut.pattern.exec(s);
        if (match !== null) {
          const end = shortcut.pattern.lastIndex;
          this.tokenStart = at;
          if (shortcut.take(match)) {
            at = end;
            continue;
          }
        }
      }
      TOKEN.lastIndex = at;
      const token = TOKEN.exec(s);
      if (token !== null) {
        this.ordinary(s, at, token);
        at = TOKEN.lastIndex;
        continue;
      }
      const lt = s.indexOf('<', at);
      if (lt < 0) {
        at = this.trailingText(s, at, final);
        break;
      }
      if (lt > at) this.text(s, at, s.slice(at, lt));
      const end = this.markupEnd(s, lt, final);
      if (end < 0) {
        at = lt;
        break;
      }
      this.markup(s, lt, end);
      at = end;
    }
    this.advance(s, at);
    this.rest = s.slice(at);
    this.scanned = this.rest;
    this.tokenStart = 0;
  }

  /** Where the token being handled (or the error found) starts: 1-based line, 0-based column. */
  position(): { line: number; column: number } {
    return this.positionIn(this.scanned, this.tokenStart);
  }

  /** Text up to the end of what was written, but a reference cut short waits for the next write. */
  private trailingText(s: string, at: number, final: boolean): number {
    let end = s.length;
    const amp = s.lastIndexOf('&');
    if (!final && amp >= at && s.indexOf(';', amp) < 0 && s.length - amp < LONGEST_REFERENCE) end = amp;
    if (end > at) this.text(s, at, s.slice(at, end));
    return end;
  }

  /** The index after the markup starting at `lt`, or -1 when it is not all there yet. */
  private markupEnd(s: string, lt: number, final: boolean): number {
    const need = (marker: string, from: number): number => {
      const found = s.indexOf(marker, from);
      if (found >= 0) return found + marker.length;
      if (final) this.fail(s, lt, 'Unexpected end');
      return -1;
    };
    if (s.charCodeAt(lt + 1) === 0x21 /* ! */) {
      if (s.startsWith('<!--', lt)) return need('-->', lt + 4);
      if (s.startsWith('<![CDATA[', lt)) return need(']]>', lt + 9);
      if (s.length - lt < 9 && !final && ['<!--', '<![CDATA[', '<!DOCTYPE'].some((m) => m.startsWith(s.slice(lt)))) return -1;
      if (s.startsWith('<!DOCTYPE', lt)) this.handlers.doctype();
      this.fail(s, lt, 'Inappropriately located doctype declaration');
    }
    if (s.charCodeAt(lt + 1) === 0x3f /* ? */) return need('?>', lt + 2);
    // A start or end tag: up to the first `>` outside a quoted attribute value.
    let at = lt + 1;
    for (;;) {
      const gt = s.indexOf('>', at);
      const quote = firstQuote(s, at, gt < 0 ? s.length : gt);
      if (quote < 0) {
        if (gt >= 0) return gt + 1;
        if (final) this.fail(s, lt, 'Unexpected end');
        return -1;
      }
      const closing = s.indexOf(s[quote] as string, quote + 1);
      if (closing < 0) {
        if (final) this.fail(s, lt, 'Unexpected end');
        return -1;
      }
      at = closing + 1;
    }
  }

  /** A token TOKEN matched, with the text before it. */
  private ordinary(s: string, at: number, token: RegExpExecArray): void {
    // Indexed, not destructured: destructuring goes through the array iterator, slow before the JIT.
    const text = token[1] ?? '';
    const slash = token[2];
    const name = token[3];
    const attributes = token[4];
    const empty = token[5];
    const cdata = token[7];
    if (text) this.text(s, at, text);
    const lt = at + text.length;
    this.tokenStart = lt;
    if (name !== undefined) {
      if (slash && (attributes || empty)) this.fail(s, lt, 'Invalid tagname in closing tag');
      if (attributes?.includes('&')) this.decode(s, lt, attributes);
      if (slash) this.endTag(s, lt, name);
      else this.startTag(name, empty === '/');
    } else if (cdata !== undefined) {
      this.text(s, lt, cdata, true);
    }
  }

  /** Markup the careful path found complete, from `<` at `lt` to `end`. */
  private markup(s: string, lt: number, end: number): void {
    this.tokenStart = lt;
    if (s.startsWith('<!--', lt) || s.charCodeAt(lt + 1) === 0x3f) return;
    if (s.startsWith('<![CDATA[', lt)) {
      this.text(s, lt, s.slice(lt + 9, end - 3), true);
      return;
    }
    if (s.charCodeAt(lt + 1) === 0x2f /* / */) {
      const name = s.slice(lt + 2, end - 1).trimEnd();
      if (!NAME.test(name)) this.fail(s, lt, 'Invalid tagname in closing tag');
      this.endTag(s, lt, name);
      return;
    }
    const empty = s.charCodeAt(end - 2) === 0x2f && end - 2 > lt;
    const body = s.slice(lt + 1, empty ? end - 2 : end - 1);
    const nameEnd = body.search(/\s|$/);
    const name = body.slice(0, nameEnd);
    if (!NAME.test(name)) this.fail(s, lt, 'Invalid tagname');
    if (nameEnd < body.length && !ATTRIBUTES.test(body.slice(nameEnd))) this.fail(s, lt, 'Invalid attribute');
    if (body.includes('&')) this.decode(s, lt, body);
    this.startTag(name, empty);
  }

  private startTag(name: string, empty: boolean): void {
    this.rootSeen = true;
    this.handlers.open(name);
    if (empty) this.handlers.close(name);
    else this.openNames.push(name);
  }

  private endTag(s: string, lt: number, name: string): void {
    if (this.openNames[this.openNames.length - 1] !== name) this.fail(s, lt, 'Unexpected close tag');
    this.openNames.pop();
    this.handlers.close(name);
  }

  private text(s: string, at: number, raw: string, cdata = false): void {
    if (this.openNames.length === 0) {
      if (WHITESPACE.test(raw)) return;
      this.fail(s, at, this.rootSeen ? 'Text data outside of root node.' : 'Non-whitespace before first tag.');
    }
    const text = cdata || !raw.includes('&') ? raw : this.decode(s, at, raw);
    if (text) this.handlers.text(text);
  }

  private decode(s: string, at: number, raw: string): string {
    let out = '';
    let from = 0;
    for (let amp = raw.indexOf('&'); amp >= 0; amp = raw.indexOf('&', from)) {
      const semicolon = raw.indexOf(';', amp);
      const reference = semicolon < 0 ? '' : raw.slice(amp + 1, semicolon);
      const character = referenced(reference);
      if (character === null) this.fail(s, at + amp, 'Invalid character entity');
      out += raw.slice(from, amp) + character;
      from = semicolon + 1;
    }
    return out + raw.slice(from);
  }

  /** Moves the position of `rest` past the first `consumed` characters of `s`. */
  private advance(s: string, consumed: number): void {
    const { line, column } = this.positionIn(s, consumed);
    this.restLine = line;
    this.restColumn = column;
  }

  private positionIn(s: string, offset: number): { line: number; column: number } {
    if (offset === 0) return { line: this.restLine, column: this.restColumn };
    // Native string operations rather than a loop over the lines: this runs for every piece
    // written, and in a short-lived client such a loop is still interpreted.
    const before = offset === s.length ? s : s.slice(0, offset);
    const newlines = before.length - before.replaceAll('\n', '').length;
    const lineStart = before.lastIndexOf('\n');
    return { line: this.restLine + newlines, column: lineStart < 0 ? this.restColumn + offset : offset - lineStart - 1 };
  }

  private fail(s: string, offset: number, message: string): never {
    this.scanned = s;
    this.tokenStart = offset;
    return this.handlers.error(message);
  }
}

/** The first `"` or `'` in s[from, to), or -1. */
function firstQuote(s: string, from: number, to: number): number {
  const double = s.indexOf('"', from);
  const single = s.indexOf("'", from);
  const first = double < 0 ? single : single < 0 ? double : Math.min(double, single);
  return first >= 0 && first < to ? first : -1;
}

/** The character a reference (between `&` and `;`) stands for, or null. */
function referenced(reference: string): string | null {
  const predefined = PREDEFINED.get(reference);
  if (predefined !== undefined) return predefined;
  const m = /^#(?:(\d{1,7})|x([0-9a-fA-F]{1,6}))$/.exec(reference);
  if (!m) return null;
  const code = m[1] !== undefined ? Number(m[1]) : parseInt(m[2] as string, 16);
  return isXmlChar(code) ? String.fromCodePoint(code) : null;
}

/** XML 1.0's Char: no reference may stand for another (a control character, a surrogate, U+FFFE/F). */
function isXmlChar(code: number): boolean {
  if (code < 0x20) return code === 0x9 || code === 0xa || code === 0xd;
  return (code < 0xd800 || (code > 0xdfff && code < 0xfffe) || code >= 0x10000) && code <= 0x10ffff;
}
