// api.rst "Process Control": starting, stopping and signalling processes, groups and everything.
import type { SupervisedProcess } from '../../actors/process.js';
import { isSupervisorError } from '../../common/errors.js';
import type { XmlRpcValue } from '../../common/xmlrpc/types.js';
import { signalName } from '../../config/datatypes.js';
import { RUNNING_STATES, SIGNALLABLE_STATES } from '../../machines/states.js';
import { rpcError } from '../faults.js';
import { flag, type ParamType } from '../registry.js';
import { forEachProcess } from './results.js';
import { str, type Api, type ApiTable } from './table.js';

const isRunning = (p: SupervisedProcess) => RUNNING_STATES.includes(p.state);
const isSignallable = (p: SupervisedProcess) => SIGNALLABLE_STATES.includes(p.state);

/** A signal is a name ("HUP") or a number, which clients send as a string ("1") or an <int>. */
const SIGNAL: ParamType = ['string', 'int'];
const signalParam = (value: XmlRpcValue | undefined): string | number => value as string | number;

export function processControl(api: Api): ApiTable {
  const startOne = (spec: string, wait: boolean): true | Promise<true> => {
    const process = api.process(spec);
    try {
      process.checkCommand();
    } catch (error) {
      if (isSupervisorError(error, 'COMMAND_NOT_FOUND')) throw rpcError('NO_FILE', error.message);
      if (isSupervisorError(error, 'COMMAND_NOT_EXECUTABLE')) throw rpcError('NOT_EXECUTABLE', error.message);
      throw error;
    }
    const refusal = process.start();
    if (refusal === 'already-started') throw rpcError('ALREADY_STARTED', spec);
    if (refusal === 'unknown-state') throw rpcError('FAILED', `${spec} is in an unknown process state`);
    // Still stopping: the reference's start does nothing then, and a wait ends at once.
    if (refusal === 'stopping') {
      if (wait) throw rpcError('ABNORMAL_TERMINATION', spec);
      return true;
    }
    const spawned = (): true => {
      if (process.snapshot().spawnerr) throw rpcError('SPAWN_ERROR', spec);
      return true;
    };
    // As the reference's, a start without waiting answers once the child exists (its pid known).
    if (!wait) return process.whenSpawned().then(spawned);
    spawned();
    if (process.state === 'RUNNING') return true;
    return process.whenStarted().then((outcome) => {
      if (outcome === 'spawn-error') throw rpcError('SPAWN_ERROR', spec);
      if (outcome === 'abnormal') throw rpcError('ABNORMAL_TERMINATION', spec);
      return true;
    });
  };

  const stopOne = (spec: string, wait: boolean): true | Promise<true> => {
    const process = api.process(spec);
    if (!process.stop()) throw rpcError('NOT_RUNNING', spec);
    if (!wait || process.stopped) return true;
    return process.whenStopped().then(() => true);
  };

  const signalOne = (spec: string, signal: string | number): true => {
    const process = api.process(spec);
    let sig: NodeJS.Signals;
    try {
      sig = signalName(String(signal));
    } catch {
      throw rpcError('BAD_SIGNAL', String(signal));
    }
    if (!isSignallable(process)) throw rpcError('NOT_RUNNING', spec);
    const problem = process.sendSignal(sig);
    if (problem) throw rpcError('FAILED', problem);
    return true;
  };

  const startGroup = (name: string, wait: boolean) =>
    forEachProcess(
      api.byPriority([api.group(name)]),
      (p) => !isRunning(p),
      (spec) => startOne(spec, wait),
    );
  const stopGroup = (name: string, wait: boolean) =>
    forEachProcess(api.byPriority([api.group(name)]), isRunning, (spec) => stopOne(spec, wait));
  const signalGroup = async (name: string, signal: string | number) => {
    const group = api.group(name);
    api.ensureRunning();
    const results = await forEachProcess(api.byPriority([group]), isSignallable, (spec) => signalOne(spec, signal));
    api.ensureRunning();
    return results;
  };
  /** A namespec naming a whole group ("g:*") acts on the group. */
  const wholeGroup = (spec: string): string | null => (api.target(spec).process === null ? spec.split(':')[0]! : null);

  return {
    startProcess: {
      help: 'Starts a process ("group:name", or "group:*" for a whole group). With wait, answers once it\nis RUNNING.\n\n@param string name\n@param boolean wait\n@return boolean result',
      signature: ['boolean', 'string', 'boolean'],
      required: 1,
      call: ([name, wait]) => {
        const group = wholeGroup(str(name));
        return group === null ? startOne(str(name), flag(wait, true)) : startGroup(group, flag(wait, true));
      },
    },
    startProcessGroup: {
      help: 'Starts every process of a group.\n\n@param string name\n@param boolean wait\n@return array result  One struct per process: name, group, status, description.',
      signature: ['array', 'string', 'boolean'],
      required: 1,
      call: ([name, wait]) => startGroup(str(name), flag(wait, true)),
    },
    startAllProcesses: {
      help: 'Starts every process that is not running.\n\n@param boolean wait\n@return array result',
      signature: ['array', 'boolean'],
      required: 0,
      call: ([wait]) =>
        forEachProcess(
          api.byPriority(),
          (p) => !isRunning(p),
          (spec) => startOne(spec, flag(wait, true)),
        ),
    },
    stopProcess: {
      help: 'Stops a process ("group:name", or "group:*"). With wait, answers once it has stopped.\n\n@param string name\n@param boolean wait\n@return boolean result',
      signature: ['boolean', 'string', 'boolean'],
      required: 1,
      call: ([name, wait]) => {
        const group = wholeGroup(str(name));
        return group === null ? stopOne(str(name), flag(wait, true)) : stopGroup(group, flag(wait, true));
      },
    },
    stopProcessGroup: {
      help: 'Stops every process of a group.\n\n@param string name\n@param boolean wait\n@return array result',
      signature: ['array', 'string', 'boolean'],
      required: 1,
      call: ([name, wait]) => stopGroup(str(name), flag(wait, true)),
    },
    stopAllProcesses: {
      help: 'Stops every running process.\n\n@param boolean wait\n@return array result',
      signature: ['array', 'boolean'],
      required: 0,
      call: async ([wait]) => {
        // depends_on= (ours): wave after wave, each stopped before the next is signalled.
        const waves = api.supervisor.stopWaves();
        const results = [];
        for (const [index, wave] of waves.entries()) {
          const last = index === waves.length - 1;
          const processes = api.byPriority().filter((p) => wave.includes(p));
          results.push(...(await forEachProcess(processes, isRunning, (spec) => stopOne(spec, last ? flag(wait, true) : true))));
        }
        return results;
      },
    },
    signalProcess: {
      help: 'Sends a signal (name like HUP, or number) to a process, or to a group with "group:*".\n\n@param string name\n@param string signal\n@return boolean result',
      signature: ['boolean', 'string', SIGNAL],
      call: ([name, signal]) => {
        const group = wholeGroup(str(name));
        return group === null ? signalOne(str(name), signalParam(signal)) : signalGroup(group, signalParam(signal));
      },
    },
    signalProcessGroup: {
      help: 'Sends a signal to every process of a group.\n\n@param string name\n@param string signal\n@return array result',
      signature: ['array', 'string', SIGNAL],
      whileStopping: true,
      call: ([name, signal]) => signalGroup(str(name), signalParam(signal)),
    },
    signalAllProcesses: {
      help: 'Sends a signal to every running process.\n\n@param string signal\n@return array result',
      signature: ['array', SIGNAL],
      whileStopping: true,
      call: async ([signal]) => {
        const results = await forEachProcess(api.byPriority(), isSignallable, (spec) => signalOne(spec, signalParam(signal)));
        api.ensureRunning();
        return results;
      },
    },
  };
}
