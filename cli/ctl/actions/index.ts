// Every action, by name. An action's module is loaded when the action is first used, so a
// one-shot `supervisorctl status` loads only what status needs. The help action lives here: it
// needs the table itself.
import { columnize } from '../format.js';
import { printHelp, type Action } from './action.js';

type Loader = () => Promise<Record<string, unknown>>;

const loadConfig: Loader = () => import('./config.js');
const loadDaemon: Loader = () => import('./daemon.js');
const loadLogs: Loader = () => import('./logs.js');
const loadProcess: Loader = () => import('./process.js');

/** Action name → [module, export name]. */
const ACTIONS: ReadonlyMap<string, [Loader, string]> = new Map([
  ['add', [loadConfig, 'add']],
  ['avail', [loadConfig, 'avail']],
  ['clear', [loadProcess, 'clear']],
  ['EOF', [loadDaemon, 'eof']],
  ['exit', [loadDaemon, 'exit']],
  ['fg', [() => import('./fg.js'), 'fg']],
  ['help', [async () => ({ help }), 'help']],
  ['maintail', [loadLogs, 'maintail']],
  ['open', [loadDaemon, 'open']],
  ['pid', [loadProcess, 'pid']],
  ['quit', [loadDaemon, 'quit']],
  ['reload', [loadDaemon, 'reload']],
  ['remove', [loadConfig, 'remove']],
  ['reread', [loadConfig, 'reread']],
  ['restart', [loadProcess, 'restart']],
  ['shutdown', [loadDaemon, 'shutdown']],
  ['signal', [loadProcess, 'signal']],
  ['start', [loadProcess, 'start']],
  ['status', [loadProcess, 'status']],
  ['stop', [loadProcess, 'stop']],
  ['tail', [loadLogs, 'tail']],
  ['update', [loadConfig, 'update']],
  ['version', [loadDaemon, 'version']],
]);

/** What users see in help and completion (the shell's EOF is left out), sorted. */
export const VISIBLE_ACTION_NAMES: readonly string[] = [...ACTIONS.keys()].filter((name) => name !== 'EOF').sort();

export async function findAction(name: string): Promise<Action | undefined> {
  const entry = ACTIONS.get(name);
  if (entry === undefined) return undefined;
  const [load, exported] = entry;
  // Each module exports its actions under the names listed above.
  return (await load())[exported] as Action;
}

const HELP_HEADER = 'Actions (type help <action> for details):';

export const help: Action = {
  name: 'help',
  help: ['help\t\t\tList the actions', 'help <action>\t\tExplain one action'],
  completes: 'actions',
  async run(ctl, arg) {
    if (arg === '') {
      const names = VISIBLE_ACTION_NAMES.filter((name) => name !== 'help');
      ctl.output('');
      ctl.output(HELP_HEADER);
      ctl.output('='.repeat(HELP_HEADER.length));
      for (const line of columnize(names, 79)) ctl.output(line);
      ctl.output('');
      return;
    }
    const action = await findAction(arg);
    if (action === undefined || action.hidden) {
      ctl.output(`*** No help on ${arg}`);
      return;
    }
    printHelp(ctl, action);
  },
};
