// Draws a state machine from its own definition (states, event transitions, `always` and `after`
// transitions, guards and actions), so the diagrams can never drift from the code.
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
  initial: string | null;
  /** Named actions run on entry, such as a signal sent when the state is entered. */
  entry: string[];
  children: StateBox[];
}

interface NodeLike {
  path: string[];
  key: string;
  states: Record<string, NodeLike>;
  config: { initial?: unknown };
  entry: readonly unknown[];
  transitions: Map<string, TransitionLike[]>;
  always?: TransitionLike[];
  after: Array<TransitionLike & { delay: unknown }>;
}

interface TransitionLike {
  target?: ReadonlyArray<{ path: string[] }>;
  guard?: unknown;
  actions: readonly unknown[];
  reenter?: boolean;
}

function nameOf(thing: unknown): string | null {
  if (typeof thing === 'string') return thing;
  if (thing && typeof thing === 'object' && 'type' in thing && typeof thing.type === 'string') return thing.type;
  return null;
}

/** The actions worth showing on an arrow: named ones, not the bookkeeping of announce/record. */
function actionNames(actions: readonly unknown[]): string[] {
  const hidden = new Set(['announce', 'record', 'xstate.assign']);
  const names: string[] = [];
  for (const action of actions) {
    const name = nameOf(action);
    if (name && !hidden.has(name) && !names.includes(name)) names.push(name);
  }
  return names;
}

function label(trigger: string, transition: TransitionLike): string {
  const guard = nameOf(transition.guard);
  const actions = actionNames(transition.actions);
  return `${trigger}${guard ? ` [${guard}]` : ''}${actions.length ? ` / ${actions.join(', ')}` : ''}`;
}

function describeDelay(delay: unknown): string {
  return typeof delay === 'number' ? `${delay}ms` : String(delay);
}

function walk(node: NodeLike, edges: Edge[]): StateBox {
  const path = node.path.join('.');
  const add = (trigger: string, transition: TransitionLike) => {
    for (const target of transition.target ?? []) {
      edges.push({ from: path, to: target.path.join('.'), label: label(trigger, transition) });
    }
  };
  for (const [eventType, transitions] of node.transitions) {
    // Delayed transitions appear here under an internal event name; they are drawn from `after`.
    if (eventType.startsWith('xstate.after')) continue;
    for (const transition of transitions) add(eventType, transition);
  }
  for (const transition of node.always ?? []) add('always', transition);
  for (const transition of node.after) add(`after ${describeDelay(transition.delay)}`, transition);
  const children = Object.values(node.states).map((child) => walk(child, edges));
  const initial = typeof node.config.initial === 'string' ? node.config.initial : null;
  return { path, initial, entry: actionNames(node.entry), children };
}

export function describeMachine(machine: AnyStateMachine): { root: StateBox; edges: Edge[] } {
  const edges: Edge[] = [];
  const root = walk(machine.root as unknown as NodeLike, edges);
  return { root, edges };
}

const mermaidId = (path: string) => path.replace(/\./g, '__');
const leaf = (path: string) => path.split('.').pop() ?? path;

export function toMermaid(machine: AnyStateMachine): string {
  const { root, edges } = describeMachine(machine);
  const lines = ['stateDiagram-v2'];
  const emitBox = (box: StateBox, indent: string) => {
    if (box.initial) lines.push(`${indent}[*] --> ${mermaidId(`${box.path ? `${box.path}.` : ''}${box.initial}`)}`);
    for (const child of box.children) {
      if (child.children.length) {
        lines.push(`${indent}state "${leaf(child.path)}" as ${mermaidId(child.path)} {`);
        emitBox(child, `${indent}  `);
        lines.push(`${indent}}`);
      } else {
        lines.push(`${indent}state "${leaf(child.path)}" as ${mermaidId(child.path)}`);
      }
      if (child.entry.length) lines.push(`${indent}${mermaidId(child.path)} : entry / ${child.entry.join(', ')}`);
    }
  };
  emitBox(root, '  ');
  for (const edge of edges) {
    lines.push(`  ${mermaidId(edge.from)} --> ${mermaidId(edge.to)}: ${edge.label}`);
  }
  return `${lines.join('\n')}\n`;
}

export function toDot(machine: AnyStateMachine, name = 'machine'): string {
  const { root, edges } = describeMachine(machine);
  const quote = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const lines = [`digraph ${quote(name)} {`, '  compound=true;', '  node [shape=box, style=rounded];'];
  const emitBox = (box: StateBox, indent: string) => {
    for (const child of box.children) {
      if (child.children.length) {
        lines.push(`${indent}subgraph ${quote(`cluster_${child.path}`)} {`);
        lines.push(`${indent}  label=${quote(leaf(child.path))};`);
        emitBox(child, `${indent}  `);
        lines.push(`${indent}}`);
      } else {
        const entry = child.entry.length ? `\nentry / ${child.entry.join(', ')}` : '';
        lines.push(`${indent}${quote(child.path)} [label=${quote(leaf(child.path) + entry)}];`);
      }
    }
    if (box.initial) {
      const start = `${box.path || 'root'}.__initial`;
      lines.push(`${indent}${quote(start)} [shape=point, label=""];`);
      lines.push(`${indent}${quote(start)} -> ${quote(firstLeaf(box, box.initial))};`);
    }
  };
  emitBox(root, '  ');
  const boxes = new Map<string, StateBox>();
  const index = (box: StateBox) => {
    boxes.set(box.path, box);
    box.children.forEach(index);
  };
  index(root);
  for (const edge of edges) {
    // Graphviz draws edges between nodes only: a compound state is entered through its initial leaf.
    const from = boxes.get(edge.from);
    const to = boxes.get(edge.to);
    const tail = from && from.children.length ? firstLeaf(from) : edge.from;
    const head = to && to.children.length ? firstLeaf(to) : edge.to;
    const attrs = [`label=${quote(edge.label)}`];
    if (from && from.children.length) attrs.push(`ltail=${quote(`cluster_${edge.from}`)}`);
    if (to && to.children.length) attrs.push(`lhead=${quote(`cluster_${edge.to}`)}`);
    lines.push(`  ${quote(tail)} -> ${quote(head)} [${attrs.join(', ')}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** The leaf a compound state starts in (following initial states down). */
function firstLeaf(box: StateBox, initial = box.initial): string {
  const child = box.children.find((c) => leaf(c.path) === initial) ?? box.children[0];
  if (!child) return box.path;
  return child.children.length ? firstLeaf(child) : child.path;
}
