// Output layouts that scripts read: status and avail columns, the per-process result lines of
// start/stop/signal/clear, and the help topic table.
import { SupervisorError } from '../../common/errors.js';
import { namespecOf } from '../../actors/namespec.js';
import { Faults, type ConfigInfo, type ProcessInfo, type ProcessOutcome } from './supervisor-rpc.js';

/** One line of the status table: a process, or (fleet) a host that did not answer. */
export interface StatusRow {
  name: string;
  statename: string;
  description: string;
}

/** Name column at least 33 wide (longer names widen it for every line), state 10, description. */
export function statusTable(rows: readonly StatusRow[]): string[] {
  const width = Math.max(30, ...rows.map((row) => row.name.length)) + 3;
  return rows.map((row) => `${row.name.padEnd(width)}${row.statename.padEnd(10)}${row.description}`);
}

export function statusLines(infos: readonly ProcessInfo[]): string[] {
  return statusTable(infos.map((info) => ({ name: namespecOf(info), statename: info.statename, description: info.description })));
}

export function availLine(info: ConfigInfo): string {
  const name = namespecOf(info);
  const line = `${name.padEnd(32)} ${(info.inuse ? 'in use' : 'avail').padEnd(9)} ${(info.autostart ? 'auto' : 'manual').padEnd(9)} ${info.group_prio}:${info.process_prio}`;
  // depends_on= (ours) only where a daemon of ours reports it.
  return info.depends_on ? `${line}  depends on ${info.depends_on}` : line;
}

function errorLine(name: string, why: string): string {
  return `${name}: ERROR (${why})`;
}

/** Named as the reference's error is, since supervisorctl prints the name. */
class UnknownResultCode extends SupervisorError {
  override name = 'ValueError';

  constructor(code: number, name: string) {
    super('BAD_ANSWER', `Unknown result code ${code} for ${name}`);
  }
}

const START_ERRORS: Record<number, string> = {
  [Faults.BAD_NAME]: 'no such process',
  [Faults.NO_FILE]: 'no such file',
  [Faults.NOT_EXECUTABLE]: 'file is not executable',
  [Faults.ALREADY_STARTED]: 'already started',
  [Faults.SPAWN_ERROR]: 'spawn error',
  [Faults.ABNORMAL_TERMINATION]: 'abnormal termination',
};

export function startResultLine(r: ProcessOutcome): string {
  const name = namespecOf(r);
  if (r.status === Faults.SUCCESS) return `${name}: started`;
  const why = START_ERRORS[r.status];
  if (why === undefined) throw new UnknownResultCode(r.status, name);
  return errorLine(name, why);
}

const SIGNAL_ERRORS: Record<number, string> = {
  [Faults.BAD_NAME]: 'no such process',
  [Faults.BAD_SIGNAL]: 'bad signal name',
  [Faults.NOT_RUNNING]: 'not running',
};

/** For signal (`signalled`) and stop (`stopped`) answers; FAILED shows the daemon's own text. */
export function signalResultLine(r: ProcessOutcome, success = 'signalled'): string {
  const name = namespecOf(r);
  if (r.status === Faults.SUCCESS) return `${name}: ${success}`;
  if (r.status === Faults.FAILED) return r.description;
  const why = SIGNAL_ERRORS[r.status];
  if (why === undefined) throw new UnknownResultCode(r.status, name);
  return errorLine(name, why);
}

export function clearResultLine(r: ProcessOutcome): string {
  const name = namespecOf(r);
  if (r.status === Faults.SUCCESS) return `${name}: cleared`;
  if (r.status === Faults.BAD_NAME) return errorLine(name, 'no such process');
  if (r.status === Faults.FAILED) return errorLine(name, 'failed');
  throw new UnknownResultCode(r.status, name);
}

/**
 * Words laid out column-major in as few rows as fit `width` columns, two spaces apart, each
 * column as wide as its longest word (so lines keep trailing spaces, as the reference's do).
 */
export function columnize(words: readonly string[], width = 79): string[] {
  if (words.length === 0) return ['<empty>'];
  if (words.length === 1) return [words[0]!];
  let rows = words.length;
  let widths = [0];
  for (let tryRows = 1; tryRows < words.length; tryRows++) {
    const cols = Math.ceil(words.length / tryRows);
    const colWidths: number[] = [];
    let total = -2;
    for (let c = 0; c < cols; c++) {
      const column = words.slice(c * tryRows, (c + 1) * tryRows);
      const w = Math.max(0, ...column.map((x) => x.length));
      colWidths.push(w);
      total += w + 2;
      if (total > width) break;
    }
    if (total <= width) {
      rows = tryRows;
      widths = colWidths;
      break;
    }
  }
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let c = 0; c < widths.length; c++) cells.push(words[r + rows * c] ?? '');
    while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
    lines.push(cells.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));
  }
  return lines;
}
