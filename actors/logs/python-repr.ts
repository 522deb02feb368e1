// Python's repr() of bytes, for messages whose layout the reference builds with %r
// ("Undecodable: b'\xff'"); repr() of str is config/python.ts's pyRepr.

/** Python picks double quotes only when the text holds a single quote and no double quote. */
function pickQuote(hasSingle: boolean, hasDouble: boolean): string {
  return hasSingle && !hasDouble ? '"' : "'";
}

function hex(value: number, width: number): string {
  return value.toString(16).padStart(width, '0');
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
