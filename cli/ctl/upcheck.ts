// The check every action on a daemon makes first, and the report of a daemon that cannot be
// reached: shared by the run's own controller and by each daemon of a fleet-wide action.
import { XmlRpcConnectionError } from '../../common/xmlrpc/client.js';
import type { Controller } from './actions/action.js';
import { connectionHint } from './errors.js';
import { ExitStatus } from './exit-status.js';
import { API_VERSION } from './fleet.js';
import { Faults, faultCode } from './supervisor-rpc.js';

/** `<url> no such file` on stdout as the reference prints it, the likely cause on stderr. */
export function reportUnreachable(ctl: Controller, e: XmlRpcConnectionError, line = e.message): void {
  ctl.output(line);
  const hint = connectionHint(e);
  if (hint !== null) process.stderr.write(`supervisorctl: ${hint}\n`);
}

/**
 * Checks the daemon answers with the API version we speak; reports and sets the exit status
 * when it does not (refused: 4, no socket file: 7).
 */
export async function upcheck(ctl: Controller): Promise<boolean> {
  try {
    const api = await ctl.rpc.call('getVersion');
    if (api !== API_VERSION) {
      ctl.output(
        `Sorry, this version of supervisorctl expects to talk to a server with API version ${API_VERSION}, but the remote version is ${api}.`,
      );
      ctl.exitStatus = ExitStatus.NOT_INSTALLED;
      return false;
    }
  } catch (e) {
    if (faultCode(e) === Faults.UNKNOWN_METHOD) {
      ctl.output(
        'Sorry, supervisord responded but did not recognize the supervisor namespace commands that supervisorctl uses to control it.  Please check that the [rpcinterface:supervisor] section is enabled in the configuration file (see sample.conf).',
      );
      ctl.exitStatus = ExitStatus.UNIMPLEMENTED_FEATURE;
      return false;
    }
    if (e instanceof XmlRpcConnectionError && (e.systemCode === 'ECONNREFUSED' || e.systemCode === 'ENOENT')) {
      ctl.reportUnreachable(e);
      ctl.exitStatus = e.systemCode === 'ECONNREFUSED' ? ExitStatus.INSUFFICIENT_PRIVILEGES : ExitStatus.NOT_RUNNING;
      return false;
    }
    ctl.exitStatus = ExitStatus.GENERIC;
    throw e;
  }
  return true;
}
