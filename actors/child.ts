// Starting one child of a supervised process: the command resolved and checked, its output
// wired to the process's logs, its own process group, and its exit reported once its pipes have
// delivered what they still hold.
import type { Readable } from 'node:stream';
import { systemErrorCode } from '../common/errors.js';
import type { ProcessConfig } from '../config/types.js';
import type { ExitStatus } from '../machines/process.js';
import { resolveCommand } from './command-line.js';
import { releaseChildEnd, type OutputChannel } from './output-channels.js';
import type { ProcessEnvironment } from './process-environment.js';
import type { ProcessOutput } from './process-output.js';
import { childSpawnPlan, execFailureChild, type SpawnPlan } from './spawn-plan.js';
import type { SpawnedChild } from './spawned-child.js';

/** How long to wait for a dead child's pipes to deliver their last bytes before reporting its exit. */
const DRAIN_GRACE_MS = 50;

export interface ChildEvents {
  /** The child exists: its pid and pipes are set (now, or on a later tick). */
  started(child: StartedChild): void;
  /** The child could not be started (now, or on a later tick when the OS says so). */
  failed(message: string): void;
  exited(pid: number, status: ExitStatus): void;
}

export interface StartedChild {
  process: SpawnedChild;
  pid: number;
}

/** What the child gets besides its pipes. */
export interface ChildDescriptors {
  /** A descriptor for its fd 0 instead of a pipe: an fcgi-program's listening socket. */
  stdin: number | null;
  /** Whether its output may use a ready socket pair (fast capture) rather than a pipe. */
  fastCapture: boolean;
}

/**
 * Spawns the child; `started` or `failed` follows, now or later. Its environment is built here,
 * so that an env file that cannot be read is a spawn error too.
 */
export function spawnChild(
  config: ProcessConfig,
  childEnvironment: () => NodeJS.ProcessEnv,
  env: ProcessEnvironment,
  output: ProcessOutput,
  descriptors: ChildDescriptors,
  events: ChildEvents,
): void {
  let environment: NodeJS.ProcessEnv;
  let plan: SpawnPlan;
  try {
    environment = childEnvironment();
    plan = childSpawnPlan(config, resolveCommand(config.command, environment), env.childrenDieWithDaemon);
    output.open();
  } catch (error) {
    if (error instanceof Error) events.failed(error.message);
    else throw error;
    return;
  }
  startPlan(config, plan, environment, env, output, descriptors, events, true);
}

/** Resources the system lacked for a spawn: a spawn error, where a failed exec is the child's exit. */
const SPAWN_RESOURCE_ERRORS = new Set(['EAGAIN', 'ENOMEM', 'EMFILE', 'ENFILE', 'EBADF']);

/** Spawns `plan`; a failed exec that posix_spawn reports is played as the reference's child plays it (once). */
function startPlan(
  config: ProcessConfig,
  plan: SpawnPlan,
  environment: NodeJS.ProcessEnv,
  env: ProcessEnvironment,
  output: ProcessOutput,
  descriptors: ChildDescriptors,
  events: ChildEvents,
  mayReportExec: boolean,
): void {
  const channels = descriptors.fastCapture ? env.channels : null;
  const fast = {
    stdout: channels?.take() ?? null,
    stderr: config.redirectStderr ? null : (channels?.take() ?? null),
  };
  // Read from once the child is known to have started, as its pipes are, so that its output never
  // comes before its spawn (a listener's READY before its SPAWNED).
  for (const channel of [fast.stdout, fast.stderr]) channel?.reader.pause();
  let child: SpawnedChild;
  try {
    child = env.system.spawn(plan.file, plan.args, {
      argv0: plan.argv0,
      cwd: plan.cwd,
      env: environment,
      stdio: [
        descriptors.stdin ?? 'pipe',
        fast.stdout?.childEnd ?? 'pipe',
        config.redirectStderr ? 'ignore' : (fast.stderr?.childEnd ?? 'pipe'),
      ],
      // Its own process group (and session), so a Ctrl-C meant for the daemon does not reach it
      // and the group can be signalled as a whole.
      detached: true,
      umask: config.umask,
    });
  } catch (error) {
    releaseChannels(fast, true);
    events.failed(`couldn't exec ${config.command}: ${systemErrorCode(error) ?? String(error)}`);
    return;
  }
  if (child.pid !== undefined) return watchChild(child, child.pid, config, fast, env, output, events);
  // The only closures of this scope, which holds `environment`: short-lived, as a child must not
  // keep its environment (~6 KB) for its whole life.
  const failed = (error: NodeJS.ErrnoException) => {
    child.off('spawn', onSpawn);
    releaseChannels(fast, true);
    const code = child.spawnError?.code;
    if (mayReportExec && code !== undefined && !SPAWN_RESOURCE_ERRORS.has(code)) {
      startPlan(config, execFailureChild(config, plan.argv0, code), environment, env, output, descriptors, events, false);
    } else {
      events.failed(`couldn't exec ${plan.argv0}: ${error.code ?? error.message}`);
    }
  };
  const onSpawn = () => {
    child.off('error', failed);
    watchChild(child, child.pid!, config, fast, env, output, events);
  };
  child.once('error', failed);
  child.once('spawn', onSpawn);
}

interface FastChannels {
  stdout: OutputChannel | null;
  stderr: OutputChannel | null;
}

/** Once the child has its own copies of the channels' ends, or never will. */
function releaseChannels(fast: FastChannels, failed: boolean): void {
  for (const channel of [fast.stdout, fast.stderr]) {
    if (!channel) continue;
    releaseChildEnd(channel);
    if (failed) channel.reader.destroy();
  }
}

/** The child exists: its output goes to the logs, its exit will be reported, and `started` says so. */
function watchChild(
  child: SpawnedChild,
  pid: number,
  config: ProcessConfig,
  fast: FastChannels,
  env: ProcessEnvironment,
  output: ProcessOutput,
  events: ChildEvents,
): void {
  releaseChannels(fast, false);
  child.on('error', (error) => env.log.error(`error on child of ${config.name}: ${error.message}`));
  const readers = [output.attach('stdout', fast.stdout, child.stdout), output.attach('stderr', fast.stderr, child.stderr)];
  for (const channel of [fast.stdout, fast.stderr]) channel?.reader.resume();
  child.once('exit', (code, signal) =>
    reportExit(
      child,
      readers.filter((r): r is Readable => r !== null),
      env,
      () => events.exited(pid, { code, signal }),
    ),
  );
  events.started({ process: child, pid });
}

/** Reports the exit once the child's pipes have ended, or after a short grace. */
function reportExit(child: SpawnedChild, readers: Readable[], env: ProcessEnvironment, report: () => void): void {
  const { clock } = env.system;
  const pending = readers.filter((s) => !s.readableEnded);
  let open = pending.length;
  let reported = false;
  let timer: unknown = null;
  const finish = () => {
    if (reported) return;
    reported = true;
    if (timer !== null) clock.clearTimeout(timer);
    // As in the reference, output of the child's leftover descendants is no longer read: they
    // must not keep the daemon (or a stale log writer) busy.
    child.closeStdin();
    for (const reader of readers) reader.destroy();
    report();
  };
  if (!open) return finish();
  // A grandchild may keep a pipe open forever: then report after a short grace.
  timer = clock.setTimeout(finish, DRAIN_GRACE_MS);
  for (const stream of pending) {
    stream.once('end', () => {
      open -= 1;
      if (open === 0) finish();
    });
  }
}
