// The rows, series and notes a run collects (each printed as it comes), and the tables of the
// report. A row may carry a target from issue 14, checked against our value.
import type { Kind } from './installation.js';
import type { RssSeries } from './rss-series.js';

export interface Target {
  op: '≤' | '≥';
  limit: number;
  /** How the limit was derived when it is not a plain number, e.g. "`node -e 0` + 20 ms". */
  from?: string;
  /**
   * What bare node does at the same task in the same run (a floor row of the table): when even
   * that misses the target, the table says so, the measured reason the target is out of reach.
   */
  nodeFloor?: number;
}

export interface Row {
  metric: string;
  unit: string;
  better: 'higher' | 'lower';
  values: Record<Kind, number>;
  target?: Target;
  /** A floor row: the bare interpreters (python3 in the reference's column, node in ours). */
  floor?: boolean;
}

export function format(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 10) return value.toFixed(1);
  if (magnitude >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

function verdict(row: Row): string {
  if (row.floor) return 'floor';
  const { reference, ours } = row.values;
  if (!Number.isFinite(reference) || !Number.isFinite(ours) || reference <= 0 || ours <= 0) return '';
  const factor = row.better === 'higher' ? ours / reference : reference / ours;
  if (factor >= 1.1) return `ours ${format(factor)}× better`;
  if (factor <= 1 / 1.1) return `ours ${format(1 / factor)}× worse`;
  return 'same';
}

export function targetMet(row: Row): boolean | undefined {
  return row.target ? meets(row.target, row.values.ours) : undefined;
}

function meets(target: Target, value: number): boolean {
  if (!Number.isFinite(value) || !Number.isFinite(target.limit)) return false;
  return target.op === '≤' ? value <= target.limit : value >= target.limit;
}

/** "met", "not met", and for the latter whether bare node itself misses the target. */
function metText(row: Row): string {
  const met = targetMet(row);
  if (met === undefined) return '';
  if (met) return 'met';
  const floor = row.target?.nodeFloor;
  if (row.target && floor !== undefined && !meets(row.target, floor)) return `**not met**; bare node alone: ${format(floor)}`;
  return '**not met**';
}

function targetText(row: Row): string {
  const { target } = row;
  if (!target) return '';
  const limit = `${target.op} ${format(target.limit)}`;
  return target.from ? `${limit} (${target.from})` : limit;
}

export class Results {
  readonly rows: Row[] = [];
  readonly notes: string[] = [];
  readonly series: string[] = [];

  add(metric: string, unit: string, better: Row['better'], values: Record<Kind, number>, target?: Target): void {
    const row: Row = { metric, unit, better, values, ...(target ? { target } : {}) };
    this.rows.push(row);
    const goal = row.target ? `; target ${targetText(row)}: ${metText(row).replaceAll('*', '')}` : '';
    console.log(`  ${metric}: reference ${format(values.reference)} ${unit}, ours ${format(values.ours)} ${unit}${goal}`);
  }

  /** A row of the bare interpreters doing what the daemons do in the rows around it. */
  addFloor(metric: string, unit: string, better: Row['better'], values: Record<Kind, number>): void {
    this.rows.push({ metric, unit, better, values, floor: true });
    console.log(`  ${metric}: python3 ${format(values.reference)} ${unit}, node ${format(values.ours)} ${unit}`);
  }

  note(text: string): void {
    this.notes.push(text);
    console.log(`  note: ${text}`);
  }

  /** An RSS-over-time table: one line per `step` seconds of the two daemons' series. */
  addSeries(title: string, series: Record<Kind, RssSeries>, step: number): void {
    const lines = [`**${title}**`, '', '| t (s) | phase | Reference RSS (MiB) | Ours RSS (MiB) |', '|---:|---|---:|---:|'];
    const end = Math.max(series.reference.points.at(-1)?.t ?? 0, series.ours.points.at(-1)?.t ?? 0);
    for (let k = 0; k * step <= end + 1e-6; k += 1) {
      const reference = series.reference.at(k * step);
      const ours = series.ours.at(k * step);
      const phase = ours?.phase ?? reference?.phase ?? '';
      lines.push(`| ${(k * step).toFixed(1)} | ${phase} | ${format(reference?.rssMiB ?? NaN)} | ${format(ours?.rssMiB ?? NaN)} |`);
    }
    this.series.push(lines.join('\n'));
  }

  /** The markdown table, one line per row, with the ratio, which daemon did better and the target. */
  table(): string {
    const header = '| Metric | Reference 4.2.5 | Ours | Ratio ours/ref | | Target (issue 14) | |';
    const lines = [header, '|---|---:|---:|---:|---|---|---|'];
    for (const row of this.rows) {
      const { reference, ours } = row.values;
      const ratio = reference > 0 && Number.isFinite(ours) ? format(ours / reference) : 'n/a';
      lines.push(
        `| ${row.metric} (${row.unit}, ${row.better} is better) | ${format(reference)} | ${format(ours)} | ${ratio} | ${verdict(row)} | ${targetText(row)} | ${metText(row)} |`,
      );
    }
    return lines.join('\n');
  }

  /** Targets met and not met, for the summary line. */
  targetCounts(): { met: number; notMet: string[] } {
    const withTarget = this.rows.filter((row) => row.target);
    return {
      met: withTarget.filter((row) => targetMet(row)).length,
      notMet: withTarget.filter((row) => !targetMet(row)).map((row) => row.metric),
    };
  }
}
