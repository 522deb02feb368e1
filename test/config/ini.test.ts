// The INI reader follows Python's RawConfigParser as Supervisor configures it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IniDocument } from '../../config/ini.js';

function parse(text: string, file = 'test.conf'): IniDocument {
  const doc = new IniDocument();
  doc.read(text, file);
  return doc;
}

const value = (doc: IniDocument, section: string, key: string): string | undefined => doc.get(section, key)?.value;

test('a shell command with quotes and semicolons is kept whole', () => {
  const doc = parse("[program:x]\ncommand=sh -c 'while true; do echo hi; sleep 1; done'\n");
  assert.equal(value(doc, 'program:x', 'command'), "sh -c 'while true; do echo hi; sleep 1; done'");
});

test('inline comments need whitespace before them; quotes do not protect', () => {
  const doc = parse('[s]\na=b;c\nb=b ;c\nc=x\t# tab comment\nd="quoted ;not kept"\ne=url#frag\n');
  assert.equal(value(doc, 's', 'a'), 'b;c');
  assert.equal(value(doc, 's', 'b'), 'b');
  assert.equal(value(doc, 's', 'c'), 'x');
  assert.equal(value(doc, 's', 'd'), '"quoted');
  assert.equal(value(doc, 's', 'e'), 'url#frag');
});

test('comment search goes in rounds per prefix, as configparser does', () => {
  // The first '#' is glued to "b", the first ';' follows a space: the round stops there,
  // so the later " #d" is not where the comment starts.
  assert.equal(value(parse('[s]\na=b#c #d ;e\n'), 's', 'a'), 'b#c #d');
});

test('full-line comments and blank lines', () => {
  const doc = parse('# top\n; also\n[s]\n  ; indented comment\na = 1\n\n#x=2\n');
  assert.deepEqual(doc.options('s'), ['a']);
});

test('keys are lowercased, the first = or : splits, whitespace is stripped', () => {
  const doc = parse('[s]\n  Key One = a = b\nurl: http://x:1/\n');
  assert.equal(value(doc, 's', 'key one'), 'a = b');
  assert.equal(value(doc, 's', 'url'), 'http://x:1/');
});

test('section headers: trailing comment, junk after ], dots and case kept', () => {
  const doc = parse('[program:a.b] ; comment\nx=1\n[Program:C]\ny=2\n[weird] trailing\nz=3\n');
  assert.deepEqual([...doc.sections.keys()], ['program:a.b', 'Program:C', 'weird']);
});

test('continuation lines join with newlines; blank lines inside are kept, trailing ones dropped', () => {
  const doc = parse('[s]\nenv=A=1,\n  B=2\n\n  C=3\n\n\nnext=4\n   ; comment inside\n  more\n');
  assert.equal(value(doc, 's', 'env'), 'A=1,\nB=2\n\nC=3');
  assert.equal(value(doc, 's', 'next'), '4\nmore');
});

test('an indented line right after a header is a key, not a continuation', () => {
  const doc = parse('[s]\n  a=1\n  b=2\n');
  assert.equal(value(doc, 's', 'a'), '1');
  assert.equal(value(doc, 's', 'b'), '2');
});

test('duplicate sections merge and the last duplicate key wins', () => {
  const doc = parse('[s]\na=1\nb=1\n[t]\n[s]\na=2\n');
  assert.equal(value(doc, 's', 'a'), '2');
  assert.equal(value(doc, 's', 'b'), '1');
  assert.deepEqual([...doc.sections.keys()], ['s', 't']);
  assert.equal(doc.get('s', 'a')?.line, 6);
});

test('[DEFAULT] is a fallback for every section', () => {
  const doc = parse('[DEFAULT]\nstartsecs=5\n[s]\nstartsecs=1\n[t]\n');
  assert.equal(value(doc, 's', 'startsecs'), '1');
  assert.equal(value(doc, 't', 'startsecs'), '5');
  assert.deepEqual(doc.options('t'), ['startsecs']);
  assert.equal(doc.has('DEFAULT'), false);
});

