// Actions on processes: status, start, stop, restart, signal, clear, pid.
import { ExitStatus, StatusExitStatus } from '../exit-status.js';
import { parseNamespec } from '../../../actors/namespec.js';
import { splitWords } from '../line.js';
import { clearResultLine, signalResultLine, startResultLine, statusLines } from '../format.js';
import { Faults, faultCode, type ProcessInfo, type ProcessOutcome } from '../supervisor-rpc.js';
import { printHelp, type Action, type Controller } from './action.js';
import { runOnFleet, statusOnFleet } from './fleet.js';
import { selectProcesses, STOPPED_CODES } from './select.js';

/** Our addition: `status --json` prints one JSON object (getProcessInfo's fields) per line. */
const JSON_FLAG = '--json';

export const status: Action = {
  name: 'status',
  help: [
    'status\t\t\tShow the state of every process',
    'status <name>\t\tShow the state of one process',
    'status <gname>:*\tShow the state of each process of a group',
    'status <name> <name>\tShow the state of several processes',
    'status --json [...]\tThe same as JSON, one object per process',
    'status <host>:*\t\tShow the state of every process of a [supervisorctl:host]',
  ],
  completes: 'processes',
  async run(ctl, arg) {
    const words = splitWords(arg);
    const json = words.includes(JSON_FLAG);
    const names = words.filter((w) => w !== JSON_FLAG);
    if (ctl.fleet && (await statusOnFleet(ctl, ctl.fleet, names, json))) return;
    if (!(await ctl.upcheck())) {
      ctl.exitStatus = StatusExitStatus.UNKNOWN;
      return;
    }
    const { matching, complaints } = selectProcesses(await ctl.rpc.call('getAllProcessInfo'), names);
    for (const message of complaints) {
      // JSON lines stay parseable: the complaint goes to stderr there.
      if (json) process.stderr.write(`${message}\n`);
      else ctl.output(message);
      ctl.exitStatus = StatusExitStatus.UNKNOWN;
    }
    // One write for all the lines: a write each cost ~1 ms over 100 processes.
    const lines = json ? matching.map((info) => JSON.stringify(info)) : statusLines(matching);
    if (lines.length > 0) ctl.output(lines.join('\n'));
    if (matching.some((info) => STOPPED_CODES.includes(info.state))) ctl.exitStatus = StatusExitStatus.NOT_RUNNING;
  },
};

/**
 * Runs a per-name action: `all` uses the all-processes call, `g:*` the group call, a name the
 * single call (whose fault becomes a result line like the group entries).
 */
async function forEachName(
  ctl: Controller,
  names: string[],
  calls: {
    all(): Promise<ProcessOutcome[]>;
    group(name: string): Promise<ProcessOutcome[]>;
    one(name: string): Promise<unknown>;
  },
  report: {
    line(r: ProcessOutcome): string;
    /** Fault code that does not change the exit status (already started / not running). */
    ignored?: number;
    /** Handles a group call's fault; false rethrows it. */
    groupFault(group: string, code: number | null): boolean;
  },
): Promise<void> {
  const show = (r: ProcessOutcome): void => {
    ctl.output(report.line(r));
    ctl.setExitFromFault(r.status, report.ignored);
  };
  if (names.includes('all')) {
    for (const r of await calls.all()) show(r);
    return;
  }
  for (const name of names) {
    const { group, process: member } = parseNamespec(name);
    if (member === null) {
      let results: ProcessOutcome[];
      try {
        results = await calls.group(group);
      } catch (e) {
        if (report.groupFault(group, faultCode(e))) continue;
        throw e;
      }
      for (const r of results) show(r);
      continue;
    }
    try {
      await calls.one(name);
    } catch (e) {
      const code = faultCode(e);
      if (code === null) throw e;
      show({ name: member, group, status: code, description: (e as Error).message });
      continue;
    }
    show({ name: member, group, status: Faults.SUCCESS, description: 'OK' });
  }
}

