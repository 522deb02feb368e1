// The state diagram of a machine as inline SVG, drawn from its layout. Styling is left to the
// page's stylesheet (classes only), so the page can highlight the current state by class.
import type { AnyStateMachine } from 'xstate';
import { describeMachine } from '../../machines/diagram.js';
import { escapeHtml } from './escape-html.js';
import { INNER_HEIGHT, layoutMachine, NODE_WIDTH, type Arrow, type Layout, type StateNode } from './diagram-layout.js';

const LINE_HEIGHT = 13;

const round = (n: number) => Math.round(n * 10) / 10;

function stateBox(node: StateNode, current: string | null): string {
  const classes = node.name === current ? 'state current' : 'state';
  const parts = [
    `<g class="${classes}" data-state="${escapeHtml(node.name)}">`,
    `<rect class="box" x="${node.x}" y="${node.y}" width="${node.width}" height="${node.height}" rx="10"/>`,
    `<text class="name" x="${node.x + node.width / 2}" y="${node.y + 22}" text-anchor="middle">${escapeHtml(node.name)}</text>`,
  ];
  if (node.entry.length) {
    parts.push(
      `<text class="entry" x="${node.x + node.width / 2}" y="${node.y + 38}" text-anchor="middle">entry / ${escapeHtml(node.entry.join(', '))}</text>`,
    );
  }
  for (const inner of node.inner) {
    const width = NODE_WIDTH - 24;
    parts.push(
      `<rect class="inner" x="${inner.x}" y="${inner.y}" width="${width}" height="${INNER_HEIGHT}" rx="6"/>`,
      `<text class="inner-name" x="${inner.x + width / 2}" y="${inner.y + (inner.entry.length ? 14 : 21)}" text-anchor="middle">${escapeHtml(inner.name)}</text>`,
    );
    if (inner.entry.length) {
      parts.push(
        `<text class="entry" x="${inner.x + width / 2}" y="${inner.y + 28}" text-anchor="middle">entry / ${escapeHtml(inner.entry.join(', '))}</text>`,
      );
    }
  }
  parts.push('</g>');
  return parts.join('');
}

/** Arrows between the inner states of one box, drawn down its left edge. */
function innerArrows(layout: Layout): string {
  return layout.innerArrows
    .map((arrow) => {
      const node = layout.nodes.find((n) => n.name === arrow.within);
      const from = node?.inner.find((i) => i.name === arrow.from);
      const to = node?.inner.find((i) => i.name === arrow.to);
      if (!from || !to) return '';
      const title = `<title>${escapeHtml(`${arrow.from} → ${arrow.to}: ${arrow.label}`)}</title>`;
      if (from === to) {
        const x = from.x + NODE_WIDTH - 24;
        const y = from.y + INNER_HEIGHT / 2;
        return `<path class="arrow inner-arrow" d="M${x} ${y - 6} c 14 -8 14 20 0 12" marker-end="url(#arrowhead)">${title}</path>`;
      }
      const x = from.x + 20;
      return (
        `<path class="arrow inner-arrow" d="M${x} ${from.y + INNER_HEIGHT} L${x} ${to.y}" marker-end="url(#arrowhead)">${title}</path>` +
        `<text class="label" x="${x + 6}" y="${(from.y + INNER_HEIGHT + to.y) / 2 + 4}">${escapeHtml(arrow.label)}</text>`
      );
    })
    .join('');
}

function arrow(a: Arrow): string {
  const { x, y } = a.labelAt;
  const label = a.vertical
    ? `<text class="label" text-anchor="middle" transform="translate(${round(x)} ${round(y)}) rotate(-90)">${escapeHtml(a.labels.join('; '))}</text>`
    : `<text class="label" text-anchor="${a.anchor}">${a.labels
        .map(
          (text, i) =>
            `<tspan x="${round(x)}" y="${round(y - ((a.labels.length - 1) * LINE_HEIGHT) / 2 + 4 + i * LINE_HEIGHT)}">${escapeHtml(text)}</tspan>`,
        )
        .join('')}</text>`;
  return (
    `<g class="transition" data-from="${escapeHtml(a.from)}" data-to="${escapeHtml(a.to)}">` +
    `<path class="arrow" d="${a.d}" marker-end="url(#arrowhead)"><title>${escapeHtml(`${a.from} → ${a.to}`)}</title></path>${label}</g>`
  );
}

const cache = new WeakMap<AnyStateMachine, Layout>();

/** The diagram, with `current` (a top-level state name) highlighted. */
export function stateDiagramSvg(machine: AnyStateMachine, current: string | null): string {
  let layout = cache.get(machine);
  if (!layout) {
    const { root, edges } = describeMachine(machine);
    layout = layoutMachine(root, edges);
    cache.set(machine, layout);
  }
  return [
    `<svg class="diagram" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${layout.width} ${layout.height}" width="${layout.width}" height="${layout.height}" role="img" aria-label="state diagram">`,
    '<defs><marker id="arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z"/></marker></defs>',
    ...layout.nodes.map((node) => stateBox(node, current)),
    innerArrows(layout),
    ...layout.arrows.map(arrow),
    '</svg>',
  ].join('');
}
