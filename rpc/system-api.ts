// The `system` namespace: introspection and multicall.
import type { RpcDispatcher } from './dispatch.js';
import { rpcError } from './faults.js';
import { isStruct, reportedSignature, type RpcMethod } from './registry.js';
import { XmlRpcFault, type XmlRpcValue } from '../common/xmlrpc/types.js';

function faultStruct(fault: XmlRpcFault): XmlRpcValue {
  return { faultCode: fault.faultCode, faultString: fault.faultString };
}

/** One entry of a multicall as a call: a fault when it is not {methodName: string, params?: array}. */
function entryCall(entry: XmlRpcValue): { name: string; params: XmlRpcValue[] } {
  if (!isStruct(entry)) throw rpcError('INCORRECT_PARAMETERS', 'Call is not a struct');
  const { methodName: name, params = [] } = entry;
  if (name === undefined || name === null) throw rpcError('INCORRECT_PARAMETERS', 'No methodName');
  if (typeof name !== 'string') throw rpcError('INCORRECT_PARAMETERS', 'methodName is not a string');
  if (name === 'system.multicall') throw rpcError('INCORRECT_PARAMETERS', 'Recursive system.multicall forbidden');
  if (!Array.isArray(params)) throw rpcError('INCORRECT_PARAMETERS', 'params is not an array');
  return { name, params };
}

export function systemMethods(dispatcher: RpcDispatcher): Map<string, RpcMethod> {
  const lookup = (name: XmlRpcValue): RpcMethod => {
    try {
      return dispatcher.resolve(name as string);
    } catch {
      throw rpcError('SIGNATURE_UNSUPPORTED');
    }
  };
  return new Map<string, RpcMethod>([
    [
      'listMethods',
      {
        help: 'Names of every method this server offers, sorted.\n\n@return array result  Method names (strings).',
        signature: ['array'],
        call: () => dispatcher.methodNames(),
      },
    ],
    [
      'methodHelp',
      {
        help: "A method's documentation.\n\n@param string name  A method name, e.g. supervisor.getState.\n@return string result  Its documentation.",
        signature: ['string', 'string'],
        call: ([name]) => lookup(name!).help,
      },
    ],
    [
      'methodSignature',
      {
        help: "A method's signature: its return type followed by its parameter types.\n\n@param string name  A method name.\n@return array result  [returnType, paramType, ...].",
        signature: ['array', 'string'],
        call: ([name]) => {
          const signature = lookup(name!).signature;
          if (!signature) throw rpcError('SIGNATURE_UNSUPPORTED');
          return reportedSignature(signature);
        },
      },
    ],
    [
      'multicall',
      {
        help:
          'Run several calls in one request, in order. Each result is the value the call returned, or a\n' +
          'struct {faultCode, faultString} for a call that failed.\n\n' +
          "@param array calls  Structs of the form {'methodName': string, 'params': array}.\n" +
          '@return array result  One result per call.',
        signature: ['array', 'array'],
        call: async ([calls]) => {
          const results: XmlRpcValue[] = [];
          for (const entry of calls as XmlRpcValue[]) {
            try {
              const { name, params } = entryCall(entry);
              results.push(await dispatcher.call(name, params));
            } catch (error) {
              if (!(error instanceof XmlRpcFault)) throw error;
              results.push(faultStruct(error));
            }
          }
          return results;
        },
      },
    ],
  ]);
}
