// Reading a log file for the API, with the offset and length rules of Supervisor's readLog /
// readProcess*Log (a slice) and tailProcess*Log (the end, with an overflow flag).
import fs from 'node:fs';
import { isSupervisorError, SupervisorError } from '../../common/errors.js';

/**
 * Only regular files are read: a log target such as /dev/stdout may be a pipe, and opening it
 * for reading would take the daemon's own output (or block).
 */
export function isReadableLogFile(file: string | null): file is string {
  return file !== null && (fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false);
}

function withFile<T>(file: string, use: (fd: number, size: number) => T): T {
  const fd = fs.openSync(file, 'r');
  try {
    return use(fd, fs.fstatSync(fd).size);
  } finally {
    fs.closeSync(fd);
  }
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(Math.max(0, length));
  const read = length > 0 ? fs.readSync(fd, buffer, 0, length, position) : 0;
  return buffer.subarray(0, read);
}

/**
 * A slice of the file. A negative offset means "the last -offset bytes" (length must then be
 * 0); length 0 means "to the end"; a negative length is refused.
 */
export function readLogSlice(file: string, offset: number, length: number): Buffer {
  try {
    return withFile(file, (fd, size) => {
      if (offset < 0) {
        if (length !== 0) throw new SupervisorError('LOG_BAD_ARGUMENTS', `offset ${offset} and length ${length} do not name a slice`);
        const start = Math.max(0, size + offset);
        return readAt(fd, start, Math.min(-offset, size - start));
      }
      if (length < 0) throw new SupervisorError('LOG_BAD_ARGUMENTS', `offset ${offset} and length ${length} do not name a slice`);
      const available = Math.max(0, size - offset);
      return readAt(fd, offset, length === 0 ? available : Math.min(length, available));
    });
  } catch (error) {
    if (isSupervisorError(error, 'LOG_BAD_ARGUMENTS')) throw error;
    throw new SupervisorError('LOG_IO', `cannot read ${file}`, { cause: error });
  }
}

export interface LogTail {
  data: Buffer;
  /** The file's size: where the next tail call should start. */
  offset: number;
  /** The file grew past offset + length, so bytes in between were skipped. */
  overflow: boolean;
}

/** Up to `length` bytes from `offset`, or the last `length` bytes if the file grew past them. */
export function tailLog(file: string, offset: number, length: number): LogTail {
  try {
    return withFile(file, (fd, size) => {
      let overflow = false;
      let start = offset;
      let count = length;
      if (size > offset + length) {
        overflow = true;
        start = size - 1;
      }
      if (start + count > size) {
        if (start > size - 1) count = 0;
        start = size - count;
      }
      start = Math.max(0, start);
      count = Math.max(0, count);
      return { data: readAt(fd, start, count), offset: size, overflow };
    });
  } catch {
    return { data: Buffer.alloc(0), offset, overflow: false };
  }
}
