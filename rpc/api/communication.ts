// api.rst "Process Control", the talking part: a process's stdin and REMOTE_COMMUNICATION events.
import { remoteCommunicationEvent } from '../../actors/events/payloads.js';
import { isSupervisorError } from '../../common/errors.js';
import { rpcError } from '../faults.js';
import { str, type Api, type ApiTable } from './table.js';

export function communication(api: Api): ApiTable {
  return {
    sendProcessStdin: {
      help: "Writes characters to a process's stdin.\n\n@param string name\n@param string chars\n@return boolean result",
      // Python's client sends bytes as <base64>.
      signature: ['boolean', 'string', ['string', 'base64']],
      call: ([name, chars]) => {
        const process = api.process(str(name));
        if (!process.pid || process.state === 'STOPPING') throw rpcError('NOT_RUNNING', str(name));
        try {
          process.writeStdin(Buffer.isBuffer(chars) ? chars : Buffer.from(str(chars), 'utf8'));
        } catch (error) {
          if (isSupervisorError(error, 'EPIPE')) throw rpcError('NO_FILE', str(name));
          throw error;
        }
        return true;
      },
    },
    sendRemoteCommEvent: {
      help: 'Sends a REMOTE_COMMUNICATION event to the event listeners subscribed to it.\n\n@param string type\n@param string data\n@return boolean result',
      signature: ['boolean', 'string', 'string'],
      whileStopping: true,
      call: ([type, data]) => {
        api.supervisor.events.publish(remoteCommunicationEvent(str(type), str(data)));
        return true;
      },
    },
  };
}
