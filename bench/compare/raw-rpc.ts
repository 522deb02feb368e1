// A raw XML-RPC client over a unix socket, the same for both daemons: it sends prepared request
// bytes and reads each answer by its Content-Length without parsing the XML, so that what is
// measured is the daemon's cost, not a client's. Used for load (many calls on persistent
// connections) and for single calls (the first answer after start, startProcess).
import net from 'node:net';
import { sleep } from './measurement.js';

/** An XML-RPC call with string and boolean parameters only (all the benchmark needs). */
export function requestBytes(method: string, params: readonly (string | boolean)[] = []): Buffer {
  const values = params
    .map((p) => (typeof p === 'boolean' ? `<boolean>${p ? 1 : 0}</boolean>` : `<string>${p}</string>`))
    .map((v) => `<param><value>${v}</value></param>`)
    .join('');
  const body = `<?xml version="1.0"?>\n<methodCall><methodName>supervisor.${method}</methodName><params>${values}</params></methodCall>\n`;
  const head = `POST /RPC2 HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
  return Buffer.from(head + body);
}

/** One persistent connection that sends a request and resolves with the whole answer. */
class RawConnection {
  private chunks: Buffer[] = [];
  private received = 0;
  private expected = -1;
  private pending: { resolve: (answer: Buffer) => void; reject: (error: Error) => void } | null = null;
  private broken: Error | null = null;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('connection closed by the daemon')));
  }

  static open(path: string): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(path);
      socket.once('connect', () => {
        socket.removeListener('error', reject);
        resolve(new RawConnection(socket));
      });
      socket.once('error', reject);
    });
  }

  call(request: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.broken) return reject(this.broken);
      this.pending = { resolve, reject };
      this.socket.write(request);
    });
  }

  close(): void {
    this.socket.removeAllListeners('close');
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.received += chunk.length;
    if (this.expected < 0) {
      const data = Buffer.concat(this.chunks);
      this.chunks = [data];
      const headEnd = data.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const head = data.subarray(0, headEnd).toString('latin1');
      const length = /^content-length: *(\d+)/im.exec(head);
      if (!length) return this.fail(new Error(`no Content-Length in the answer: ${head.slice(0, 200)}`));
      if (!head.startsWith('HTTP/1.1 200') && !head.startsWith('HTTP/1.0 200'))
        return this.fail(new Error(`answer: ${head.slice(0, 200)}`));
      this.expected = headEnd + 4 + Number(length[1]);
    }
    if (this.received < this.expected) return;
    const answer = Buffer.concat(this.chunks);
    this.chunks = [];
    this.received = 0;
    this.expected = -1;
    const pending = this.pending;
    this.pending = null;
    pending?.resolve(answer);
  }

  private fail(error: Error): void {
    this.broken ??= error;
    const pending = this.pending;
    this.pending = null;
    pending?.reject(error);
  }
}

/** One call on a fresh connection; the answer's text (a fault is an error). */
export async function rawCall(path: string, method: string, params: readonly (string | boolean)[] = []): Promise<string> {
  const connection = await RawConnection.open(path);
  try {
    const answer = (await connection.call(requestBytes(method, params))).toString('utf8');
    if (answer.includes('<fault>')) throw new Error(`${method}: fault ${answer.slice(answer.indexOf('<fault>'), 400)}`);
    return answer;
  } finally {
    connection.close();
  }
}

/**
 * Calls `method` every `pollMs` until it answers (the daemon still starting: no socket yet,
 * refused, closed), for at most `timeoutMs`.
 */
export async function firstAnswer(path: string, method: string, timeoutMs: number, pollMs = 1): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await rawCall(path, method);
    } catch (error) {
      if (Date.now() > until)
        throw new Error(`no answer to ${method} on ${path} within ${timeoutMs} ms: ${String(error)}`, { cause: error });
      await sleep(pollMs);
    }
  }
}

/**
 * `clients` persistent connections calling `method` back to back for `seconds`; the number of
 * answers (every answer checked to be complete and a 200).
 */
export async function rawLoad(path: string, method: string, clients: number, seconds: number): Promise<{ calls: number; seconds: number }> {
  const request = requestBytes(method);
  const connections = await Promise.all(Array.from({ length: clients }, () => RawConnection.open(path)));
  const started = process.hrtime.bigint();
  const until = Date.now() + seconds * 1000;
  let calls = 0;
  try {
    await Promise.all(
      connections.map(async (connection) => {
        while (Date.now() < until) {
          await connection.call(request);
          calls += 1;
        }
      }),
    );
  } finally {
    for (const connection of connections) connection.close();
  }
  return { calls, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}
