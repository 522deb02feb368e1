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
  const ours: Record<string, ConfigInfoValue> = {};
  if (config.dependsOn.length > 0) {
    const dependsOn = config.dependsOn.map(
      (d) => `${d.group === d.name ? d.name : `${d.group}:${d.name}`}${d.completed ? ':completed' : ''}`,
    );
    ours['depends_on'] = dependsOn.join(', ');
  }
  if (config.stopastree) ours['stopastree'] = true;
  return { ...info, ...ours };
}
