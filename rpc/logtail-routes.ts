// GET /logtail/<namespec>[/stdout|/stderr] and GET /mainlogtail: the last kilobyte of a log,
// then everything written to it for as long as the client stays (supervisorctl tail -f and
// maintail -f use these, not XML-RPC).
import type { ServerResponse } from 'node:http';
import type { LogFile } from '../actors/logs/log-file.js';
import type { DaemonHost } from './host.js';
import { sendError } from './http/respond.js';
import type { HttpRequest, HttpServers } from './http/servers.js';

const HEAD_BYTES = 1024;

function stream(file: LogFile | null, request: HttpRequest, response: ServerResponse): void {
  if (!file?.readable) {
    sendError(response, 404);
    return;
  }
  response.writeHead(200, {
    'Content-Type': 'text/plain;charset=utf-8',
    'Last-Modified': file.lastModified().toUTCString(),
  });
  const follower = file.follow(HEAD_BYTES, {
    data: (chunk) => response.write(chunk),
    truncated: () => response.write('==> File truncated <==\n'),
  });
  request.signal.addEventListener('abort', () => follower?.close());
  response.on('close', () => follower?.close());
}

/** The log a /logtail path names, or null when there is no such process or channel. */
function processLog(host: DaemonHost, rest: string): LogFile | null {
  const [spec = '', channel = 'stdout'] = decodeURIComponent(rest).split('/');
  if (channel !== 'stdout' && channel !== 'stderr') return null;
  return host.supervisor.find(spec)?.process?.logFile(channel) ?? null;
}

export function mountLogtailRoutes(servers: HttpServers, host: DaemonHost): void {
  servers.route('GET', /^\/logtail\/(.+)$/, (request, response) => {
    stream(processLog(host, request.path.slice('/logtail/'.length)), request, response);
  });
  servers.route('GET', /^\/mainlogtail/, (request, response) => {
    stream(host.log.file, request, response);
  });
}
