// Reading logs: tail (a process's stdout/stderr) and maintail (supervisord's own log), either
// the last bytes through XML-RPC or followed (-f) through the daemon's HTTP log streams.
import { ExitStatus } from '../exit-status.js';
import { splitWords } from '../line.js';
import { pyIntOrNull, pyRepr } from '../../../config/python.js';
import { follow, untilInterrupted } from '../follow.js';
import { Faults, faultCode } from '../supervisor-rpc.js';
import { printHelp, type Action, type Controller } from './action.js';
import { tailOnFleet } from './fleet.js';

const DEFAULT_BYTES = 1600;

/** Streams `path` to stdout until the daemon ends it or the user presses Ctrl-C. */
export async function followToStdout(ctl: Controller, path: string): Promise<void> {
  const follower = follow({
    serverurl: ctl.serverurl,
    path,
    ...ctl.credentials,
    onData: (chunk) => process.stdout.write(chunk),
  });
  // Ctrl-C is handled before the banner invites it: until a listener exists, SIGINT kills.
  const interrupted = untilInterrupted(follower.done);
  ctl.output('==> Press Ctrl-C to exit <==');
  if ((await interrupted) === 'interrupted') {
    follower.close();
    ctl.output('');
  }
}

function badArgument(ctl: Controller, text: string): void {
  ctl.output(`Error: bad argument ${text}`);
  ctl.exitStatus = ExitStatus.GENERIC;
}

/** Reports a log-reading fault as `<who>: ERROR (...)`; false when it is not one of those. */
function reportReadFault(ctl: Controller, who: string, e: unknown, withBadName: boolean): boolean {
  const code = faultCode(e);
  const why =
    code === Faults.NO_FILE
      ? 'no log file'
      : code === Faults.FAILED
        ? 'unknown error reading log'
        : code === Faults.BAD_NAME && withBadName
          ? 'no such process name'
          : null;
  if (why === null) return false;
  ctl.output(`${who}: ERROR (${why})`);
  return true;
}

export const tail: Action = {
  name: 'tail',
  help: [
    'tail [-f|-<bytes>] <name> [stdout|stderr]',
    "\t\t\tThe end of a process's log (stdout unless stderr is named)",
    'tail <name>\t\tIts last 1600 bytes',
    'tail -100 <name>\tIts last 100 bytes',
    'tail -f <name>\t\tIts end, then what it writes, until Ctrl-C',
  ],
  completes: 'processes',
  async run(ctl, arg) {
    if (ctl.fleet && (await tailOnFleet(ctl, ctl.fleet, tail, splitWords(arg)))) return;
    if (!(await ctl.upcheck())) return;
    const words = splitWords(arg);
    if (words.length < 1 || words.length > 3) {
      ctl.output(words.length < 1 ? 'Error: too few arguments' : 'Error: too many arguments');
      ctl.exitStatus = ExitStatus.GENERIC;
      printHelp(ctl, tail);
      return;
    }
    const modifier = words[0]!.startsWith('-') ? words.shift()! : null;
    let name: string;
    let channel = 'stdout';
    if (words.length === 1) {
      name = words[0]!;
    } else if (words.length > 0) {
      // With three words the middle one is ignored, as the reference does.
      name = words[0]!;
      channel = words[words.length - 1]!.toLowerCase();
      if (channel !== 'stdout' && channel !== 'stderr') {
        ctl.output(`Error: bad channel ${pyRepr(channel)}`);
        ctl.exitStatus = ExitStatus.GENERIC;
        return;
      }
    } else {
      ctl.output('Error: tail requires process name');
      ctl.exitStatus = ExitStatus.GENERIC;
      return;
    }
    let bytes = DEFAULT_BYTES;
    if (modifier !== null) {
      if (modifier === '-f') {
        await followToStdout(ctl, `/logtail/${name}/${channel}`);
        return;
      }
      const n = pyIntOrNull(modifier.slice(1));
      if (n === null) return badArgument(ctl, modifier);
      bytes = n;
    }
    let text: string;
    try {
      text = await ctl.rpc.call(channel === 'stdout' ? 'readProcessStdoutLog' : 'readProcessStderrLog', name, -bytes, 0);
    } catch (e) {
      ctl.exitStatus = ExitStatus.GENERIC;
      if (reportReadFault(ctl, name, e, true)) return;
      throw e;
    }
    ctl.output(text);
  },
};

export const maintail: Action = {
  name: 'maintail',
  help: [
    "maintail\t\tThe last 1600 bytes of supervisord's own log",
    'maintail -100\t\tIts last 100 bytes',
    'maintail -f\t\tIts end, then what it writes, until Ctrl-C',
  ],
  async run(ctl, arg) {
    if (!(await ctl.upcheck())) return;
    const words = splitWords(arg);
    if (words.length > 1) {
      ctl.output('Error: too many arguments');
      ctl.exitStatus = ExitStatus.GENERIC;
      printHelp(ctl, maintail);
      return;
    }
    let bytes = DEFAULT_BYTES;
    const modifier = words[0];
    if (modifier !== undefined) {
      if (!modifier.startsWith('-')) return badArgument(ctl, modifier);
      if (modifier === '-f') {
        await followToStdout(ctl, '/mainlogtail');
        return;
      }
      const n = pyIntOrNull(modifier.slice(1));
      if (n === null) return badArgument(ctl, modifier);
      bytes = n;
    }
    let text: string;
    try {
      text = await ctl.rpc.call('readLog', -bytes, 0);
    } catch (e) {
      ctl.exitStatus = ExitStatus.GENERIC;
      if (reportReadFault(ctl, 'supervisord', e, false)) return;
      throw e;
    }
    ctl.output(text);
  },
};
