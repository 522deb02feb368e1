// A configuration file's bytes must be UTF-8: the first bad sequence is refused with Python's
// decoder message (the reference's, which names neither file nor line), then file and line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { decodeConfigText } from '../../config/utf8.js';
import { ConfigError } from '../../config/types.js';

/** [bytes, where the bad sequence is: its line]. */
const BAD: Array<[Buffer, number]> = [
  [Buffer.from('[program:a]\ncommand=/bin/echo caf\xe9\n', 'latin1'), 2], // latin-1 é before a newline
  [Buffer.from('caf\xe9', 'latin1'), 1], // at the very end: unexpected end of data
  [Buffer.from([0x61, 0x80, 0x62]), 1], // a continuation byte without a lead
  [Buffer.from([0x0a, 0xc0, 0xaf]), 2], // an overlong form's lead is never valid
  [Buffer.from([0x0a, 0x0d, 0x0a, 0xe4, 0xb8, 0x58]), 3], // two of three bytes, CRLF counted once
  [Buffer.from([0x0d, 0x0d, 0xe4, 0xb8]), 3], // two of three bytes at the end; lone CRs are line ends
  [Buffer.from([0xed, 0xa0, 0x80]), 1], // a surrogate
  [Buffer.from([0xf0, 0x90, 0x80, 0x58]), 1], // three of four bytes
  [Buffer.from([0xf4, 0x90, 0x80, 0x80]), 1], // past U+10FFFF
  [Buffer.from([0xf5, 0x80]), 1],
  [Buffer.from([0xe0, 0x80, 0x80]), 1], // overlong three-byte form
];

function ourMessage(bytes: Buffer): ConfigError {
  try {
    decodeConfigText(bytes, '/etc/x.conf');
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err;
  }
  assert.fail(`${bytes.toString('hex')} decoded without error`);
}

/** What Python's strict decoder says about each byte string, as the reference reports it. */
function pythonMessages(samples: readonly Buffer[]): string[] | null {
  const program = 'import sys\nfor h in sys.argv[1:]:\n  try: bytes.fromhex(h).decode()\n  except UnicodeDecodeError as e: print(e)\n';
  const r = spawnSync('python3', ['-c', program, ...samples.map((b) => b.toString('hex'))], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trimEnd().split('\n') : null;
}

test('valid UTF-8 (any script, a BOM kept as configparser keeps it) decodes as is', () => {
  const text = '\ufeff[program:ü]\ncommand=/bin/echo 日本 🎉\r\n';
  assert.equal(decodeConfigText(Buffer.from(text, 'utf8'), '/etc/x.conf'), text);
});

test('the code points at each edge of the valid ranges decode', () => {
  for (const codePoint of [0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xfffd, 0xffff, 0x10000, 0x10ffff]) {
    const text = `a=${String.fromCodePoint(codePoint)}\n`;
    assert.equal(decodeConfigText(Buffer.from(text, 'utf8'), '/etc/x.conf'), text, codePoint.toString(16));
  }
});

test("the first bad sequence: Python's message, then the file and its line", () => {
  const python = pythonMessages(BAD.map(([b]) => b));
  for (const [index, [bytes, line]] of BAD.entries()) {
    const err = ourMessage(bytes);
    assert.equal(err.where, `at /etc/x.conf:${line}`, bytes.toString('hex'));
    assert.equal(err.message, `${err.reason} (at /etc/x.conf:${line})`);
    if (python) assert.equal(err.reason, python[index], bytes.toString('hex'));
  }
  assert.equal(ourMessage(BAD[0]![0]).reason, "'utf-8' codec can't decode byte 0xe9 in position 33: invalid continuation byte");
  assert.equal(ourMessage(BAD[1]![0]).reason, "'utf-8' codec can't decode byte 0xe9 in position 3: unexpected end of data");
});
