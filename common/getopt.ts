// Command-line parsing with the semantics (and error texts) of Python's getopt, which the
// reference's supervisord uses: options end at the first non-option, short options cluster
// (-nc FILE, -cFILE), long options take `--name=value` or `--name value` and may be abbreviated
// to any unique prefix. The same table of options writes the help's list of options.
import { UsageError } from './errors.js';

export type OptionSpec = {
  /** Single letter, or null for a long-only option. */
  short: string | null;
  /** Long name without dashes, or null for a short-only option. */
  long: string | null;
  /** What the option does, for the help; an option without it (an alias such as -?) is not listed. */
  help?: string;
} & (
  | { takesValue: false }
  | {
      takesValue: true;
      /** What the help calls the value, e.g. FILENAME. */
      metavar: string;
    }
);

export interface ParsedOption {
  spec: OptionSpec;
  /** As the user wrote it, e.g. "-c" or "--configuration". */
  flag: string;
  value: string | null;
}

export function getopt(args: readonly string[], specs: readonly OptionSpec[]): { options: ParsedOption[]; rest: string[] } {
  const options: ParsedOption[] = [];
  let i = 0;
  while (i < args.length) {
    const arg = args[i]!;
    if (arg === '--') {
      i += 1;
      break;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    if (arg.startsWith('--')) {
      i = parseLong(args, i, specs, options);
    } else {
      i = parseShorts(args, i, specs, options);
    }
  }
  return { options, rest: args.slice(i) };
}

function parseLong(args: readonly string[], i: number, specs: readonly OptionSpec[], out: ParsedOption[]): number {
  const body = args[i]!.slice(2);
  const eq = body.indexOf('=');
  const name = eq >= 0 ? body.slice(0, eq) : body;
  let value: string | null = eq >= 0 ? body.slice(eq + 1) : null;
  const exact = specs.find((s) => s.long === name);
  const candidates = exact ? [exact] : specs.filter((s) => s.long?.startsWith(name));
  if (candidates.length === 0) throw new UsageError(`option --${name} not recognized`);
  if (candidates.length > 1) throw new UsageError(`option --${name} not a unique prefix`);
  const spec = candidates[0]!;
  let next = i + 1;
  if (spec.takesValue && value === null) {
    if (next >= args.length) throw new UsageError(`option --${spec.long} requires argument`);
    value = args[next]!;
    next += 1;
  } else if (!spec.takesValue && value !== null) {
    throw new UsageError(`option --${spec.long} must not have an argument`);
  }
  out.push({ spec, flag: `--${spec.long}`, value });
  return next;
}

function parseShorts(args: readonly string[], i: number, specs: readonly OptionSpec[], out: ParsedOption[]): number {
  const cluster = args[i]!.slice(1);
  let next = i + 1;
  for (let j = 0; j < cluster.length; j += 1) {
    const letter = cluster[j]!;
    const spec = specs.find((s) => s.short === letter);
    if (!spec) throw new UsageError(`option -${letter} not recognized`);
    if (!spec.takesValue) {
      out.push({ spec, flag: `-${letter}`, value: null });
      continue;
    }
    let value = cluster.slice(j + 1);
    if (value === '') {
      if (next >= args.length) throw new UsageError(`option -${letter} requires argument`);
      value = args[next]!;
      next += 1;
    }
    out.push({ spec, flag: `-${letter}`, value });
    break;
  }
  return next;
}

/** Lines wider than this are wrapped; the help column is at most MAX_LABEL + 4 wide. */
const HELP_WIDTH = 79;
const MAX_LABEL = 28;

/**
 * The help's list of options, one per option with help text, in table order:
 * `  -c/--configuration FILENAME  the configuration file to use`, the text wrapped in its column.
 */
export function optionsHelp(specs: readonly OptionSpec[]): string {
  const shown = specs.filter((spec) => spec.help !== undefined);
  const labels = shown.map(optionLabel);
  const column = 2 + Math.min(MAX_LABEL, Math.max(0, ...labels.map((l) => l.length))) + 2;
  return shown
    .map((spec, i) => {
      const label = `  ${labels[i]!}`;
      const [first = '', ...more] = wrap(spec.help!, HELP_WIDTH - column);
      const head = label.length + 2 <= column ? [label.padEnd(column) + first] : [label, ' '.repeat(column) + first];
      return [...head, ...more.map((line) => ' '.repeat(column) + line)].join('\n') + '\n';
    })
    .join('');
}

function optionLabel(spec: OptionSpec): string {
  const names = [spec.short === null ? null : `-${spec.short}`, spec.long === null ? null : `--${spec.long}`];
  const label = names.filter((n) => n !== null).join('/');
  return spec.takesValue ? `${label} ${spec.metavar}` : label;
}

/** Words into lines of at most `width` characters (a longer word gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  return lines;
}
