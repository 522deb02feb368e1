// A TCP check: ok when a connection to HOST:PORT is accepted. The socket is closed at once; the
// program sees a connection that sends nothing.
import net from 'node:net';
import { attemptWithin, failureDetail, type Check, type CheckOutcome } from './check.js';

export function tcpCheck(host: string, port: number): Check {
  return (options) =>
    attemptWithin(
      options,
      (signal) =>
        new Promise<CheckOutcome>((resolve) => {
          const socket = net.connect({ host, port });
          const end = (outcome: CheckOutcome) => {
            socket.destroy();
            resolve(outcome);
          };
          socket.once('connect', () => end({ ok: true, detail: 'connected' }));
          socket.once('error', (error) => end({ ok: false, detail: failureDetail(error) }));
          signal.addEventListener('abort', () => socket.destroy(), { once: true });
        }),
    );
}
