// Describes a state machine from its own definition (states, event transitions, `always` and
// `after` transitions, guards and actions), so the diagrams can never drift from the code.
// xstate/graph is not used: it leaves out `always` transitions and guards.
import type { AnyStateMachine } from 'xstate';

/** One arrow of the diagram. `from`/`to` are state paths such as "STARTING.waiting". */
export interface Edge {
  from: string;
  to: string;
  label: string;
}

export interface StateBox {
  path: string;
  kind: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  /** The key of the child entered first (compound states only). */
  initial: string | null;
  /** Named actions run on entry, such as a signal sent when the state is entered. */
  entry: string[];
  /**
   * Transitions that run actions without leaving the state ("SHUTDOWN / assign shuttingDown"),
   * an ancestor's included: drawn inside the box, as a loop would claim the state is re-entered.
   */
  internal: string[];
  children: StateBox[];
}

interface NodeLike {
  path: string[];
  type: StateBox['kind'];
  parent?: NodeLike;
  states: Record<string, NodeLike>;
  config: { initial?: unknown };
  entry: readonly unknown[];
  transitions: Map<string, TransitionLike[]>;
  always?: TransitionLike[];
  after: Array<TransitionLike & { delay: unknown }>;
}

interface TransitionLike {
  target?: readonly NodeLike[];
  guard?: unknown;
  actions: readonly unknown[];
  reenter?: boolean;
  /** The event it answers; for a delayed transition, the event XState raises when the time is up. */
  eventType: string;
}

/** A transition as drawn: what triggers it and which state's definition it belongs to. */
interface Handler {
  /** The event descriptor it answers ("STOP", "*", a delay's internal event), or ALWAYS. */
  trigger: string;
  /** How the trigger is written on the diagram ("STOP", "always", "after startsecs"). */
  text: string;
  transition: TransitionLike;
  owner: NodeLike;
}

const ALWAYS = '';

function nameOf(thing: unknown): string | null {
  if (typeof thing === 'string') return thing;
  if (thing && typeof thing === 'object' && 'type' in thing && typeof thing.type === 'string') return thing.type;
  return null;
}

/** Named actions that only restate the arrow (announce the change, record it). */
const BOOKKEEPING = new Set(['announce', 'record']);

/**
 * An inline action, by what it does: the context keys of an assign, the event of an emit or a
 * raise, else the kind of built-in action.
 */
function describeInline(action: unknown): string {
  if (typeof action !== 'function' || !('type' in action) || typeof action.type !== 'string') return 'inline action';
  const kind = action.type.replace(/^xstate\./, '');
  const detail = 'assignment' in action ? action.assignment : 'event' in action ? action.event : null;
  if (kind === 'assign' && detail && typeof detail === 'object') return `assign ${Object.keys(detail).join(', ')}`;
  const event = nameOf(detail);
  return event ? `${kind} ${event}` : kind;
}

/**
 * The actions written on a transition. An arrow shows the named ones, bookkeeping aside: the
 * context updates are detail. A transition that stays in its state shows every action, since
 * they are all it does.
 */
function actionNames(actions: readonly unknown[], everything = false): string[] {
  const names: string[] = [];
  for (const action of actions) {
    const name = nameOf(action) ?? (everything ? describeInline(action) : null);
    if (name && (everything || !BOOKKEEPING.has(name)) && !names.includes(name)) names.push(name);
  }
  return names;
}

function label(handler: Handler, internal: boolean): string {
  const { guard, actions } = handler.transition;
  // An inline guard has no name to show, but the arrow is still conditional.
  const condition = guard === undefined ? null : (nameOf(guard) ?? 'inline guard');
  const names = actionNames(actions, internal);
  return `${handler.text}${condition ? ` [${condition}]` : ''}${names.length ? ` / ${names.join(', ')}` : ''}`;
}

function describeDelay(delay: unknown): string {
  return typeof delay === 'number' ? `${delay}ms` : String(delay);
}

function handlersOf(node: NodeLike): Handler[] {
  const handlers: Handler[] = [];
  for (const [descriptor, transitions] of node.transitions) {
    // Delayed transitions appear here under their internal event; they are taken from `after`.
    if (descriptor.startsWith('xstate.after.')) continue;
    for (const transition of transitions) handlers.push({ trigger: descriptor, text: descriptor, transition, owner: node });
  }
  for (const transition of node.always ?? []) handlers.push({ trigger: ALWAYS, text: 'always', transition, owner: node });
  for (const transition of node.after) {
    handlers.push({ trigger: transition.eventType, text: `after ${describeDelay(transition.delay)}`, transition, owner: node });
  }
  return handlers;
}

