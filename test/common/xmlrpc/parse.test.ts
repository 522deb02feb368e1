// The XML-RPC parser: the lexical forms of values, dates, struct members, refused documents
// (a DOCTYPE, malformed XML, a wrong structure; and values the serializer refuses), input fed in
// pieces, and a large body.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMethodCall, parseMethodResponse, XmlRpcParser } from '../../../common/xmlrpc/parse.js';
import { isSupervisorError } from '../../../common/errors.js';
import { serializeMethodCall, serializeMethodResponse } from '../../../common/xmlrpc/serialize.js';
import type { XmlRpcValue } from '../../../common/xmlrpc/types.js';

test('bare <value> text is a string, whitespace kept; empty forms', () => {
  const doc = (inner: string): string => `<methodResponse><params><param>${inner}</param></params></methodResponse>`;
  assert.equal(parseMethodResponse(doc('<value>  plain text \n</value>')), '  plain text \n');
  assert.equal(parseMethodResponse(doc('<value/>')), '');
  assert.equal(parseMethodResponse(doc('<value></value>')), '');
  assert.equal(parseMethodResponse(doc('<value><string/></value>')), '');
  assert.equal(parseMethodResponse(doc('<value>\n  <string> kept </string>\n</value>')), ' kept ');
  assert.equal(parseMethodResponse(doc('<value><int> 12 </int></value>')), 12);
  assert.equal(parseMethodResponse(doc('<value><i4>+3</i4></value>')), 3);
  assert.equal(parseMethodResponse(doc('<value><i8>-9007199254740991</i8></value>')), -9007199254740991);
  assert.equal(parseMethodResponse(doc('<value><double> -1.5E3 </double></value>')), -1500);
  assert.equal(parseMethodResponse(doc('<value><double>inf</double></value>')), Infinity);
  assert.ok(Number.isNaN(parseMethodResponse(doc('<value><double>nan</double></value>'))));
  assert.equal(parseMethodResponse(doc('<value><ex:nil xmlns:ex="http://ws.apache.org/xmlrpc/namespaces/extensions"/></value>')), null);
  assert.equal(parseMethodResponse(doc('<value><base64>\naGVs\nbG8=\n</base64></value>'))?.toString(), 'hello');
  assert.equal(parseMethodResponse(doc('<value><![CDATA[<raw> & ]]>x</value>')), '<raw> & x');
  assert.equal(parseMethodResponse(doc('<value>a&#13;b\r\nc\rd&#x1F600;</value>')), 'a\rb\nc\nd😀');
});

test('dates: compact or with dashes, zone-less read as UTC, a zone honoured', () => {
  const date = (text: string): XmlRpcValue =>
    parseMethodResponse(
      `<methodResponse><params><param><value><dateTime.iso8601>${text}</dateTime.iso8601></value></param></params></methodResponse>`,
    );
  assert.deepEqual(date('20261124T04:29:43'), new Date('2026-11-24T04:29:43Z'));
  assert.deepEqual(date(' 2026-11-24T04:29:43 '), new Date('2026-11-24T04:29:43Z'));
  assert.deepEqual(date('2026-11-24T04:29:43.250Z'), new Date('2026-11-24T04:29:43.250Z'));
  assert.deepEqual(date('20261124T04:29:43+02:00'), new Date('2026-11-24T02:29:43Z'));
  assert.throws(
    () => date('20261324T04:29:43'),
    (e: unknown) => isSupervisorError(e, 'XMLRPC_PARSE'),
  );
  assert.throws(
    () => date('20260230T04:29:43'),
    (e: unknown) => isSupervisorError(e, 'XMLRPC_PARSE'),
  );
  assert.throws(() => date('yesterday'), /bad <dateTime.iso8601> value "yesterday"/);
});

