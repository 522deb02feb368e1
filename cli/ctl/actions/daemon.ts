// Actions on supervisord itself and on the session: shutdown, reload, version, open, quit/exit.
import { XmlRpcConnectionError } from '../../../common/xmlrpc/client.js';
import { ExitStatus } from '../exit-status.js';
import { Faults, faultCode } from '../supervisor-rpc.js';
import { refuseArguments, type Action, type Controller } from './action.js';
import { status } from './process.js';

/** In the shell (or with -i) the user confirms first; an answer starting with y or Y means yes. */
async function confirmed(ctl: Controller, question: string): Promise<boolean> {
  if (!ctl.interactive) return true;
  const answer = await ctl.ask(question);
  return answer !== null && answer.toLowerCase().startsWith('y');
}

export const shutdown: Action = {
  name: 'shutdown',
  help: ['shutdown\t\tStop supervisord (and every process it runs)'],
  async run(ctl, arg) {
    if (refuseArguments(ctl, shutdown, arg)) return;
    if (!(await confirmed(ctl, 'Really shut the remote supervisord process down y/N? '))) return;
    try {
      await ctl.rpc.call('shutdown');
    } catch (e) {
      if (faultCode(e) === Faults.SHUTDOWN_STATE) {
        ctl.output('ERROR: already shutting down');
        return;
      }
      ctl.exitStatus = ExitStatus.GENERIC;
      if (e instanceof XmlRpcConnectionError && (e.systemCode === 'ECONNREFUSED' || e.systemCode === 'ENOENT')) {
        const why = e.systemCode === 'ECONNREFUSED' ? 'refused connection' : 'no such file';
        ctl.reportUnreachable(e, `ERROR: ${ctl.serverurl} ${why} (already shut down?)`);
        return;
      }
      throw e;
    }
    ctl.output('Shut down');
  },
};

export const reload: Action = {
  name: 'reload',
  help: ['reload\t\t\tRestart supervisord: stop everything, read the configuration, start again'],
  async run(ctl, arg) {
    if (refuseArguments(ctl, reload, arg)) return;
    if (!(await confirmed(ctl, 'Really restart the remote supervisord process y/N? '))) return;
    try {
      await ctl.rpc.call('restart');
    } catch (e) {
      ctl.exitStatus = ExitStatus.GENERIC;
      if (faultCode(e) !== Faults.SHUTDOWN_STATE) throw e;
      ctl.output('ERROR: already shutting down');
      return;
    }
    ctl.output('Restarted supervisord');
  },
};

export const version: Action = {
  name: 'version',
  help: ['version\t\t\tPrint the version of supervisord'],
  async run(ctl, arg) {
    if (refuseArguments(ctl, version, arg)) return;
    if (!(await ctl.upcheck())) return;
    ctl.output(await ctl.rpc.call('getSupervisorVersion'));
  },
};

/** urlparse's scheme: letters, digits, + - . before the first colon, starting with a letter. */
function urlScheme(url: string): string {
  return /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase() ?? '';
}

export const open: Action = {
  name: 'open',
  help: ['open <url>\t\tTalk to another supervisord from now on', '\t\t\t(http://host:port, or unix:///path/to/socket)'],
  async run(ctl, arg) {
    const scheme = urlScheme(arg);
    if (scheme !== 'unix' && scheme !== 'http') {
      ctl.output('ERROR: url must be http:// or unix://');
      ctl.exitStatus = ExitStatus.GENERIC;
      return;
    }
    ctl.reconnect(arg);
    // The status shown is informative: it leaves the exit status alone.
    const before = ctl.exitStatus;
    await status.run(ctl, '');
    ctl.exitStatus = before;
  },
};

/** Ends the shell (an empty line first, as at end of input). */
async function leave(ctl: Controller): Promise<boolean> {
  ctl.output('');
  return true;
}

export const quit: Action = {
  name: 'quit',
  help: ['quit\t\t\tLeave the shell'],
  run: leave,
};

export const exit: Action = {
  name: 'exit',
  help: ['exit\t\t\tLeave the shell'],
  run: leave,
};

/** What the shell runs at end of input (Ctrl-D); typing `EOF` does the same. */
export const eof: Action = {
  name: 'EOF',
  help: [],
  hidden: true,
  run: leave,
};
