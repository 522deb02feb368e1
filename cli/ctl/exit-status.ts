// supervisorctl's exit statuses: the LSB init-script codes the reference uses.
import { Faults } from './supervisor-rpc.js';

export const ExitStatus = {
  SUCCESS: 0,
  GENERIC: 1,
  INVALID_ARGS: 2,
  UNIMPLEMENTED_FEATURE: 3,
  INSUFFICIENT_PRIVILEGES: 4,
  NOT_INSTALLED: 5,
  NOT_RUNNING: 7,
} as const;

/** `status` answers with the LSB status-action codes instead. */
export const StatusExitStatus = { NOT_RUNNING: 3, UNKNOWN: 4 } as const;

const DEAD_PROGRAM_FAULTS: readonly number[] = [Faults.SPAWN_ERROR, Faults.ABNORMAL_TERMINATION, Faults.NOT_RUNNING];

/** The reference's exit status for a fault in a start/stop/signal/clear answer; null: leave it. */
export function exitStatusForFault(code: number, ignored?: number): number | null {
  if (code === ignored || code === Faults.SUCCESS) return null;
  return DEAD_PROGRAM_FAULTS.includes(code) ? ExitStatus.NOT_RUNNING : ExitStatus.GENERIC;
}
