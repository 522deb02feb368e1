// The shape every readiness and liveness check has: one attempt, bounded by a timeout and a
// caller's abort, that never throws and says in a few words why it failed (for the log line).
import { describeError, isSupervisorError, systemErrorCode } from '../../common/errors.js';

export interface CheckOutcome {
  ok: boolean;
  /** A few words for the log: "connected", "ECONNREFUSED", "HTTP 503", "timed out after 1000 ms". */
  detail: string;
}

export interface CheckOptions {
  /** Aborting it ends the attempt at once (its outcome is then "aborted"). */
  signal: AbortSignal;
  /** How long one attempt may take. */
  timeoutMs: number;
}

export type Check = (options: CheckOptions) => Promise<CheckOutcome>;

/** An attempt gives up, cleaning up what it started, when its signal aborts; it may throw. */
export type Attempt = (signal: AbortSignal) => Promise<CheckOutcome>;

/** The longest delay a Node timer takes (a longer one would fire at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Why an attempt ended early: the check's own timeout or the caller's abort. */
class Stopped extends Error {}

/** The words for a failure: a system error's errno name, else the message. */
export function failureDetail(error: unknown): string {
  return (isSupervisorError(error) ? undefined : systemErrorCode(error)) ?? describeError(error);
}

/**
 * Runs one attempt under the timeout and the caller's signal. The attempt's signal also aborts
 * once the outcome is known, so whatever the attempt left running (a socket, a child) is ended.
 */
export async function attemptWithin(options: CheckOptions, attempt: Attempt): Promise<CheckOutcome> {
  if (options.signal.aborted) return { ok: false, detail: 'aborted' };
  const controller = new AbortController();
  const stop = (detail: string) => controller.abort(new Stopped(detail));
  const timer = setTimeout(() => stop(`timed out after ${options.timeoutMs} ms`), Math.min(options.timeoutMs, MAX_TIMER_MS));
  const onAbort = () => stop('aborted');
  options.signal.addEventListener('abort', onAbort, { once: true });
  // The attempt may not notice its signal at once: the outcome must not wait for it.
  const stopped = new Promise<CheckOutcome>((resolve) => {
    controller.signal.addEventListener('abort', () => {
      const reason: unknown = controller.signal.reason;
      if (reason instanceof Stopped) resolve({ ok: false, detail: reason.message });
    });
  });
  try {
    return await Promise.race([attempt(controller.signal), stopped]);
  } catch (error) {
    const reason: unknown = controller.signal.reason;
    return { ok: false, detail: reason instanceof Stopped ? reason.message : failureDetail(error) };
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener('abort', onAbort);
    if (!controller.signal.aborted) controller.abort(new Error('settled'));
  }
}
