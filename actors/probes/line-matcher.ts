// Finding a line of a program's output that matches a pattern (readiness=stdout:REGEX or
// stderr:REGEX). Output arrives in chunks cut anywhere, even inside a character, so bytes are
// gathered up to a newline and only whole lines are decoded and tested. A line still open is not
// tested (the program may not have finished it: "listening on 80" could become "…8080"), except
// one that grows past the limit: its first part is tested as a line and the rest starts the next.
// A line's "\r\n" ending counts as its end, so `$` works for programs that write CRLF.

/** The longest line tested as a whole. */
export const MAX_LINE_BYTES = 64 * 1024;

const NEWLINE = 0x0a;

export class LineMatcher {
  private readonly pattern: RegExp;
  /** The start of the line still open, in the chunks it came in. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(
    pattern: RegExp,
    private readonly maxLineBytes = MAX_LINE_BYTES,
  ) {
    // Without the global and sticky flags a test does not depend on the one before it.
    this.pattern = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
  }

  /** Takes the next chunk; returns the first line it completes that matches, else null. */
  feed(chunk: Buffer): string | null {
    let found: string | null = null;
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, start);
      if (newline < 0) {
        this.pending.push(chunk.subarray(start));
        this.pendingBytes += chunk.length - start;
        if (this.pendingBytes > this.maxLineBytes) {
          const match = this.testPieces(this.take(Buffer.alloc(0)), false);
          found ??= match;
        }
        break;
      }
      // Taken even when a line already matched: taking is what moves on to the next line.
      const match = this.testPieces(this.take(chunk.subarray(start, newline)), true);
      found ??= match;
      start = newline + 1;
    }
    return found;
  }

  /** The open line completed by `last`, as bytes; the matcher then starts a new line. */
  private take(last: Buffer): Buffer {
    const line = this.pending.length ? Buffer.concat([...this.pending, last]) : last;
    this.pending = [];
    this.pendingBytes = 0;
    return line;
  }

  /**
   * Tests `bytes` in pieces no longer than the limit, cut before a character that would be
   * split; unless the line is `complete`, the last piece stays open.
   */
  private testPieces(bytes: Buffer, complete: boolean): string | null {
    let found: string | null = null;
    let rest = bytes;
    while (rest.length > this.maxLineBytes) {
      let cut = this.maxLineBytes;
      // UTF-8 continuation bytes are 10xxxxxx; a character is at most 4 bytes.
      while (cut > Math.max(1, this.maxLineBytes - 3) && ((rest[cut] ?? 0) & 0xc0) === 0x80) cut -= 1;
      found ??= this.test(rest.subarray(0, cut));
      rest = rest.subarray(cut);
    }
    if (complete) return found ?? this.test(rest);
    this.pending = [rest];
    this.pendingBytes = rest.length;
    return found;
  }

  private test(bytes: Buffer): string | null {
    const end = bytes.at(-1) === 0x0d ? bytes.length - 1 : bytes.length;
    const line = bytes.toString('utf8', 0, end);
    return this.pattern.test(line) ? line : null;
  }
}
