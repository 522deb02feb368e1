// Whether anyone listens at an address: a connection the kernel accepts (served or not).
import net from 'node:net';

/** Resolves true once a connection to `target` is accepted, false when it is refused. */
export function listening(target: { port: number; host?: string } | { path: string }): Promise<boolean> {
  return new Promise((resolve) => {
    const client = net.connect(target);
    client.once('connect', () => {
      client.destroy();
      resolve(true);
    });
    client.once('error', () => resolve(false));
  });
}