function noSuchGroup(ctl: Controller, group: string, exitStatus: number): void {
  ctl.output(`${group}: ERROR (no such group)`);
  ctl.exitStatus = exitStatus;
}

export const start: Action = {
  name: 'start',
  help: [
    'start <name>\t\tStart one process',
    'start <gname>:*\t\tStart every process of a group',
    'start <name> <name>\tStart several processes or groups',
    'start all\t\tStart every process',
  ],
  completes: 'processes',
  async run(ctl, arg) {
    if (ctl.fleet && (await runOnFleet(ctl, ctl.fleet, start, [], splitWords(arg)))) return;
    if (!(await ctl.upcheck())) return;
    const names = splitWords(arg);
    if (names.length === 0) {
      ctl.output('Error: start requires a process name');
      ctl.exitStatus = ExitStatus.INVALID_ARGS;
      printHelp(ctl, start);
      return;
    }
    await forEachName(
      ctl,
      names,
      {
        all: () => ctl.rpc.call('startAllProcesses'),
        group: (g) => ctl.rpc.call('startProcessGroup', g),
        one: (n) => ctl.rpc.call('startProcess', n),
      },
      {
        line: startResultLine,
        ignored: Faults.ALREADY_STARTED,
        groupFault(group, code) {
          if (code === Faults.BAD_NAME) {
            noSuchGroup(ctl, group, ExitStatus.INVALID_ARGS);
            return true;
          }
          ctl.exitStatus = ExitStatus.GENERIC;
          return false;
        },
      },
    );
  },
};

export const stop: Action = {
  name: 'stop',
  help: [
    'stop <name>\t\tStop one process',
    'stop <gname>:*\t\tStop every process of a group',
    'stop <name> <name>\tStop several processes or groups',
    'stop all\t\tStop every process',
  ],
  completes: 'processes',
  async run(ctl, arg) {
    if (ctl.fleet && (await runOnFleet(ctl, ctl.fleet, stop, [], splitWords(arg)))) return;
    if (!(await ctl.upcheck())) return;
    const names = splitWords(arg);
    if (names.length === 0) {
      ctl.output('Error: stop requires a process name');
      ctl.exitStatus = ExitStatus.GENERIC;
      printHelp(ctl, stop);
      return;
    }
    await forEachName(
      ctl,
      names,
      {
        all: () => ctl.rpc.call('stopAllProcesses'),
        group: (g) => ctl.rpc.call('stopProcessGroup', g),
        one: (n) => ctl.rpc.call('stopProcess', n),
      },
      {
        line: (r) => signalResultLine(r, 'stopped'),
        ignored: Faults.NOT_RUNNING,
        groupFault(group, code) {
          ctl.exitStatus = ExitStatus.GENERIC;
          if (code !== Faults.BAD_NAME) return false;
          noSuchGroup(ctl, group, ExitStatus.GENERIC);
          return true;
        },
      },
    );
  },
};

export const restart: Action = {
  name: 'restart',
  help: [
    'restart <name>\t\tStop, then start one process',
    'restart <gname>:*\tThe same for every process of a group',
    'restart <name> <name>\tThe same for several processes or groups',
    'restart all\t\tThe same for every process',
    'restart re-reads no configuration: reread and update do that.',
  ],
  completes: 'processes',
  async run(ctl, arg) {
    if (ctl.fleet && (await runOnFleet(ctl, ctl.fleet, restart, [], splitWords(arg)))) return;
    if (!(await ctl.upcheck())) return;
    if (splitWords(arg).length === 0) {
      ctl.output('Error: restart requires a process name');
      ctl.exitStatus = ExitStatus.GENERIC;
      printHelp(ctl, restart);
      return;
    }
    await stop.run(ctl, arg);
    await start.run(ctl, arg);
  },
};

