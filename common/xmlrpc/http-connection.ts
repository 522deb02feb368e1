// One kept-alive HTTP/1.1 connection for the XML-RPC client: a request written in one piece, its
// answer read as it arrives (by Content-Length, in chunks, or up to the close), one request at a
// time. On node:net rather than node:http: supervisorctl makes one or two calls per run, and in a
// fresh process node:http (its modules, agent, request object and parser) took ~10 ms more than
// this for one call, measured here, about half of all a supervisorctl run may add to Node's start.
import net from 'node:net';

/** Where a connection goes: a unix socket path, or a host and port. */
export interface Target {
  socketPath?: string;
  host?: string;
  port?: number;
}

export interface AnswerHandlers {
  /** The status line and headers have arrived (header names in lower case). */
  head(status: number, reason: string, headers: ReadonlyMap<string, string>): void;
  /** A piece of the body. */
  body(chunk: Buffer): void;
}

/** What ended a request that got no complete answer; `code` as Node's own errors have it. */
export class ConnectionLost extends Error {
  constructor(
    message: string,
    readonly code: string,
    /** Whether the connection had carried an answer before this request (a kept-alive one). */
    readonly reused: boolean,
    /** Whether any of the answer had arrived. */
    readonly answerStarted: boolean,
  ) {
    super(message);
  }
}

const HEAD_END = Buffer.from('\r\n\r\n');
const EMPTY: Buffer = Buffer.alloc(0);
/** A head longer than this is no answer of an XML-RPC server. */
const MAX_HEAD_BYTES = 64 * 1024;

export class HttpConnection {
  private socket: net.Socket | null = null;
  private answers = 0;
  /** Requests wait for the one before them: one connection carries one at a time. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly target: Target,
    /** No byte of an answer within this long ends the request (ETIMEDOUT). */
    private readonly timeoutMs?: number,
  ) {}

  /** Sends `request` (head and body) and reads its answer; resolves once the answer has been read. */
  exchange(request: Buffer, handlers: AnswerHandlers): Promise<void> {
    const run = this.queue.then(() => this.run(request, handlers));
    this.queue = run.catch(() => {});
    return run;
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
  }

  private connect(): net.Socket {
    if (this.socket !== null && !this.socket.destroyed) return this.socket;
    const { socketPath, host, port } = this.target;
    const socket = socketPath !== undefined ? net.connect(socketPath) : net.connect(port ?? 80, host);
    // An idle kept-alive connection the server closes is simply not used again.
    const forget = () => {
      if (this.socket === socket) this.socket = null;
    };
    socket.once('close', forget);
    socket.on('error', () => {}); // reported by the request in flight, if any
    this.socket = socket;
    this.answers = 0;
    return socket;
  }

  private run(request: Buffer, handlers: AnswerHandlers): Promise<void> {
    const socket = this.connect();
    const reused = this.answers > 0;
    socket.ref();
    return new Promise<void>((resolve, reject) => {
      const reader = new AnswerReader(handlers);
      const done = (error: Error | null) => {
        socket.off('data', onData);
        socket.off('error', onError);
        socket.off('close', onClose);
        socket.off('timeout', onTimeout);
        socket.setTimeout(0);
        if (error !== null) {
          socket.destroy();
          reject(error);
          return;
        }
        this.answers += 1;
        if (reader.keepAlive) socket.unref();
        else socket.destroy();
        resolve();
      };
      const lost = (message: string, code: string) => done(new ConnectionLost(message, code, reused, reader.started));
      const onData = (chunk: Buffer) => {
        try {
          if (reader.feed(chunk)) done(null);
        } catch (error) {
          done(error as Error);
        }
      };
      const onError = (error: NodeJS.ErrnoException) => lost(error.message, error.code ?? 'ECONNRESET');
      const onClose = () => (reader.closed() ? done(null) : lost('socket hang up', 'ECONNRESET'));
      const onTimeout = () => lost(`no answer within ${this.timeoutMs} ms`, 'ETIMEDOUT');
      socket.on('data', onData);
      socket.on('error', onError);
      socket.on('close', onClose);
      if (this.timeoutMs !== undefined) {
        socket.setTimeout(this.timeoutMs);
        socket.on('timeout', onTimeout);
      }
      socket.write(request);
    });
  }
}

/** The server's answer is not HTTP as we read it. */
const protocolError = (message: string) => new ConnectionLost(message, 'EPROTO', false, true);

