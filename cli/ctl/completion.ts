// Tab completion in the shell: action names first, then group or process names depending on
// the action, fetched from the daemon once per line.
import type { Controller } from './actions/action.js';
import { findAction, VISIBLE_ACTION_NAMES } from './actions/index.js';
import { namespecOf } from '../../actors/namespec.js';
import type { ProcessInfo } from './supervisor-rpc.js';

/**
 * Characters that end the word being completed: readline's usual set without `:` `*` `-`, so
 * `group:process`, `group:*` and names with dashes complete as one word.
 */
const DELIMITERS = new Set(' \t\n`~!@#$%^&()=+[{]}\\|;\'",<>/?');

/** The word under completion: what follows the last delimiter. */
export function currentWord(line: string): string {
  let start = line.length;
  while (start > 0 && !DELIMITERS.has(line[start - 1]!)) start--;
  return line.slice(start);
}

function actionNames(text: string): string[] {
  return VISIBLE_ACTION_NAMES.map((name) => `${name} `).filter((name) => name.startsWith(text));
}

function groupNames(infos: readonly ProcessInfo[], text: string): string[] {
  const groups = [...new Set(infos.map((info) => info.group))];
  return groups.map((g) => `${g} `).filter((g) => g.startsWith(text));
}

/** `name`, or `group:name` plus `group:*` for grouped processes (or once the user typed a colon). */
function processNames(infos: readonly ProcessInfo[], text: string): string[] {
  const names: string[] = [];
  for (const info of infos) {
    if (text.includes(':') || info.name !== info.group) {
      names.push(`${info.group}:${info.name}`);
      if (!names.includes(`${info.group}:*`)) names.push(`${info.group}:*`);
    } else {
      names.push(namespecOf(info));
    }
  }
  return names.map((n) => `${n} `).filter((n) => n.startsWith(text));
}

/**
 * With a fleet: `NAME:` for each host (no space: the name goes on), and after `NAME:` that host's
 * processes, asked of it with its timeout.
 */
async function fleetNames(ctl: Controller, text: string): Promise<string[] | null> {
  const fleet = ctl.fleet;
  if (fleet === undefined) return null;
  const routed = fleet.route(text);
  if (routed.host === null) return fleet.hosts.map((host) => `${host.name}:`).filter((name) => name.startsWith(text));
  const prefix = `${routed.host.name}:`;
  const infos = await fleet.promptRpc(routed.host).call('getAllProcessInfo');
  const rest = text.slice(prefix.length);
  return [`${prefix}* `, ...processNames(infos, rest).map((name) => prefix + name)].filter((name) => name.startsWith(text));
}

/** Candidates (each with a trailing space, but a host's `NAME:`) for the word at the end of `line`. */
export async function complete(ctl: Controller, line: string): Promise<{ candidates: string[]; word: string }> {
  const word = currentWord(line);
  const words = line.trim().split(/\s+/);
  if (line.trim() === '' || (words.length === 1 && !/\s$/.test(line))) return { candidates: actionNames(word), word };
  const kind = (await findAction(words[0]!))?.completes;
  if (kind === undefined) return { candidates: [], word };
  if (kind === 'actions') return { candidates: actionNames(word), word };
  let hosts: string[] | null = null;
  if (kind === 'processes') {
    try {
      hosts = await fleetNames(ctl, word);
    } catch {
      return { candidates: [], word }; // the host does not answer: nothing to offer
    }
    if (hosts !== null && ctl.fleet?.route(word).host) return { candidates: hosts, word };
  }
  let infos: ProcessInfo[];
  try {
    infos = await ctl.processInfoForCompletion();
  } catch {
    return { candidates: hosts ?? [], word }; // no default daemon: only the hosts to offer
  }
  return { candidates: kind === 'groups' ? groupNames(infos, word) : [...processNames(infos, word), ...(hosts ?? [])], word };
}
