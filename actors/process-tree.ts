// stopastree= (ours): the whole tree of one process's child, found when it is signalled and
// watched once the child is gone until nothing of it is left.
//
// Who belongs to the tree, looked up in /proc at each signal and at the end:
// - the child's descendants by parent pid;
// - every process whose environment carries this spawn's SUPERVISOR_TREE_ID (each spawn gets
//   a new one): a double-forked daemon's grandchild has been re-parented away (to PID 1 or a
//   subreaper), but it inherited the variable;
// - descendants signalled before that are still there (same pid and start time), and theirs.
// Limits: a descendant both executed with an environment without the variable (env -i, a
// sanitising sudo) or one that overwrote it (setproctitle), and re-parented away, is not found;
// nor is one of another user the daemon may not signal (it is named in the log, not waited for).
// Watching needs no polling of the whole system: it checks the descendants it signalled, and
// looks everything up again only once they are gone, for ones that appeared since.
import { systemErrorCode } from '../common/errors.js';
import type { SignalRequest } from '../machines/process.js';
import type { ProcessEntry } from './proc-table.js';
import type { ProcessEnvironment } from './process-environment.js';
import { signalToStop } from './process-signals.js';

/** The variable each spawn's tree inherits (beside SUPERVISOR_PROCESS_NAME). */
export const TREE_VARIABLE = 'SUPERVISOR_TREE_ID';
/** How often the descendants of a child that is gone are checked for. */
const WATCH_INTERVAL_MS = 100;
/** Pids named in a log line before the rest are summed up. */
const PIDS_SHOWN = 10;

type TreeEnvironment = Pick<ProcessEnvironment, 'log' | 'system'>;

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

function pidList(entries: readonly ProcessEntry[]): string {
  const pids = entries.slice(0, PIDS_SHOWN).map((e) => e.pid);
  const more = entries.length > PIDS_SHOWN ? `, and ${entries.length - PIDS_SHOWN} more` : '';
  return `${entries.length === 1 ? 'pid' : 'pids'} ${pids.join(', ')}${more}`;
}

export class ProcessTree {
  /** The current spawn's child, as /proc first showed it; null before the first spawn. */
  private root: ProcessEntry | null = null;
  private marker = '';
  /** Descendants signalled and not known to be gone, by pid. */
  private readonly members = new Map<number, ProcessEntry>();
  private lastSignal: NodeJS.Signals | null = null;
  private timer: unknown = null;

  constructor(
    private readonly name: string,
    private readonly env: TreeEnvironment,
  ) {}

  /** A new spawn: forgets the last tree; returns what to add to the child's environment. */
  spawning(): NodeJS.ProcessEnv {
    this.unwatch();
    this.root = null;
    this.members.clear();
    this.lastSignal = null;
    // node:crypto is loaded here, not imported: most daemons never stop a tree.
    const id = process.getBuiltinModule('node:crypto').randomUUID();
    this.marker = `${TREE_VARIABLE}=${id}`;
    return { [TREE_VARIABLE]: id };
  }

  /** The child exists: remembers who it is, so that its pid is not mistaken for a later process's. */
  spawned(pid: number): void {
    // Start 0 when it is gone already: every process then counts as started after it.
    this.root = this.env.system.processes.entry(pid) ?? { pid, ppid: 0, start: 0 };
  }

  /**
   * Sends the machine's signal to the child (as without stopastree: the reference's lines, and
   * the error that makes the state UNKNOWN), then to every descendant found now.
   */
  signal(request: SignalRequest): string | null {
    // Looked up first: once the child dies, its children are re-parented away.
    const descendants = this.find();
    // With the child gone already, the signal is for what is left of its tree only.
    const error = request.pid || !this.root ? signalToStop(this.env, this.name, request) : null;
    this.lastSignal = request.signal;
    this.send(descendants, request.signal);
    return error;
  }

