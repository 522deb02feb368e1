// A configuration file's bytes as text. The reference reads its files as UTF-8 and refuses one
// that is not (with Python's decoder message, naming neither file nor line); Node would replace
// the bad bytes and run a program with a mangled command. We refuse it with Python's message,
// adding the file and line.
import { isUtf8 } from 'node:buffer';
import { ConfigError } from './types.js';

interface BadSequence {
  start: number;
  /** Just past the bytes Python reports. */
  end: number;
  reason: 'invalid start byte' | 'invalid continuation byte' | 'unexpected end of data';
}

/** `file` (absolute) is named in the error. */
export function decodeConfigText(bytes: Uint8Array, file: string): string {
  // Node's check accepts exactly what Python's strict decoder does, in native code: the byte
  // loop below, run for every file, cost supervisorctl ~1 ms for a file of 100 programs.
  const bad = isUtf8(bytes) ? null : firstBadSequence(bytes);
  if (bad === null) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const { start, end, reason } = bad;
  const what =
    end - start === 1
      ? `byte 0x${bytes[start]!.toString(16).padStart(2, '0')} in position ${start}`
      : `bytes in position ${start}-${end - 1}`;
  throw new ConfigError(`'utf-8' codec can't decode ${what}: ${reason}`, { where: { file, line: lineAt(bytes, start) } });
}

/** Where Python's strict UTF-8 decoder stops, and what it says; null for valid UTF-8. */
function firstBadSequence(bytes: Uint8Array): BadSequence | null {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0) return { start: i, end: i + 1, reason: 'invalid start byte' };
    for (let k = 1; k < length; k++) {
      if (i + k >= bytes.length) return { start: i, end: bytes.length, reason: 'unexpected end of data' };
      const [low, high] = k === 1 ? secondByteRange(lead) : [0x80, 0xbf];
      const b = bytes[i + k]!;
      if (b < low || b > high) return { start: i, end: i + k, reason: 'invalid continuation byte' };
    }
    i += length;
  }
  return null;
}

/** The second byte's range excludes overlong forms, surrogates and code points past U+10FFFF. */
function secondByteRange(lead: number): [number, number] {
  if (lead === 0xe0) return [0xa0, 0xbf];
  if (lead === 0xed) return [0x80, 0x9f];
  if (lead === 0xf0) return [0x90, 0xbf];
  if (lead === 0xf4) return [0x80, 0x8f];
  return [0x80, 0xbf];
}

/** The line of byte `offset`, counting lines as Python's universal newlines do. */
function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a || (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a)) line++;
  }
  return line;
}
