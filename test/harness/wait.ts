// Waiting on conditions that no stream reports, by polling: never a fixed sleep.
import { statSync } from 'node:fs';

/** Default timeout for one step (the reference reacts roughly once a second). */
export const STEP_TIMEOUT = 15_000;

/**
 * Polls `condition` every 100 ms until it holds or the time is up; for facts no stream reports
 * (a grandchild's death, bytes reaching a file). Returns whether it came to hold.
 */
export async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return condition();
}

/** Wait until the file exists and is not empty. Returns whether it came to be. */
export function waitForFileContent(file: string, timeoutMs = STEP_TIMEOUT): Promise<boolean> {
  return waitUntil(() => (statSync(file, { throwIfNoEntry: false })?.size ?? 0) > 0, timeoutMs);
}

/** Poll until `condition` returns true (async), or fail after timeoutMs. */
export async function eventually(condition: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out waiting for ${what}`);
}