  /** Watches the descendants of the child that is gone (gone() once none is left), or stops (false). */
  watch(run: boolean, gone: () => void): void {
    this.unwatch();
    if (!run) return;
    this.forgetGone();
    const waiting = [...this.members.values()];
    if (waiting.length)
      this.env.log.info(`tree: '${this.name}' is gone; waiting for ${plural(waiting.length, 'descendant')} (${pidList(waiting)})`);
    const check = () => {
      this.timer = null;
      this.forgetGone();
      // The ones signalled are gone: any that appeared since get the signal too.
      if (!this.members.size && this.lastSignal) this.send(this.find(), this.lastSignal);
      if (this.members.size) this.timer = this.env.system.clock.setTimeout(check, WATCH_INTERVAL_MS);
      else gone();
    };
    check();
  }

  /** Stops watching (the process is being disposed of). */
  dispose(): void {
    this.unwatch();
  }

  /** Drops the members that are gone (or whose pid another process has now). */
  private forgetGone(): void {
    for (const [pid, member] of this.members) {
      if (this.env.system.processes.entry(pid)?.start !== member.start) this.members.delete(pid);
    }
  }

  private unwatch(): void {
    if (this.timer !== null) this.env.system.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Signals each descendant; those that could be signalled are waited for. */
  private send(descendants: readonly ProcessEntry[], signal: NodeJS.Signals): void {
    const sent: ProcessEntry[] = [];
    for (const entry of descendants) {
      try {
        this.env.system.kill(entry.pid, signal);
        sent.push(entry);
        this.members.set(entry.pid, entry);
      } catch (error) {
        const code = systemErrorCode(error);
        // ESRCH: gone meanwhile. Anything else (EPERM: another user's) would be waited for in vain.
        if (code !== 'ESRCH') {
          this.env.log.warn(
            `tree: cannot signal pid ${entry.pid}, a descendant of '${this.name}': ${code ?? String(error)}; not waiting for it`,
          );
        }
        this.members.delete(entry.pid);
      }
    }
    if (!sent.length) return;
    const whom = `${plural(sent.length, 'descendant')} of '${this.name}'`;
    if (signal === 'SIGKILL') this.env.log.warn(`tree: killing ${whom} with SIGKILL (${pidList(sent)})`);
    else this.env.log.info(`tree: sent ${signal} to ${whom} (${pidList(sent)})`);
  }

  /** Every living descendant of the current child (see the top of this file); [] without /proc. */
  private find(): ProcessEntry[] {
    const root = this.root;
    if (!root) return [];
    const { processes } = this.env.system;
    const all = processes.list();
    if (!all) {
      this.env.log.warn(`tree: /proc cannot be read; only '${this.name}' itself is signalled`);
      return [];
    }
    const children = new Map<number, ProcessEntry[]>();
    const alive = new Map<number, ProcessEntry>();
    for (const entry of all) {
      alive.set(entry.pid, entry);
      const siblings = children.get(entry.ppid);
      if (siblings) siblings.push(entry);
      else children.set(entry.ppid, [entry]);
    }
    const isStill = (known: ProcessEntry) => alive.get(known.pid)?.start === known.start;
    const found = new Map<number, ProcessEntry>();
    const seeds: ProcessEntry[] = isStill(root) ? [root] : [];
    const add = (entry: ProcessEntry) => {
      if (entry.pid === root.pid || found.has(entry.pid)) return;
      found.set(entry.pid, entry);
      seeds.push(entry);
    };
    for (const member of this.members.values()) if (isStill(member)) add(member);
    // A process started before the child cannot have inherited its variable.
    for (const entry of all)
      if (entry.start >= root.start && !found.has(entry.pid) && processes.carries(entry.pid, this.marker)) add(entry);
    for (let i = 0; i < seeds.length; i++) for (const child of children.get(seeds[i]!.pid) ?? []) add(child);
    return [...found.values()].sort((a, b) => a.pid - b.pid);
  }
}
