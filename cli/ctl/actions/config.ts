// Actions on the daemon's configuration: avail, reread, add, remove, update.
import { ExitStatus } from '../exit-status.js';
import { splitWords } from '../line.js';
import { availLine } from '../format.js';
import { Faults, faultCode, type ConfigChanges } from '../supervisor-rpc.js';
import { refuseArguments, type Action, type Controller } from './action.js';

/** Reports the fault if it is SHUTDOWN_STATE (with `message`) and returns true; else false. */
function shuttingDown(ctl: Controller, e: unknown, message: string): boolean {
  ctl.exitStatus = ExitStatus.GENERIC;
  if (faultCode(e) !== Faults.SHUTDOWN_STATE) return false;
  ctl.output(message);
  return true;
}

export const avail: Action = {
  name: 'avail',
  help: ['avail\t\t\tList every configured process, whether in use, autostarted, and its priorities'],
  async run(ctl, arg) {
    if (refuseArguments(ctl, avail, arg)) return;
    let infos;
    try {
      infos = await ctl.rpc.call('getAllConfigInfo');
    } catch (e) {
      if (shuttingDown(ctl, e, 'ERROR: supervisor shutting down')) return;
      throw e;
    }
    for (const info of infos) ctl.output(availLine(info));
  },
};

async function reloadConfig(ctl: Controller, shutdownMessage: string): Promise<ConfigChanges | null> {
  try {
    const [changes] = await ctl.rpc.call('reloadConfig');
    return changes;
  } catch (e) {
    if (shuttingDown(ctl, e, shutdownMessage)) return null;
    throw e;
  }
}

export const reread: Action = {
  name: 'reread',
  help: ["reread\t\t\tRead the daemon's configuration files again and list what changed, applying nothing"],
  async run(ctl, arg) {
    if (refuseArguments(ctl, reread, arg)) return;
    let changes: ConfigChanges | null;
    try {
      changes = await reloadConfig(ctl, 'ERROR: supervisor shutting down');
    } catch (e) {
      if (faultCode(e) !== Faults.CANT_REREAD) throw e;
      ctl.output(`ERROR: ${(e as Error).message}`);
      return;
    }
    if (changes === null) return;
    const [added, changed, removed] = changes;
    // One list sorted by name; a name in several lists shows its last kind.
    const kinds = new Map<string, string>();
    for (const name of added) kinds.set(name, 'available');
    for (const name of changed) kinds.set(name, 'changed');
    for (const name of removed) kinds.set(name, 'disappeared');
    if (kinds.size === 0) {
      ctl.output('No config updates to processes');
      return;
    }
    for (const name of [...kinds.keys()].sort()) ctl.output(`${name}: ${kinds.get(name)}`);
  },
};

export const add: Action = {
  name: 'add',
  help: ['add <name> [...]\tStart using the configured process group(s) that reread found'],
  completes: 'groups',
  async run(ctl, arg) {
    for (const name of splitWords(arg)) {
      try {
        await ctl.rpc.call('addProcessGroup', name);
      } catch (e) {
        const code = faultCode(e);
        if (code === Faults.SHUTDOWN_STATE) {
          ctl.output('ERROR: shutting down');
          ctl.exitStatus = ExitStatus.GENERIC;
        } else if (code === Faults.ALREADY_ADDED) {
          ctl.output('ERROR: process group already active');
        } else if (code === Faults.BAD_NAME) {
          ctl.output(`ERROR: no such process/group: ${name}`);
          ctl.exitStatus = ExitStatus.GENERIC;
        } else {
          ctl.exitStatus = ExitStatus.GENERIC;
          throw e;
        }
        continue;
      }
      ctl.output(`${name}: added process group`);
    }
  },
};

export const remove: Action = {
  name: 'remove',
  help: ['remove <name> [...]\tStop using stopped process group(s)'],
  completes: 'groups',
  async run(ctl, arg) {
    for (const name of splitWords(arg)) {
      try {
        await ctl.rpc.call('removeProcessGroup', name);
      } catch (e) {
        ctl.exitStatus = ExitStatus.GENERIC;
        const code = faultCode(e);
        if (code === Faults.STILL_RUNNING) ctl.output(`ERROR: process/group still running: ${name}`);
        else if (code === Faults.BAD_NAME) ctl.output(`ERROR: no such process/group: ${name}`);
        else throw e;
        continue;
      }
      ctl.output(`${name}: removed process group`);
    }
  },
};

export const update: Action = {
  name: 'update',
  help: [
    'update\t\t\tReread the configuration, then remove, replace (restarting them) and add groups to match it',
    'update all\t\tThe same',
    'update <gname> [...]\tThe same, limited to the named groups',
  ],
  completes: 'groups',
  async run(ctl, arg) {
    const changes = await reloadConfig(ctl, 'ERROR: already shutting down');
    if (changes === null) return;
    const [added, changed, removed] = changes;
    const wanted = new Set(splitWords(arg));
    if (wanted.has('all')) wanted.clear();
    const applies = (group: string): boolean => wanted.size === 0 || wanted.has(group);

    if (wanted.size > 0) {
      const known = new Set((await ctl.rpc.call('getAllProcessInfo')).map((info) => info.group));
      for (const group of added) known.add(group);
      for (const group of wanted) {
        if (known.has(group)) continue;
        ctl.output(`ERROR: no such group: ${group}`);
        ctl.exitStatus = ExitStatus.GENERIC;
      }
    }

    for (const group of removed.filter(applies)) {
      const results = await ctl.rpc.call('stopProcessGroup', group);
      ctl.output(`${group}: stopped`);
      if (results.some((r) => r.status === Faults.FAILED)) {
        ctl.output(`${group}: has problems; not removing`);
        ctl.exitStatus = ExitStatus.GENERIC;
        continue;
      }
      await ctl.rpc.call('removeProcessGroup', group);
      ctl.output(`${group}: removed process group`);
    }
    for (const group of changed.filter(applies)) {
      await ctl.rpc.call('stopProcessGroup', group);
      ctl.output(`${group}: stopped`);
      await ctl.rpc.call('removeProcessGroup', group);
      await ctl.rpc.call('addProcessGroup', group);
      ctl.output(`${group}: updated process group`);
    }
    for (const group of added.filter(applies)) {
      await ctl.rpc.call('addProcessGroup', group);
      ctl.output(`${group}: added process group`);
    }
  },
};
