// A log file as the API and the web UI read it: a slice, the tail, or a live follow. The one
// place that opens logs for reading, so that no caller above the runtime touches the file.
import fs from 'node:fs';
import { SupervisorError } from '../../common/errors.js';
import { followLog, whenCreated, type LogFollower, type LogFollowerHandlers } from './follow-log.js';
import { isReadableLogFile, readLogSlice, tailLog, type LogTail } from './read-log.js';

export type { LogFollower, LogFollowerHandlers } from './follow-log.js';
export type { LogTail } from './read-log.js';

export class LogFile {
  /** @param path as configured; null for no log (NONE, or stderr redirected to stdout) */
  constructor(readonly path: string | null) {}

  /** A regular file is there to read (a pipe such as /dev/stdout never is). */
  get readable(): boolean {
    return isReadableLogFile(this.path);
  }

  /** readLog's slice (offset and length rules in read-log.ts); throws NO_LOG_FILE when unreadable. */
  read(offset: number, length: number): Buffer {
    return readLogSlice(this.existing(), offset, length);
  }

  /** tailProcess*Log's answer; nothing at offset 0 when there is no file. */
  tail(offset: number, length: number): LogTail {
    if (!isReadableLogFile(this.path)) return { data: Buffer.alloc(0), offset: 0, overflow: false };
    return tailLog(this.path, offset, length);
  }

  lastModified(): Date {
    return fs.statSync(this.existing()).mtime;
  }

  /** The last `headBytes`, then everything appended; null when there is no file to follow. */
  follow(headBytes: number, handlers: LogFollowerHandlers): LogFollower | null {
    return isReadableLogFile(this.path) ? followLog(this.path, headBytes, handlers) : null;
  }

  /** As follow, but a file not created yet (a process that never ran) is followed once it appears. */
  followOnceCreated(headBytes: number, handlers: LogFollowerHandlers): LogFollower {
    const path = this.path;
    let follower = this.follow(headBytes, handlers);
    if (follower || path === null) return follower ?? { close() {} };
    const waiting = whenCreated(path, isReadableLogFile, () => (follower = followLog(path, headBytes, handlers)));
    return {
      close() {
        waiting.close();
        follower?.close();
      },
    };
  }

  private existing(): string {
    if (!isReadableLogFile(this.path)) throw new SupervisorError('NO_LOG_FILE', `no log file at ${this.path ?? 'none'}`);
    return this.path;
  }
}
