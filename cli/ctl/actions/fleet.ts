// The actions that span the daemons of a fleet (ours): status over every daemon, and
// start/stop/restart/signal/clear/tail on `NAME:namespec`, `NAME:*` or `all`. Every daemon
// involved is asked at once; the output follows, in a stable order: the default daemon first
// (exactly as when it is alone), then the hosts by name.
import { namespecOf } from '../../../actors/namespec.js';
import type { FleetHostConfig } from '../../../config/types.js';
import { StatusExitStatus } from '../exit-status.js';
import { hostFailure, type Fleet, type HostFailure } from '../fleet.js';
import { statusTable, type StatusRow } from '../format.js';
import { upcheck } from '../upcheck.js';
import type { ProcessInfo } from '../supervisor-rpc.js';
import type { Action, Controller } from './action.js';
import { selectProcesses, STOPPED_CODES } from './select.js';
import { TargetController } from './target.js';

/** A daemon an action involves and the names it gets; host null is the default daemon. */
interface Part {
  host: FleetHostConfig | null;
  names: string[];
}

/** The daemons the words name, the default one first, then the hosts by name. */
function partsOf(fleet: Fleet, words: readonly string[]): Part[] {
  const byHost = new Map<string | null, Part>();
  const add = (host: FleetHostConfig | null, name: string): void => {
    const key = host?.name ?? null;
    let part = byHost.get(key);
    if (part === undefined) byHost.set(key, (part = { host, names: [] }));
    if (!part.names.includes(name)) part.names.push(name);
  };
  for (const word of words) {
    if (word === 'all') {
      if (fleet.withDefault) add(null, 'all');
      for (const host of fleet.selected) add(host, 'all');
      continue;
    }
    const routed = fleet.route(word);
    add(routed.host, routed.name);
  }
  // The default daemon first, then the hosts by name.
  return [...byHost.values()].sort((a, b) => {
    if (a.host === null || b.host === null) return a.host === null ? -1 : 1;
    return a.host.name < b.host.name ? -1 : a.host.name > b.host.name ? 1 : 0;
  });
}

/** True when the words concern the default daemon alone: the action then runs as it always has. */
function defaultOnly(parts: readonly Part[]): boolean {
  return parts.every((part) => part.host === null);
}

/**
 * Runs `action` on each daemon the words name (`leading` words, a signal's name, go first to
 * every daemon); false when only the default daemon is named, which the caller then handles.
 */
export async function runOnFleet(ctl: Controller, fleet: Fleet, action: Action, leading: string[], words: string[]): Promise<boolean> {
  const parts = partsOf(fleet, words);
  if (defaultOnly(parts)) return false;
  const targets = await Promise.all(
    parts.map(async ({ host, names }) => {
      const target = host === null ? TargetController.forDefault(ctl) : TargetController.forHost(ctl, fleet, host);
      const failure = host === null ? null : await fleet.check(host);
      if (failure !== null) target.fail(failure);
      else await action.run(target, [...leading, ...names].join(' ')).catch((e: unknown) => target.report(e));
      return target;
    }),
  );
  for (const target of targets) for (const line of target.lines) ctl.output(line);
  const failed = targets.find((target) => target.exitStatus !== 0);
  if (failed) ctl.exitStatus = failed.exitStatus;
  return true;
}

/** `tail [-f|-N] NAME:namespec [channel]` on that host; false for a name of the default daemon. */
export async function tailOnFleet(ctl: Controller, fleet: Fleet, action: Action, words: string[]): Promise<boolean> {
  const at = words.findIndex((word) => !word.startsWith('-'));
  const routed = at < 0 ? null : fleet.route(words[at]!);
  if (routed === null || routed.host === null) return false;
  const failure = await fleet.check(routed.host);
  const target = TargetController.forHost(ctl, fleet, routed.host, true);
  if (failure !== null) target.fail(failure);
  else await action.run(target, words.map((word, i) => (i === at ? routed.name : word)).join(' ')).catch((e: unknown) => target.report(e));
  for (const line of target.lines) ctl.output(line);
  if (target.exitStatus !== 0) ctl.exitStatus = target.exitStatus;
  return true;
}

/** One daemon's answer to status. */
interface StatusAnswer {
  part: Part;
  infos: ProcessInfo[];
  /** Lines before the table: the default daemon's own reports, names that matched nothing. */
  lines: string[];
  failure: HostFailure | null;
  exitStatus: number;
}

async function statusOf(ctl: Controller, fleet: Fleet, part: Part): Promise<StatusAnswer> {
  const answer: StatusAnswer = { part, infos: [], lines: [], failure: null, exitStatus: 0 };
  const { host } = part;
  if (host === null) {
    const target = TargetController.forDefault(ctl);
    try {
      if (await upcheck(target)) answer.infos = await target.rpc.call('getAllProcessInfo');
      else target.exitStatus = StatusExitStatus.UNKNOWN;
    } catch (e) {
      target.report(e);
    }
    answer.lines = target.lines;
    answer.exitStatus = target.exitStatus;
    return answer;
  }
  answer.failure = await fleet.check(host);
  if (answer.failure !== null) return answer;
  try {
    answer.infos = await fleet.promptRpc(host).call('getAllProcessInfo');
  } catch (e) {
    answer.failure = hostFailure(e);
  }
  return answer;
}

/**
 * `status` over the fleet: `NAME:group:process` rows (the default daemon's without a prefix), a
 * row for each host that did not answer; `--json` adds `host` (null for the default daemon).
 * False when only the default daemon is named. Exit status 4 when a host did not answer.
 */
export async function statusOnFleet(ctl: Controller, fleet: Fleet, names: string[], json: boolean): Promise<boolean> {
  const parts = partsOf(fleet, names.length === 0 ? ['all'] : names);
  if (names.length > 0 && defaultOnly(parts)) return false;
  const answers = await Promise.all(parts.map((part) => statusOf(ctl, fleet, part)));
  const rows: StatusRow[] = [];
  const objects: string[] = [];
  let stopped = false;
  let failed = false;
  for (const { part, infos, lines, failure, exitStatus } of answers) {
    const prefix = part.host === null ? '' : `${part.host.name}:`;
    for (const line of lines) ctl.output(line);
    if (exitStatus !== 0) ctl.exitStatus = exitStatus;
    if (failure !== null) {
      failed = true;
      const row = { name: part.host!.name, statename: failure.state, description: failure.reason };
      if (json) process.stderr.write(`${statusTable([row])[0]!.trimEnd()}\n`);
      else rows.push(row);
      continue;
    }
    const { matching, complaints } = selectProcesses(infos, part.names);
    for (const complaint of complaints) {
      if (json) process.stderr.write(`${prefix}${complaint}\n`);
      else ctl.output(`${prefix}${complaint}`);
      ctl.exitStatus = StatusExitStatus.UNKNOWN;
    }
    stopped ||= matching.some((info) => STOPPED_CODES.includes(info.state));
    for (const info of matching) {
      if (json) objects.push(JSON.stringify({ host: part.host?.name ?? null, ...info }));
      else rows.push({ name: `${prefix}${namespecOf(info)}`, statename: info.statename, description: info.description });
    }
  }
  for (const line of json ? objects : statusTable(rows)) ctl.output(line);
  if (stopped) ctl.exitStatus = StatusExitStatus.NOT_RUNNING;
  if (failed) ctl.exitStatus = StatusExitStatus.UNKNOWN;
  return true;
}
