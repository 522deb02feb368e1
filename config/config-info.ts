// What getAllConfigInfo reports about one process: its group's members, then the members the
// configuration table gives the process keys.
import type { ConfigInfoMember, ConfigInfoValue, KeyTable } from './schema/keys.js';
import { PROCESS_KEYS } from './schema/processes.js';
import type { ProcessConfig, ProcessGroupConfig } from './types.js';

export interface ProcessConfigInfo {
  readonly [member: string]: ConfigInfoValue;
  readonly group: string;
  readonly group_prio: number;
  readonly inuse: boolean;
  readonly name: string;
}

const KEY_MEMBERS: readonly ConfigInfoMember[] = Object.values(PROCESS_KEYS as KeyTable).flatMap((spec) => (spec.info ? [spec.info] : []));

/**
 * @param inUse whether the group is in the running configuration
 * @param running the config of the process started from exactly this config, whose AUTO logs are
 *   named (after a reread the configs are new, and the reference then shows 'auto' even for
 *   running ones)
 */
export function processConfigInfo(
  group: ProcessGroupConfig,
  config: ProcessConfig,
  inUse: boolean,
  running?: ProcessConfig,
): ProcessConfigInfo {
  const fromKeys: Record<string, ConfigInfoValue> = {};
  for (const { member, value } of KEY_MEMBERS) fromKeys[member] = value(config, running ?? config);
  const info: ProcessConfigInfo = { group: group.name, group_prio: group.priority, inuse: inUse, name: config.name, ...fromKeys };
  // Ours, only where set, so that configs without them answer exactly as the reference's.
  return { ...info, ...dependsOnInfo(config), ...logExtensionsInfo(config), ...(config.stopastree ? { stopastree: true } : {}) };
}

function dependsOnInfo(config: ProcessConfig): Record<string, ConfigInfoValue> {
  if (config.dependsOn.length === 0) return {};
  const dependsOn = config.dependsOn.map(
    (d) => `${d.group === d.name ? d.name : `${d.group}:${d.name}`}${d.completed ? ':completed' : ''}`,
  );
  return { depends_on: dependsOn.join(', ') };
}

/** *_logfile_format= other than raw and *_logfile_rotate=. */
function logExtensionsInfo(config: ProcessConfig): Record<string, ConfigInfoValue> {
  const members: Record<string, ConfigInfoValue> = {};
  for (const channel of ['stdout', 'stderr'] as const) {
    const { format, rotate } = config[channel];
    if (format !== 'raw') members[`${channel}_logfile_format`] = format;
    if (rotate !== null) members[`${channel}_logfile_rotate`] = rotate;
  }
  return members;
}
