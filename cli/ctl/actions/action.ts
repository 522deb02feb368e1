// What an action is: its name, its help, what completion offers after it, and how it runs.
import type { Controller } from '../controller.js';
import { ExitStatus } from '../exit-status.js';

export type CompletionKind = 'actions' | 'groups' | 'processes';

export interface Action {
  name: string;
  /** Help lines, in our own words. */
  help: readonly string[];
  /** Resolves true when the interactive shell should end. */
  run(ctl: Controller, arg: string): Promise<boolean | void>;
  completes?: CompletionKind;
  /** Left out of the help table and completion (the shell's EOF). */
  hidden?: boolean;
}

/** Prints an action's help lines. */
export function printHelp(ctl: Controller, action: Action): void {
  for (const line of action.help) ctl.output(line);
}

/** For actions that take no argument: complains (with the help) when one was given. */
export function refuseArguments(ctl: Controller, action: Action, arg: string): boolean {
  if (!arg) return false;
  ctl.output(`Error: ${action.name} accepts no arguments`);
  ctl.exitStatus = ExitStatus.GENERIC;
  printHelp(ctl, action);
  return true;
}
