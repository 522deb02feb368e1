// An INI reader with the semantics of Python 3's RawConfigParser as Supervisor configures it
// (inline comments after whitespace, ';' and '#' comments, '=' or ':' delimiters, lowercased keys,
// indented continuation lines, [DEFAULT] fallback, duplicate sections and keys merged, not strict).
// Its errors keep configparser's wording, in one line.
import { ConfigError } from './types.js';
import { isPySpace, pyRepr, pyRstrip, pyStrip } from './python.js';

export interface IniValue {
  value: string;
  file: string;
  line: number;
}

export interface IniSection {
  name: string;
  /** The file (as given to read()) and line of the header that first created the section. */
  file: string;
  line: number;
  values: Map<string, IniValue>;
}

/** A section header or a key given again (configparser merges them; the loader warns). */
export interface Duplicate {
  section: string;
  /** Absent for a section header given again. */
  key?: string;
  file: string;
  line: number;
  /** Where the section or key was first given. */
  first: { file: string; line: number };
}

export const DEFAULT_SECTION = 'DEFAULT';
/** Bad lines a parsing error lists, each cut at a length; the rest are counted (a binary file has thousands). */
const LISTED_BAD_LINES = 5;
const SHOWN_LINE_LENGTH = 200;
const INLINE_COMMENT_PREFIXES = [';', '#'];
const COMMENT_PREFIXES = ['#', ';'];
/** A line without any character of the prefixes above holds no comment. */
const PREFIX_PATTERN = /[;#]/;

export class IniDocument {
  /** Every section but DEFAULT, in order of first appearance. */
  readonly sections = new Map<string, IniSection>();
  readonly defaults = new Map<string, IniValue>();
  /** Sections and keys given more than once, in reading order. */
  readonly duplicates: Duplicate[] = [];
  /**
   * Every line read that is neither a header, a key nor a continuation, as the parsing error
   * shows it (which lists only the first few).
   */
  readonly malformedLines: Array<{ file: string; line: number; shown: string }> = [];
  /** Where [DEFAULT] was first given. */
  private defaultsAt: { file: string; line: number } | null = null;

  has(section: string): boolean {
    return this.sections.has(section);
  }

  /** The section's own value, else the DEFAULT one. */
  get(section: string, key: string): IniValue | undefined {
    return this.sections.get(section)?.values.get(key) ?? this.defaults.get(key);
  }

  /** Keys of the section including DEFAULT's, as configparser's options() lists them. */
  options(section: string): string[] {
    const own = [...(this.sections.get(section)?.values.keys() ?? [])];
    return [...new Set([...own, ...this.defaults.keys()])];
  }

  /**
   * Parses one file's text into this document. `file` names it in errors and locations.
   * Returns the names of the sections this text created.
   */
  read(text: string, file: string): string[] {
    const created: string[] = [];
    // Values being built, as lists of lines, joined when the file is done (as configparser does).
    const pending: Array<{ target: IniValue; parts: string[] }> = [];
    let cursect: Map<string, IniValue> | null = null;
    let currentSection = '';
    let optname: string | null = null;
    let current: { target: IniValue; parts: string[] } | null = null;
    let indentLevel = 0;
    // The keys of the current header's block: a key given twice there is a duplicate.
    let blockKeys = new Set<string>();
    const badLines: Array<[number, string]> = [];
    let moreBadLines = 0;
    const badLine = (lineno: number, line: string): void => {
      this.malformedLines.push({ file, line: lineno, shown: shownLine(line) });
      if (badLines.length < LISTED_BAD_LINES) badLines.push([lineno, line]);
      else moreBadLines++;
    };

    // Python's text mode reads universal newlines, and each line keeps its '\n'; ours are taken
    // without it (nothing below depends on it) and given it back only to be shown in an error.
    const normalized = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
    let lineno = 0;
    for (let start = 0, end: number; start < normalized.length; start = end) {
      const newline = normalized.indexOf('\n', start);
      end = newline < 0 ? normalized.length : newline + 1;
      const line = normalized.slice(start, newline < 0 ? end : newline);
      lineno++;
      const commentStart = findCommentStart(line);
      const value = pyStrip(commentStart === null ? line : line.slice(0, commentStart));
      if (!value) {
        // Blank lines inside a value are kept (trailing ones are stripped at the end); comment lines are not.
        if (commentStart === null && cursect && optname && current) current.parts.push('');
        continue;
      }
      const curIndent = firstNonSpace(line);
      if (cursect && optname && current && curIndent > indentLevel) {
        current.parts.push(value);
        continue;
      }
      indentLevel = curIndent;
      const header = matchHeader(value);
      if (header !== null) {
        const existing = this.sections.get(header);
        if (existing) {
          this.duplicates.push({ section: header, file, line: lineno, first: { file: existing.file, line: existing.line } });
          cursect = existing.values;
        } else if (header === DEFAULT_SECTION) {
          if (this.defaultsAt) this.duplicates.push({ section: header, file, line: lineno, first: this.defaultsAt });
          this.defaultsAt ??= { file, line: lineno };
          cursect = this.defaults;
        } else {
          cursect = new Map();
          this.sections.set(header, { name: header, file, line: lineno, values: cursect });
          created.push(header);
        }
        optname = null;
        current = null;
        blockKeys = new Set();
        currentSection = header;
        continue;
      }
      if (!cursect) {
        throw new ConfigError(
          `File contains no section headers. file: ${pyRepr(file)}, line: ${lineno} ${shownLine(normalized.slice(start, end))}`,
        );
      }
      const delim = firstDelimiter(value);
      if (delim < 0) {
        badLine(lineno, normalized.slice(start, end));
        continue;
      }
      const rawName = value.slice(0, delim);
      if (!pyStrip(rawName)) badLine(lineno, normalized.slice(start, end));
      optname = pyRstrip(rawName).toLowerCase();
      const earlier = cursect.get(optname);
      if (earlier && blockKeys.has(optname)) {
        this.duplicates.push({
          section: currentSection,
          key: optname,
          file,
          line: lineno,
          first: { file: earlier.file, line: earlier.line },
        });
      }
      blockKeys.add(optname);
      const target: IniValue = { value: '', file, line: lineno };
      current = { target, parts: [pyStrip(value.slice(delim + 1))] };
      pending.push(current);
      cursect.set(optname, target);
    }

    for (const { target, parts } of pending) target.value = pyRstrip(parts.join('\n'));
    if (badLines.length > 0) {
      const listed = badLines.map(([n, l]) => ` [line ${String(n).padStart(2)}]: ${shownLine(l)}`).join('');
      const more = moreBadLines > 0 ? ` and ${moreBadLines} more bad line${moreBadLines === 1 ? '' : 's'}` : '';
      throw new ConfigError(`Source contains parsing errors: ${pyRepr(file)}${listed}${more}`);
    }
    return created;
  }
}

/** A bad line as configparser shows it (repr), cut short when it is long (a binary file's). */
function shownLine(line: string): string {
  return line.length > SHOWN_LINE_LENGTH ? `${pyRepr(line.slice(0, SHOWN_LINE_LENGTH))}...` : pyRepr(line);
}

/**
 * Where a comment starts, or null. An inline prefix counts only at the start or after whitespace.
 * configparser scans in rounds (the n-th occurrence of each prefix per round) and stops at the first
 * round that finds one; mirrored exactly because it decides odd lines like `a=b#c #d ;e`.
 */
function findCommentStart(line: string): number | null {
  // Most lines have neither prefix: no rounds then (this runs for every line, supervisorctl too).
  if (!PREFIX_PATTERN.test(line)) return null;
  let start = Infinity;
  let positions = new Map<string, number>(INLINE_COMMENT_PREFIXES.map((p) => [p, -1]));
  while (start === Infinity && positions.size > 0) {
    const next = new Map<string, number>();
    for (const [prefix, from] of positions) {
      const index = line.indexOf(prefix, from + 1);
      if (index === -1) continue;
      next.set(prefix, index);
      if (index === 0 || isPySpace(line[index - 1]!)) start = Math.min(start, index);
    }
    positions = next;
  }
  const stripped = pyStrip(line);
  if (COMMENT_PREFIXES.some((p) => stripped.startsWith(p))) start = 0;
  return start === Infinity ? null : start;
}

function firstNonSpace(line: string): number {
  if (!isPySpace(line[0]!)) return 0;
  for (let i = 1; i < line.length; i++) if (!isPySpace(line[i]!)) return i;
  return 0;
}

/** `[name]` at the start of the line; anything after the last ']' is ignored, as configparser does. */
function matchHeader(value: string): string | null {
  if (!value.startsWith('[')) return null;
  const close = value.lastIndexOf(']');
  return close >= 2 ? value.slice(1, close) : null;
}

function firstDelimiter(value: string): number {
  const eq = value.indexOf('=');
  const colon = value.indexOf(':');
  if (eq < 0) return colon;
  if (colon < 0) return eq;
  return Math.min(eq, colon);
}
