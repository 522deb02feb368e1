// One memmon round, run on each TICK: compare every running process's RSS with the limit that
// applies to it and restart the offenders through supervisord, mailing about it if asked to.
import { SupervisorError } from '../../common/errors.js';
import type { XmlRpcClient } from '../../common/xmlrpc/client.js';
import type { XmlRpcValue } from '../../common/xmlrpc/types.js';
import type { Mail } from './mail.js';
import type { MemmonOptions } from './options.js';

/** What memmon needs to know of a process (from supervisor.getAllProcessInfo). */
export interface ProcessInfo {
  name: string;
  group: string;
  /** 0 when not running. */
  pid: number;
  /** Start time and the daemon's current time, epoch seconds. */
  start: number;
  now: number;
}

/** The supervisord operations memmon uses. */
export interface SupervisorControl {
  allProcessInfo(): Promise<ProcessInfo[]>;
  stopProcess(namespec: string): Promise<void>;
  startProcess(namespec: string): Promise<void>;
}

export interface MonitorDependencies {
  rss(pid: number, cumulative: boolean): number | undefined;
  sendMail(mail: Mail): Promise<void>;
  log(line: string): void;
}

/** The limit that applies to a process, most specific first: program, group, any. */
export function limitFor(options: MemmonOptions, info: Pick<ProcessInfo, 'name' | 'group'>): { bytes: number; kind: string } | undefined {
  const program = options.programs.get(`${info.group}:${info.name}`) ?? options.programs.get(info.name);
  if (program !== undefined) return { bytes: program, kind: 'program' };
  const group = options.groups.get(info.group);
  if (group !== undefined) return { bytes: group, kind: 'group' };
  if (options.any !== undefined) return { bytes: options.any, kind: 'any' };
  return undefined;
}

export async function checkProcesses(options: MemmonOptions, supervisor: SupervisorControl, deps: MonitorDependencies): Promise<void> {
  for (const info of await supervisor.allProcessInfo()) {
    // not running, or memmon itself (Node's own RSS is over small -a limits; stopping ourselves
    // mid-event would leave the restart half done)
    if (info.pid === 0 || info.pid === process.pid) continue;
    const limit = limitFor(options, info);
    if (limit === undefined) continue;
    const rss = deps.rss(info.pid, options.cumulative);
    if (rss === undefined || rss <= limit.bytes) continue;
    await restart(options, supervisor, deps, info, `RSS of ${rss} bytes is over the ${limit.kind} limit of ${limit.bytes} bytes`);
  }
}

async function restart(
  options: MemmonOptions,
  supervisor: SupervisorControl,
  deps: MonitorDependencies,
  info: ProcessInfo,
  why: string,
): Promise<void> {
  const namespec = `${info.group}:${info.name}`;
  const uptime = info.now - info.start;
  const report = [`Restarting ${namespec} (pid ${info.pid}, up ${uptime} seconds): ${why}`];
  deps.log(report[0] ?? '');
  for (const [verb, operation] of [
    ['stop', () => supervisor.stopProcess(namespec)],
    ['start', () => supervisor.startProcess(namespec)],
  ] as const) {
    try {
      await operation();
    } catch (err) {
      const line = `Failed to ${verb} ${namespec}: ${err instanceof Error ? err.message : String(err)}`;
      report.push(line);
      deps.log(line);
    }
  }
  if (options.email === undefined) return;
  if (options.emailUptimeLimit !== undefined && uptime > options.emailUptimeLimit) return;
  const prefix = options.name === undefined ? 'memmon' : `memmon [${options.name}]`;
  try {
    await deps.sendMail({ to: options.email, subject: `${prefix}: process ${namespec} restarted`, body: `${report.join('\n')}\n` });
  } catch (err) {
    deps.log(`Failed to mail ${options.email}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function member(struct: XmlRpcValue, key: string): XmlRpcValue | undefined {
  return struct !== null && typeof struct === 'object' && !Array.isArray(struct) && !(struct instanceof Date) && !Buffer.isBuffer(struct)
    ? (struct as { [member: string]: XmlRpcValue })[key]
    : undefined;
}

/** SupervisorControl over the daemon's XML-RPC interface. */
export function supervisorOverRpc(client: XmlRpcClient): SupervisorControl {
  return {
    async allProcessInfo() {
      const infos = await client.call('supervisor.getAllProcessInfo');
      if (!Array.isArray(infos)) throw new SupervisorError('BAD_ANSWER', 'getAllProcessInfo did not return an array');
      return infos.map((info) => ({
        name: String(member(info, 'name') ?? ''),
        group: String(member(info, 'group') ?? ''),
        pid: Number(member(info, 'pid') ?? 0),
        start: Number(member(info, 'start') ?? 0),
        now: Number(member(info, 'now') ?? 0),
      }));
    },
    async stopProcess(namespec) {
      await client.call('supervisor.stopProcess', namespec);
    },
    async startProcess(namespec) {
      await client.call('supervisor.startProcess', namespec);
    },
  };
}
