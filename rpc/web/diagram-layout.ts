// A simple layered layout of a state machine's top-level states, from describeMachine(): rows by
// distance from the initial state, arrows between rows, inner states stacked inside their box.
import type { Edge, StateBox } from '../../machines/diagram.js';

export interface Point {
  x: number;
  y: number;
}

export interface InnerState {
  name: string;
  entry: string[];
  x: number;
  y: number;
}

export interface StateNode {
  /** The top-level state's name, as ProcessStateName spells it. */
  name: string;
  entry: string[];
  inner: InnerState[];
  layer: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One arrow: every transition between the same two top-level states shares it. */
export interface Arrow {
  from: string;
  to: string;
  labels: string[];
  /** SVG path data. */
  d: string;
  labelAt: Point;
  /** Labels of arrows running up a side lane are written along it. */
  vertical: boolean;
  /** Labels of arrows heading left sit left of them, and so on, to keep clear of their neighbours. */
  anchor: 'start' | 'middle' | 'end';
}

/** A transition between two states inside the same top-level state. */
export interface InnerArrow {
  within: string;
  from: string;
  to: string;
  label: string;
}

export interface Layout {
  nodes: StateNode[];
  arrows: Arrow[];
  innerArrows: InnerArrow[];
  width: number;
  height: number;
}

export const NODE_WIDTH = 170;
export const INNER_HEIGHT = 34;
const HEADER_HEIGHT = 34;
const INNER_GAP = 22;
const COLUMN_GAP = 70;
const ROW_GAP = 170;
const MARGIN = 40;
/** Arrows back up the rows run in lanes left and right of the boxes, this far apart. */
const LANE_GAP = 22;
const CORNER = 8;

const topOf = (path: string) => path.split('.')[0] ?? path;
const leafOf = (path: string) => path.split('.').pop() ?? path;

interface Link {
  from: string;
  to: string;
  labels: string[];
}

/** Rows: breadth-first distance from the initial state; unreachable states go last. */
function layers(root: StateBox, links: Link[]): Map<string, number> {
  const names = root.children.map((c) => c.path);
  const layer = new Map<string, number>();
  const first = root.initial ?? names[0];
  if (first === undefined) return layer;
  layer.set(first, 0);
  const queue = [first];
  while (queue.length) {
    const name = queue.shift() as string;
    for (const link of links) {
      if (link.from !== name || layer.has(link.to)) continue;
      layer.set(link.to, (layer.get(name) ?? 0) + 1);
      queue.push(link.to);
    }
  }
  const deepest = Math.max(0, ...layer.values());
  for (const name of names) if (!layer.has(name)) layer.set(name, deepest + 1);
  return layer;
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

/**
 * The order of a row that draws most cleanly, rows above already placed: arrows within the row
 * between neighbours, arrows to the row above short, boxes whose arrows go back up at the ends.
 * Rows are small (a machine's top-level states), so every order is tried.
 */
function orderRow(row: string[], layer: Map<string, number>, placed: Map<string, number>, links: Link[]): string[] {
  const candidates = row.length <= 7 ? permutations(row) : [row];
  let best = row;
  let bestCost = Infinity;
  for (const order of candidates) {
    const centre = (order.length - 1) / 2;
    const at = (name: string) => order.indexOf(name) - centre;
    let cost = 0;
    for (const link of links) {
      const inRowFrom = order.includes(link.from);
      const inRowTo = order.includes(link.to);
      if (inRowFrom && inRowTo) cost += (Math.abs(at(link.from) - at(link.to)) - 1) * 4;
      else if (inRowFrom && placed.has(link.to)) cost += Math.abs(at(link.from) - (placed.get(link.to) ?? 0));
      else if (inRowTo && placed.has(link.from)) cost += Math.abs(at(link.to) - (placed.get(link.from) ?? 0));
      if (inRowFrom && (layer.get(link.to) ?? 0) < (layer.get(link.from) ?? 0)) cost += (centre - Math.abs(at(link.from))) * 3;
    }
    cost += crossings(order, placed, links) * 2;
    if (cost < bestCost) {
      bestCost = cost;
      best = order;
    }
  }
  best.forEach((name) => placed.set(name, best.indexOf(name) - (best.length - 1) / 2));
  return best;
}

/** How many pairs of arrows between this row and the rows above cross each other. */
function crossings(order: string[], placed: Map<string, number>, links: Link[]): number {
  const spans = links.flatMap((link) => {
    const here = order.indexOf(link.from) >= 0 ? link.from : order.indexOf(link.to) >= 0 ? link.to : null;
    const there = here === link.from ? link.to : link.from;
    const above = placed.get(there);
    return here === null || above === undefined || order.includes(there) ? [] : [[order.indexOf(here), above] as const];
  });
  let count = 0;
  spans.forEach(([a, b], i) => {
    for (const [c, d] of spans.slice(i + 1)) if ((a - c) * (b - d) < 0) count++;
  });
  return count;
}

function placeNodes(root: StateBox, layer: Map<string, number>, links: Link[]): StateNode[] {
  const byName = new Map<string, StateNode>(
    root.children.map((box) => [
      box.path,
      {
        name: box.path,
        entry: box.entry,
        inner: box.children.map((child) => ({ name: leafOf(child.path), entry: child.entry, x: 0, y: 0 })),
        layer: layer.get(box.path) ?? 0,
        x: 0,
        y: 0,
        width: NODE_WIDTH,
        height: HEADER_HEIGHT + box.children.length * (INNER_HEIGHT + INNER_GAP) + (box.entry.length ? 16 : 0),
      },
    ]),
  );
  const nodes = [...byName.values()];
  const rowCount = Math.max(0, ...nodes.map((n) => n.layer)) + 1;
  const placed = new Map<string, number>();
  const rows = Array.from({ length: rowCount }, (_, i) =>
    orderRow(
      nodes.filter((n) => n.layer === i).map((n) => n.name),
      layer,
      placed,
      links,
    ).map((name) => byName.get(name) as StateNode),
  );
  const rowWidth = (row: StateNode[]) => row.length * NODE_WIDTH + (row.length - 1) * COLUMN_GAP;
  const widest = Math.max(...rows.map(rowWidth));
  const lanes = links.filter((l) => (layer.get(l.to) ?? 0) < (layer.get(l.from) ?? 0)).length;
  let y = MARGIN;
  for (const row of rows) {
    let x = MARGIN + lanes * LANE_GAP + (widest - rowWidth(row)) / 2;
    for (const node of row) {
      node.x = x;
      node.y = y;
      node.inner.forEach((inner, i) => {
        inner.x = x + 12;
        inner.y = y + HEADER_HEIGHT + (node.entry.length ? 16 : 0) + i * (INNER_HEIGHT + INNER_GAP);
      });
      x += NODE_WIDTH + COLUMN_GAP;
    }
    y += Math.max(0, ...row.map((n) => n.height)) + ROW_GAP;
  }
  return rows.flat();
}

type Side = 'top' | 'bottom' | 'left' | 'right';

interface Port {
  node: StateNode;
  side: Side;
  /** Where the arrow's other end lies along this side, to order the ports without crossings. */
  towards: number;
  point: Point;
}

/** Spreads the ports of each side evenly along it, ordered by where their arrows go. */
function spreadPorts(ports: Port[]): void {
  const bySide = new Map<string, Port[]>();
  for (const port of ports) {
    const key = `${port.node.name}/${port.side}`;
    bySide.set(key, [...(bySide.get(key) ?? []), port]);
  }
  for (const group of bySide.values()) {
    group.sort((a, b) => a.towards - b.towards);
    group.forEach((port, i) => {
      const { node, side } = port;
      const share = (i + 1) / (group.length + 1);
      if (side === 'top' || side === 'bottom') {
        port.point = { x: node.x + node.width * share, y: side === 'top' ? node.y : node.y + node.height };
      } else {
        port.point = { x: side === 'left' ? node.x : node.x + node.width, y: node.y + node.height * share };
      }
    });
  }
}

const f = (n: number) => Math.round(n * 10) / 10;

/** A path through `points` with straight segments and rounded corners. */
function roundedPath(points: Point[]): string {
  const [first, ...rest] = points;
  if (!first) return '';
  let d = `M${f(first.x)} ${f(first.y)}`;
  rest.forEach((corner, i) => {
    const previous = points[i] as Point;
    const next = rest[i + 1];
    if (!next) {
      d += ` L${f(corner.x)} ${f(corner.y)}`;
      return;
    }
    const toward = (from: Point, to: Point) => {
      const length = Math.hypot(to.x - from.x, to.y - from.y) || 1;
      const r = Math.min(CORNER, length / 2);
      return { x: from.x + ((to.x - from.x) / length) * r, y: from.y + ((to.y - from.y) / length) * r };
    };
    const before = toward(corner, previous);
    const after = toward(corner, next);
    d += ` L${f(before.x)} ${f(before.y)} Q${f(corner.x)} ${f(corner.y)} ${f(after.x)} ${f(after.y)}`;
  });
  return d;
}

function cubicAt([p0, p1, p2, p3]: [Point, Point, Point, Point], t: number): Point {
  const u = 1 - t;
  const at = (k: 'x' | 'y') => u * u * u * p0[k] + 3 * u * u * t * p1[k] + 3 * u * t * t * p2[k] + t * t * t * p3[k];
  return { x: at('x'), y: at('y') };
}

type Plan =
  | { kind: 'down'; link: Link; start: Port; end: Port }
  | { kind: 'beside'; link: Link; start: Port; end: Port }
  | { kind: 'under'; link: Link; start: Port; end: Port; rowBottom: number }
  | { kind: 'up'; link: Link; start: Port; end: Port; lane: number; left: boolean };

function plan(links: Link[], nodes: StateNode[]): Plan[] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const mid = (Math.min(...nodes.map((n) => n.x)) + Math.max(...nodes.map((n) => n.x + n.width))) / 2;
  const cx = (n: StateNode) => n.x + n.width / 2;
  const cy = (n: StateNode) => n.y + n.height / 2;
  const port = (node: StateNode, side: Side, towards: number): Port => ({ node, side, towards, point: { x: 0, y: 0 } });
  let leftLanes = 0;
  let rightLanes = 0;
  return links.flatMap((link): Plan[] => {
    const from = byName.get(link.from);
    const to = byName.get(link.to);
    if (!from || !to || from === to) return [];
    if (to.layer > from.layer) return [{ kind: 'down', link, start: port(from, 'bottom', cx(to)), end: port(to, 'top', cx(from)) }];
    if (to.layer < from.layer) {
      // Up the outside: out of the top, along a lane beside every box, into the target's side.
      const left = cx(from) < mid || (cx(from) === mid && cx(to) <= mid);
      const lane = left ? leftLanes++ : rightLanes++;
      return [{ kind: 'up', link, start: port(from, 'top', left ? -1e6 : 1e6), end: port(to, left ? 'left' : 'right', -lane), lane, left }];
    }
    const row = nodes.filter((n) => n.layer === from.layer);
    if (Math.abs(row.indexOf(from) - row.indexOf(to)) === 1) {
      const rightward = to.x > from.x;
      return [
        {
          kind: 'beside',
          link,
          start: port(from, rightward ? 'right' : 'left', cy(to)),
          end: port(to, rightward ? 'left' : 'right', cy(from)),
        },
      ];
    }
    const rowBottom = Math.max(...row.map((n) => n.y + n.height));
    return [{ kind: 'under', link, start: port(from, 'bottom', cx(to)), end: port(to, 'bottom', cx(from)), rowBottom }];
  });
}

function route(p: Plan, nodes: StateNode[]): Arrow {
  const a = p.start.point;
  const b = p.end.point;
  const base = { from: p.link.from, to: p.link.to, labels: p.link.labels };
  switch (p.kind) {
    case 'down': {
      const bend = (a.y + b.y) / 2;
      const d = `M${f(a.x)} ${f(a.y)} C${f(a.x)} ${f(bend)} ${f(b.x)} ${f(bend)} ${f(b.x)} ${f(b.y)}`;
      // Arrows leaving one box side by side get their labels at different heights.
      const share = (a.x - p.start.node.x) / p.start.node.width;
      const at = cubicAt([a, { x: a.x, y: bend }, { x: b.x, y: bend }, b], 0.2 + 0.6 * share);
      const anchor = b.x < a.x - 20 ? 'end' : b.x > a.x + 20 ? 'start' : 'middle';
      return { ...base, d, labelAt: { x: at.x + (anchor === 'end' ? -6 : anchor === 'start' ? 6 : 0), y: at.y }, vertical: false, anchor };
    }
    case 'beside': {
      const d = `M${f(a.x)} ${f(a.y)} C${f((a.x + b.x) / 2)} ${f(a.y)} ${f((a.x + b.x) / 2)} ${f(b.y)} ${f(b.x)} ${f(b.y)}`;
      return { ...base, d, labelAt: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 - 8 }, vertical: false, anchor: 'middle' };
    }
    case 'under': {
      const depth = p.rowBottom + 36;
      return {
        ...base,
        d: roundedPath([a, { x: a.x, y: depth }, { x: b.x, y: depth }, b]),
        labelAt: { x: (a.x + b.x) / 2, y: depth - 6 },
        vertical: false,
        anchor: 'middle',
      };
    }
    case 'up': {
      const edge = p.left ? Math.min(...nodes.map((n) => n.x)) : Math.max(...nodes.map((n) => n.x + n.width));
      const laneX = edge + (p.left ? -1 : 1) * (p.lane + 1) * LANE_GAP;
      const gapY = a.y - 18 - p.lane * 6;
      const d = roundedPath([a, { x: a.x, y: gapY }, { x: laneX, y: gapY }, { x: laneX, y: b.y }, b]);
      return { ...base, d, labelAt: { x: laneX + (p.left ? -4 : 12), y: (gapY + b.y) / 2 }, vertical: true, anchor: 'middle' };
    }
  }
}

