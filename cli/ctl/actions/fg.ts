// fg: the terminal attached to one running process: what it writes is shown, the lines typed
// are sent to its stdin; Ctrl-C or end of input detaches (the process keeps running).
import { ExitStatus } from '../exit-status.js';
import { splitWords } from '../line.js';
import { inputLines } from '../ask.js';
import { follow } from '../follow.js';
import { Faults, faultCode, type ProcessInfo } from '../supervisor-rpc.js';
import { XmlRpcFault } from '../../../common/xmlrpc/types.js';
import { pyRepr } from '../../../config/python.js';
import { printHelp, type Action } from './action.js';

const RUNNING = 20;

/** A fault as Python prints one: <Fault 70: 'NOT_RUNNING: x'>. */
function faultText(e: XmlRpcFault): string {
  return `<Fault ${e.faultCode}: ${pyRepr(e.faultString)}>`;
}

export const fg: Action = {
  name: 'fg',
  help: ['fg <name>\t\tAttach to a running process: see its output, type its input', '\t\t\tCtrl-C detaches'],
  completes: 'processes',
  async run(ctl, arg) {
    if (!(await ctl.upcheck())) return;
    const names = splitWords(arg);
    if (names.length !== 1) {
      ctl.output(names.length === 0 ? 'ERROR: no process name supplied' : 'ERROR: too many process names supplied');
      ctl.exitStatus = ExitStatus.GENERIC;
      if (names.length === 0) printHelp(ctl, fg);
      return;
    }
    const name = names[0]!;
    let info: ProcessInfo;
    try {
      info = await ctl.rpc.call('getProcessInfo', name);
    } catch (e) {
      if (!(e instanceof XmlRpcFault)) throw e;
      if (e.faultCode === Faults.BAD_NAME) {
        ctl.output('ERROR: bad process name supplied');
        ctl.exitStatus = ExitStatus.GENERIC;
      } else {
        ctl.output(`ERROR: ${faultText(e)}`);
      }
      return;
    }
    if (info.state !== RUNNING) {
      ctl.output('ERROR: process not running');
      ctl.exitStatus = ExitStatus.GENERIC;
      return;
    }
    // Ctrl-C is handled (by the input) before the banner invites it: until a listener exists,
    // SIGINT kills.
    const input = inputLines();
    ctl.output('==> Press Ctrl-C to exit <==');
    const followers = ['stdout', 'stderr'].map((channel) =>
      follow({
        serverurl: ctl.serverurl,
        path: `/logtail/${name}/${channel}`,
        // The output as written even when the log file has timestamps or JSON (ours; ignored elsewhere).
        query: '?raw',
        ...ctl.credentials,
        onData: (chunk) => process.stdout.write(chunk),
      }),
    );
    try {
      for (let line = await input.next(); line !== null; line = await input.next()) {
        try {
          await ctl.rpc.call('sendProcessStdin', name, `${line}\n`);
        } catch (e) {
          if (!(e instanceof XmlRpcFault)) throw e;
          ctl.output(faultCode(e) === Faults.NOT_RUNNING ? 'Process got killed' : `ERROR: ${faultText(e)}`);
          ctl.output('Exiting foreground');
          return;
        }
        if ((await ctl.rpc.call('getProcessInfo', name)).state !== RUNNING) {
          ctl.output('Process got killed');
          ctl.output('Exiting foreground');
          return;
        }
      }
      ctl.output('Exiting foreground');
    } finally {
      input.close();
      for (const f of followers) f.close();
    }
  },
};
