// Reads the daemon's notifications off a byte stream: a header line, then a payload whose
// length the header gives. The reference counts that length in Python characters (code points)
// while sending UTF-8, so a non-ASCII payload is longer in bytes than `len` says; we count code
// points. A daemon that counted bytes instead is also understood: when exactly `len` bytes have
// arrived and nothing more comes for a moment (the daemon waits for our answer), that is the
// payload.
import type { Readable } from 'node:stream';

/** How long a byte-counted payload must be followed by silence before it is taken as complete. */
const BYTE_COUNTED_QUIET_MS = 50;

/** UTF-8 sequence length announced by a lead byte; a stray continuation byte counts alone. */
function sequenceLength(lead: number): number {
  if (lead >= 0xf0) return 4;
  if (lead >= 0xe0) return 3;
  if (lead >= 0xc0) return 2;
  return 1;
}

/** Bytes taken by the first `count` code points of `buf`, or undefined if they have not all arrived. */
export function byteLengthOfCodePoints(buf: Buffer, count: number): number | undefined {
  let offset = 0;
  for (let i = 0; i < count; i++) {
    if (offset >= buf.length) return undefined;
    offset += sequenceLength(buf[offset] ?? 0);
  }
  return offset <= buf.length ? offset : undefined;
}

export class NotificationReader {
  private buffer = Buffer.alloc(0);
  private readonly chunks: AsyncIterator<Buffer | string>;
  /** A read still in flight after a timed wait gave up on it; the next read reuses it. */
  private pending: Promise<IteratorResult<Buffer | string>> | undefined;

  constructor(input: Readable) {
    this.chunks = input[Symbol.asyncIterator]();
  }

  /** The next line without its newline, or undefined at end of input. */
  async readLine(): Promise<string | undefined> {
    for (;;) {
      const newline = this.buffer.indexOf(0x0a);
      if (newline >= 0)
        return this.take(newline + 1)
          .toString('utf8')
          .slice(0, -1);
      if (!(await this.fill())) return undefined;
    }
  }

  /** A payload of `len` code points (or, see above, `len` bytes), or undefined if input ends first. */
  async readPayload(len: number): Promise<string | undefined> {
    for (;;) {
      const end = byteLengthOfCodePoints(this.buffer, len);
      if (end !== undefined) return this.take(end).toString('utf8');
      if (this.buffer.length === len) {
        const more = await this.fill(BYTE_COUNTED_QUIET_MS);
        if (more === 'timeout') return this.take(len).toString('utf8');
        if (!more) return undefined;
        continue;
      }
      if (!(await this.fill())) return undefined;
    }
  }

  private take(bytes: number): Buffer {
    const head = this.buffer.subarray(0, bytes);
    this.buffer = this.buffer.subarray(bytes);
    return head;
  }

  /** Appends the next chunk; false at end of input, 'timeout' if none came within `withinMs`. */
  private async fill(withinMs?: number): Promise<boolean | 'timeout'> {
    const next = this.pending ?? this.chunks.next();
    this.pending = next;
    let timer: NodeJS.Timeout | undefined;
    const result =
      withinMs === undefined
        ? await next
        : await Promise.race([next, new Promise<'timeout'>((resolve) => (timer = setTimeout(resolve, withinMs, 'timeout')))]);
    clearTimeout(timer);
    if (result === 'timeout') return 'timeout';
    this.pending = undefined;
    if (result.done) return false;
    const chunk = typeof result.value === 'string' ? Buffer.from(result.value, 'utf8') : result.value;
    this.buffer = Buffer.concat([this.buffer, chunk]);
    return true;
  }
}