/** Whether every event `descriptor` matches also matches `by` (XState's wildcards: "*", "a.*"). */
function covers(by: string, descriptor: string): boolean {
  return by === descriptor || by === '*' || (by.endsWith('.*') && descriptor.startsWith(by.slice(0, -1)));
}

/**
 * Whether `node` answers the trigger whatever its guards say, so that its ancestors' transitions
 * for it are never taken while it is active (XState tries the innermost state first).
 */
function overrides(node: NodeLike, trigger: string): boolean {
  const unguarded = (transitions: readonly TransitionLike[] | undefined) => (transitions ?? []).some((t) => t.guard === undefined);
  if (trigger === ALWAYS) return unguarded(node.always);
  return [...node.transitions].some(([descriptor, transitions]) => covers(descriptor, trigger) && unguarded(transitions));
}

function overriddenBelow(node: NodeLike, trigger: string): boolean {
  return Object.values(node.states).some((child) => overrides(child, trigger) || overriddenBelow(child, trigger));
}

/**
 * Whether a transition passed down from `node` applies inside its child `child`. In a parallel
 * state, a region whose states answer the trigger themselves takes precedence over the ancestor's
 * transition (XState prefers the transition of the deeper source): the ancestor's applies only
 * while that region is in one of its other states, so it is drawn from those, not from the
 * regions that never answer it.
 */
function reaches(node: NodeLike, child: NodeLike, handler: Handler): boolean {
  if (node.type !== 'parallel') return true;
  return overrides(child, handler.trigger) || overriddenBelow(child, handler.trigger);
}

/**
 * Draws `handler` as leaving `box`: an arrow per target, or a line inside the box when the
 * transition does not leave it (no target, or an atomic state's own transition to itself).
 */
function draw(handler: Handler, box: StateBox, node: NodeLike, root: NodeLike, edges: Edge[]): void {
  const { transition } = handler;
  const targets = transition.target ?? [];
  const toItself = node === handler.owner && node.type === 'atomic' && !transition.reenter && targets.every((t) => t === node);
  if (targets.length === 0 || toItself) {
    box.internal.push(label(handler, true));
    return;
  }
  for (const target of targets) {
    // Targeting the machine itself restarts it in its initial state.
    const to = target === root && typeof root.config.initial === 'string' ? root.config.initial : target.path.join('.');
    edges.push({ from: box.path, to, label: label(handler, false) });
  }
}

/**
 * A transition defined on a state applies in each of its descendants that does not handle the
 * event itself. It is drawn from the outermost boxes where that holds: from the state itself
 * when none of its descendants overrides it, else from each descendant that does not. The
 * machine's root has no box, so its transitions are always drawn from its states.
 */
function walk(node: NodeLike, inherited: Handler[], root: NodeLike, edges: Edge[]): StateBox {
  const box: StateBox = {
    path: node.path.join('.'),
    kind: node.type,
    initial: typeof node.config.initial === 'string' ? node.config.initial : null,
    entry: actionNames(node.entry),
    internal: [],
    children: [],
  };
  const passedDown: Handler[] = [];
  // Once in a final state of the root the machine is done, and answers nothing more.
  const applies = node.type === 'final' && node.parent === root ? [] : inherited.filter((h) => !overrides(node, h.trigger));
  // Its own transitions come first: XState tries them before its ancestors'.
  for (const handler of [...handlersOf(node), ...applies]) {
    if (node !== root && !overriddenBelow(node, handler.trigger)) draw(handler, box, node, root, edges);
    else passedDown.push(handler);
  }
  box.children = Object.values(node.states).map((child) =>
    walk(
      child,
      passedDown.filter((h) => reaches(node, child, h)),
      root,
      edges,
    ),
  );
  return box;
}

export function describeMachine(machine: AnyStateMachine): { root: StateBox; edges: Edge[] } {
  const edges: Edge[] = [];
  const rootNode = machine.root as unknown as NodeLike;
  const root = walk(rootNode, [], rootNode, edges);
  return { root, edges };
}
