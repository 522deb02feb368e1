// A small XML-RPC client for supervisorctl and the tests: POST /RPC2 over a Unix socket or TCP,
// one keep-alive connection reused across calls, the response parsed as it streams in.
import http from 'node:http';
import { XmlRpcParser, responseValue } from './parse.js';
import { serializeMethodCall } from './serialize.js';
import type { XmlRpcValue } from './types.js';
import { SupervisorError, UsageError } from '../errors.js';

export interface XmlRpcClientOptions {
  /** `unix:///path/to.sock` or `http://host[:port]` (port 80 when omitted). */
  serverurl: string;
  username?: string;
  password?: string;
  /** No answer within this long → an XmlRpcConnectionError with systemCode ETIMEDOUT. */
  timeoutMs?: number;
}

export interface XmlRpcClient {
  /** Calls a method; resolves with its value, rejects with XmlRpcFault for a fault. */
  call(method: string, ...params: XmlRpcValue[]): Promise<XmlRpcValue>;
  /** Closes the kept-alive connection. */
  close(): void;
}

/** The server answered with an HTTP status other than 200 (Python's ProtocolError). */
export class XmlRpcHttpError extends SupervisorError {
  override name = 'XmlRpcHttpError';

  constructor(
    readonly url: string,
    readonly status: number,
    readonly reason: string,
  ) {
    super('XMLRPC_HTTP', `${url}: HTTP ${status} ${reason}`);
  }
}

/** HTTP 401: no or wrong credentials. */
export class XmlRpcAuthError extends XmlRpcHttpError {
  override name = 'XmlRpcAuthError';

  constructor(url: string, reason: string) {
    super(url, 401, reason);
  }
}

// supervisorctl's own wording for the two errors it recognizes.
const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  ECONNREFUSED: 'refused connection',
  EACCES: 'permission denied',
  ETIMEDOUT: 'timed out',
};

/** The server could not be reached; the message is "<serverurl> <reason>", ready to print. */
export class XmlRpcConnectionError extends SupervisorError {
  override name = 'XmlRpcConnectionError';

  constructor(
    readonly url: string,
    /** Why, as the system said it: ECONNREFUSED, ENOENT, ETIMEDOUT, ... */
    readonly systemCode: string | undefined,
    cause: Error,
  ) {
    super('XMLRPC_CONNECTION', `${url} ${(systemCode && REASONS[systemCode]) ?? cause.message}`, { cause });
  }
}

/** Where an http.request for a serverurl goes. */
export interface Target {
  socketPath?: string;
  host?: string;
  port?: number;
}

/** The socket path or host and port of a `unix://` or `http://` serverurl. */
export function target(serverurl: string): Target {
  if (serverurl.startsWith('unix://')) return { socketPath: serverurl.slice('unix://'.length) };
  if (serverurl.startsWith('http://')) {
    const url = new URL(serverurl);
    return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: url.port ? Number(url.port) : 80 };
  }
  throw new UsageError(`Unknown protocol for serverurl ${serverurl}`);
}

// A kept-alive connection the server closed while idle fails the next request at once, before
// the server could handle it: that request is sent once more on a new connection, as Python's
// http.client-based transport does. A fresh connection's failure is reported, never retried.
const RETRYABLE = new Set(['ECONNRESET', 'EPIPE']);

export function createXmlRpcClient(options: XmlRpcClientOptions): XmlRpcClient {
  const { serverurl, username, password, timeoutMs } = options;
  const where = target(serverurl);
  const agent = new http.Agent({ keepAlive: true });
  const headers: http.OutgoingHttpHeaders = { 'Content-Type': 'text/xml', Accept: 'text/xml' };
  // A socket path makes no Host header; Supervisor's own client says localhost too.
  if (where.socketPath !== undefined) headers.Host = 'localhost';
  if (username !== undefined && password !== undefined) {
    headers.Authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }

  function post(body: string, retried: boolean): Promise<XmlRpcValue> {
    return new Promise((resolve, reject) => {
      const options: http.RequestOptions & { servername: string } = {
        ...where,
        agent,
        method: 'POST',
        path: '/RPC2',
        headers: { ...headers, 'Content-Length': Buffer.byteLength(body) },
        // The name TLS would send (there is no TLS here): left unset, the agent works it out
        // from the host with net.isIP, whose IPv6 pattern takes ~3 ms to compile on first use.
        servername: '',
      };
      const req = http.request(options);
      let responded = false;
      if (timeoutMs !== undefined) {
        req.setTimeout(timeoutMs, () => {
          req.destroy(new XmlRpcConnectionError(serverurl, 'ETIMEDOUT', new Error(`no answer within ${timeoutMs} ms`)));
        });
      }
      req.on('error', (e: NodeJS.ErrnoException) => {
        if (responded) return; // the response's own handlers report it
        if (!retried && req.reusedSocket && e.code !== undefined && RETRYABLE.has(e.code)) {
          post(body, true).then(resolve, reject);
          return;
        }
        reject(e instanceof XmlRpcConnectionError ? e : new XmlRpcConnectionError(serverurl, e.code, e));
      });
      req.on('response', (res) => {
        responded = true;
        const status = res.statusCode ?? 0;
        if (status !== 200) {
          res.resume();
          // Python's transport drops the connection after a non-200 answer; so do we.
          res.on('end', () => res.socket?.destroy());
          const reason = res.statusMessage ?? '';
          reject(status === 401 ? new XmlRpcAuthError(serverurl, reason) : new XmlRpcHttpError(serverurl, status, reason));
          return;
        }
        const parser = new XmlRpcParser('methodResponse');
        res.on('data', (chunk: Buffer) => {
          try {
            parser.write(chunk);
          } catch (e) {
            res.destroy();
            reject(e);
          }
        });
        res.on('end', () => {
          try {
            resolve(responseValue(parser.end()));
          } catch (e) {
            reject(e);
          }
        });
        res.on('error', (e: NodeJS.ErrnoException) => reject(new XmlRpcConnectionError(serverurl, e.code, e)));
      });
      req.end(body);
    });
  }

  return {
    call: (method, ...params) => post(serializeMethodCall({ methodName: method, params }), false),
    close: () => agent.destroy(),
  };
}
