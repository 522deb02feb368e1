// Blocking "write everything" on a raw fd, used by every log target.
import fs from 'node:fs';

export interface WriteOutcome {
  /** Bytes that reached the fd, even when an error stopped the write part-way. */
  written: number;
  error: NodeJS.ErrnoException | null;
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the thread for a moment; a full pipe or tty drains only when its reader runs. */
function pause(milliseconds: number): void {
  Atomics.wait(sleepCell, 0, 0, milliseconds);
}

/**
 * Writes all of `data` to `fd`. Partial writes are continued and EAGAIN (a non-blocking pipe,
 * FIFO or tty that is full) is waited out, so a caller never loses the tail of a chunk.
 * Any other error stops the write and is returned, never thrown.
 */
export function writeFully(fd: number, data: Uint8Array): WriteOutcome {
  let written = 0;
  while (written < data.length) {
    try {
      written += fs.writeSync(fd, data, written, data.length - written);
    } catch (caught) {
      const error = caught as NodeJS.ErrnoException;
      if (error.code === 'EAGAIN') {
        pause(1);
        continue;
      }
      return { written, error };
    }
  }
  return { written, error: null };
}
