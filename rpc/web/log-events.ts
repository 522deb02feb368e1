// GET /log-events/...: a log file as a live stream for the tail pages. Its last bytes first, then
// whatever is appended, across rotation and truncation (LogFile.followOnceCreated). Text is
// decoded as UTF-8 with characters split between chunks kept whole; the page inserts it as
// text, never as markup.
import type { ServerResponse } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import type { LogFile } from '../../actors/logs/log-file.js';
import type { HttpRequest } from '../http/router.js';
import { openEventStream } from './event-stream.js';

/** How much of the existing log a tail page starts with. */
const HEAD_BYTES = 64 * 1024;

/**
 * Events: `reset` (start afresh: also sent again after a reconnect), `text` (a string),
 * `truncated` (the file was cleared or rotated in place), `missing` (no such log file yet).
 */
export function streamLog(file: LogFile, request: HttpRequest, response: ServerResponse): void {
  const decoder = new StringDecoder('utf8');
  const stream = openEventStream(request, response, () => follower.close());
  stream.send('reset', { file: file.path });
  // A process's log is created at its first spawn: the page waits for it rather than retry.
  if (!file.readable) stream.send('missing', { file: file.path });
  const follower = file.followOnceCreated(HEAD_BYTES, {
    data: (chunk) => {
      const text = decoder.write(chunk);
      if (text) stream.send('text', text);
    },
    truncated: () => stream.send('truncated', {}),
  });
}
