// Activity-log lines as the reference words them, normalized as Daemon.activity() gives them.

export const ROOT_CRIT =
  'CRIT Supervisor is running as root.  Privileges were not dropped because no user is specified in the config file.  If you intend to run as root, you can set user=root in the config file to avoid this message.';
/** The daemon under test runs as root (and so logs ROOT_CRIT) when the tests do. */
export const isRoot = process.getuid?.() === 0;
export const startupLines = (): string[] => [...(isRoot ? [ROOT_CRIT] : []), 'INFO supervisord started with pid <pid>'];

export const success = (name: string, secs = 1): string =>
  `INFO success: ${name} entered RUNNING state, process has stayed up for > than ${secs} seconds (startsecs)`;
export const spawned = (name: string): string => `INFO spawned: '${name}' with pid <pid>`;
export const gaveUp = (name: string): string => `INFO gave up: ${name} entered FATAL state, too many start retries too quickly`;
