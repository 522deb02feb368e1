// GET /logtail/<namespec>[/stdout|/stderr] and GET /mainlogtail: the last kilobyte of a log,
// then everything written to it for as long as the client stays (supervisorctl tail -f and
// maintail -f use these, not XML-RPC).
//
// Ours: `?raw` asks for the output as the child wrote it, which differs from the file only with
// *_logfile_format= (our supervisorctl's fg asks for it; the reference ignores the query).
import type { ServerResponse } from 'node:http';
import type { LogFile, LogFollower, LogFollowerHandlers } from '../actors/logs/log-file.js';
import type { OutputFeed } from '../actors/logs/output-feed.js';
import type { DaemonHost } from './host.js';
import { sendError } from './http/respond.js';
import type { HttpRequest, HttpServers } from './http/servers.js';

const HEAD_BYTES = 1024;

/** What a stream may follow instead of the file: a formatted channel's raw output. */
interface Followed {
  follow(headBytes: number, handlers: LogFollowerHandlers): LogFollower | null;
}

function stream(file: LogFile | null, request: HttpRequest, response: ServerResponse, source: Followed | null = null): void {
  if (!file?.readable) {
    sendError(response, 404);
    return;
  }
  response.writeHead(200, {
    'Content-Type': 'text/plain;charset=utf-8',
    'Last-Modified': file.lastModified().toUTCString(),
  });
  const follower = (source ?? file).follow(HEAD_BYTES, {
    data: (chunk) => response.write(chunk),
    truncated: () => response.write('==> File truncated <==\n'),
  });
  request.signal.addEventListener('abort', () => follower?.close());
  response.on('close', () => follower?.close());
}

/** The log a /logtail path names and, when it is formatted, its raw output; null when there is no such process or channel. */
function processLog(host: DaemonHost, rest: string): { file: LogFile; feed: OutputFeed | null } | null {
  const [spec = '', channel = 'stdout'] = decodeURIComponent(rest).split('/');
  if (channel !== 'stdout' && channel !== 'stderr') return null;
  const process = host.supervisor.find(spec)?.process;
  return process ? { file: process.logs.file(channel), feed: process.logs.feed(channel) } : null;
}

export function mountLogtailRoutes(servers: HttpServers, host: DaemonHost): void {
  servers.route('GET', /^\/logtail\/(.+)$/, (request, response) => {
    const log = processLog(host, request.path.slice('/logtail/'.length));
    const file = log?.file ?? null;
    stream(file, request, response, request.query.has('raw') ? (log?.feed ?? null) : null);
  });
  servers.route('GET', /^\/mainlogtail/, (request, response) => {
    stream(host.log.file, request, response);
  });
}
