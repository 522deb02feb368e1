// Config texts the e2e suites start daemons on: `%(tmp)s` stands for the daemon's temp dir, and
// the standard sections keep every file a daemon writes inside it.
import { readFileSync } from 'node:fs';

export type ConfigText = string | ((tmp: string) => string);

/** Replace `%(tmp)s` with the temp dir; supervisor's own `%(...)s` expansions are left alone. */
export function renderConfig(text: ConfigText, tmp: string): string {
  const raw = typeof text === 'function' ? text(tmp) : text;
  return raw.split('%(tmp)s').join(tmp);
}

/**
 * A `[supervisord]` section keeping the main log, pidfile and AUTO child logs inside the temp dir.
 * `extra` lines are appended to the section.
 */
export function supervisordSection(extra = ''): string {
  return (
    ['[supervisord]', 'logfile=%(tmp)s/supervisord.log', 'pidfile=%(tmp)s/supervisord.pid', 'childlogdir=%(tmp)s', extra].join('\n') + '\n'
  );
}

/** The sections every API test config carries; `inetPort` adds an [inet_http_server]. */
export function apiConfig(
  opts: {
    inetPort?: number;
    auth?: { username: string; password: string };
    supervisord?: string;
    body?: string;
  } = {},
): string {
  const auth = opts.auth ? `username=${opts.auth.username}\npassword=${opts.auth.password}\n` : '';
  return (
    [
      '[supervisord]',
      'logfile=%(tmp)s/supervisord.log',
      'pidfile=%(tmp)s/supervisord.pid',
      'childlogdir=%(tmp)s',
      opts.supervisord ?? '',
      '[unix_http_server]',
      'file=%(tmp)s/s.sock',
      auth,
      opts.inetPort !== undefined ? `[inet_http_server]\nport=127.0.0.1:${opts.inetPort}\n${auth}` : '',
      '[supervisorctl]',
      'serverurl=unix://%(tmp)s/s.sock',
      opts.auth ? `username=${opts.auth.username}\npassword=${opts.auth.password}` : '',
      '[rpcinterface:supervisor]',
      'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface',
      opts.body ?? '',
    ].join('\n') + '\n'
  );
}

/** Credentials of RPC_SECTIONS: with a password set, the daemon logs no CRIT line about the socket. */
export const RPC_AUTH = { username: 'harness', password: 'harness' };

/** An authenticated unix socket (s.sock in the temp dir) serving the supervisor RPC interface. */
export const RPC_SECTIONS = [
  '[unix_http_server]',
  'file=%(tmp)s/s.sock',
  `username=${RPC_AUTH.username}`,
  `password=${RPC_AUTH.password}`,
  '[rpcinterface:supervisor]',
  'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface',
  '',
].join('\n');

/** A program that runs until sentinelStopped() stops it (needs RPC_SECTIONS too). */
export const SENTINEL_PROGRAM = '[program:sentinel]\ncommand=sleep 1000\nstartsecs=0\n';

/** The 1-based line of `file` that is exactly `text` (where ours says a refused value is written). */
export function lineOf(file: string, text: string): number {
  const index = readFileSync(file, 'utf8').split('\n').indexOf(text);
  if (index < 0) throw new Error(`no line ${JSON.stringify(text)} in ${file}`);
  return index + 1;
}

/** An example's text with its paths under /tmp (files, and childlogdir=/tmp itself) moved into `tmp`. */
export function intoTempDir(text: string, tmp: string): string {
  return text.replace(/\/tmp(?=\/|$)/gm, tmp);
}
