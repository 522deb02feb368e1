// Shared by the rpc/http suites: HttpServers with a few trivial routes (closed after the test),
// plain requests to them over TCP or the unix socket, configs, temp dirs (removed after the
// file's tests) and a capture of what the servers log.
import { after } from 'node:test';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ActivityLog } from '../../actors/logs/activity-log.js';
import type { Credentials, InetHttpServerConfig, UnixHttpServerConfig } from '../../config/types.js';
import { HttpServers, sendWhole, type HttpServersOptions } from '../../rpc/http/servers.js';

const tempDirs: string[] = [];
after(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A fresh temp dir, removed after the file's tests. */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'http-servers-'));
  tempDirs.push(dir);
  return dir;
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export interface Capture {
  log: ActivityLog;
  /** The logged messages, without the timestamp. */
  text(): string;
}

/** An activity log written to a file in `dir`, and what it holds. */
export function captureLog(dir: string, level: 'info' | 'trace' = 'info'): Capture {
  const file = path.join(dir, 'activity.log');
  const log = new ActivityLog(level);
  log.open({ logfile: file, maxBytes: 0, backups: 0, echoToStdout: false });
  return {
    log,
    text: () =>
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .map((line) => line.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} /, ''))
        .join('\n'),
  };
}

export const unixConfig = (file: string, credentials: Credentials | null = null, chmod = 0o700): UnixHttpServerConfig => ({
  file,
  chmod,
  chown: null,
  credentials,
});
export const inetConfig = (port: number, credentials: Credentials | null = null, host = '127.0.0.1'): InetHttpServerConfig => ({
  host,
  port,
  credentials,
});

/** Servers with a few trivial routes, closed after the test. */
export async function startServers(
  configs: { unix: UnixHttpServerConfig | null; inet: InetHttpServerConfig | null },
  options: HttpServersOptions & { log?: ActivityLog } = {},
): Promise<HttpServers> {
  const servers = new HttpServers(configs, options.log ?? new ActivityLog('critical'), options);
  servers.route('POST', '/RPC2', (request, response) =>
    sendWhole(response, 200, 'text/plain', `${request.body.length} bytes from ${request.username ?? 'nobody'}`),
  );
  servers.route('GET', /^\/echo\//, (request, response) =>
    sendWhole(response, 200, 'text/plain', `${request.path}?${request.query.get('q') ?? ''}`),
  );
  servers.route('GET', '/big', (_request, response) => sendWhole(response, 200, 'text/plain', 'x'.repeat(300_000)));
  servers.route('GET', '/throws', () => {
    throw new Error('handler failed');
  });
  await servers.listen();
  after(() => servers.close());
  return servers;
}

export type Target = { socketPath: string } | { host: string; port: number };

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  reusedSocket: boolean;
}

export function request(
  target: Target,
  options: { method?: string; path?: string; body?: string; auth?: string; agent?: http.Agent } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      { ...target, method: options.method ?? 'GET', path: options.path ?? '/', auth: options.auth, agent: options.agent },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () =>
          resolve({
            status: incoming.statusCode ?? 0,
            headers: incoming.headers,
            body: Buffer.concat(chunks).toString(),
            reusedSocket: outgoing.reusedSocket,
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

export const sha = (text: string): string => `{SHA}${createHash('sha1').update(text).digest('hex')}`;

/** Leaves a socket file nobody listens on, as a killed daemon does. */
export function makeStaleSocket(file: string): void {
  execFileSync('python3', ['-c', `import socket; socket.socket(socket.AF_UNIX).bind(${JSON.stringify(file)})`]);
}

/** Binds and releases the port: rejects while something still holds it. */
export async function freeToBind(port: number): Promise<void> {
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(port, '127.0.0.1', resolve);
  });
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}
