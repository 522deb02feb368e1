// Servers for the probe tests, on loopback, closed after the file's tests: one that accepts and
// never answers, one whose accept queue is full so that connecting hangs, and a free port.
import { after } from 'node:test';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { once } from 'node:events';

const cleanups: (() => void)[] = [];
after(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const probe = net.createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A TCP server that accepts connections and never sends a byte; `sockets` holds what it accepted. */
export async function silentServer(): Promise<{ port: number; sockets: net.Socket[] }> {
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => sockets.push(socket)).listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => {
    sockets.forEach((socket) => socket.destroy());
    server.close();
  });
  return { port: (server.address() as net.AddressInfo).port, sockets };
}

/**
 * A port where connecting hangs: a listener (python3, as Node's servers always accept) with a
 * backlog of 0 that never accepts, its queue filled by one connection, so the kernel drops
 * further SYNs.
 */
export async function unansweredPort(): Promise<number> {
  const script = [
    'import socket, sys',
    's = socket.socket()',
    's.bind(("127.0.0.1", 0))',
    's.listen(0)',
    'print(s.getsockname()[1], flush=True)',
    'sys.stdin.read()',
  ].join('\n');
  const listener: ChildProcess = spawn('python3', ['-c', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  cleanups.push(() => listener.kill());
  const [line] = (await once(listener.stdout!, 'data')) as [Buffer];
  const port = Number(line.toString().trim());
  const filler = net.connect(port, '127.0.0.1');
  cleanups.push(() => filler.destroy());
  await once(filler, 'connect');
  return port;
}
