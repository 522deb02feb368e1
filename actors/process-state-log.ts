// The activity-log line the reference writes when a process changes state (success:, exited:,
// stopped:, gave up:), plus ours for a start given up because a dependency failed.
import type { StateChange } from '../machines/process.js';
import { describeExit } from './exit-status.js';
import type { ActivityLog } from './logs/activity-log.js';

export function logStateChange(log: ActivityLog, name: string, startsecs: number, change: StateChange): void {
  const { from, to, cause } = change;
  // The exit may have caused the change only once the rest of its tree was gone (stopastree).
  const exit = change.exit ? describeExit(change.exit) : '';
  if (to === 'RUNNING' && from === 'STARTING') {
    log.info(`success: ${name} entered RUNNING state, process has stayed up for > than ${startsecs} seconds (startsecs)`);
  } else if (to === 'BACKOFF' && change.exit) {
    log.warn(`exited: ${name} (${exit}; not expected)`);
  } else if (to === 'EXITED') {
    log.log(change.expected ? 'info' : 'warn', `exited: ${name} (${exit}; ${change.expected ? 'expected' : 'not expected'})`);
  } else if (to === 'STOPPED' && change.exit) {
    log.log(change.expected ? 'info' : 'warn', `stopped: ${name} (${exit})`);
  } else if (to === 'FATAL' && cause.type === 'DEPENDENCY_FAILED') {
    log.warn(`gave up: ${name} entered FATAL state, ${cause.detail}`);
  } else if (to === 'FATAL' && from === 'BACKOFF' && cause.type !== 'GIVE_UP') {
    log.info(`gave up: ${name} entered FATAL state, too many start retries too quickly`);
  }
}
