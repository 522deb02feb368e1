// depends_on= (ours): while a process waits in STARTING for what it depends on, this asks those
// processes to start and watches them, until each is RUNNING (or, for NAME:completed, has
// EXITED with an expected code), or one goes FATAL.
import { merge, type Observable, type Subscription } from 'rxjs';
import type { Dependency, ProcessConfig } from '../config/types.js';
import type { ProcessStateName } from '../machines/states.js';

/** What a process waiting for another needs of it. */
export interface DependencyTarget {
  readonly name: string;
  readonly group: string;
  readonly config: ProcessConfig;
  readonly state: ProcessStateName;
  readonly changes: Observable<unknown>;
  snapshot(): { exitstatus: number | null };
  start(): unknown;
}

export type FindProcess = (group: string, name: string) => DependencyTarget | undefined;

export interface DependencyHooks {
  met(): void;
  failed(detail: string): void;
}

const namespec = (d: Dependency) => (d.group === d.name ? d.name : `${d.group}:${d.name}`);

/** Whether the dependency is satisfied by `target` as it is now. */
function satisfied(dependency: Dependency, target: DependencyTarget): boolean {
  if (!dependency.completed) return target.state === 'RUNNING';
  const status = target.snapshot().exitstatus;
  return target.state === 'EXITED' && status !== null && target.config.exitcodes.includes(status);
}

/** States from which a start request starts the dependency afresh. */
const STARTABLE: readonly ProcessStateName[] = ['STOPPED', 'EXITED', 'FATAL'];

/** Waits for `dependencies`; returns what stops waiting. */
export function waitForDependencies(dependencies: readonly Dependency[], find: FindProcess, hooks: DependencyHooks): () => void {
  const targets = dependencies.map((dependency) => ({ dependency, target: find(dependency.group, dependency.name) }));
  const missing = targets.find(({ target }) => target === undefined);
  if (missing) {
    hooks.failed(`dependency ${namespec(missing.dependency)} is not in use`);
    return () => {};
  }
  const present = targets as Array<{ dependency: Dependency; target: DependencyTarget }>;
  for (const { dependency, target } of present) {
    if (!satisfied(dependency, target) && STARTABLE.includes(target.state)) target.start();
  }
  let subscription: Subscription | null = null;
  let settled = false;
  const evaluate = () => {
    if (settled) return;
    const fatal = present.find(({ target }) => target.state === 'FATAL');
    if (fatal) {
      settled = true;
      hooks.failed(`dependency ${namespec(fatal.dependency)} entered FATAL`);
    } else if (present.every(({ dependency, target }) => satisfied(dependency, target))) {
      settled = true;
      hooks.met();
    }
    if (settled) subscription?.unsubscribe();
  };
  subscription = merge(...present.map(({ target }) => target.changes)).subscribe(evaluate);
  evaluate();
  return () => {
    settled = true;
    subscription?.unsubscribe();
  };
}