test('struct members in order; a duplicate name: the last value wins; __proto__ is just a name', () => {
  const member = (name: string, v: string): string => `<member><name>${name}</name><value>${v}</value></member>`;
  const parsed = parseMethodResponse(
    `<methodResponse><params><param><value><struct>${member('b', '1')}${member('a', '2')}${member('b', '3')}${member('__proto__', '4')}</struct></value></param></params></methodResponse>`,
  ) as { [k: string]: XmlRpcValue };
  assert.deepEqual(Object.keys(parsed), ['b', 'a', '__proto__']);
  assert.equal(parsed.b, '3');
  assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
  assert.equal(Object.getOwnPropertyDescriptor(parsed, '__proto__')?.value, '4');
  assert.deepEqual(parseMethodResponse(serializeMethodResponse(parsed)), parsed);
});

test('struct members as servers lay them out: the same values and errors as when read token by token', () => {
  // Fed one byte at a time, no member is ever whole in the reader's buffer: the token path.
  const read = (doc: string, size: number): XmlRpcValue | string => {
    const parser = new XmlRpcParser('methodResponse');
    try {
      for (let i = 0; i < doc.length; i += size) parser.write(doc.slice(i, i + size));
      return (parser.end() as { value: XmlRpcValue }).value;
    } catch (e) {
      return isSupervisorError(e, 'XMLRPC_PARSE') ? e.message : assert.fail(e as Error);
    }
  };
  const struct = (members: string): string =>
    `<methodResponse><params><param><value><struct>${members}</struct></value></param></params></methodResponse>`;
  const members = [
    '<member><name>s</name><value><string>a b</string></value></member>',
    '\n<member>\n<name>i</name>\n<value><int>-12</int></value>\n</member>',
    '<member><name>i4</name><value><i4> 7 </i4></value></member>',
    '<member><name>t</name><value><boolean>1</boolean></value></member>',
    '<member><name>d</name><value><double>2.5</double></value></member>',
    '<member><name>bare</name><value> text </value></member>',
    '<member><name>empty</name><value></value></member>',
    '<member><name>__proto__</name><value><string>p</string></value></member>',
    '<member><name>a&amp;b</name><value><string>&lt;</string></value></member>',
    '<member><name>n</name><value><struct><member><name>x</name><value><int>1</int></value></member></struct></value></member>',
    '<member><name>list</name><value><array><data><value><i4>1</i4></value></data></array></value></member>',
  ].join('');
  const value = read(struct(members), Infinity) as { [k: string]: XmlRpcValue };
  assert.deepEqual(value, read(struct(members), 1));
  assert.deepEqual(Object.keys(value), ['s', 'i', 'i4', 't', 'd', 'bare', 'empty', '__proto__', 'a&b', 'n', 'list']);
  assert.equal(Object.getPrototypeOf(value), Object.prototype);
  for (const bad of [
    '<member><name>i</name><value><int>x</int></value></member>',
    '<member><name>t</name><value><boolean>2</boolean></value></member>',
    '<member><name>i</name><value><int>99999999999999999999</int></value></member>',
  ]) {
    const message = read(struct(`\n<member><name>ok</name><value>1</value></member>\n${bad}`), Infinity);
    assert.match(String(message), /line 3, column \d+/);
    assert.equal(message, read(struct(`\n<member><name>ok</name><value>1</value></member>\n${bad}`), 1));
  }
});

test('a DOCTYPE is refused, with or without entity declarations', () => {
  const call = '<methodCall><methodName>x</methodName></methodCall>';
  for (const doctype of [
    '<!DOCTYPE methodCall>',
    '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>',
    '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
  ]) {
    assert.throws(() => parseMethodCall(`<?xml version="1.0"?>\n${doctype}${call}`), /a DOCTYPE is not allowed/);
  }
  // Undeclared entities are no way around it.
  assert.throws(() => parseMethodCall('<methodCall><methodName>&xxe;</methodName></methodCall>'), /Invalid character entity/);
});

