// Reading a daemon's Server-Sent Events stream (GET /events of a daemon of ours) over its
// unix socket or TCP, with its credentials: the remote side of the dashboard's live tables.
import http from 'node:http';
import { target } from '../../common/xmlrpc/client.js';

export interface StreamEvent {
  event: string;
  data: string;
}

export type StreamOpening =
  /** The daemon streams: events follow until it ends the stream or close() is called. */
  | { kind: 'streaming'; close(): void }
  /** It answered, but not with a stream (a daemon without one answers 404). */
  | { kind: 'refused'; status: number; reason: string };

export interface StreamHandlers {
  event(event: StreamEvent): void;
  /** The stream ended or broke after it opened (not called after close()). */
  ended(): void;
}

/**
 * Opens `path` as an event stream. Rejects when the daemon cannot be reached or does not answer
 * within `timeoutMs` (with the Node error, whose `code` says why).
 */
export function openEventStreamClient(
  options: { serverurl: string; path: string; username: string | null; password: string | null; timeoutMs: number },
  handlers: StreamHandlers,
): Promise<StreamOpening> {
  const headers: http.OutgoingHttpHeaders = { Accept: 'text/event-stream' };
  if (options.username !== null && options.password !== null) {
    headers.Authorization = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
  }
  return new Promise((resolve, reject) => {
    const request = http.get({ ...target(options.serverurl), path: options.path, headers, agent: false });
    const timer = setTimeout(
      () => request.destroy(Object.assign(new Error('no answer in time'), { code: 'ETIMEDOUT' })),
      options.timeoutMs,
    );
    let closed = false;
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.on('response', (response) => {
      clearTimeout(timer);
      const type = String(response.headers['content-type'] ?? '');
      if (response.statusCode !== 200 || !type.startsWith('text/event-stream')) {
        response.resume();
        resolve({ kind: 'refused', status: response.statusCode ?? 0, reason: response.statusMessage ?? '' });
        return;
      }
      let pending = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        pending += chunk;
        let end: number;
        while ((end = pending.indexOf('\n\n')) >= 0) {
          const block = pending.slice(0, end);
          pending = pending.slice(end + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
          }
          if (data.length > 0) handlers.event({ event, data: data.join('\n') });
        }
      });
      const ended = (): void => {
        if (closed) return;
        closed = true;
        handlers.ended();
      };
      response.on('end', ended);
      response.on('close', ended);
      response.on('error', ended);
      resolve({
        kind: 'streaming',
        close: () => {
          closed = true;
          request.destroy();
        },
      });
    });
  });
}
