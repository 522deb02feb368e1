// Raw HTTP exchanges with a daemon, no XML-RPC client in between: for wire-level checks such as
// the 401 response or a hand-written request body.
import http from 'node:http';
import type { Target } from './rpc.js';

/** Raw HTTP exchange (no XML-RPC client in between), over the unix socket or TCP. */
export function httpRequest(
  target: Target,
  opts: { method?: string; path?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; reason: string; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const base: http.RequestOptions = target.kind === 'unix' ? { socketPath: target.path } : { host: target.host, port: target.port };
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(opts.body));
    const req = http.request({ ...base, method: opts.method ?? 'POST', path: opts.path ?? '/RPC2', headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (s: string) => (body += s));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, reason: res.statusMessage ?? '', headers: res.headers, body }));
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error('http request timed out')));
    req.on('error', reject);
    req.end(opts.body ?? '');
  });
}

/** XML text of a methodCall with string/int/boolean params (for raw requests). */
export function methodCallXml(method: string, params: Array<string | number | boolean> = []): string {
  const enc = (p: string | number | boolean): string =>
    typeof p === 'boolean'
      ? `<boolean>${p ? 1 : 0}</boolean>`
      : typeof p === 'number'
        ? `<int>${p}</int>`
        : `<string>${p.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</string>`;
  return (
    `<?xml version="1.0"?>\n<methodCall>\n<methodName>${method}</methodName>\n<params>\n` +
    params.map((p) => `<param>\n<value>${enc(p)}</value>\n</param>\n`).join('') +
    `</params>\n</methodCall>\n`
  );
}
