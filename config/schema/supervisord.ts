// The [supervisord] section: the daemon's own settings (Supervisor 4.2.5's defaults).
import { defineKeys } from './keys.js';

export const SUPERVISORD_KEYS = defineKeys({
  logfile: {
    type: 'existing-dirpath',
    default: 'supervisord.log',
    example: '/tmp/supervisord.log',
    active: true,
    help: 'activity log, relative to the start directory; NONE or syslog',
  },
  logfile_maxbytes: { type: 'byte-size', default: '50MB', active: true, help: 'rotate the activity log at this size; 0 disables rotation' },
  logfile_backups: { type: 'integer', default: '10', active: true, help: 'rotated copies to keep; 0 keeps none' },
  logfile_rotate: {
    type: 'rotation-period',
    default: null,
    example: 'daily',
    help: 'also rotate the activity log at each local hour or midnight: hourly or daily (ours)',
  },
  loglevel: { type: 'logging-level', default: 'info', active: true, help: 'critical, error, warn, info, debug, trace or blather' },
  pidfile: {
    type: 'existing-dirpath',
    default: 'supervisord.pid',
    example: '/tmp/supervisord.pid',
    active: true,
    help: "file recording the daemon's pid",
  },
  nodaemon: { type: 'boolean', default: 'false', active: true, help: 'true keeps supervisord in the foreground' },
  silent: { type: 'boolean', default: 'false', active: true, help: 'true stops foreground logging to stdout' },
  minfds: { type: 'integer', default: '1024', active: true, help: 'refuse to start with fewer free file descriptors' },
  minprocs: { type: 'integer', default: '200', active: true, help: 'refuse to start with fewer available processes' },
  umask: { type: 'octal', default: '022', help: 'umask of the daemon process' },
  user: { type: 'user', default: null, example: 'supervisord', help: 'switch to this user after starting as root' },
  identifier: { type: 'string', default: 'supervisor', help: 'name reported over the control API' },
  directory: { type: 'existing-directory', default: null, example: '/tmp', help: 'change into this directory when daemonizing' },
  nocleanup: { type: 'boolean', default: 'false', example: 'true', help: 'keep old AUTO child logs at startup' },
  childlogdir: {
    type: 'existing-directory',
    default: null,
    example: '/tmp',
    help: 'where AUTO child logs go (default: the system temp dir)',
  },
  environment: {
    type: 'key-value-pairs',
    default: '',
    example: 'KEY="value"',
    help: 'extra variables for every child, KEY=val,KEY2=val2',
  },
  env_file: {
    type: 'env-files',
    default: '',
    example: '/etc/env,-/etc/env.local',
    help: "dotenv files for every child, before environment= and the program's own (ours)",
  },
  strip_ansi: { type: 'boolean', default: 'false', help: 'remove ANSI escape sequences from child logs' },
  subreaper: {
    type: 'boolean',
    default: 'false',
    example: 'true',
    help: 'reap orphaned descendants as a child subreaper, as pid 1 always does (ours)',
  },
  children_die_with_daemon: {
    type: 'boolean',
    default: 'false',
    example: 'true',
    help: 'children get their stopsignal when the daemon dies, even by SIGKILL (ours)',
  },
});
