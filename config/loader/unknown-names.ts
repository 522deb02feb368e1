// Keys and sections the configuration table does not know. The reference ignores them without a
// word, so a typo (autostrat=false, [progam:x]) silently does nothing; we say so, and name the
// closest known name when one is near.
import type { IniValue } from '../ini.js';
import { SECTIONS, sectionSpec } from '../schema/sections.js';
import type { LoadContext } from './context.js';

/**
 * Warns about every unknown section and key. Keys given in [DEFAULT] apply to every section and
 * are not checked; nor are the options of a plug-in section, which belong to its factory, except
 * for the built-in rpcinterface factory's sections (`builtInRpcSections`), which take none.
 */
export function warnAboutUnknownNames(context: LoadContext, builtInRpcSections: ReadonlySet<string>): void {
  for (const section of context.doc.sections.values()) {
    const where = `${context.absolute(section.file)}:${section.line}`;
    const spec = sectionSpec(section.name);
    if (spec === undefined) {
      const candidates = sectionCandidates(section.name);
      const suggestion = closest(section.name, [...candidates.keys()]);
      const didYouMean = suggestion === undefined ? '' : `; did you mean [${candidates.get(suggestion)}]?`;
      context.ownWarnings.push({
        kind: 'unknown-name',
        text: `unknown section [${section.name}] (${where})${didYouMean}`,
        place: { file: context.absolute(section.file), line: section.line, section: section.name },
        reason: `unknown section${didYouMean}`,
      });
      continue;
    }
    if (spec.factoryOptions && !builtInRpcSections.has(section.name)) continue;
    const known = Object.keys(spec.keys);
    for (const [name, value] of unknownKeys(context, section.name, known)) {
      context.ownWarnings.push({
        kind: 'unknown-name',
        text: unknownKeyMessage(context, section.name, name, value, known),
        place: { file: context.absolute(value.file), line: value.line, section: section.name },
        reason: `unknown key '${name}'${unknownKeyHint(name, value, known)}`,
      });
    }
  }
}

/** The section's own keys (not [DEFAULT]'s) missing from `known`, in file order. */
export function unknownKeys(context: LoadContext, section: string, known: readonly string[]): Array<[string, IniValue]> {
  const found: Array<[string, IniValue]> = [];
  for (const [name, value] of context.doc.sections.get(section)?.values ?? []) {
    if (known.includes(name) || isFromDefaults(context, name, value)) continue;
    found.push([name, value]);
  }
  return found;
}

/** "unknown key 'autostrat' in [program:x] (/etc/supervisord.conf:12); did you mean 'autostart'?" */
export function unknownKeyMessage(context: LoadContext, section: string, name: string, value: IniValue, known: readonly string[]): string {
  const where = `${context.absolute(value.file)}:${value.line}`;
  return `unknown key '${name}' in [${section}] (${where})${unknownKeyHint(name, value, known)}`;
}

/** "; did you mean 'autostart'?", or nothing when no known key is near. */
function unknownKeyHint(name: string, value: IniValue, known: readonly string[]): string {
  const suggestion = closest(name, known);
  // configparser reads a header that lost its '[', like `program:x]`, as a key.
  if (value.value.endsWith(']')) return "; is it a section header without its '['?";
  return suggestion === undefined ? '' : `; did you mean '${suggestion}'?`;
}

/** %(here)s substitution copies [DEFAULT] values into the sections; those stay [DEFAULT]'s. */
function isFromDefaults(context: LoadContext, name: string, value: IniValue): boolean {
  const fromDefaults = context.doc.defaults.get(name);
  return fromDefaults !== undefined && fromDefaults.file === value.file && fromDefaults.line === value.line;
}

/**
 * Known section names shaped like `name`, each with how a suggestion shows it: [progam:x] is
 * compared with [program:x], [group:x]...; [program] with [program], shown as [program:NAME].
 */
function sectionCandidates(name: string): Map<string, string> {
  const colon = name.indexOf(':');
  const candidates = new Map<string, string>();
  for (const spec of SECTIONS) {
    if (!spec.name.endsWith(':')) candidates.set(spec.name, spec.name);
    else if (colon < 0) candidates.set(spec.name.slice(0, -1), `${spec.name}NAME`);
    else candidates.set(spec.name + name.slice(colon + 1), spec.name + name.slice(colon + 1));
  }
  return candidates;
}

/** The candidate nearest to `name`, if it is near enough to be a likely typo. */
function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(name.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}
