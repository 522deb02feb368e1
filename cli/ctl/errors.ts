// How supervisorctl reports what went wrong talking to the daemon: the reference's lines where it
// has them, and for an unreachable server a hint (on stderr, so stdout stays as the reference's)
// naming the URL and the likely cause.
import { XmlRpcConnectionError, XmlRpcHttpError } from '../../common/xmlrpc/client.js';
import { XmlRpcFault } from '../../common/xmlrpc/types.js';
import { pyRepr } from '../../config/python.js';

/** The one-line report of an error no action handled (the reference's `error: <type>, <value>`). */
export function describeError(e: unknown): string {
  if (e instanceof XmlRpcConnectionError) return e.message;
  if (e instanceof XmlRpcHttpError) {
    // The reference's transport always names its fake URL 127.0.0.1/RPC2.
    return `error: <class 'xmlrpc.client.ProtocolError'>, <ProtocolError for 127.0.0.1/RPC2: ${e.status} ${e.reason}>`;
  }
  if (e instanceof XmlRpcFault) {
    return `error: <class 'xmlrpc.client.Fault'>, <Fault ${e.faultCode}: ${pyRepr(e.faultString)}>`;
  }
  // Errors named as Python's are printed with their name, as the reference prints its exceptions.
  if (e instanceof Error) return e.name === 'ValueError' ? `error: ${e.name}, ${e.message}` : `error: ${e.message}`;
  return `error: ${String(e)}`;
}

/** A sentence on the likely cause of a connection failure, or null when there is nothing to add. */
export function connectionHint(e: XmlRpcConnectionError): string | null {
  const unix = e.url.startsWith('unix://');
  const where = unix ? e.url.slice('unix://'.length) : e.url;
  switch (e.systemCode) {
    case 'ENOENT':
      return `${where} does not exist: supervisord is not running, or serverurl does not name the file of its [unix_http_server]`;
    case 'ECONNREFUSED':
      return unix
        ? `nothing accepts connections on ${where}: supervisord has stopped and left its socket file behind`
        : `nothing listens at ${where}: supervisord is not running, or has no [inet_http_server] on that port`;
    case 'EACCES':
      return `this user may not use ${where}: check the chmod/chown of [unix_http_server], or run as a permitted user`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host of ${where} cannot be resolved`;
    case 'ETIMEDOUT':
      return `${where} did not answer in time`;
    default:
      return null;
  }
}