test('malformed XML, unknown tags and wrong structure are clear errors', () => {
  const call = (params: string): string => `<methodCall><methodName>m</methodName><params>${params}</params></methodCall>`;
  const v = (inner: string): string => call(`<param><value>${inner}</value></param>`);
  const cases: [string, RegExp][] = [
    ['', /empty or incomplete document/],
    ['not xml', /malformed XML: Non-whitespace before first tag/],
    ['<methodCall><methodName>m</methodName>', /malformed XML: Unclosed root tag/],
    ['<methodCall><methodName>m</methodName></methodCall><methodCall/>', /unexpected <methodCall> at the top level/],
    ['<methodResponse/>', /unexpected <methodResponse> at the top level/],
    ['<methodCall><params/></methodCall>', /<methodCall> without <methodName>/],
    ['<methodCall><methodName>m</methodName><methodName>n</methodName></methodCall>', /more than one <methodName>/],
    [call('<param><value><int>1</int></value></param>text'), /unexpected text in <params>/],
    [v('<foo>1</foo>'), /unexpected <foo> in <value>/],
    [v('<int>1</int><int>2</int>'), /a <value> holds one typed element/],
    [v('x<int>1</int>'), /text beside a typed element/],
    [v('<int>1.5</int>'), /bad <int> value "1.5"/],
    [v('<int></int>'), /bad <int> value ""/],
    [v('<i8>9007199254740993</i8>'), /beyond ±\(2\^53-1\)/],
    [v('<double>1,5</double>'), /bad <double> value/],
    [v('<boolean>true</boolean>'), /bad <boolean> value "true" \(must be 0 or 1\)/],
    [v('<boolean> 1</boolean>'), /bad <boolean> value/],
    [v('<base64>abc</base64>'), /bad <base64> value/],
    [v('<nil>x</nil>'), /<nil\/> must be empty/],
    [v('<int><int>1</int></int>'), /unexpected <int> in <int>/],
    [v('<array><value>1</value></array>'), /unexpected <value> in <array>/],
    [v('<array/>'), /an <array> needs a <data>/],
    [v('<struct><member><value>1</value></member></struct>'), /a <member> has one <name> then one <value>/],
    [v('<struct><member><name>a</name></member></struct>'), /a <member> needs a <name> and a <value>/],
    [call('<param></param>'), /a <param> needs a <value>/],
    ['<methodCall><methodName>m</methodName><params></param></params></methodCall>', /malformed XML: Unexpected close tag/],
  ];
  for (const [doc, message] of cases) {
    assert.throws(
      () => parseMethodCall(doc),
      (e: unknown) => isSupervisorError(e, 'XMLRPC_PARSE') && message.test(e.message),
      doc,
    );
  }
  const response = (inner: string): string => `<methodResponse>${inner}</methodResponse>`;
  assert.throws(() => parseMethodResponse(response('')), /without <params> or <fault>/);
  assert.throws(() => parseMethodResponse(response('<params></params>')), /exactly one <param>, not 0/);
  assert.throws(() => parseMethodResponse(response('<fault><value><int>1</int></value></fault>')), /a <fault> must be a struct/);
  assert.throws(() => parseMethodResponse(response('<params/><fault/>')), /holds one <params> or one <fault>/);
  assert.throws(() => serializeMethodResponse({ f: (() => 1) as unknown as XmlRpcValue }), /cannot marshal function/);
  assert.throws(() => serializeMethodResponse(new Map() as unknown as XmlRpcValue), /cannot marshal \[object Map\]/);
  assert.throws(() => serializeMethodResponse(new Date(NaN)), /invalid Date/);
});

test('streaming: a document fed in pieces that split UTF-8 sequences and \\r\\n', () => {
  const xml = Buffer.from(serializeMethodResponse({ text: 'é😀 a\r\nb', list: [1, 2, 3] }).replace(/\n/g, '\r\n'));
  for (const size of [1, 2, 3, 7, 64]) {
    const parser = new XmlRpcParser('methodResponse');
    for (let i = 0; i < xml.length; i += size) parser.write(xml.subarray(i, i + size));
    assert.deepEqual(parser.end(), { kind: 'response', value: { text: 'é😀 a\r\nb', list: [1, 2, 3] } });
  }
});

test('a 10 MB body is parsed whole', () => {
  const big = 'x'.repeat(1000) + '\n';
  const strings = Array.from({ length: 10_000 }, (_, i) => `${i}${big}`);
  const body = Buffer.from(serializeMethodCall({ methodName: 'supervisor.sendProcessStdin', params: ['p', strings.join('')] }));
  assert.ok(body.length > 10_000_000);
  const call = parseMethodCall(body);
  assert.equal(call.params[1], strings.join(''));
});
