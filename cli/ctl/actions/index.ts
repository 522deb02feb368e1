// Every action, by name.
import type { Action } from './action.js';
import { add, avail, remove, reread, update } from './config.js';
import { eof, exit, open, quit, reload, shutdown, version } from './daemon.js';
import { fg } from './fg.js';
import { help } from './help.js';
import { maintail, tail } from './logs.js';
import { clear, pid, restart, signal, start, status, stop } from './process.js';

let byName: Map<string, Action> | undefined;

// Built on first use: help.ts imports this module back.
function actions(): Map<string, Action> {
  byName ??= new Map(
    [add, avail, clear, eof, exit, fg, help, maintail, open, pid, quit, reload, remove, reread, restart, shutdown, signal, start, status, stop, tail, update, version].map(
      (a) => [a.name, a],
    ),
  );
  return byName;
}

export function findAction(name: string): Action | undefined {
  return actions().get(name);
}

/** Actions a user sees in help and completion, sorted by name. */
export function visibleActions(): Action[] {
  return [...actions().values()].filter((a) => !a.hidden).sort((a, b) => (a.name < b.name ? -1 : 1));
}
