// GET /log-events/...: a log file as a live stream for the tail pages. Its last bytes first, then
// whatever is appended, across rotation and truncation (followLog). Text is decoded as UTF-8 with
// characters split between chunks kept whole; the page inserts it as text, never as markup.
import fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { followLog } from '../../actors/logs/follow-log.js';
import { isReadableLogFile } from '../../actors/logs/read-log.js';
import type { HttpRequest } from '../http/router.js';
import { openEventStream } from './event-stream.js';

/** How much of the existing log a tail page starts with. */
const HEAD_BYTES = 64 * 1024;

/**
 * Events: `reset` (start afresh: also sent again after a reconnect), `text` (a string),
 * `truncated` (the file was cleared or rotated in place), `missing` (no such log file yet).
 */
export function streamLog(file: string | null, request: HttpRequest, response: ServerResponse): void {
  let follower: { close(): void } | null = null;
  const stream = openEventStream(request, response, () => follower?.close());
  stream.send('reset', { file });
  const follow = (existing: string) => {
    const decoder = new StringDecoder('utf8');
    follower = followLog(existing, HEAD_BYTES, {
      data: (chunk) => {
        const text = decoder.write(chunk);
        if (text) stream.send('text', text);
      },
      truncated: () => stream.send('truncated', {}),
    });
  };
  if (isReadableLogFile(file)) {
    follow(file);
    return;
  }
  stream.send('missing', { file });
  // A process's log is created at its first spawn: wait for it rather than have the page retry.
  if (file !== null) follower = whenCreated(file, () => follow(file));
}

/** Calls `then` once `file` exists, from inotify events on its directory. */
function whenCreated(file: string, then: () => void): { close(): void } {
  let done = false;
  let watcher: fs.FSWatcher | null = null;
  const check = () => {
    if (done || !isReadableLogFile(file)) return;
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
    return { close() {} }; // no such directory: the log can never appear
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
