// [supervisord] strip_ansi: the reference's escape stripping, applied to each chunk read.
//
// An escape starts at ESC '[' and is dropped up to and including the first terminator byte
// from the set below; if none follows in the same chunk, the rest of the chunk is dropped.
// Each chunk is stripped on its own, so an escape split across two reads leaves its tail
// (e.g. "1m") in the next chunk, and other escapes (ESC ']' ...) pass through: both as the reference.

const ESC = 0x1b;
const OPEN_BRACKET = 0x5b;
const TERMINATORS = new Set(Array.from('HfABCDRsuJKhlpm', (char) => char.charCodeAt(0)));

/** Returns `data` itself when it holds no escape (no copy on the common path). */
export function stripAnsiEscapes(data: Buffer): Buffer {
  let start = data.indexOf(ESC);
  if (start === -1) return data;
  const kept: Buffer[] = [];
  let from = 0;
  while (start !== -1) {
    if (data[start + 1] !== OPEN_BRACKET) {
      start = data.indexOf(ESC, start + 1);
      continue;
    }
    kept.push(data.subarray(from, start));
    // The reference begins looking for the terminator at the '[' itself.
    let end = start + 1;
    while (end < data.length && !TERMINATORS.has(data[end] as number)) end += 1;
    if (end >= data.length) return Buffer.concat(kept);
    from = end + 1;
    start = data.indexOf(ESC, from);
  }
  kept.push(data.subarray(from));
  return Buffer.concat(kept);
}
