// An HTTP check: ok when a GET of the URL is answered with a 2xx status. Redirects are answers
// like any other (not followed, not ok). Each attempt has its own connection, closed after the
// answer; the body is read and dropped, up to a limit past which the status alone decides, so
// an endless body cannot hold the check until its timeout.
import http from 'node:http';
import { attemptWithin, failureDetail, type Check, type CheckOutcome } from './check.js';

/** How much of an answer's body is read before the check settles without the rest. */
const BODY_LIMIT = 64 * 1024;

export function httpCheck(url: string): Check {
  return (options) =>
    attemptWithin(options, async (signal) => {
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        return { ok: false, detail: `not a URL: ${url}` };
      }
      if (target.protocol !== 'http:') return { ok: false, detail: `${target.protocol} URLs are not supported` };
      return new Promise<CheckOutcome>((resolve) => {
        const request = http.get(target, { agent: false, signal }, (response) => {
          const status = response.statusCode ?? 0;
          const outcome = { ok: status >= 200 && status < 300, detail: `HTTP ${status}` };
          let read = 0;
          response.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read > BODY_LIMIT) resolve(outcome);
          });
          response.once('end', () => resolve(outcome));
          response.on('error', (error) => resolve({ ok: false, detail: failureDetail(error) }));
        });
        request.on('error', (error) => resolve({ ok: false, detail: failureDetail(error) }));
      });
    });
}
