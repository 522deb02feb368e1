// Where a child's fast-capture channel comes from. Where the C library can be called (as for
// posix_spawn) each is a socket pair made on the spot: our end read into the shared buffer,
// the child's end a bare descriptor, nothing made ahead, nobody else able to connect. Elsewhere,
// the pool of pairs made through a listening socket of our own (output-channels.ts). Chosen at
// the first spawn, so that a daemon that never spawns loads neither.
import net from 'node:net';
import { OutputChannels, READ_BUFFER, type ChannelSource, type OutputChannel } from './output-channels.js';
import { posixSpawner } from './posix-spawn.js';

/** Socket pairs from socketpair(2), each ready at once. */
class SocketPairs implements ChannelSource {
  constructor(private readonly socketPair: () => [number, number] | null) {}

  take(): OutputChannel | null {
    const pair = this.socketPair();
    if (pair === null) return null;
    const [ours, theirs] = pair;
    // Node takes onread in the constructor too (documented since; this @types/node lists it only for connect).
    const options: net.SocketConstructorOpts & Pick<net.ConnectOpts, 'onread'> = {
      fd: ours,
      readable: true,
      onread: {
        buffer: READ_BUFFER,
        callback: (bytes) => {
          channel.deliver(READ_BUFFER.subarray(0, bytes));
          return true;
        },
      },
    };
    const channel: OutputChannel = { childEnd: theirs, reader: new net.Socket(options), deliver: () => {} };
    return channel;
  }

  close(): void {}
}

export class CaptureChannels implements ChannelSource {
  private source: ChannelSource | null = null;
  private closed = false;

  take(): OutputChannel | null {
    if (this.closed) return null;
    if (this.source === null) {
      const spawner = posixSpawner();
      this.source = spawner ? new SocketPairs(() => spawner.socketPair()) : new OutputChannels();
    }
    return this.source.take();
  }

  close(): void {
    this.closed = true;
    this.source?.close();
  }
}
