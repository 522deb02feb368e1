// The health checks of one process (readiness=, liveness=, ours), run while its machine asks for
// them: polling checks (tcp, http, exec) on the system's clock, output lines, and sd_notify
// datagrams (READY=1, WATCHDOG=1) on a socket opened before the first spawn.
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { filter, type Observable, type Subscription } from 'rxjs';
import { describeError, SupervisorError } from '../common/errors.js';
import type { DescribedCheck, PollingCheck, ProcessConfig } from '../config/types.js';
import { lookupUser } from '../config/users.js';
import type { Clock } from './clock.js';
import type { ActivityLog } from './logs/activity-log.js';
import type { Check, CheckOutcome } from './probes/check.js';
import { execCheck } from './probes/exec.js';
import { httpCheck } from './probes/http.js';
import { LineMatcher } from './probes/line-matcher.js';
import { openNotifySocket, type NotifySocket } from './probes/notify-socket.js';
import { tcpCheck } from './probes/tcp.js';
import type { ChildOutput } from './process-output.js';

export interface CheckHooks {
  log: ActivityLog;
  clock: Clock;
  /** What the child writes (for stdout:/stderr: readiness). */
  output: Observable<ChildOutput>;
  /** The child's environment, for exec: checks. */
  environment(): NodeJS.ProcessEnv;
  ready(): void;
  livenessFailed(detail: string): void;
}

/** A polling check gets at most its interval to answer, but never less than this. */
const MIN_ATTEMPT_MS = 500;

export class ProcessChecks {
  private notify: NotifySocket | null = null;
  private notifyDir: string | null = null;
  private stopReadiness: (() => void) | null = null;
  private stopLiveness: (() => void) | null = null;
  /** What the last readiness attempt said, for the log line of a timeout. */
  lastReadiness = '';

  constructor(
    private readonly config: ProcessConfig,
    private readonly hooks: CheckHooks,
  ) {}

  /** Whether a check needs $NOTIFY_SOCKET. */
  get usesNotify(): boolean {
    return this.config.readiness?.check.kind === 'notify' || this.config.liveness?.check.kind === 'watchdog';
  }

  /**
   * Before a spawn: the variables the child needs for its checks. The notify socket is opened
   * once and kept for later spawns. Throws a SPAWN error when it cannot be opened.
   */
  async prepare(): Promise<NodeJS.ProcessEnv> {
    if (!this.usesNotify) return {};
    if (!this.notify || this.notify.failure !== null) {
      await this.notify?.close();
      this.notifyDir ??= mkdtempSync(path.join(os.tmpdir(), 'supervisor-notify-'));
      this.notify = await openNotifySocket(path.join(this.notifyDir, 'notify.sock'));
      this.handOverNotifySocket(this.notifyDir, this.notify.path);
    }
    const liveness = this.config.liveness;
    const vars: NodeJS.ProcessEnv = { NOTIFY_SOCKET: this.notify.path };
    if (liveness?.check.kind === 'watchdog') vars['WATCHDOG_USEC'] = String(Math.round(liveness.timeout * 1e6));
    return vars;
  }

  readiness(run: boolean): void {
    this.stopReadiness?.();
    this.stopReadiness = null;
    const readiness = this.config.readiness;
    if (!run || !readiness) return;
    this.lastReadiness = '';
    const { check } = readiness;
    if (check.kind === 'output') {
      const matcher = new LineMatcher(new RegExp(check.pattern));
      const subscription = this.hooks.output.pipe(filter((chunk) => chunk.channel === check.channel)).subscribe((chunk) => {
        if (matcher.feed(chunk.data) !== null) this.passed(check);
      });
      this.stopReadiness = () => subscription.unsubscribe();
    } else if (check.kind === 'notify') {
      this.stopReadiness = this.onNotify('READY', () => this.passed(check));
    } else {
      this.stopReadiness = this.poll(this.pollingCheck(check), readiness.interval, 0, (outcome) => {
        this.lastReadiness = outcome.detail;
        if (outcome.ok) this.passed(check);
        return !outcome.ok;
      });
    }
  }

