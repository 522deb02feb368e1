// GET /logtail/<namespec>[/stdout|/stderr] and GET /mainlogtail: the last kilobyte of a log,
// then everything written to it for as long as the client stays (supervisorctl tail -f and
// maintail -f use these, not XML-RPC).
import fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import { followLog } from '../actors/logs/follow-log.js';
import { isReadableLogFile } from '../actors/logs/read-log.js';
import type { ApiHost } from './supervisor-api.js';
import { sendError } from './http/respond.js';
import type { HttpRequest, HttpServers } from './http/servers.js';

const HEAD_BYTES = 1024;

function stream(file: string | null, request: HttpRequest, response: ServerResponse): void {
  if (!isReadableLogFile(file)) {
    sendError(response, 404);
    return;
  }
  response.writeHead(200, {
    'Content-Type': 'text/plain;charset=utf-8',
    'Last-Modified': fs.statSync(file).mtime.toUTCString(),
  });
  const follower = followLog(file, HEAD_BYTES, {
    data: (chunk) => response.write(chunk),
    truncated: () => response.write('==> File truncated <==\n'),
  });
  request.signal.addEventListener('abort', () => follower.close());
  response.on('close', () => follower.close());
}

/** The log file a /logtail path names, or null when there is no such process or channel. */
function processLogfile(host: ApiHost, rest: string): string | null {
  const [spec = '', channel = 'stdout'] = decodeURIComponent(rest).split('/');
  if (channel !== 'stdout' && channel !== 'stderr') return null;
  const colon = spec.indexOf(':');
  const groupName = colon < 0 ? spec : spec.slice(0, colon);
  const processName = colon < 0 ? spec : spec.slice(colon + 1);
  const process = host.supervisor.group(groupName)?.processes.find((p) => p.name === processName);
  return process?.config[channel].logfile ?? null;
}

export function mountLogtailRoutes(servers: HttpServers, host: ApiHost): void {
  servers.route('GET', /^\/logtail\/(.+)$/, (request, response) => {
    stream(processLogfile(host, request.path.slice('/logtail/'.length)), request, response);
  });
  servers.route('GET', /^\/mainlogtail/, (request, response) => {
    stream(host.config.supervisord.logfile, request, response);
  });
}