/** Reads one answer from the bytes of a connection. */
class AnswerReader {
  started = false;
  keepAlive = true;
  private head: Buffer | null = EMPTY;
  /** Body bytes still expected: a number with Content-Length, 'chunked', or 'close' (up to the end). */
  private framing: number | 'chunked' | 'close' = 0;
  /** In a chunked body: what comes next, and the bytes left of the current chunk. */
  private chunked: 'size' | 'data' | 'end of data' | 'trailers' = 'size';
  private chunkLeft = 0;
  /** Bytes of a chunked body's line not complete yet. */
  private pending = EMPTY;

  constructor(private readonly handlers: AnswerHandlers) {}

  /** Takes bytes; true once the answer is complete. */
  feed(chunk: Buffer): boolean {
    this.started = true;
    if (this.head !== null) {
      const head = this.head.length > 0 ? Buffer.concat([this.head, chunk]) : chunk;
      const end = head.indexOf(HEAD_END);
      if (end < 0) {
        if (head.length > MAX_HEAD_BYTES) throw protocolError('answer head too long');
        this.head = head;
        return false;
      }
      this.head = null;
      const interim = this.readHead(head.subarray(0, end).toString('latin1'));
      if (interim) {
        this.head = EMPTY;
        return this.feed(head.subarray(end + 4));
      }
      chunk = head.subarray(end + 4);
    }
    return this.readBody(chunk);
  }

  /** The connection closed: true if that completes the answer (a body read up to the close). */
  closed(): boolean {
    return this.head === null && this.framing === 'close';
  }

  /** Reads a head; true for an interim (1xx) answer, which another head follows. */
  private readHead(text: string): boolean {
    const [statusLine = '', ...lines] = text.split('\r\n');
    const status = /^HTTP\/1\.([01]) (\d{3})(?: (.*))?$/.exec(statusLine);
    if (status === null) throw protocolError(`not an HTTP answer: ${JSON.stringify(statusLine.slice(0, 80))}`);
    const code = Number(status[2]);
    if (code >= 100 && code < 200) return true;
    const headers = new Map<string, string>();
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const connection = headers.get('connection')?.toLowerCase();
    this.keepAlive = status[1] === '1' ? connection !== 'close' : connection === 'keep-alive';
    const length = headers.get('content-length');
    if (headers.get('transfer-encoding')?.toLowerCase().includes('chunked')) this.framing = 'chunked';
    else if (length !== undefined && /^\d+$/.test(length)) this.framing = Number(length);
    else if (code === 204 || code === 304) this.framing = 0;
    else {
      this.framing = 'close';
      this.keepAlive = false;
    }
    this.handlers.head(code, status[3] ?? '', headers);
    return false;
  }

  private readBody(chunk: Buffer): boolean {
    if (this.framing === 'close') {
      if (chunk.length > 0) this.handlers.body(chunk);
      return false;
    }
    if (typeof this.framing === 'number') {
      const take = chunk.subarray(0, this.framing);
      this.framing -= take.length;
      if (take.length > 0) this.handlers.body(take);
      return this.framing === 0;
    }
    return this.readChunks(chunk);
  }

  private readChunks(chunk: Buffer): boolean {
    let data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = EMPTY;
    for (;;) {
      if (this.chunked === 'data') {
        if (data.length === 0) return false;
        const take = data.subarray(0, this.chunkLeft);
        data = data.subarray(take.length);
        this.chunkLeft -= take.length;
        this.handlers.body(take);
        if (this.chunkLeft === 0) this.chunked = 'end of data';
        continue;
      }
      const eol = data.indexOf('\r\n');
      if (eol < 0) {
        this.pending = data;
        return false;
      }
      const line = data.subarray(0, eol).toString('latin1');
      data = data.subarray(eol + 2);
      if (this.chunked === 'trailers') {
        if (line === '') return true;
      } else if (this.chunked === 'end of data') {
        if (line !== '') throw protocolError('no CRLF after a chunk');
        this.chunked = 'size';
      } else {
        const size = /^[0-9a-fA-F]+/.exec(line);
        if (size === null) throw protocolError(`bad chunk size ${JSON.stringify(line.slice(0, 20))}`);
        this.chunkLeft = parseInt(size[0], 16);
        this.chunked = this.chunkLeft === 0 ? 'trailers' : 'data';
      }
    }
  }
}
