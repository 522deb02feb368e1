// api.rst "Status and Control": the daemon itself and its activity log.
import { isSupervisorError } from '../../common/errors.js';
import { SUPERVISOR_VERSION } from '../../common/version.js';
import { DAEMON_STATES } from '../../machines/states.js';
import { rpcError } from '../faults.js';
import { readFault } from './process-logging.js';
import { int, type Api, type ApiTable } from './table.js';

export const API_VERSION = '3.0';

export function statusAndControl(api: Api): ApiTable {
  const { host } = api;
  return {
    getAPIVersion: { help: 'The version of this RPC API.\n\n@return string version', signature: ['string'], call: () => API_VERSION },
    getSupervisorVersion: {
      help: 'The Supervisor release this daemon behaves as.\n\n@return string version',
      signature: ['string'],
      call: () => SUPERVISOR_VERSION,
    },
    getIdentification: {
      help: 'The identifier set in [supervisord] (default "supervisor").\n\n@return string identifier',
      signature: ['string'],
      call: () => host.config.supervisord.identifier,
    },
    getState: {
      help: 'The daemon state: statecode and statename.\n\n@return struct result',
      signature: ['struct'],
      call: () => {
        const state = host.state.state;
        return { statecode: DAEMON_STATES[state], statename: state };
      },
    },
    getPID: { help: "The daemon's process id.\n\n@return int pid", signature: ['int'], call: () => process.pid },
    readLog: {
      help: 'A slice of the activity log. A negative offset reads the last -offset bytes (length 0).\n\n@param int offset\n@param int length\n@return string result',
      signature: ['string', 'int', 'int'],
      call: ([offset, length]) => {
        const file = host.log.file;
        if (!file.readable) throw rpcError('NO_FILE', file.path ?? undefined);
        try {
          return file.read(int(offset), int(length)).toString('utf8');
        } catch (error) {
          throw readFault(error);
        }
      },
    },
    clearLog: {
      help: 'Empties the activity log and reopens it.\n\n@return boolean result',
      signature: ['boolean'],
      call: () => {
        try {
          host.log.clear();
        } catch (error) {
          if (isSupervisorError(error, 'NO_LOG_FILE')) throw rpcError('NO_FILE');
          if (isSupervisorError(error, 'LOG_IO')) throw rpcError('FAILED');
          throw error;
        }
        return true;
      },
    },
    shutdown: {
      help: 'Stops every process and exits.\n\n@return boolean result',
      signature: ['boolean'],
      call: () => {
        host.requestStop('shutdown');
        return true;
      },
    },
    restart: {
      help: 'Stops every process, rereads the configuration and starts again.\n\n@return boolean result',
      signature: ['boolean'],
      call: () => {
        host.requestStop('restart');
        return true;
      },
    },
  };
}