export const signal: Action = {
  name: 'signal',
  help: [
    'signal <signal> <name>\t\tSend a signal (name or number) to one process',
    'signal <signal> <gname>:*\tSend it to every process of a group',
    'signal <signal> <name> <name>\tSend it to several processes or groups',
    'signal <signal> all\t\tSend it to every process',
  ],
  completes: 'processes',
  async run(ctl, arg) {
    const [signalName, ...targets] = splitWords(arg);
    if (ctl.fleet && signalName !== undefined && targets.length > 0 && (await runOnFleet(ctl, ctl.fleet, signal, [signalName], targets))) {
      return;
    }
    if (!(await ctl.upcheck())) return;
    const words = splitWords(arg);
    if (words.length < 2) {
      ctl.output('Error: signal requires a signal name and a process name');
      printHelp(ctl, signal);
      ctl.exitStatus = ExitStatus.GENERIC;
      return;
    }
    const [sig, ...names] = words as [string, ...string[]];
    await forEachName(
      ctl,
      names,
      {
        all: () => ctl.rpc.call('signalAllProcesses', sig),
        group: (g) => ctl.rpc.call('signalProcessGroup', g, sig),
        one: (n) => ctl.rpc.call('signalProcess', n, sig),
      },
      {
        line: (r) => signalResultLine(r),
        groupFault(group, code) {
          if (code !== Faults.BAD_NAME) return false;
          noSuchGroup(ctl, group, ExitStatus.GENERIC);
          return true;
        },
      },
    );
  },
};

export const clear: Action = {
  name: 'clear',
  help: [
    "clear <name>\t\tEmpty one process's log files",
    "clear <name> <name>\tEmpty several processes' log files",
    "clear all\t\tEmpty every process's log files",
  ],
  completes: 'processes',
  async run(ctl, arg) {
    if (ctl.fleet && (await runOnFleet(ctl, ctl.fleet, clear, [], splitWords(arg)))) return;
    if (!(await ctl.upcheck())) return;
    const names = splitWords(arg);
    if (names.length === 0) {
      ctl.output('Error: clear requires a process name');
      ctl.exitStatus = ExitStatus.GENERIC;
      printHelp(ctl, clear);
      return;
    }
    const show = (r: ProcessOutcome): void => {
      ctl.output(clearResultLine(r));
      ctl.setExitFromFault(r.status);
    };
    if (names.includes('all')) {
      for (const r of await ctl.rpc.call('clearAllProcessLogs')) show(r);
      return;
    }
    // Unlike start/stop, every name goes to the single call (which refuses `g:*`).
    for (const name of names) {
      const { group, process: member } = parseNamespec(name);
      // A group spec is shown as the reference's Python formats a missing name: `g:None`.
      const shown = { name: member ?? 'None', group };
      try {
        await ctl.rpc.call('clearProcessLogs', name);
      } catch (e) {
        const code = faultCode(e);
        if (code === null) throw e;
        show({ ...shown, status: code, description: (e as Error).message });
        continue;
      }
      show({ ...shown, status: Faults.SUCCESS, description: 'OK' });
    }
  },
};

export const pid: Action = {
  name: 'pid',
  help: [
    "pid\t\t\tPrint supervisord's own pid",
    "pid <name>\t\tPrint one process's pid (0 when it is not running)",
    "pid all\t\t\tPrint every process's pid, one per line",
  ],
  completes: 'processes',
  async run(ctl, arg) {
    if (!(await ctl.upcheck())) return;
    const names = splitWords(arg);
    if (names.length === 0) {
      ctl.output(String(await ctl.rpc.call('getPID')));
      return;
    }
    if (names.includes('all')) {
      for (const info of await ctl.rpc.call('getAllProcessInfo')) ctl.output(String(info.pid));
      return;
    }
    for (const name of names) {
      let info: ProcessInfo;
      try {
        info = await ctl.rpc.call('getProcessInfo', name);
      } catch (e) {
        ctl.exitStatus = ExitStatus.GENERIC;
        if (faultCode(e) !== Faults.BAD_NAME) throw e;
        ctl.output(`No such process ${name}`);
        continue;
      }
      ctl.output(String(info.pid));
      if (info.pid === 0) ctl.exitStatus = ExitStatus.NOT_RUNNING;
    }
  },
};
