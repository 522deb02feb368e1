// Fast capture of child output. Node reads a child's stdio pipe in chunks of at most 64 KiB, a
// new Buffer each, which caps capture near 480 MB/s here; a socket read with `onread` into one
// large reused buffer reaches the disk's speed (~880 MB/s, bench/capture-throughput.ts).
// Where the C library cannot be called (capture-channels.ts makes pairs with socketpair(2)
// otherwise), Node cannot make a socket pair, so pairs are made by connecting to a listening
// socket of our own (Linux abstract namespace: no file), a few in advance so that a spawn never
// waits for one.
// When none is ready (a crash loop spawning hundreds a second) the spawn uses a plain pipe.
// Anyone on the machine may connect to an abstract socket (its name is listed in
// /proc/net/unix): each of our connections first sends a random token, and only a connection
// that presents a token we sent becomes a channel, so that no other process can be handed a
// child's output.
import fs from 'node:fs';
import net from 'node:net';

/**
 * One buffer for every channel: onread callbacks run one at a time and each chunk is consumed
 * (written to its log) before the callback returns; whoever keeps a chunk must copy it.
 */
export const READ_BUFFER = Buffer.allocUnsafe(1 << 20);

/** Random bytes in each connection's token (sent as hex). */
const TOKEN_BYTES = 16;
/** How long an accepted connection may take to present its token. */
const TOKEN_WAIT_MS = 5000;

export interface OutputChannel {
  /** The end given to the child as its stdout or stderr (the parent's copy is closed after spawn). */
  childEnd: net.Socket | number;
  /** Our end: emits 'end' when the child's side closes; data goes to `deliver`. */
  reader: net.Socket;
  /** Receives each chunk read; valid only during the call. */
  deliver: (chunk: Buffer) => void;
}

/** A channel of the pool: both ends are sockets Node opened. */
export interface PooledChannel extends OutputChannel {
  childEnd: net.Socket;
}

/** Where fast-capture channels come from. */
export interface ChannelSource {
  /** A ready channel, or null (use a pipe). */
  take(): OutputChannel | null;
  close(): void;
}

/** Closes our copy of the child's end, once the child has its own or will never run. */
export function releaseChildEnd(channel: OutputChannel): void {
  if (typeof channel.childEnd === 'number') fs.closeSync(channel.childEnd);
  else channel.childEnd.destroy();
}

export class OutputChannels implements ChannelSource {
  // node:crypto only here, not imported: with koffi (the usual case) this pool is never made.
  private readonly crypto = process.getBuiltinModule('node:crypto');
  private readonly name = `\0supervisord-output-${process.pid}-${this.crypto.randomBytes(6).toString('hex')}`;
  private readonly server = net.createServer({ pauseOnConnect: true });
  private readonly ready: PooledChannel[] = [];
  /** Our ends connecting, by the token each sends, waiting for the server to accept their peer. */
  private readonly connecting = new Map<string, (childEnd: net.Socket) => void>();
  private usable = false;
  private closed = false;

  constructor(private readonly stock = 4) {
    this.server.on('connection', (childEnd) => this.identify(childEnd));
    // Without the abstract namespace (not Linux) the pool stays empty and pipes are used.
    this.server.on('error', () => (this.usable = false));
    this.server.listen(this.name, () => {
      this.usable = true;
      this.refill();
    });
    this.server.unref();
  }

  /** A ready channel, or null (use a pipe). */
  take(): PooledChannel | null {
    const channel = this.ready.shift() ?? null;
    this.refill();
    return channel;
  }

  close(): void {
    this.closed = true;
    this.server.close();
    for (const channel of this.ready.splice(0)) {
      releaseChildEnd(channel);
      channel.reader.destroy();
    }
  }

  private refill(): void {
    while (this.usable && !this.closed && this.ready.length + this.connecting.size < this.stock) {
      this.connectOne();
    }
  }

  private connectOne(): void {
    const channel: Partial<PooledChannel> & { deliver: (chunk: Buffer) => void } = { deliver: () => {} };
    const reader = net.connect({
      path: this.name,
      onread: {
        buffer: READ_BUFFER,
        callback: (bytes) => {
          channel.deliver(READ_BUFFER.subarray(0, bytes));
          return true;
        },
      },
    });
    const token = this.crypto.randomBytes(TOKEN_BYTES).toString('hex');
    reader.on('error', () => {
      this.connecting.delete(token);
      reader.destroy();
    });
    reader.unref();
    reader.write(token, 'latin1');
    this.connecting.set(token, (childEnd) => {
      if (this.closed) {
        childEnd.destroy();
        reader.destroy();
        return;
      }
      channel.childEnd = childEnd;
      channel.reader = reader;
      this.ready.push(channel as PooledChannel);
    });
  }

  /** An accepted connection becomes a channel once it presents one of our tokens; else it is closed. */
  private identify(childEnd: net.Socket): void {
    const refuse = () => childEnd.destroy();
    childEnd.on('error', refuse);
    // Ours send their token at once; a connection that sends nothing is not kept waiting.
    childEnd.setTimeout(TOKEN_WAIT_MS, refuse);
    childEnd.unref();
    const onReadable = () => {
      const presented: Buffer | null = childEnd.read(TOKEN_BYTES * 2);
      if (presented === null) return;
      childEnd.off('readable', onReadable);
      childEnd.setTimeout(0);
      const token = presented.toString('latin1');
      const pair = this.connecting.get(token);
      if (pair === undefined) {
        refuse();
        return;
      }
      this.connecting.delete(token);
      childEnd.pause();
      pair(childEnd);
    };
    childEnd.on('readable', onReadable);
  }
}
