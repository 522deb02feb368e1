// The daemon's HTTP servers: [inet_http_server] and [unix_http_server], each with its own
// credentials, sharing one set of routes. Started in the reference's order (inet, then unix)
// with the reference's log lines; closed promptly so a restart can bind again at once.
import fs from 'node:fs';
import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ActivityLog } from '../../actors/logs/activity-log.js';
import type { Credentials, InetHttpServerConfig, UnixHttpServerConfig } from '../../config/types.js';
import { pyRepr } from '../../config/python.js';
import { authenticatedUser, WWW_AUTHENTICATE } from './auth.js';
import { readBody } from './body.js';
import { httpServerErrorFrom } from './errors.js';
import { accessLine, logMedusa, startupBanner } from './medusa-log.js';
import { errorPage, sendError } from './respond.js';
import { Router, type HttpRequest, type RouteHandler, type RouteLookup, type RouteMethod } from './router.js';
import { inetHostname, resolveListenAddress } from './inet-address.js';
import { RequestCounts, type ServerSection } from './request-counts.js';
import { listenOnUnixSocket } from './unix-socket.js';

export type { HttpRequest, RouteHandler, RouteMethod } from './router.js';
export type { RequestCount, ServerSection } from './request-counts.js';
export { sendWhole, sendError } from './respond.js';

export interface HttpLimits {
  /** Larger POST bodies get 413 and the connection is closed; the reference has no limit. */
  maxBodyBytes: number;
  /** Time allowed to send the request headers. */
  headersTimeoutMs: number;
  /** Time allowed to send the whole request, body included (not the response). */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this (the reference: 30 minutes). */
  keepAliveTimeoutMs: number;
  /** Per server; further connections are dropped on accept. */
  maxConnections: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  maxBodyBytes: 8 * 1024 * 1024,
  headersTimeoutMs: 30_000,
  requestTimeoutMs: 120_000,
  keepAliveTimeoutMs: 30 * 60_000,
  maxConnections: 512,
};

export interface HttpServersOptions {
  /**
   * The [rpcinterface:x] section names, in order. The reference logs
   * "RPC interface 'x' initialized" for each, once per server, as that server starts.
   */
  rpcInterfaceNames?: readonly string[];
  limits?: Partial<HttpLimits>;
  /** Receives the "Unlinking stale socket" notice, which the reference writes to stderr. */
  warn?: (text: string) => void;
  /** Called once the servers, after answering requests, have answered none for QUIET_MS. */
  onQuiet?: () => void;
  /** Called as each request has been answered. */
  onAnswered?: () => void;
  /**
   * Requests are received but answered only once serve() is called: the daemon answers nothing
   * before its autostart pass, as the reference (whose loop starts them before it polls) does.
   */
  holdUntilServe?: boolean;
}

/** How long without requests counts as the end of a busy spell (onQuiet). */
const QUIET_MS = 2000;

interface RunningServer {
  section: ServerSection;
  server: Server;
  /** The unix socket file and its inode, removed on close if it is still ours. */
  socketFile: { path: string; ino: number } | null;
}

export class HttpServers {
  /** What children get as SUPERVISOR_SERVER_URL: the unix socket if any, else the inet server. */
  readonly serverUrl: string | null;
  /** Requests answered, for the metrics. */
  readonly requests = new RequestCounts();
  private readonly router = new Router();
  private readonly limits: HttpLimits;
  private readonly rpcInterfaceNames: readonly string[];
  private readonly warn: (text: string) => void;
  private running: RunningServer[] = [];
  /** Adds the routes mounted later (routeLater), once; null when there are none (left). */
  private lateRoutes: (() => Promise<void>) | null = null;
  private lateRoutesAdded: Promise<void> | null = null;
  private readonly onQuiet: (() => void) | null;
  private readonly onAnswered: (() => void) | null;
  /** Runs onQuiet QUIET_MS after the last request; pushed back by each one (one timer, no polling). */
  private quietTimer: NodeJS.Timeout | null = null;
  /** Resolved by serve() (at once without holdUntilServe); every request waits for it. */
  private readonly serving: Promise<void>;
  private startServing: () => void = () => {};