/** Roughly where a label's text lies (11px sans-serif). */
function labelBox(arrow: Arrow): { left: number; top: number; right: number; bottom: number } {
  const long = Math.max(...arrow.labels.map((l) => l.length)) * 6;
  const tall = arrow.labels.length * 13;
  const { x, y } = arrow.labelAt;
  if (arrow.vertical) return { left: x - 13, right: x + 2, top: y - long / 2, bottom: y + long / 2 };
  const left = arrow.anchor === 'end' ? x - long : arrow.anchor === 'start' ? x : x - long / 2;
  return { left, right: left + long, top: y - tall / 2 - 6, bottom: y + tall / 2 - 4 };
}

/** Moves horizontal labels down until none overlaps one placed before it. */
function separateLabels(arrows: Arrow[]): void {
  const placed: ReturnType<typeof labelBox>[] = [];
  for (const arrow of arrows) {
    let box = labelBox(arrow);
    for (let moved = true; moved && !arrow.vertical;) {
      moved = false;
      for (const other of placed) {
        if (box.left < other.right && other.left < box.right && box.top < other.bottom && other.top < box.bottom) {
          arrow.labelAt = { x: arrow.labelAt.x, y: arrow.labelAt.y + (other.bottom - box.top) + 2 };
          box = labelBox(arrow);
          moved = true;
        }
      }
    }
    placed.push(box);
  }
}

