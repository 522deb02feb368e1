// api.rst "Process Logging": the output logs of processes.
import type { OutputChannel } from '../../config/types.js';
import { isSupervisorError } from '../../common/errors.js';
import type { XmlRpcValue } from '../../common/xmlrpc/types.js';
import { rpcError } from '../faults.js';
import { forEachProcess } from './results.js';
import { int, str, type Api, type ApiTable } from './table.js';

/** The fault for a log that could not be read (anything else is passed on as it is). */
export function readFault(error: unknown): unknown {
  if (isSupervisorError(error, 'LOG_BAD_ARGUMENTS')) return rpcError('BAD_ARGUMENTS');
  if (isSupervisorError(error, 'LOG_IO')) return rpcError('FAILED');
  return error;
}

export function processLogging(api: Api): ApiTable {
  const read = (spec: string, offset: number, length: number, channel: OutputChannel): string => {
    const file = api.process(spec).logs.file(channel);
    if (!file.readable) throw rpcError('NO_FILE', file.path ?? undefined);
    try {
      return file.read(offset, length).toString('utf8');
    } catch (error) {
      throw readFault(error);
    }
  };
  const tail = (spec: string, offset: number, length: number, channel: OutputChannel): XmlRpcValue => {
    const { data, offset: next, overflow } = api.process(spec).logs.file(channel).tail(offset, length);
    return [data.toString('utf8'), next, overflow];
  };
  const clear = (spec: string): true => {
    const process = api.process(spec);
    try {
      process.logs.clear();
    } catch {
      throw rpcError('FAILED', spec);
    }
    return true;
  };
  return {
    readProcessStdoutLog: {
      help: "A slice of a process's stdout log (offset and length as for readLog).\n\n@param string name\n@param int offset\n@param int length\n@return string result",
      signature: ['string', 'string', 'int', 'int'],
      call: ([name, offset, length]) => read(str(name), int(offset), int(length), 'stdout'),
    },
    readProcessStderrLog: {
      help: "A slice of a process's stderr log.\n\n@param string name\n@param int offset\n@param int length\n@return string result",
      signature: ['string', 'string', 'int', 'int'],
      call: ([name, offset, length]) => read(str(name), int(offset), int(length), 'stderr'),
    },
    tailProcessStdoutLog: {
      help: 'Up to length bytes of the stdout log from offset; if the log grew past offset+length, its last\nbytes instead, with overflow set. The returned offset is where the next call should start.\n\n@param string name\n@param int offset\n@param int length\n@return array result  [string bytes, int offset, boolean overflow]',
      signature: ['array', 'string', 'int', 'int'],
      call: ([name, offset, length]) => tail(str(name), int(offset), int(length), 'stdout'),
    },
    tailProcessStderrLog: {
      help: 'As tailProcessStdoutLog, for the stderr log.\n\n@param string name\n@param int offset\n@param int length\n@return array result',
      signature: ['array', 'string', 'int', 'int'],
      call: ([name, offset, length]) => tail(str(name), int(offset), int(length), 'stderr'),
    },
    clearProcessLogs: {
      help: "Empties a process's stdout and stderr logs.\n\n@param string name\n@return boolean result",
      signature: ['boolean', 'string'],
      call: ([name]) => clear(str(name)),
    },
    clearAllProcessLogs: {
      help: 'Empties the logs of every process.\n\n@return array result',
      signature: ['array'],
      call: () => forEachProcess(api.byPriority(), () => true, clear),
    },
  };
}
