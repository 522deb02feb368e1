// XML-RPC documents → values, on our strict XML reader (xml-reader.ts). Accepts what Python's xmlrpc.client sends
// and reads what it would read, but refuses wrong structure instead of silently ignoring it.
//
// Decisions:
// - <int>/<i4>/<i8> (and Python's i1, i2, biginteger) become numbers; an integer outside
//   ±(2^53-1) cannot be held exactly, so it is an error rather than a silently rounded value.
// - <dateTime.iso8601> without a zone (`20261124T04:29:43` or `2026-11-24T04:29:43`) is read as
//   UTC, so the result does not depend on the TZ of the process and the serializer writes the
//   same digits back; a trailing `Z` or `±hh:mm` is honoured.
// - Only UTF-8 documents (Python's client always sends UTF-8); an encoding declaration is ignored.
// - A DOCTYPE is refused outright, and the reader knows only the five predefined entities, so
//   there is no entity expansion (no billion laughs, no XXE).
// - Line ends are normalized (\r\n and lone \r → \n) as every XML parser must; `&#13;` stays \r.
// - Raw control characters are tolerated in text (expat would refuse them), being harmless here.
import { StringDecoder } from 'node:string_decoder';
import { isSupervisorError, type SupervisorError } from '../errors.js';
import { XmlRpcFault, type MethodCall, type XmlRpcValue } from './types.js';
import { scalar, WHITESPACE, xmlRpcParseError } from './scalars.js';
import { XmlReader, type XmlShortcut } from './xml-reader.js';

type Struct = { [member: string]: XmlRpcValue };

// What may appear inside what. Scalar types, <name> and <methodName> hold text only.
const SCALARS = new Set([
  'int',
  'i4',
  'i8',
  'i1',
  'i2',
  'biginteger',
  'double',
  'float',
  'boolean',
  'string',
  'dateTime.iso8601',
  'base64',
  'nil',
]);
const VALUE_CHILDREN = new Set([...SCALARS, 'array', 'struct']);
const CHILDREN: Record<string, ReadonlySet<string>> = {
  methodCall: new Set(['methodName', 'params']),
  methodResponse: new Set(['params', 'fault']),
  params: new Set(['param']),
  param: new Set(['value']),
  fault: new Set(['value']),
  value: VALUE_CHILDREN,
  array: new Set(['data']),
  data: new Set(['value']),
  struct: new Set(['member']),
  member: new Set(['name', 'value']),
};
const TEXT_HOLDERS = new Set([...SCALARS, 'value', 'name', 'methodName']);

/** One open element: its tag, its text so far, and whatever its children produced. */
interface Frame {
  tag: string;
  text: string;
  /** The value a <value> got from its typed child; for <member>, its value. */
  value?: XmlRpcValue;
  hasValue: boolean;
  /** <member>'s name. */
  name?: string;
  /** <data>'s items, <params>' values. */
  items?: XmlRpcValue[];
  /** <struct>'s members. */
  struct?: Struct;
}

/**
 * One struct member as servers lay it out, white space before it included: 1 its name; 2 the
 * type and 3 the text of a typed value, or 4 the text of an untyped one.
 */
const MEMBER =
  /[ \t\n]*<member>[ \t\n]*<name>([^<&]*)<\/name>[ \t\n]*<value>(?:<(string|int|i4|i8|boolean|double)>([^<&]*)<\/\2>|([^<&]*))<\/value>[ \t\n]*<\/member>/y;

/** Sets a struct member; a member named __proto__ must stay an ordinary own property. */
function setMember(struct: Struct, name: string, value: XmlRpcValue): void {
  if (name === '__proto__') {
    Object.defineProperty(struct, name, { value, enumerable: true, writable: true, configurable: true });
  } else {
    struct[name] = value;
  }
}

/** What a whole document turned out to be. */
export type XmlRpcDocument =
  { kind: 'call'; call: MethodCall } | { kind: 'response'; value: XmlRpcValue } | { kind: 'fault'; fault: XmlRpcFault };

/**
 * Feeds a document piece by piece (as it arrives from a socket) and builds its value as it goes:
 * `write()` each chunk, then `end()`. A chunk may split a UTF-8 sequence or a \r\n anywhere.
 */
