// Following a log file as it grows (`tail -f`), across rotation and truncation, driven by
// inotify events on its directory rather than by polling. Used by the /logtail and
// /mainlogtail HTTP streams and the web UI's log pages, through LogFile.
import fs from 'node:fs';
import path from 'node:path';

export interface LogFollowerHandlers {
  data(chunk: Buffer): void;
  /** The file shrank: it was cleared or truncated in place. */
  truncated(): void;
}

export interface LogFollower {
  close(): void;
}

/** Sends the last `headBytes` of the file, then everything appended to it until closed. */
export function followLog(file: string, headBytes: number, handlers: LogFollowerHandlers): LogFollower {
  let fd = fs.openSync(file, 'r');
  let inode = fs.fstatSync(fd).ino;
  let position = Math.max(0, fs.fstatSync(fd).size - headBytes);
  let closed = false;

  const readNew = () => {
    const size = fs.fstatSync(fd).size;
    if (size < position) {
      position = 0;
      handlers.truncated();
    }
    while (position < size) {
      const chunk = Buffer.alloc(Math.min(size - position, 1 << 20));
      const read = fs.readSync(fd, chunk, 0, chunk.length, position);
      if (read === 0) break;
      position += read;
      handlers.data(chunk.subarray(0, read));
    }
  };

  /** After a rotation the name holds a new file: finish the old one, then switch. */
  const followRename = () => {
    const current = fs.statSync(file, { throwIfNoEntry: false });
    if (!current || current.ino === inode) return;
    readNew();
    fs.closeSync(fd);
    fd = fs.openSync(file, 'r');
    inode = fs.fstatSync(fd).ino;
    position = 0;
  };

  const onEvent = (_event: string, name: string | Buffer | null) => {
    if (closed || (name !== null && name.toString() !== path.basename(file))) return;
    try {
      followRename();
      readNew();
    } catch {
      // The file vanished between the event and the read; the next event picks it up again.
    }
  };

  const watcher = fs.watch(path.dirname(file), { persistent: false }, onEvent);
  watcher.on('error', () => {});
  readNew();
  return {
    close() {
      if (closed) return;
      closed = true;
      watcher.close();
      fs.closeSync(fd);
    },
  };
}

/** Calls `then` once `file` exists as a regular file, from inotify events on its directory. */
export function whenCreated(file: string, isReadable: (file: string) => boolean, then: () => void): LogFollower {
  let done = false;
  let watcher: fs.FSWatcher | null = null;
  const check = () => {
    if (done || !isReadable(file)) return;
    done = true;
    watcher?.close();
    then();
  };
  try {
    watcher = fs.watch(path.dirname(file), { persistent: false }, (_event, name) => {
      if (name === null || name.toString() === path.basename(file)) check();
    });
    watcher.on('error', () => {});
  } catch {
    return { close() {} }; // no such directory: the file can never appear
  }
  // It may have been created before the watch began.
  queueMicrotask(check);
  return {
    close() {
      done = true;
      watcher?.close();
    },
  };
}
