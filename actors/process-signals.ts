// Signalling one process's child, with the activity-log lines the reference writes for each
// outcome: a signal sent on request (signalProcess) and one the machine sends to stop the child.
import { systemErrorCode } from '../common/errors.js';
import type { SignalRequest } from '../machines/process.js';
import type { ProcessEnvironment } from './process-environment.js';

type SignalEnvironment = Pick<ProcessEnvironment, 'log' | 'system'>;

/**
 * Sends a signal without meaning to stop the child. Returns an error text when it could not be
 * sent; a child that just exited counts as signalled, as in the reference.
 */
export function sendSignal(env: SignalEnvironment, name: string, pid: number, signal: NodeJS.Signals): string | null {
  if (!pid) {
    const message = `attempted to send ${name} sig ${signal} but it wasn't running`;
    env.log.debug(message);
    return message;
  }
  env.log.debug(`sending ${name} (pid ${pid}) sig ${signal}`);
  try {
    env.system.kill(pid, signal);
  } catch (error) {
    if (systemErrorCode(error) === 'ESRCH') {
      env.log.debug(`unable to signal ${name} (pid ${pid}), it probably just now exited on its own: ${String(error)}`);
      return null;
    }
    const message = `unknown problem sending sig ${name} (${pid}):${String(error)}`;
    env.log.critical(message);
    return message;
  }
  return null;
}

/**
 * Sends the machine's stop (or kill) signal. Returns the error text when the signal could not be
 * sent for another reason than the child being gone already (whose exit event then follows).
 */
export function signalToStop(env: SignalEnvironment, name: string, request: SignalRequest): string | null {
  const { pid, signal } = request;
  if (!pid) {
    env.log.debug(`attempted to kill ${name} with sig ${signal} but it wasn't running`);
    return null;
  }
  if (request.timedOut) env.log.warn(`killing '${name}' (${pid}) with SIGKILL`);
  env.log.debug(`killing ${name} (pid ${pid}) ${request.group ? 'process group ' : ''}with signal ${signal}`);
  try {
    env.system.kill(request.group ? -pid : pid, signal);
  } catch (error) {
    if (systemErrorCode(error) === 'ESRCH') {
      env.log.debug(`unable to signal ${name} (pid ${pid}), it probably just exited on its own: ${String(error)}`);
      return null;
    }
    const message = `unknown problem killing ${name} (${pid}):${String(error)}`;
    env.log.critical(message);
    return message;
  }
  return null;
}
