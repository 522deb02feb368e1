// The help action: the table of actions, or one action's help.
import { columnize } from '../format.js';
import { printHelp, type Action } from './action.js';
import { VISIBLE_ACTION_NAMES, findAction } from './index.js';

const HEADER = 'Actions (type help <action> for details):';

export const help: Action = {
  name: 'help',
  help: ['help\t\t\tList the actions', 'help <action>\t\tExplain one action'],
  completes: 'actions',
  async run(ctl, arg) {
    if (arg === '') {
      const names = VISIBLE_ACTION_NAMES.filter((name) => name !== 'help');
      ctl.output('');
      ctl.output(HEADER);
      ctl.output('='.repeat(HEADER.length));
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
