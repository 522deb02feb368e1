// An exec check: ok when the command exits 0. It is split and looked up exactly as a program's
// command= (no shell unless the command runs one), run in the program's environment and
// directory, in its own process group so a timeout or an abort kills everything it started.
// Its stdout is dropped; the last line of its stderr, cut short, is kept for the detail.
import { ChildProcess, spawn as spawnProcess, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import { describeError } from '../../common/errors.js';
import { resolveCommand, type ResolvedCommand } from '../command-line.js';
import { describeExit } from '../exit-status.js';
import { attemptWithin, failureDetail, type Check, type CheckOutcome } from './check.js';

/** How long the check waits, after the command exits, for the rest of its stderr. */
const STDERR_GRACE_MS = 100;
/** How much of the end of its stderr is kept, and how much of its last line is shown. */
const STDERR_TAIL_BYTES = 1024;
const DETAIL_CHARS = 120;

export interface ExecHow {
  /** The program's environment: PATH for the lookup, and the command's own environment. */
  env: NodeJS.ProcessEnv;
  /** The program's directory= (null: the daemon's). */
  cwd: string | null;
  /** Spawns the command (default: child_process.spawn); it must honour `detached` (own process group). */
  spawn?: (file: string, args: readonly string[], options: SpawnOptions) => ChildProcess;
}

/** The last non-empty line of `tail`, shortened. */
function lastLine(tail: Buffer): string {
  const line = tail.toString('utf8').trimEnd().split('\n').at(-1)?.trim() ?? '';
  return line.length > DETAIL_CHARS ? `${line.slice(0, DETAIL_CHARS)}…` : line;
}

/** Ends the command and whatever it left running: they share its process group. */
function killGroup(child: ChildProcess): void {
  child.stderr?.destroy();
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  // Only a real child has a process group of its own (a test's stand-in has a made-up pid).
  if (child.pid === undefined || !(child instanceof ChildProcess)) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

export function execCheck(command: string, how: ExecHow): Check {
  const spawn = how.spawn ?? spawnProcess;
  return (options) =>
    attemptWithin(options, async (signal) => {
      let resolved: ResolvedCommand;
      try {
        resolved = resolveCommand(command, how.env);
      } catch (error) {
        return { ok: false, detail: describeError(error) };
      }
      if (how.cwd !== null && !fs.statSync(how.cwd, { throwIfNoEntry: false })?.isDirectory()) {
        return { ok: false, detail: `can't chdir to ${how.cwd}` };
      }
      const child = spawn(resolved.filename, resolved.argv.slice(1), {
        argv0: resolved.argv[0],
        cwd: how.cwd ?? undefined,
        env: how.env,
        stdio: ['ignore', 'ignore', 'pipe'],
        detached: true,
      });
      // Aborted on a timeout, and also once the outcome is known.
      signal.addEventListener('abort', () => killGroup(child), { once: true });
      return new Promise<CheckOutcome>((resolve) => {
        let tail = Buffer.alloc(0);
        child.stderr?.on('data', (chunk: Buffer) => {
          tail = Buffer.concat([tail, chunk]).subarray(-STDERR_TAIL_BYTES);
        });
        child.on('error', (error) => resolve({ ok: false, detail: `couldn't exec ${resolved.filename}: ${failureDetail(error)}` }));
        child.once('exit', (code, exitSignal) => {
          const report = () => {
            clearTimeout(grace);
            const said = lastLine(tail);
            resolve({ ok: code === 0, detail: describeExit({ code, signal: exitSignal }) + (said ? `: ${said}` : '') });
          };
          // A descendant left running may hold stderr open: do not wait for it for long.
          const grace = setTimeout(report, STDERR_GRACE_MS);
          if (!child.stderr || child.stderr.closed) report();
          else child.stderr.once('close', report);
        });
      });
    });
}
