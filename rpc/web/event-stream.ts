// Server-Sent Events: one long response carrying named events whose data is JSON (JSON text
// never holds a raw line break, so each event's data fits on one `data:` line whatever it holds).
import type { ServerResponse } from 'node:http';
import type { HttpRequest } from '../http/router.js';

/** How soon a browser reconnects after the stream ends (a daemon restart, a reload). */
const RECONNECT_MS = 1000;

export interface EventStream {
  send(event: string, data: unknown): void;
  end(): void;
}

/** Starts the stream; `onClose` runs once, when the client goes or the stream is ended. */
export function openEventStream(request: HttpRequest, response: ServerResponse, onClose: () => void): EventStream {
  response.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  response.write(`retry: ${RECONNECT_MS}\n\n`);
  let open = true;
  const close = () => {
    if (!open) return;
    open = false;
    onClose();
  };
  request.signal.addEventListener('abort', close);
  response.once('close', close);
  return {
    send(event, data) {
      if (open) response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    end() {
      close();
      response.end();
    },
  };
}
