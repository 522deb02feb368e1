// Where a child's fast-capture channel comes from. Where the C library can be called (as for
// posix_spawn) each is a pipe made on the spot, as the reference's child gets: our end read into
// the shared buffer, the child's end a bare descriptor, nothing made ahead, nobody else able to
// connect. A pipe rather than a socket pair: reading one costs the kernel less (an A/B of 512 MB
// captured: ~15 % less of the daemon's CPU, docs/benchmarks.md), and a program can open
// /dev/stdout on it, which a socket refuses. Elsewhere, the pool of socket pairs made through a
// listening socket of our own (output-channels.ts). Chosen at the first spawn, so that a daemon
// that never spawns loads neither.
import net from 'node:net';
import { OutputChannels, READ_BUFFER, type ChannelSource, type OutputChannel } from './output-channels.js';
import { PIPE_BYTES, posixSpawner, type PosixSpawner } from './posix-spawn.js';

/** Pipes from pipe2(2), each ready at once, grown once a read finds one full. */
class CapturePipes implements ChannelSource {
  constructor(private readonly spawner: PosixSpawner) {}

  take(): OutputChannel | null {
    const pipe = this.spawner.pipe();
    if (pipe === null) return null;
    const [ours, theirs] = pipe;
    let grown = false;
    // Node takes onread in the constructor too (documented since; this @types/node lists it only for connect).
    const options: net.SocketConstructorOpts & Pick<net.ConnectOpts, 'onread'> = {
      fd: ours,
      readable: true,
      onread: {
        buffer: READ_BUFFER,
        callback: (bytes) => {
          if (bytes >= PIPE_BYTES && !grown) {
            grown = true;
            this.spawner.growPipe(ours);
          }
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
      this.source = spawner ? new CapturePipes(spawner) : new OutputChannels();
    }
    return this.source.take();
  }

  close(): void {
    this.closed = true;
    this.source?.close();
  }
}
