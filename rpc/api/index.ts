// The `supervisor` namespace of the XML-RPC API (api.rst): a thin mapping from method names to
// the actors' commands and snapshots, with the reference's results and faults, declared by
// section of the manual.
import type { DaemonHost } from '../host.js';
import type { RpcMethod } from '../registry.js';
import { communication } from './communication.js';
import { configuration } from './config.js';
import { processControl } from './process-control.js';
import { processInformation } from './process-info.js';
import { processLogging } from './process-logging.js';
import { statusAndControl } from './status-control.js';
import { Api, publish } from './table.js';

export { API_VERSION } from './status-control.js';

/** Older names the reference still answers to. */
const ALIASES: ReadonlyArray<[alias: string, name: string]> = [
  ['getVersion', 'getAPIVersion'],
  ['readMainLog', 'readLog'],
  ['tailProcessLog', 'tailProcessStdoutLog'],
  ['readProcessLog', 'readProcessStdoutLog'],
  ['clearProcessLog', 'clearProcessLogs'],
];

export function supervisorMethods(host: DaemonHost): Map<string, RpcMethod> {
  const api = new Api(host);
  const methods = publish(api, {
    ...statusAndControl(api),
    ...processControl(api),
    ...processInformation(api),
    ...configuration(api),
    ...communication(api),
    ...processLogging(api),
  });
  for (const [alias, name] of ALIASES) methods.set(alias, methods.get(name)!);
  return methods;
}
