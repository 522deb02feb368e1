// Python's repr() of str and bytes, for messages whose layout the reference builds with %r
// (e.g. "'cat' stdout output:", "Failed to clean up '/tmp/x.log'", "Undecodable: b'\xff'").

/** Python picks double quotes only when the text holds a single quote and no double quote. */
function pickQuote(hasSingle: boolean, hasDouble: boolean): string {
  return hasSingle && !hasDouble ? '"' : "'";
}

function hex(value: number, width: number): string {
  return value.toString(16).padStart(width, '0');
}

/** True for code points Python's str.isprintable() rejects (controls, separators, unassigned aside). */
function isUnprintable(codePoint: number): boolean {
  return (
    codePoint < 0x20 ||
    (codePoint >= 0x7f && codePoint <= 0xa0) ||
    codePoint === 0xad ||
    (codePoint >= 0xd800 && codePoint <= 0xdfff) ||
    codePoint === 0x2028 ||
    codePoint === 0x2029
  );
}

/** repr() of a Python str. */
export function pyStrRepr(text: string): string {
  const quote = pickQuote(text.includes("'"), text.includes('"'));
  let out = quote;
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0;
    if (char === quote || char === '\\') out += '\\' + char;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (!isUnprintable(codePoint)) out += char;
    else if (codePoint <= 0xff) out += '\\x' + hex(codePoint, 2);
    else out += '\\u' + hex(codePoint, 4);
  }
  return out + quote;
}

/** repr() of a Python bytes object. */
export function pyBytesRepr(data: Uint8Array): string {
  const quote = pickQuote(data.includes(0x27), data.includes(0x22));
  const quoteByte = quote.charCodeAt(0);
  let out = 'b' + quote;
  for (const byte of data) {
    if (byte === quoteByte || byte === 0x5c) out += '\\' + String.fromCharCode(byte);
    else if (byte === 0x0a) out += '\\n';
    else if (byte === 0x0d) out += '\\r';
    else if (byte === 0x09) out += '\\t';
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += '\\x' + hex(byte, 2);
  }
  return out + quote;
}
