// The XML reader under the XML-RPC parser: what it reports of each kind of markup, the same
// events however the document is cut into pieces, and sax's words for malformed documents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XmlReader } from '../../../common/xmlrpc/xml-reader.js';

/** The reader's events for a document fed in pieces of `size` characters (all at once by default). */
function events(doc: string, size = doc.length || 1): string[] {
  const seen: string[] = [];
  const reader = new XmlReader({
    open: (name) => seen.push(`<${name}>`),
    close: (name) => seen.push(`</${name}>`),
    text: (text) => {
      // Text may arrive in several events: joined, as one.
      const last = seen.length - 1;
      if (seen[last]?.startsWith('"')) seen[last] = `${seen[last]?.slice(0, -1)}${text}"`;
      else seen.push(`"${text}"`);
    },
    doctype: () => seen.push('DOCTYPE'),
    error: (message) => {
      const { line, column } = reader.position();
      throw new Error(`${message} at ${line}:${column}`);
    },
  });
  for (let i = 0; i < doc.length; i += size) reader.write(doc.slice(i, i + size));
  reader.close();
  return seen;
}

const DOC =
  '\ufeff<?xml version="1.0"?>\n<!-- a <comment> -->\n<a x="1>2" y=\'&quot;\'>t &amp; &lt;&#65;&#x1F600;<b/><![CDATA[<raw> & ]]><ns:c\n/></a>\n';

test('tags, attributes (checked, not reported), text with references, CDATA; comments and PIs skipped', () => {
  assert.deepEqual(events(DOC), ['<a>', '"t & <A😀"', '<b>', '</b>', '"<raw> & "', '<ns:c>', '</ns:c>', '</a>']);
});

test('the same events whatever pieces the document comes in', () => {
  const whole = events(DOC);
  for (let size = 1; size <= DOC.length; size += 1) assert.deepEqual(events(DOC, size), whole, `pieces of ${size}`);
});

test('a DOCTYPE is reported to the caller, which refuses it', () => {
  const reader = new XmlReader({
    open: () => assert.fail('no element may be reported'),
    close: () => {},
    text: () => {},
    doctype: () => {
      throw new Error('refused');
    },
    error: (message) => assert.fail(message),
  });
  assert.throws(() => reader.write('<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'), /refused/);
});

test("malformed documents get sax's words and a position", () => {
  const cases: [string, RegExp][] = [
    ['x<a/>', /Non-whitespace before first tag\. at 1:0/],
    ['<a/>x', /Text data outside of root node\./],
    ['<a>', /Unclosed root tag/],
    ['<a></b>', /Unexpected close tag at 1:3/],
    ['<a>\n</a x>', /Invalid tagname in closing tag at 2:0/],
    ['<a x=1/>', /Invalid attribute/],
    ['<a x="<"/>', /Invalid attribute/],
    ['<a x="&nope;"/>', /Invalid character entity/],
    ['<1/>', /Invalid tagname/],
    ['<a>&constructor;</a>', /Invalid character entity/],
    ['<a>&#1;</a>', /Invalid character entity/],
    ['<a>&#xD800;</a>', /Invalid character entity/],
    ['<a>& b</a>', /Invalid character entity/],
    ['<a><!-- open', /Unexpected end/],
    ['<a x="1', /Unexpected end/],
    ['<a><!ELEMENT a></a>', /Inappropriately located doctype declaration/],
  ];
  for (const [doc, message] of cases) {
    assert.throws(() => events(doc), message, doc);
    assert.throws(() => events(doc, 1), message, `${doc} in pieces of 1`);
  }
});

test('white space is XML white space only', () => {
  assert.deepEqual(events(' \t\r\n<a/>\n'), ['<a>', '</a>']);
  assert.throws(() => events('\n\ufeff<a/>'), /Non-whitespace before first tag/);
  assert.throws(() => events('\u00a0<a/>'), /Non-whitespace before first tag/);
});

test('a shortcut takes the markup its pattern matches; declined, the same text is read token by token', () => {
  const seen: string[] = [];
  let accept = true;
  const reader = new XmlReader({
    open: (name) => seen.push(`<${name}>`),
    close: (name) => seen.push(`</${name}>`),
    text: (text) => seen.push(`"${text}"`),
    doctype: () => assert.fail('no DOCTYPE here'),
    error: (message) => assert.fail(message),
  });
  reader.shortcut = {
    pattern: /<b>(\w*)<\/b>/y,
    take: (match) => {
      seen.push(`shortcut ${match[1]}`);
      return accept;
    },
  };
  reader.write('<a><b>one</b>');
  accept = false;
  reader.write('<b>two</b>');
  reader.shortcut = undefined;
  reader.write('<b>three</b></a>');
  reader.close();
  assert.deepEqual(seen, ['<a>', 'shortcut one', 'shortcut two', '<b>', '"two"', '</b>', '<b>', '"three"', '</b>', '</a>']);
});
