// Capture mode (stdout_capture_maxbytes / stderr_capture_maxbytes): output between
// <!--XSUPERVISOR:BEGIN--> and <!--XSUPERVISOR:END--> is kept aside instead of logged and, at
// the end token, becomes a PROCESS_COMMUNICATION event. A token split across reads is found.

export const BEGIN_TOKEN = Buffer.from('<!--XSUPERVISOR:BEGIN-->');
export const END_TOKEN = Buffer.from('<!--XSUPERVISOR:END-->');

/** The longest start of `token` that `data` ends with (0 for none), short of the whole token. */
function prefixAtEnd(data: Buffer, token: Buffer): number {
  for (let length = token.length - 1; length > 0; length -= 1) {
    if (data.length >= length && data.subarray(data.length - length).equals(token.subarray(0, length))) return length;
  }
  return 0;
}

export interface CaptureHandlers {
  /** Output outside the tokens (and, as in the reference, inside them too: `capturing` says). */
  output(data: Buffer, capturing: boolean): void;
  /** Everything between a begin and an end token, at most maxBytes of it. */
  captured(data: Buffer): void;
}

export class OutputCapture {
  private pending: Buffer = Buffer.alloc(0);
  private capturing = false;
  private kept: Buffer = Buffer.alloc(0);

  constructor(
    private readonly maxBytes: number,
    private readonly handlers: CaptureHandlers,
  ) {}

  write(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    this.scan();
  }

  private scan(): void {
    const token = this.capturing ? END_TOKEN : BEGIN_TOKEN;
    if (this.pending.length <= token.length) return;
    let data = this.pending;
    this.pending = Buffer.alloc(0);
    const at = data.indexOf(token);
    if (at < 0) {
      const partial = prefixAtEnd(data, token);
      if (partial) {
        this.pending = data.subarray(data.length - partial);
        data = data.subarray(0, data.length - partial);
      }
      this.emit(data);
      return;
    }
    this.emit(data.subarray(0, at));
    this.toggle();
    this.pending = data.subarray(at + token.length);
    if (this.pending.length) this.scan();
  }

  private emit(data: Buffer): void {
    if (!data.length) return;
    if (this.capturing) this.keep(data);
    this.handlers.output(data, this.capturing);
  }

  /** Bounded like the reference's capture buffer: an overflowing write drops as many old bytes. */
  private keep(data: Buffer): void {
    if (this.kept.length + data.length > this.maxBytes) this.kept = this.kept.subarray(data.length);
    this.kept = Buffer.concat([this.kept, data]);
  }

  private toggle(): void {
    this.capturing = !this.capturing;
    if (!this.capturing) {
      const data = this.kept;
      this.kept = Buffer.alloc(0);
      this.handlers.captured(data);
    }
  }
}
