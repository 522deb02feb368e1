// POST /RPC2: decode the call, dispatch it, answer with the result or the fault in one piece.
// Undecodable XML gets HTTP 400 as in the reference; a call a browser sent for another site's
// page gets 403 (the reference runs it); everything else, faults included, is 200.
import type { ServerResponse } from 'node:http';
import type { ActivityLog } from '../actors/logs/activity-log.js';
import type { RpcDispatcher } from './dispatch.js';
import { crossSiteRefusal } from './http/cross-site.js';
import { sendError, sendWhole } from './http/respond.js';
import type { HttpRequest } from './http/router.js';
import { parseMethodCall } from '../common/xmlrpc/parse.js';
import { encodeMethodResponse, serializeFault } from '../common/xmlrpc/serialize.js';
import { ReusedAnswers } from './reused-answers.js';
import { XmlRpcFault, type MethodCall } from '../common/xmlrpc/types.js';

/** GET /RPC2: the reference answers 400. */
export function xmlRpcWrongMethod(_request: HttpRequest, response: ServerResponse): void {
  sendError(response, 400);
}

export function xmlRpcEndpoint(dispatcher: RpcDispatcher, log: ActivityLog) {
  const reused = new ReusedAnswers();
  return async (request: HttpRequest, response: ServerResponse): Promise<void> => {
    const refusal = crossSiteRefusal(request);
    if (refusal) {
      log.warn(`XML-RPC ${refusal}`);
      sendError(response, 403);
      return;
    }
    let call: MethodCall;
    try {
      call = parseMethodCall(request.body);
    } catch {
      log.error(`XML-RPC request data ${JSON.stringify(request.body.toString('utf8').slice(0, 200))} is invalid: unmarshallable`);
      sendError(response, 400);
      return;
    }
    if (!call.methodName) {
      log.error('XML-RPC request data is invalid: no method name');
      sendError(response, 400);
      return;
    }
    let body: Buffer | string;
    try {
      log.trace(`XML-RPC method called: ${call.methodName}()`);
      const value = await dispatcher.call(call.methodName, call.params);
      body = dispatcher.resolve(call.methodName).reusableAnswer ? reused.encode(call.methodName, value) : encodeMethodResponse(value);
      log.trace(`XML-RPC method ${call.methodName}() returned successfully`);
    } catch (error) {
      if (!(error instanceof XmlRpcFault)) throw error;
      log.trace(`XML-RPC method ${call.methodName}() returned fault: [${error.faultCode}] ${error.faultString}`);
      body = serializeFault(error);
    }
    // The client may have gone while a waited call ran.
    if (!response.destroyed) sendWhole(response, 200, 'text/xml', body);
  };
}