export function layoutMachine(root: StateBox, edges: Edge[]): Layout {
  const innerArrows: InnerArrow[] = [];
  const links = new Map<string, Link>();
  for (const edge of edges) {
    const from = topOf(edge.from);
    const to = topOf(edge.to);
    if (from === to && edge.from !== from && edge.to !== to) {
      innerArrows.push({ within: from, from: leafOf(edge.from), to: leafOf(edge.to), label: edge.label });
      continue;
    }
    // A transition of an inner state says which one it leaves from.
    const label = edge.from === from ? edge.label : `${leafOf(edge.from)}: ${edge.label}`;
    const key = `${from}\u0000${to}`;
    const link = links.get(key) ?? { from, to, labels: [] };
    link.labels.push(label);
    links.set(key, link);
  }
  const linkList = [...links.values()];
  const nodes = placeNodes(root, layers(root, linkList), linkList);
  const plans = plan(linkList, nodes);
  spreadPorts(plans.flatMap((p) => [p.start, p.end]));
  const arrows = plans.map((p) => route(p, nodes));
  separateLabels(arrows);
  const lanes = plans.filter((p) => p.kind === 'up').length;
  const width = Math.max(...nodes.map((n) => n.x + n.width)) + lanes * LANE_GAP + MARGIN;
  const height = Math.max(...nodes.map((n) => n.y + n.height)) + MARGIN + 40;
  return { nodes, arrows, innerArrows, width, height };
}
