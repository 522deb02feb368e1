// A small XML-RPC client for supervisorctl and the tests: POST /RPC2 over a Unix socket or TCP,
// one keep-alive connection reused across calls (http-connection.ts), the response parsed as it
// streams in.
import { ConnectionLost, HttpConnection, type Target } from './http-connection.js';
import { XmlRpcParser, responseValue } from './parse.js';
import { serializeMethodCall } from './serialize.js';
import type { XmlRpcValue } from './types.js';
import { SupervisorError, UsageError } from '../errors.js';

export interface XmlRpcClientOptions {
  /** `unix:///path/to.sock` or `http://host[:port]` (port 80 when omitted). */
  serverurl: string;
  username?: string;
  password?: string;
  /** No byte of an answer within this long → an XmlRpcConnectionError with systemCode ETIMEDOUT. */
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

/** The socket path or host and port of a `unix://` or `http://` serverurl. */
export function target(serverurl: string): Target {
  if (serverurl.startsWith('unix://')) return { socketPath: serverurl.slice('unix://'.length) };
  if (serverurl.startsWith('http://')) {
    const url = new URL(serverurl);
    return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: url.port ? Number(url.port) : 80 };
  }
  throw new UsageError(`Unknown protocol for serverurl ${serverurl}`);
}

/** The Host header: Supervisor's own client says localhost for a socket path. */
function hostHeader(serverurl: string, where: Target): string {
  if (where.socketPath !== undefined) return 'localhost';
  return new URL(serverurl).host;
}

// A kept-alive connection the server closed while idle fails the next request at once, before
// the server could handle it: that request is sent once more on a new connection, as Python's
// http.client-based transport does. A fresh connection's failure is reported, never retried.
const RETRYABLE = new Set(['ECONNRESET', 'EPIPE']);

export function createXmlRpcClient(options: XmlRpcClientOptions): XmlRpcClient {
  const { serverurl, username, password, timeoutMs } = options;
  const where = target(serverurl);
  const connection = new HttpConnection(where, timeoutMs);
  const headers = [`Host: ${hostHeader(serverurl, where)}`, 'Content-Type: text/xml', 'Accept: text/xml', 'Connection: keep-alive'];
  if (username !== undefined && password !== undefined) {
    headers.push(`Authorization: Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`);
  }

  async function post(body: Buffer): Promise<XmlRpcValue> {
    const request = Buffer.concat([
      Buffer.from(`POST /RPC2 HTTP/1.1\r\n${headers.join('\r\n')}\r\nContent-Length: ${body.length}\r\n\r\n`, 'latin1'),
      body,
    ]);
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await exchange(request);
      } catch (e) {
        const retry = e instanceof ConnectionLost && e.reused && !e.answerStarted && RETRYABLE.has(e.code) && attempt === 0;
        if (retry) continue;
        throw e instanceof ConnectionLost ? new XmlRpcConnectionError(serverurl, e.code, e) : e;
      }
    }
  }

  async function exchange(request: Buffer): Promise<XmlRpcValue> {
    let failure: XmlRpcHttpError | null = null;
    const parser = new XmlRpcParser('methodResponse');
    await connection.exchange(request, {
      head: (status, reason) => {
        if (status !== 200)
          failure = status === 401 ? new XmlRpcAuthError(serverurl, reason) : new XmlRpcHttpError(serverurl, status, reason);
      },
      body: (chunk) => {
        if (failure === null) parser.write(chunk);
      },
    });
    if (failure !== null) {
      // Python's transport drops the connection after a non-200 answer; so do we.
      connection.close();
      throw failure;
    }
    return responseValue(parser.end());
  }

  return {
    call: (method, ...params) => post(Buffer.from(serializeMethodCall({ methodName: method, params }))),
    close: () => connection.close(),
  };
}