  constructor(
    private readonly configs: { unix: UnixHttpServerConfig | null; inet: InetHttpServerConfig | null },
    private readonly log: ActivityLog,
    options: HttpServersOptions = {},
  ) {
    this.limits = { ...DEFAULT_HTTP_LIMITS, ...options.limits };
    this.rpcInterfaceNames = options.rpcInterfaceNames ?? [];
    this.warn = options.warn ?? ((text) => process.stderr.write(text));
    this.onQuiet = options.onQuiet ?? null;
    this.onAnswered = options.onAnswered ?? null;
    this.serverUrl = serverUrlFor(configs);
    this.serving = options.holdUntilServe ? new Promise((resolve) => (this.startServing = resolve)) : Promise.resolve();
  }

  /** Answers the requests held since listen() and every later one (see holdUntilServe). */
  serve(): void {
    this.startServing();
  }

  /** Adds a route for every server; routes are tried in the order added. */
  route(method: RouteMethod, match: string | RegExp, handler: RouteHandler): void {
    this.router.add(method, match, handler);
  }

  /**
   * Routes that `add` mounts, after all others, when a request first matches none of them: code
   * most daemons never run (the web UI) is then loaded only when needed. A request that matched
   * an earlier route meanwhile is answered as before; whether a path exists is known only after.
   */
  routeLater(add: () => Promise<void>): void {
    this.lateRoutes = add;
  }

  /** The route for a request, the late routes added first if it matches none yet. */
  private async lookup(method: string, path: string): Promise<RouteLookup> {
    const found = this.router.lookup(method, path);
    if (found.kind === 'found' || this.lateRoutes === null) return found;
    const add = this.lateRoutes;
    this.lateRoutesAdded ??= add().then(
      () => {
        this.lateRoutes = null;
      },
      (error: unknown) => {
        // The next request tries again.
        this.lateRoutesAdded = null;
        throw error;
      },
    );
    await this.lateRoutesAdded;
    return this.router.lookup(method, path);
  }