export class XmlRpcParser {
  private readonly reader = new XmlReader({
    error: (message) => {
      throw this.error(`malformed XML: ${message}`);
    },
    doctype: () => {
      throw this.error('a DOCTYPE is not allowed');
    },
    open: (name) => this.open(localName(name)),
    close: (name) => this.close(localName(name)),
    text: (text) => this.text(text),
  });
  private readonly decoder = new StringDecoder('utf8');
  private readonly stack: Frame[] = [];
  private root: string | undefined;
  private rootClosed = false;
  private methodName: string | undefined;
  private params: XmlRpcValue[] | undefined;
  private faultValue: XmlRpcValue | undefined;
  private pendingCR = false;
  /** Set on the reader while the innermost open element is a <struct>. */
  private readonly members: XmlShortcut = {
    pattern: MEMBER,
    take: (match) => {
      const struct = this.stack[this.stack.length - 1]?.struct as Struct;
      const tag = match[2];
      let value: XmlRpcValue;
      if (tag === undefined) value = match[4] ?? '';
      else if (tag === 'string') value = match[3] ?? '';
      else {
        try {
          value = scalar(tag, match[3] ?? '');
        } catch {
          return false; // read again token by token, to report the error where it is
        }
      }
      setMember(struct, match[1] ?? '', value);
      return true;
    },
  };

  constructor(private readonly expect: 'methodCall' | 'methodResponse' | 'any' = 'any') {}

  write(chunk: Buffer | string): this {
    let s = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    if (this.pendingCR) s = '\r' + s;
    // A \r at the end may be the first half of a \r\n: keep it for the next chunk.
    this.pendingCR = s.endsWith('\r');
    if (this.pendingCR) s = s.slice(0, -1);
    if (s.includes('\r')) s = s.replace(/\r\n?/g, '\n');
    if (s) this.reader.write(s);
    return this;
  }

  end(): XmlRpcDocument {
    const rest = this.decoder.end() + (this.pendingCR ? '\n' : '');
    this.pendingCR = false;
    if (rest) this.reader.write(rest);
    this.reader.close();
    if (!this.rootClosed) throw xmlRpcParseError('empty or incomplete document');
    if (this.root === 'methodCall') {
      if (this.methodName === undefined) throw xmlRpcParseError('<methodCall> without <methodName>');
      return { kind: 'call', call: { methodName: this.methodName, params: this.params ?? [] } };
    }
    if (this.faultValue !== undefined) return { kind: 'fault', fault: toFault(this.faultValue) };
    if (this.params === undefined) throw xmlRpcParseError('<methodResponse> without <params> or <fault>');
    if (this.params.length !== 1) {
      throw xmlRpcParseError(`<methodResponse> must carry exactly one <param>, not ${this.params.length}`);
    }
    return { kind: 'response', value: this.params[0] as XmlRpcValue };
  }

  private error(message: string): SupervisorError {
    const { line, column } = this.reader.position();
    return xmlRpcParseError(`${message} (line ${line}, column ${column})`);
  }

  private open(tag: string): void {
    const parent = this.stack[this.stack.length - 1];
    if (parent === undefined) {
      const allowed = this.expect === 'any' ? tag === 'methodCall' || tag === 'methodResponse' : tag === this.expect;
      if (this.root !== undefined || !allowed) throw this.error(`unexpected <${tag}> at the top level`);
      this.root = tag;
    } else {
      if (!CHILDREN[parent.tag]?.has(tag)) throw this.error(`unexpected <${tag}> in <${parent.tag}>`);
      const problem = this.oneOnly(parent, tag);
      if (problem) throw this.error(problem);
    }
    this.reader.shortcut = tag === 'struct' ? this.members : undefined;
    // Every field set, in one order: one object shape for all frames keeps this fast.
    this.stack.push({
      tag,
      text: '',
      value: undefined,
      hasValue: false,
      name: undefined,
      items: tag === 'data' || tag === 'params' ? [] : undefined,
      struct: tag === 'struct' ? {} : undefined,
    });
  }

  /** Why `tag` may not open in `parent` when the parent already has what it can hold. */
  private oneOnly(parent: Frame, tag: string): string | undefined {
    switch (parent.tag) {
      case 'value':
        return parent.hasValue ? 'a <value> holds one typed element' : undefined;
      case 'param':
      case 'fault':
        return parent.hasValue ? `a <${parent.tag}> holds one <value>` : undefined;
      case 'array':
        return parent.items !== undefined ? 'an <array> holds one <data>' : undefined;
      case 'member':
        if (tag === 'name') return parent.name !== undefined ? 'a <member> has one <name>' : undefined;
        return parent.name === undefined || parent.hasValue ? 'a <member> has one <name> then one <value>' : undefined;
      case 'methodCall':
      case 'methodResponse':
        if (tag === 'methodName') return this.methodName !== undefined ? 'more than one <methodName>' : undefined;
        return this.params !== undefined || this.faultValue !== undefined
          ? `a <${parent.tag}> holds one <params> or one <fault>`
          : undefined;
    }
    return undefined;
  }

