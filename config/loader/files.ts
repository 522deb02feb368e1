// Reading the main file and the files its [include] names into one document.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expand } from '../expand.js';
import { glob } from '../glob.js';
import { IniDocument, type IniValue } from '../ini.js';
import { pyJoin, pySplitWhitespace } from '../python.js';
import { ConfigError } from '../types.js';
import type { LoadContext, Vars } from './context.js';

export function readFiles(context: LoadContext): void {
  const abs = context.absolute(context.file);
  if (!existsSync(abs)) throw new ConfigError(`could not find config file ${context.file}`);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch {
    throw new ConfigError(`could not read config file ${context.file}`);
  }
  context.doc.read(text, context.file);
  context.files.push(abs);
  if (!context.doc.has('include')) return;

  expandHere(context, context.here);
  const filesValue = context.doc.get('include', 'files');
  if (!filesValue) {
    throw new ConfigError('.ini file has [include] section, but no files setting', { where: context.sectionWhere('include') });
  }
  includeFiles(context, filesValue, context.here, new Set(context.files));
}

/**
 * Reads the files an [include] names, relative to the including file's directory. Unlike the
 * reference, an included file's own [include] is followed too (each file once, so a cycle
 * ends), as our users asked; a file without one reads exactly as with the reference.
 */
function includeFiles(context: LoadContext, filesValue: IniValue, here: string, seen: Set<string>): void {
  const where = `[include] files= at ${context.absolute(filesValue.file)}:${filesValue.line}`;
  const vars: Vars = new Map([['here', here], ['host_node_name', context.hostname], ...context.envVars]);
  const patterns = context.at(
    () => where,
    () => pySplitWhitespace(expand(filesValue.value, vars, 'include.files')),
  );
  for (const relative of patterns) {
    const pattern = pyJoin(here, relative);
    const matches = glob(pattern);
    if (matches.length === 0) {
      context.warnings.push(`No file matches via include "${pattern}"`);
      continue;
    }
    for (const match of matches.sort()) {
      const absolute = context.absolute(match);
      if (seen.has(absolute)) continue;
      seen.add(absolute);
      context.infos.push(`Included extra file "${match}" during parsing`);
      let included: string;
      try {
        included = readFileSync(match, 'utf8');
      } catch {
        continue; // configparser silently skips files it cannot open
      }
      const own = new IniDocument();
      own.read(included, match);
      context.doc.read(included, match);
      context.files.push(absolute);
      expandHere(context, path.dirname(absolute));
      const nested = own.get('include', 'files');
      if (nested) includeFiles(context, nested, path.dirname(absolute), seen);
    }
  }
}

/**
 * With an [include] section the reference substitutes %(here)s textually after each file is read,
 * so each file's values see that file's directory. DEFAULT values are copied into the sections.
 */
function expandHere(context: LoadContext, here: string): void {
  const marker = '%(here)s';
  const { doc } = context;
  for (const section of doc.sections.values()) {
    for (const key of doc.options(section.name)) {
      const v = doc.get(section.name, key)!;
      if (v.value.includes(marker)) section.values.set(key, { ...v, value: v.value.split(marker).join(here) });
    }
  }
}