  /**
   * Opens the configured servers, inet first. Throws a STARTUP error (the reference's message)
   * if one cannot be opened; those already open are closed again.
   */
  async listen(): Promise<void> {
    if (this.running.length > 0) throw new Error('HTTP servers are already listening');
    try {
      if (this.configs.inet) await this.listenInet(this.configs.inet);
      if (this.configs.unix) await this.listenUnix(this.configs.unix);
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  /** Closes the servers and every connection, streaming ones included; removes the socket file. */
  async close(): Promise<void> {
    if (this.quietTimer) clearTimeout(this.quietTimer);
    this.quietTimer = null;
    const running = this.running;
    this.running = [];
    await Promise.all(running.map((entry) => this.closeOne(entry)));
  }

  private async closeOne({ server, socketFile }: RunningServer): Promise<void> {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
    if (socketFile) {
      // A daemon started after us may own the name by now: remove only our own socket.
      // (Synchronous, as in unix-socket.ts: fs.promises would stay loaded for two calls.)
      try {
        if (fs.statSync(socketFile.path).ino === socketFile.ino) fs.unlinkSync(socketFile.path);
      } catch {
        // Gone meanwhile, or not ours to remove: nothing to clean up.
      }
    }
  }

  private async listenInet(config: InetHttpServerConfig): Promise<void> {
    const server = this.createServer('inet_http_server', config.credentials);
    const entry: RunningServer = { section: 'inet_http_server', server, socketFile: null };
    const host = config.host === '*' ? '' : config.host;
    try {
      const address = await resolveListenAddress(host);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host: address, port: config.port }, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      throw httpServerErrorFrom(error as NodeJS.ErrnoException);
    }
    this.running.push(entry);
    if (!host) logMedusa(this.log, ':Computing default hostname');
    if (this.log.isEnabledFor('trace')) {
      logMedusa(this.log, startupBanner(host, await inetHostname(host, this.log), config.port));
    }
    this.logStarted(entry.section, config.credentials);
  }

  private async listenUnix(config: UnixHttpServerConfig): Promise<void> {
    const server = this.createServer('unix_http_server', config.credentials);
    const ino = await listenOnUnixSocket(server, config, this.warn);
    this.running.push({ section: 'unix_http_server', server, socketFile: { path: config.file, ino } });
    logMedusa(this.log, startupBanner(config.file, '<unix domain socket>', config.file));
    this.logStarted('unix_http_server', config.credentials);
  }

  private logStarted(section: ServerSection, credentials: Credentials | null): void {
    for (const name of this.rpcInterfaceNames) this.log.info(`RPC interface ${pyRepr(name)} initialized`);
    if (!credentials) this.log.critical(`Server ${pyRepr(section)} running without any HTTP authentication checking`);
  }

  private createServer(section: ServerSection, credentials: Credentials | null): Server {
    const unix = section === 'unix_http_server';
    const server = http.createServer({
      noDelay: true,
      headersTimeout: this.limits.headersTimeoutMs,
      requestTimeout: this.limits.requestTimeoutMs,
    });
    server.keepAliveTimeout = this.limits.keepAliveTimeoutMs;
    server.maxConnections = this.limits.maxConnections;
    if (!unix) server.on('connection', (socket: Socket) => socket.setNoDelay(true));
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      const client = unix ? 'localhost:0' : `${request.socket.remoteAddress}:${request.socket.remotePort}`;
      this.logAccess(request, response, client);
      // 'close' also ends a streamed answer (a log tail) that the client left.
      response.once('close', () => {
        this.requests.add(section, request.method ?? '', response.statusCode);
        this.onAnswered?.();
        this.busy();
      });
      this.handle(request, response, credentials).catch((error: unknown) => this.serverError(response, error));
    });
    server.on('clientError', answerMalformedRequest);
    return server;
  }

  /** A request was answered: onQuiet comes QUIET_MS after the last one. */
  private busy(): void {
    const onQuiet = this.onQuiet;
    if (onQuiet === null) return;
    if (this.quietTimer) {
      this.quietTimer.refresh();
      return;
    }
    this.quietTimer = setTimeout(() => {
      this.quietTimer = null;
      onQuiet();
    }, QUIET_MS);
    this.quietTimer.unref();
  }

  /** One Medusa-style access line per answered request. */
  private logAccess(request: IncomingMessage, response: ServerResponse, client: string): void {
    const socket = request.socket;
    const bytesBefore = socket.bytesWritten;
    const requestLine = `${request.method} ${request.url} HTTP/${request.httpVersion}`;
    response.once('finish', () => {
      logMedusa(this.log, accessLine(client, requestLine, response.statusCode, socket.bytesWritten - bytesBefore));
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse, credentials: Credentials | null): Promise<void> {
    await this.serving;
    let username: string | null = null;
    if (credentials) {
      username = authenticatedUser(request.headers.authorization, credentials);
      if (username === null) {
        // Read (and drop) the body first: a client still sending it when the connection closes
        // gets a broken pipe instead of the 401 (Python's xmlrpc.client does).
        await readBody(request, this.limits.maxBodyBytes);
        sendError(response, 401, { 'WWW-Authenticate': WWW_AUTHENTICATE, Connection: 'close' });
        return;
      }
    }
    const target = request.url ?? '/';
    const queryStart = target.indexOf('?');
    const path = queryStart < 0 ? target : target.slice(0, queryStart);
    const found = await this.lookup(request.method ?? '', path);
    if (found.kind !== 'found') {
      sendError(response, found.kind === 'wrong-method' ? 405 : 404);
      return;
    }
    const method = request.method as RouteMethod; // the route matched it
    let body: Buffer = Buffer.alloc(0);
    if (method === 'POST') {
      const read = await readBody(request, this.limits.maxBodyBytes);
      if (read.kind === 'aborted') return;
      if (read.kind === 'too-large') {
        sendError(response, 413, { Connection: 'close' });
        return;
      }
      body = read.body;
    }
    const abort = new AbortController();
    response.once('close', () => abort.abort());
    const httpRequest: HttpRequest = {
      method,
      path,
      query: new URLSearchParams(queryStart < 0 ? '' : target.slice(queryStart + 1)),
      headers: request.headers,
      username,
      body,
      signal: abort.signal,
    };
    await found.handler(httpRequest, response);
  }

  private serverError(response: ServerResponse, error: unknown): void {
    logMedusa(this.log, `Server Error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (!response.headersSent) sendError(response, 500, { Connection: 'close' });
    else response.destroy();
  }
}

/** The reference prefers the unix socket; an inet server on all interfaces is reached via localhost. */
/** What children get as SUPERVISOR_SERVER_URL: the unix socket if any, else the inet server. */
export function serverUrlFor(configs: { unix: UnixHttpServerConfig | null; inet: InetHttpServerConfig | null }): string | null {
  if (configs.unix) return `unix://${configs.unix.file}`;
  if (configs.inet) {
    const host = configs.inet.host === '*' || configs.inet.host === '' ? 'localhost' : configs.inet.host;
    return `http://${host}:${configs.inet.port}`;
  }
  return null;
}

/** Malformed requests and timeouts get a short error answer; the daemon carries on. */
function answerMalformedRequest(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const body = errorPage(status);
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: text/html\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
