// The values XML-RPC carries, as JavaScript values. Shared by the codec, the dispatcher, the
// API methods and the client.
import { SupervisorError } from '../errors.js';

/** A double that happens to be integral must still be sent as <double>: wrap it. */
export class XmlRpcDouble {
  constructor(readonly value: number) {}
}

/**
 * int/i4/i8 → number (integral), double → number (or XmlRpcDouble to force <double>),
 * boolean, string, dateTime.iso8601 → Date, base64 → Buffer, nil → null, array, struct.
 */
export type XmlRpcValue =
  number | XmlRpcDouble | boolean | string | Date | Buffer | null | XmlRpcValue[] | { [member: string]: XmlRpcValue };

export interface MethodCall {
  methodName: string;
  params: XmlRpcValue[];
}

/** A fault as it travels: a struct with faultCode and faultString. */
export class XmlRpcFault extends SupervisorError {
  override name = 'XmlRpcFault';

  constructor(
    readonly faultCode: number,
    readonly faultString: string,
  ) {
    super('XMLRPC_FAULT', faultString);
  }
}
