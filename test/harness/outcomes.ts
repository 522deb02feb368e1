// Expected results of XML-RPC calls, in the shape rpcCalls() hands them back, for deepEqual.
import type { Json } from './rpc.js';

export const fault = (faultCode: number, faultString: string): Json => ({ kind: 'fault', fault: { faultCode, faultString } });
export const ok = (value: Json): Json => ({ kind: 'ok', value });
/** One entry of a group or all-processes result (start/stop/signal of several). */
export const entry = (name: string, group: string, status = 80, description = 'OK'): Json => ({ name, group, status, description });
