// What an action is: its name, its help, what completion offers after it, and how it runs; and
// what it may use of the supervisorctl run it is part of.
import type { XmlRpcConnectionError } from '../../../common/xmlrpc/client.js';
import { ExitStatus } from '../exit-status.js';
import type { Fleet } from '../fleet.js';
import type { ProcessInfo, SupervisorRpc } from '../supervisor-rpc.js';

/** The supervisorctl run an action is part of (the reference's Controller). */
export interface Controller {
  /** The run's exit status so far. */
  exitStatus: number;
  serverurl: string;
  /** Asks before shutdown/reload and prompts for credentials on 401. */
  readonly interactive: boolean;
  readonly credentials: { username: string | undefined; password: string | undefined };
  readonly rpc: SupervisorRpc;
  /** The other daemons of this run ([supervisorctl:NAME] or -H, ours); undefined without them. */
  readonly fleet?: Fleet | undefined;
  output(text: string): void;
  ask(question: string, hidden?: boolean): Promise<string | null>;
  /** Checks the daemon speaks our API version; reports and sets the exit status when it does not. */
  upcheck(): Promise<boolean>;
  /** Points later calls at another server (the `open` action). */
  reconnect(serverurl?: string): void;
  reportUnreachable(e: XmlRpcConnectionError, line?: string): void;
  /** The reference's exit status for a fault in a start/stop/signal/clear answer. */
  setExitFromFault(code: number, ignored?: number): void;
  /** Process infos for completion, fetched once per command line. */
  processInfoForCompletion(): Promise<ProcessInfo[]>;
}

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
