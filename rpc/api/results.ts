// The answer of the *Group and *All methods: one struct per process the action applied to.
import { namespecOf } from '../../actors/namespec.js';
import type { SupervisedProcess } from '../../actors/process.js';
import { XmlRpcFault, type XmlRpcValue } from '../../common/xmlrpc/types.js';
import { Faults } from '../faults.js';

/** An action on one process: done at once (true), or settling later; a fault when refused. */
export type ProcessAction = (namespec: string) => true | Promise<true>;

function outcome(process: SupervisedProcess, fault: XmlRpcFault | null): XmlRpcValue {
  return {
    name: process.name,
    group: process.group,
    status: fault ? fault.faultCode : Faults.SUCCESS,
    description: fault ? fault.faultString : 'OK',
  };
}

/**
 * Applies `action` to each selected process, in the order given. As in the reference, the
 * outcomes known at once come first; those that settle later follow in the same order.
 */
export async function forEachProcess(
  processes: SupervisedProcess[],
  selected: (process: SupervisedProcess) => boolean,
  action: ProcessAction,
): Promise<XmlRpcValue[]> {
  const immediate: XmlRpcValue[] = [];
  const settling: Promise<XmlRpcValue>[] = [];
  for (const process of processes.filter(selected)) {
    try {
      const done = action(namespecOf(process));
      if (done === true) immediate.push(outcome(process, null));
      else
        settling.push(
          done.then(
            () => outcome(process, null),
            (fault: XmlRpcFault) => outcome(process, fault),
          ),
        );
    } catch (error) {
      if (!(error instanceof XmlRpcFault)) throw error;
      immediate.push(outcome(process, error));
    }
  }
  return [...immediate, ...(await Promise.all(settling))];
}