  private text(text: string): void {
    const frame = this.stack[this.stack.length - 1];
    if (frame === undefined) return; // whitespace around the root: the reader refuses the rest
    if (TEXT_HOLDERS.has(frame.tag)) {
      frame.text += text;
    } else if (!WHITESPACE.test(text)) {
      throw this.error(`unexpected text in <${frame.tag}>`);
    }
  }

  private close(tag: string): void {
    const frame = this.stack.pop();
    if (frame === undefined || frame.tag !== tag) throw this.error(`unexpected </${tag}>`);
    const parent = this.stack[this.stack.length - 1];
    this.reader.shortcut = parent?.tag === 'struct' ? this.members : undefined;
    if (parent === undefined) {
      this.rootClosed = true;
      return;
    }
    let produced: XmlRpcValue;
    switch (tag) {
      case 'value':
        if (frame.hasValue) {
          if (!WHITESPACE.test(frame.text)) throw this.error('text beside a typed element in <value>');
          produced = frame.value as XmlRpcValue;
        } else {
          produced = frame.text; // <value>text</value> is a string, whitespace and all
        }
        break;
      case 'array':
        if (frame.items === undefined) throw this.error('an <array> needs a <data>');
        produced = frame.items;
        break;
      case 'data':
        parent.items = frame.items;
        return;
      case 'struct':
        produced = frame.struct as Struct;
        break;
      case 'member':
        if (!frame.hasValue) throw this.error('a <member> needs a <name> and a <value>');
        setMember(parent.struct as Struct, frame.name as string, frame.value as XmlRpcValue);
        return;
      case 'name':
        parent.name = frame.text;
        return;
      case 'methodName':
        this.methodName = frame.text;
        return;
      case 'param':
        if (!frame.hasValue) throw this.error('a <param> needs a <value>');
        parent.items?.push(frame.value as XmlRpcValue);
        return;
      case 'params':
        this.params = frame.items;
        return;
      case 'fault':
        if (!frame.hasValue) throw this.error('a <fault> needs a <value>');
        this.faultValue = frame.value as XmlRpcValue;
        return;
      default:
        try {
          produced = scalar(tag, frame.text);
        } catch (e) {
          throw isSupervisorError(e, 'XMLRPC_PARSE') ? this.error(e.message) : e;
        }
    }
    if (parent.tag === 'data') {
      parent.items?.push(produced);
    } else {
      parent.value = produced;
      parent.hasValue = true;
    }
  }
}

/** Python's client strips namespace prefixes (`ex:nil`); so do we. */
function localName(tag: string): string {
  return tag.includes(':') ? tag.slice(tag.lastIndexOf(':') + 1) : tag;
}

function toFault(value: XmlRpcValue): XmlRpcFault {
  const struct = value as Struct;
  if (
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value) ||
    typeof struct.faultCode !== 'number' ||
    typeof struct.faultString !== 'string'
  ) {
    throw xmlRpcParseError('a <fault> must be a struct with an int faultCode and a string faultString');
  }
  return new XmlRpcFault(struct.faultCode, struct.faultString);
}

function parseWhole(body: Buffer | string, expect: 'methodCall' | 'methodResponse'): XmlRpcDocument {
  return new XmlRpcParser(expect).write(body).end();
}

/** A request body → its method name and params (no <params> means none). */
export function parseMethodCall(body: Buffer | string): MethodCall {
  const doc = parseWhole(body, 'methodCall');
  if (doc.kind !== 'call') throw xmlRpcParseError('not a <methodCall>');
  return doc.call;
}

/** A response body → its one value; a <fault> response is thrown as an XmlRpcFault. */
export function parseMethodResponse(body: Buffer | string): XmlRpcValue {
  return responseValue(parseWhole(body, 'methodResponse'));
}

/** The value of a parsed response document, throwing its fault. */
export function responseValue(doc: XmlRpcDocument): XmlRpcValue {
  if (doc.kind === 'fault') throw doc.fault;
  if (doc.kind !== 'response') throw xmlRpcParseError('not a <methodResponse>');
  return doc.value;
}