  liveness(run: boolean): void {
    this.stopLiveness?.();
    this.stopLiveness = null;
    const liveness = this.config.liveness;
    if (!run || !liveness) return;
    const { check } = liveness;
    if (check.kind === 'watchdog') {
      this.stopLiveness = this.watchdog(liveness.timeout);
      return;
    }
    let failures = 0;
    this.stopLiveness = this.poll(this.pollingCheck(check), liveness.interval, liveness.interval, (outcome) => {
      failures = outcome.ok ? 0 : failures + 1;
      if (failures < liveness.failures) return true;
      this.hooks.livenessFailed(`${check.spec} failed ${failures} times in a row (last: ${outcome.detail})`);
      return false;
    });
  }

  dispose(): void {
    this.readiness(false);
    this.liveness(false);
    const notify = this.notify;
    const dir = this.notifyDir;
    this.notify = null;
    this.notifyDir = null;
    void notify?.close().finally(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });
  }

  /**
   * A child run as another user (user=) must reach the socket: the private directory and the
   * socket become that user's. A user that cannot be found fails the spawn with its own error.
   */
  private handOverNotifySocket(dir: string, socket: string): void {
    const name = this.config.user;
    const user = name === null ? null : lookupUser(name, /^\d+$/.test(name));
    if (!user || user.uid === process.getuid?.()) return;
    try {
      for (const file of [dir, socket]) chownSync(file, user.uid, user.gid);
    } catch (error) {
      throw new SupervisorError('SPAWN', `can't give the notify socket ${socket} to ${name}: ${describeError(error)}`, { cause: error });
    }
  }

  private passed(check: DescribedCheck): void {
    this.hooks.log.debug(`ready: '${this.config.name}' passed its readiness check ${check.spec}`);
    this.readiness(false);
    this.hooks.ready();
  }

  private pollingCheck(check: PollingCheck): Check {
    if (check.kind === 'tcp') return tcpCheck(check.host, check.port);
    if (check.kind === 'http') return httpCheck(check.url);
    // The environment as the child gets it, read afresh for each attempt (env files may change).
    return async (options) => execCheck(check.command, { env: this.hooks.environment(), cwd: this.config.directory })(options);
  }

  /**
   * Runs `check` after `firstDelay` seconds, then `interval` seconds after each attempt ends,
   * while `next` says to go on; returns what stops it.
   */
  private poll(check: Check, interval: number, firstDelay: number, next: (outcome: CheckOutcome) => boolean): () => void {
    const { clock } = this.hooks;
    const abort = new AbortController();
    let timer: unknown = null;
    const attempt = async () => {
      timer = null;
      // An attempt that cannot even be made (exec: whose env file went away) is a failed one.
      const outcome = await check({ signal: abort.signal, timeoutMs: Math.max(interval * 1000, MIN_ATTEMPT_MS) }).catch(
        (error: unknown): CheckOutcome => ({ ok: false, detail: describeError(error) }),
      );
      if (abort.signal.aborted || !next(outcome)) return;
      timer = clock.setTimeout(() => void attempt(), interval * 1000);
    };
    timer = clock.setTimeout(() => void attempt(), firstDelay * 1000);
    return () => {
      abort.abort();
      if (timer !== null) clock.clearTimeout(timer);
    };
  }

  /** Calls `then` on each `key`=1 the program sends. */
  private onNotify(key: string, then: () => void): () => void {
    const subscription: Subscription | undefined = this.notify?.messages
      .pipe(filter((message) => message.key === key && message.value === '1'))
      .subscribe(() => then());
    return () => subscription?.unsubscribe();
  }

  /** liveness=watchdog: a WATCHDOG=1 at least every `timeout` seconds, counted from RUNNING. */
  private watchdog(timeout: number): () => void {
    const { clock } = this.hooks;
    let timer: unknown = null;
    const arm = () => {
      if (timer !== null) clock.clearTimeout(timer);
      timer = clock.setTimeout(() => {
        timer = null;
        stop();
        this.hooks.livenessFailed(`watchdog: no WATCHDOG=1 within ${timeout} seconds`);
      }, timeout * 1000);
    };
    const unsubscribe = this.onNotify('WATCHDOG', arm);
    const stop = () => {
      unsubscribe();
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
    };
    arm();
    return stop;
  }
}
