// The rows and notes a run collects (each printed as it comes), and the results table.
import type { Kind } from './installation.js';

export interface Row {
  metric: string;
  unit: string;
  better: 'higher' | 'lower';
  values: Record<Kind, number>;
}

function format(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 10) return value.toFixed(1);
  if (magnitude >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

function verdict(row: Row): string {
  const { reference, ours } = row.values;
  if (!Number.isFinite(reference) || !Number.isFinite(ours) || reference <= 0 || ours <= 0) return '';
  const factor = row.better === 'higher' ? ours / reference : reference / ours;
  if (factor >= 1.1) return `ours ${format(factor)}× better`;
  if (factor <= 1 / 1.1) return `ours ${format(1 / factor)}× worse`;
  return 'same';
}

export class Results {
  readonly rows: Row[] = [];
  readonly notes: string[] = [];

  add(metric: string, unit: string, better: Row['better'], values: Record<Kind, number>): void {
    this.rows.push({ metric, unit, better, values });
    console.log(`  ${metric}: reference ${format(values.reference)} ${unit}, ours ${format(values.ours)} ${unit}`);
  }

  note(text: string): void {
    this.notes.push(text);
    console.log(`  note: ${text}`);
  }

  /** The markdown table, one line per row, with the ratio and which daemon did better. */
  table(): string {
    const header = '| Metric | Reference 4.2.5 | Ours | Ratio ours/ref | |';
    const lines = [header, '|---|---:|---:|---:|---|'];
    for (const row of this.rows) {
      const { reference, ours } = row.values;
      const ratio = reference > 0 && Number.isFinite(ours) ? format(ours / reference) : 'n/a';
      lines.push(
        `| ${row.metric} (${row.unit}, ${row.better} is better) | ${format(reference)} | ${format(ours)} | ${ratio} | ${verdict(row)} |`,
      );
    }
    return lines.join('\n');
  }
}
