// Command-line parsing with the semantics (and error texts) of Python's getopt, which the
// reference's supervisord uses: options end at the first non-option, short options cluster
// (-nc FILE, -cFILE), long options take `--name=value` or `--name value` and may be abbreviated
// to any unique prefix.
import { UsageError } from './errors.js';

export interface OptionSpec {
  /** Single letter, or null for a long-only option. */
  short: string | null;
  /** Long name without dashes, or null for a short-only option. */
  long: string | null;
  takesValue: boolean;
}

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
