// api.rst "Process Control", the configuration part: rereading the file and bringing groups into
// and out of use (supervisorctl's reread/update/add/remove), and every process's configuration.
import { isSupervisorError } from '../../common/errors.js';
import { processConfigInfo } from '../../config/config-info.js';
import type { Config } from '../../config/types.js';
import { rpcError } from '../faults.js';
import { str, type Api, type ApiTable } from './table.js';

export function configuration(api: Api): ApiTable {
  return {
    getAllConfigInfo: {
      help: "Every process's configuration, in use or not, sorted by name.\n\n@return array result",
      signature: ['array'],
      call: () =>
        api.supervisor
          .configEntries()
          .map(({ group, process, inUse, running }) => processConfigInfo(group, process, inUse, running ?? undefined))
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    },
    reloadConfig: {
      help: 'Rereads the configuration file and reports which groups it adds, changes and removes\n(apply them with addProcessGroup/removeProcessGroup).\n\n@return array result  [[added, changed, removed]]',
      signature: ['array'],
      call: () => {
        let config: Config;
        try {
          config = api.host.reread();
        } catch (error) {
          if (isSupervisorError(error, 'CONFIG')) throw rpcError('CANT_REREAD', error.message);
          throw error;
        }
        const { added, changed, removed } = api.supervisor.reread(config);
        return [[added, changed, removed]];
      },
    },
    addProcessGroup: {
      help: 'Brings a group from the configuration into use.\n\n@param string name\n@return boolean result',
      signature: ['boolean', 'string'],
      call: ([name]) => {
        let outcome;
        try {
          outcome = api.supervisor.addAvailableGroup(str(name));
        } catch (error) {
          // An fcgi-program's socket that cannot be created (the reference answers HTTP 500).
          if (isSupervisorError(error, 'SPAWN')) throw rpcError('FAILED', error.message);
          throw error;
        }
        if (outcome === 'no-such-group') throw rpcError('BAD_NAME', str(name));
        if (outcome === 'already-added') throw rpcError('ALREADY_ADDED', str(name));
        return true;
      },
    },
    removeProcessGroup: {
      help: 'Takes a stopped group out of use.\n\n@param string name\n@return boolean result',
      signature: ['boolean', 'string'],
      call: ([name]) => {
        const outcome = api.supervisor.removeGroup(str(name));
        if (outcome === 'no-such-group') throw rpcError('BAD_NAME', str(name));
        if (outcome === 'still-running') throw rpcError('STILL_RUNNING', str(name));
        return true;
      },
    },
  };
}
