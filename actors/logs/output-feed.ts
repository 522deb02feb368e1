// The output of a channel whose log file is formatted (*_logfile_format=, ours), as the child
// wrote it: what `fg` shows, as it would from a raw log (our supervisorctl asks for
// /logtail/NAME/CHANNEL?raw). Like following a file: the last bytes first, then each chunk as
// it is read. Only formatted channels keep one; a raw log file is its own raw output.
import type { LogFollower } from './follow-log.js';

export interface OutputFeedHandlers {
  data(chunk: Buffer): void;
}

export class OutputFeed {
  private recent: Buffer = Buffer.alloc(0);
  private readonly followers = new Set<OutputFeedHandlers>();

  /** @param keep how many of the last bytes a new follower gets first */
  constructor(private readonly keep: number) {}

  /** `data` is not kept: the recent bytes and what followers get are copies. */
  push(data: Buffer): void {
    if (data.length >= this.keep) {
      this.recent = Buffer.from(data.subarray(data.length - this.keep));
    } else {
      const kept = this.recent.subarray(Math.max(0, this.recent.length + data.length - this.keep));
      this.recent = Buffer.concat([kept, data]);
    }
    if (this.followers.size === 0) return;
    const chunk = Buffer.from(data);
    for (const follower of this.followers) follower.data(chunk);
  }

  /** The last `headBytes` (at most what is kept), then everything pushed until closed. */
  follow(headBytes: number, handlers: OutputFeedHandlers): LogFollower {
    const head = this.recent.subarray(Math.max(0, this.recent.length - headBytes));
    if (head.length > 0) handlers.data(Buffer.from(head));
    this.followers.add(handlers);
    return { close: () => this.followers.delete(handlers) };
  }
}
