// [program:x] and [eventlistener:x]: the keys of a supervised process (an event listener takes
// them too), and the members getAllConfigInfo reports for each.
import { constants as osConstants } from 'node:os';
import type { LogFileSetting } from '../types.js';
import { defineKeys } from './keys.js';

export const DEFAULT_RESULT_HANDLER = 'supervisor.dispatchers:default_handler';

const MAX_XMLRPC_INT = 2 ** 31 - 1;

/** How getAllConfigInfo shows a log file setting: the reference's 'none' and 'auto' sentinels. */
function shownLogfile(value: LogFileSetting): string {
  return value === null ? 'none' : value === 'AUTO' ? 'auto' : value;
}

export const PROCESS_KEYS = defineKeys({
  command: {
    type: 'string',
    default: null,
    example: '/bin/cat',
    help: 'what to run, with arguments (required)',
    info: { member: 'command', value: (c) => c.command },
  },
  process_name: {
    type: 'process-name',
    default: '%(program_name)s',
    expand: false,
    help: 'name of each process; needs %(process_num)s if numprocs > 1',
  },
  numprocs: { type: 'integer', default: '1', help: 'how many copies to run' },
  numprocs_start: { type: 'integer', default: '0', help: 'first value of %(process_num)s' },
  directory: {
    type: 'string',
    default: null,
    example: '/tmp',
    help: 'change into this directory before running',
    info: { member: 'directory', value: (c) => c.directory ?? 'none' },
  },
  umask: { type: 'octal', default: null, example: '022', help: "umask of the child (default: the daemon's)" },
  priority: {
    type: 'integer',
    default: '999',
    help: 'lower numbers start first and stop last',
    info: { member: 'process_prio', value: (c) => c.priority },
  },
  autostart: {
    type: 'boolean',
    default: 'true',
    help: 'start when supervisord starts',
    info: { member: 'autostart', value: (c) => c.autostart },
  },
  startsecs: {
    type: 'integer',
    default: '1',
    help: 'seconds it must stay up to count as started',
    info: { member: 'startsecs', value: (c) => c.startsecs },
  },
  startretries: {
    type: 'retries',
    default: '3',
    help: 'failed starts in a row before giving up (FATAL); infinite: never (ours)',
    // XML-RPC has no infinity: `infinite` shows as the largest int.
    info: { member: 'startretries', value: (c) => Math.min(c.startretries, MAX_XMLRPC_INT) },
  },
  backoff: { type: 'backoff-kind', default: 'linear', help: 'wait before each retry: linear (1 s more each time) or exponential (ours)' },
  backoff_max: { type: 'seconds', default: null, example: '60', help: 'the longest wait before a retry, in seconds (ours)' },
  readiness: {
    type: 'readiness-check',
    default: null,
    example: 'tcp://127.0.0.1:8080',
    help: 'RUNNING once ready: tcp://H:P, http://H:P/PATH, exec:CMD, stdout:RE, stderr:RE or notify (ours)',
  },
  readiness_timeout: { type: 'seconds', default: '60', help: 'seconds from the spawn to become ready, or the start failed (ours)' },
  readiness_interval: { type: 'seconds', default: '1', help: 'seconds between tcp/http/exec readiness attempts (ours)' },
  liveness: {
    type: 'liveness-check',
    default: null,
    example: 'http://127.0.0.1:8080/health',
    help: 'restart a RUNNING program that fails: tcp://H:P, http://H:P/PATH, exec:CMD or watchdog (ours)',
  },
  liveness_interval: { type: 'seconds', default: '10', help: 'seconds between two liveness attempts (ours)' },
  liveness_failures: { type: 'integer', default: '3', help: 'failed liveness attempts in a row before a restart (ours)' },
  depends_on: {
    type: 'list-of-strings',
    default: null,
    example: 'db, migrate:completed',
    help: 'start only after these programs are RUNNING (NAME:completed: have exited as expected) (ours)',
  },
  liveness_timeout: { type: 'seconds', default: '30', help: 'watchdog: the longest wait for WATCHDOG=1, in seconds (ours)' },
  autorestart: { type: 'auto-restart', default: 'unexpected', help: 'restart on exit: true, false or unexpected' },
  exitcodes: {
    type: 'exit-codes',
    default: '0',
    help: 'exit codes that count as expected, comma separated',
    info: { member: 'exitcodes', value: (c) => c.exitcodes },
  },
  stopsignal: {
    type: 'signal',
    default: 'TERM',
    help: 'signal used to stop it: TERM, HUP, INT, QUIT, KILL, USR1, USR2',
    info: { member: 'stopsignal', value: (c) => osConstants.signals[c.stopsignal] },
  },
  stopwaitsecs: {
    type: 'integer',
    default: '10',
    help: 'seconds to wait after stopsignal before SIGKILL',
    info: { member: 'stopwaitsecs', value: (c) => c.stopwaitsecs },
  },
  stopasgroup: { type: 'boolean', default: 'false', help: 'send the stop signal to the whole process group' },
  killasgroup: {
    type: 'boolean',
    default: null,
    example: 'false',
    help: 'send SIGKILL to the whole process group (default: as stopasgroup)',
    info: { member: 'killasgroup', value: (c) => c.killasgroup },
  },
  stopastree: {
    type: 'boolean',
    default: 'false',
    example: 'true',
    help: 'stop every descendant too (setsid and double forks included); STOPPED once all are gone (ours)',
  },
  user: {
    type: 'user',
    default: null,
    example: 'chrism',
    help: 'run as this user (supervisord must be root)',
    info: { member: 'uid', value: (c) => c.user ?? 'none' },
  },
  redirect_stderr: {
    type: 'boolean',
    default: 'false',
    example: 'true',
    help: 'merge stderr into the stdout log',
    info: { member: 'redirect_stderr', value: (c) => c.redirectStderr },
  },
  stdout_logfile: {
    type: 'child-logfile',
    default: 'AUTO',
    example: '/a/path',
    help: 'stdout log: a path, AUTO (in childlogdir) or NONE',
    info: { member: 'stdout_logfile', value: (_, named) => shownLogfile(named.stdout.logfile) },
  },
  stdout_logfile_maxbytes: {
    type: 'byte-size',
    default: '50MB',
    help: 'rotate at this size; 0 disables rotation',
    info: { member: 'stdout_logfile_maxbytes', value: (c) => c.stdout.maxbytes },
  },
  stdout_logfile_backups: {
    type: 'integer',
    default: '10',
    help: 'rotated copies to keep',
    info: { member: 'stdout_logfile_backups', value: (c) => c.stdout.backups },
  },
  stdout_capture_maxbytes: {
    type: 'byte-size',
    default: '0',
    example: '1MB',
    help: 'buffer size for capture mode (0 disables it)',
    info: { member: 'stdout_capture_maxbytes', value: (c) => c.stdout.captureMaxbytes },
  },
  stdout_events_enabled: {
    type: 'boolean',
    default: 'false',
    help: 'emit events for each chunk of output',
    info: { member: 'stdout_events_enabled', value: (c) => c.stdout.eventsEnabled },
  },
  stdout_syslog: {
    type: 'boolean',
    default: 'false',
    help: 'copy stdout to syslog, prefixed with the name',
    info: { member: 'stdout_syslog', value: (c) => c.stdout.syslog },
  },
  stdout_logfile_format: {
    type: 'log-format',
    default: 'raw',
    help: 'stdout log file: raw (as written), timestamped or json lines (ours)',
  },
  stdout_logfile_rotate: {
    type: 'rotation-period',
    default: null,
    example: 'daily',
    help: 'also rotate the stdout log at each local hour or midnight: hourly or daily (ours)',
  },
  stderr_logfile: {
    type: 'child-logfile',
    default: 'AUTO',
    example: '/a/path',
    help: 'stderr log: a path, AUTO (in childlogdir) or NONE',
    info: { member: 'stderr_logfile', value: (_, named) => shownLogfile(named.stderr.logfile) },
  },
  stderr_logfile_maxbytes: {
    type: 'byte-size',
    default: '50MB',
    help: 'rotate at this size; 0 disables rotation',
    info: { member: 'stderr_logfile_maxbytes', value: (c) => c.stderr.maxbytes },
  },
  stderr_logfile_backups: {
    type: 'integer',
    default: '10',
    help: 'rotated copies to keep',
    info: { member: 'stderr_logfile_backups', value: (c) => c.stderr.backups },
  },
  stderr_capture_maxbytes: {
    type: 'byte-size',
    default: '0',
    example: '1MB',
    help: 'buffer size for capture mode (0 disables it)',
    info: { member: 'stderr_capture_maxbytes', value: (c) => c.stderr.captureMaxbytes },
  },
  stderr_events_enabled: {
    type: 'boolean',
    default: 'false',
    help: 'emit events for each chunk of output',
    info: { member: 'stderr_events_enabled', value: (c) => c.stderr.eventsEnabled },
  },
  stderr_syslog: {
    type: 'boolean',
    default: 'false',
    help: 'copy stderr to syslog, prefixed with the name',
    info: { member: 'stderr_syslog', value: (c) => c.stderr.syslog },
  },
  stderr_logfile_format: {
    type: 'log-format',
    default: 'raw',
    help: 'stderr log file: raw (as written), timestamped or json lines (ours)',
  },
  stderr_logfile_rotate: {
    type: 'rotation-period',
    default: null,
    example: 'daily',
    help: 'also rotate the stderr log at each local hour or midnight: hourly or daily (ours)',
  },
  environment: {
    type: 'key-value-pairs',
    default: '',
    expand: false,
    example: 'A="1",B="2"',
    help: "variables added to the child's environment",
  },
  env_file: {
    type: 'env-files',
    default: '',
    example: '/etc/app.env,-/etc/app.local.env',
    help: 'dotenv files read at each spawn, before environment=; -file: optional (ours)',
  },
  serverurl: {
    type: 'string',
    default: null,
    example: 'AUTO',
    help: "SUPERVISOR_SERVER_URL given to the child (AUTO: the daemon's own)",
    info: { member: 'serverurl', value: (c) => c.serverurl ?? 'none' },
  },
});

/**
 * An [eventlistener:x] section: the pool's own keys, then every process key. The pool's priority
 * defaults to -1 (its processes', read as process keys, to 999, as in the reference).
 */
const { command, ...processKeysButCommand } = PROCESS_KEYS;

export const EVENTLISTENER_KEYS = defineKeys({
  command: { ...command, example: '/bin/eventlistener' },
  events: {
    type: 'list-of-strings',
    default: '',
    example: 'EVENT',
    help: 'comma-separated event types to receive (required)',
  },
  buffer_size: { type: 'integer', default: '10', help: 'events queued per pool before the oldest is dropped' },
  result_handler: { type: 'string', default: DEFAULT_RESULT_HANDLER, help: 'how listener replies are read' },
  ...processKeysButCommand,
  priority: { ...PROCESS_KEYS.priority, default: '-1' },
  redirect_stderr: { ...PROCESS_KEYS.redirect_stderr, example: 'false', help: 'must stay false: stdout carries the protocol' },
  stdout_logfile: { ...PROCESS_KEYS.stdout_logfile, help: 'log of what the listener writes (the protocol): a path, AUTO or NONE' },
});
