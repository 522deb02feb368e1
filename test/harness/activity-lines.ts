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

/** When a raw activity-log line was written, in ms since the epoch (its timestamp is local time). */
export function loggedAt(line: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}),(\d{3}) /.exec(line);
  if (!m) throw new Error(`no timestamp in ${JSON.stringify(line)}`);
  const [year, month, day, hours, minutes, seconds, ms] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return new Date(year, month - 1, day, hours, minutes, seconds, ms).getTime();
}
