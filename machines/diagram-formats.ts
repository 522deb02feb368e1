// A machine's description (diagram.ts) written as Mermaid and as Graphviz DOT, for docs/diagrams.
import type { AnyStateMachine } from 'xstate';
import { describeMachine, type StateBox } from './diagram.js';

const leaf = (path: string) => path.split('.').pop() ?? path;
const childPath = (box: StateBox, key: string) => (box.path ? `${box.path}.${key}` : key);

/** What is written inside a state's box under its name: entry actions, internal transitions. */
function notes(box: StateBox): string[] {
  return [...(box.entry.length ? [`entry / ${box.entry.join(', ')}`] : []), ...box.internal];
}

const mermaidId = (path: string) => path.replace(/\./g, '__');
const mermaidName = (text: string) => `"${text.replace(/"/g, '#quot;')}"`;

export function toMermaid(machine: AnyStateMachine): string {
  const { root, edges } = describeMachine(machine);
  const lines = ['stateDiagram-v2'];
  const emitBox = (box: StateBox, indent: string) => {
    if (box.initial) lines.push(`${indent}[*] --> ${mermaidId(childPath(box, box.initial))}`);
    box.children.forEach((child, i) => {
      // The regions of a parallel state are separated by "--".
      if (box.kind === 'parallel' && i > 0) lines.push(`${indent}--`);
      const id = mermaidId(child.path);
      if (child.children.length) {
        // Mermaid refuses descriptions on a composite state: its notes go under its name.
        lines.push(`${indent}state ${mermaidName([leaf(child.path), ...notes(child)].join('<br/>'))} as ${id} {`);
        emitBox(child, `${indent}  `);
        lines.push(`${indent}}`);
      } else {
        lines.push(`${indent}state ${mermaidName(leaf(child.path))} as ${id}`);
        for (const note of notes(child)) lines.push(`${indent}${id} : ${note}`);
      }
      if (child.kind === 'final') lines.push(`${indent}${id} --> [*]`);
    });
  };
  if (root.kind === 'parallel') {
    // Mermaid separates regions only inside a composite state: the machine becomes one.
    lines.push('  [*] --> __root', `  state ${mermaidName(machine.id)} as __root {`);
    emitBox(root, '    ');
    lines.push('  }');
  } else {
    emitBox(root, '  ');
  }
  for (const edge of edges) {
    lines.push(`  ${mermaidId(edge.from)} --> ${mermaidId(edge.to)}: ${edge.label}`);
  }
  return `${lines.join('\n')}\n`;
}

const escapeDot = (text: string) => text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
const quote = (text: string) => `"${escapeDot(text)}"`;
/** A DOT label of several centred lines (DOT reads \n in a label as a line break). */
const dotLabel = (lines: string[]) => `"${lines.map(escapeDot).join('\\n')}"`;

export function toDot(machine: AnyStateMachine, name = 'machine'): string {
  const { root, edges } = describeMachine(machine);
  const lines = [`digraph ${quote(name)} {`, '  compound=true;', '  node [shape=box, style=rounded];'];
  const emitBox = (box: StateBox, indent: string) => {
    for (const child of box.children) {
      const text = dotLabel([leaf(child.path), ...notes(child)]);
      if (child.children.length) {
        lines.push(`${indent}subgraph ${quote(`cluster_${child.path}`)} {`);
        lines.push(`${indent}  label=${text};`);
        emitBox(child, `${indent}  `);
        lines.push(`${indent}}`);
      } else {
        lines.push(`${indent}${quote(child.path)} [label=${text}${child.kind === 'final' ? ', peripheries=2' : ''}];`);
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
    // Graphviz cannot clip an edge at a cluster that also holds its other end (a compound state's
    // transition into one of its own children): that edge starts at the first leaf instead.
    const inside = (outer: string, inner: string) => inner.startsWith(`${outer}.`);
    if (from && from.children.length && !inside(edge.from, edge.to)) attrs.push(`ltail=${quote(`cluster_${edge.from}`)}`);
    if (to && to.children.length && !inside(edge.to, edge.from)) attrs.push(`lhead=${quote(`cluster_${edge.to}`)}`);
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
