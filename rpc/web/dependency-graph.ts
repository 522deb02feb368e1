// depends_on= (ours) drawn for the dashboard: one box per process that depends or is depended
// on, in rows by depth (what nothing depends on at the top), an arrow from each process to what
// it depends on. The page's script colours the boxes by state as changes arrive.
import { qualifiedName } from '../../actors/namespec.js';
import type { SupervisedProcess } from '../../actors/process.js';
import { escapeHtml } from './escape-html.js';

const BOX_WIDTH = 150;
const BOX_HEIGHT = 30;
const GAP_X = 30;
const GAP_Y = 50;

/** The SVG, or '' when no process has dependencies. */
export function dependencyGraphSvg(processes: readonly SupervisedProcess[]): string {
  const byName = new Map(processes.map((p) => [qualifiedName(p), p]));
  const edges = processes.flatMap((p) =>
    p.config.dependsOn.map((d) => ({ from: qualifiedName(p), to: `${d.group}:${d.name}`, completed: d.completed })),
  );
  if (edges.length === 0) return '';
  const involved = [...new Set(edges.flatMap((e) => [e.from, e.to]))].filter((name) => byName.has(name));
  // Row 0: what nothing depends on; every other process one row below its lowest dependent.
  const row = new Map<string, number>();
  const rowOf = (name: string): number => {
    const known = row.get(name);
    if (known !== undefined) return known;
    const above = edges.filter((e) => e.to === name).map((e) => rowOf(e.from) + 1);
    const value = above.length ? Math.max(...above) : 0;
    row.set(name, value);
    return value;
  };
  const rows: string[][] = [];
  for (const name of involved.sort()) (rows[rowOf(name)] ??= []).push(name);
  const columns = Math.max(...rows.map((r) => r?.length ?? 0));
  const width = columns * (BOX_WIDTH + GAP_X) + GAP_X;
  const height = rows.length * (BOX_HEIGHT + GAP_Y) + GAP_Y - BOX_HEIGHT;
  const at = new Map<string, { x: number; y: number }>();
  rows.forEach((names = [], r) => {
    const offset = (width - names.length * (BOX_WIDTH + GAP_X) + GAP_X) / 2;
    names.forEach((name, c) => at.set(name, { x: offset + c * (BOX_WIDTH + GAP_X), y: GAP_Y / 2 + r * (BOX_HEIGHT + GAP_Y) }));
  });
  const arrows = edges
    .filter((e) => at.has(e.from) && at.has(e.to))
    .map((e) => {
      const from = at.get(e.from)!;
      const to = at.get(e.to)!;
      const d = `M${from.x + BOX_WIDTH / 2} ${from.y + BOX_HEIGHT} L${to.x + BOX_WIDTH / 2} ${to.y}`;
      return `<path class="arrow${e.completed ? ' completed' : ''}" d="${d}" marker-end="url(#dep-arrowhead)"><title>${escapeHtml(`${e.from} depends on ${e.to}${e.completed ? ' (completed)' : ''}`)}</title></path>`;
    });
  const boxes = involved.map((name) => {
    const { x, y } = at.get(name)!;
    const state = byName.get(name)!.state;
    return (
      `<g class="dep-node state-${state}" data-name="${escapeHtml(name)}" transform="translate(${x} ${y})">` +
      `<rect class="box" width="${BOX_WIDTH}" height="${BOX_HEIGHT}" rx="6"/>` +
      `<text x="${BOX_WIDTH / 2}" y="${BOX_HEIGHT / 2 + 4}" text-anchor="middle">${escapeHtml(name)}</text></g>`
    );
  });
  return [
    `<svg class="diagram dependencies" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="dependency graph">`,
    '<defs><marker id="dep-arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z"/></marker></defs>',
    ...arrows,
    ...boxes,
    '</svg>',
  ].join('');
}