test('values remember file and line; sections their header', () => {
  const doc = parse('[s]\n\na=1\n', 'one.conf');
  doc.read('[s]\nb=2\n[u]\n', 'two.conf');
  assert.deepEqual(doc.get('s', 'a'), { value: '1', file: 'one.conf', line: 3 });
  assert.deepEqual(doc.get('s', 'b'), { value: '2', file: 'two.conf', line: 2 });
  assert.equal(doc.sections.get('s')?.file, 'one.conf');
  assert.equal(doc.sections.get('u')?.file, 'two.conf');
});

test('CRLF and lone CR line ends', () => {
  const doc = parse('[s]\r\na=1\r\nb=2\rc=3');
  assert.equal(value(doc, 's', 'a'), '1');
  assert.equal(value(doc, 's', 'c'), '3');
});

// configparser's messages span lines ("...headers.\nfile: ..."); ours are those lines joined by spaces.
test('a key before any section is fatal, with file, line and the line itself, in one line', () => {
  assert.throws(() => parse('a=1\n[s]\n', 'x.conf'), {
    name: 'ConfigError',
    message: "File contains no section headers. file: 'x.conf', line: 1 'a=1\\n'",
  });
});

test('bad lines are listed with their line numbers, in one line', () => {
  assert.throws(() => parse("[s]\nnot a pair\n=nokey\nit's bad\n", 'x.conf'), {
    message: `Source contains parsing errors: 'x.conf' [line  2]: 'not a pair\\n' [line  3]: '=nokey\\n' [line  4]: "it's bad\\n"`,
  });
});

test('a bad line is shown with the newline Python reads: CRLF as \\n, none at the end of the file', () => {
  assert.throws(() => parse('[s]\r\nbad one\r\nlast', 'x.conf'), {
    message: "Source contains parsing errors: 'x.conf' [line  2]: 'bad one\\n' [line  3]: 'last'",
  });
});

test('a file of bad lines (megabytes of them): the first five, cut short when long, and how many more', () => {
  const long = 'x'.repeat(5000);
  const text = `[s]\n${long}\n${'no delimiter here\n'.repeat(300000)}`;
  assert.throws(() => parse(text, 'big.conf'), {
    message:
      `Source contains parsing errors: 'big.conf' [line  2]: '${'x'.repeat(200)}'... ` +
      "[line  3]: 'no delimiter here\\n' [line  4]: 'no delimiter here\\n' [line  5]: 'no delimiter here\\n' " +
      "[line  6]: 'no delimiter here\\n' and 299996 more bad lines",
  });
  assert.throws(() => parse(`${long}\n`, 'bin.conf'), {
    message: `File contains no section headers. file: 'bin.conf', line: 1 '${'x'.repeat(200)}'...`,
  });
});

test('sections and keys given again are merged, and recorded with where they were first given', () => {
  const doc = new IniDocument();
  doc.read('[DEFAULT]\nd=1\n[a]\nk=1\nk=2\n[b]\nk=1\n[a]\nk=3\n', 'one.conf');
  doc.read('[a]\nj=1\n[DEFAULT]\nd=2\n', 'two.conf');
  assert.equal(value(doc, 'a', 'k'), '3');
  assert.equal(value(doc, 'a', 'j'), '1');
  assert.equal(doc.defaults.get('d')?.value, '2');
  assert.deepEqual(doc.duplicates, [
    { section: 'a', key: 'k', file: 'one.conf', line: 5, first: { file: 'one.conf', line: 4 } },
    { section: 'a', file: 'one.conf', line: 8, first: { file: 'one.conf', line: 3 } },
    { section: 'a', file: 'two.conf', line: 1, first: { file: 'one.conf', line: 3 } },
    { section: 'DEFAULT', file: 'two.conf', line: 3, first: { file: 'one.conf', line: 1 } },
  ]);
});
