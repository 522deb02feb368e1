// Reading the main file and the files its [include] names into one document.
import { existsSync, readFileSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { describeError, systemErrorCode } from '../../common/errors.js';
import { expand } from '../expand.js';
import { glob } from '../glob.js';
import { IniDocument, type IniValue } from '../ini.js';
import { pyJoin, pySplitWhitespace } from '../python.js';
import { ConfigError, describePlace, type Place } from '../types.js';
import { decodeConfigText } from '../utf8.js';
import type { LoadContext, Vars } from './context.js';

export function readFiles(context: LoadContext): void {
  const abs = context.absolute(context.file);
  if (!existsSync(abs)) throw new ConfigError(`could not find config file ${context.file}`);
  let bytes: Buffer;
  let stats: Stats;
  try {
    bytes = readFileSync(abs);
    stats = statSync(abs);
  } catch {
    throw new ConfigError(`could not read config file ${context.file}`);
  }
  context.attempt(
    () => parse(context, context.doc, decodeConfigText(bytes, abs), context.file),
    () => undefined,
  );
  context.files.push(abs);
  if (!context.doc.has('include')) return;

  expandHere(context, context.here);
  const filesValue = context.doc.get('include', 'files');
  if (!filesValue) {
    context.refuse(new ConfigError('.ini file has [include] section, but no files setting', { where: context.sectionWhere('include') }));
    return;
  }
  includeFiles(context, filesValue, context.here, new Map([[identity(stats), abs]]));
}

/**
 * Reads the files an [include] names, relative to the including file's directory. Unlike the
 * reference, an included file's own [include] is followed too, as our users asked; a file
 * without one reads exactly as with the reference. Each file is read once (the reference
 * merges a file included twice, the main one too, a second time): a cycle ends, with a warning.
 * `read` maps each file read so far (by identity) to the path it was read as.
 */
function includeFiles(context: LoadContext, filesValue: IniValue, here: string, read: Map<string, string>): void {
  const where: Place = { file: context.absolute(filesValue.file), line: filesValue.line, section: 'include', key: 'files' };
  const vars: Vars = new Map([['here', here], ['host_node_name', context.hostname], ...context.envVars]);
  const patterns = context.attempt(
    () =>
      context.at(
        () => where,
        () => pySplitWhitespace(expand(filesValue.value, vars, 'include.files')),
      ),
    () => [],
  );
  for (const relative of patterns) {
    const pattern = pyJoin(here, relative);
    const matches = glob(pattern);
    if (matches.length === 0) {
      context.warnings.push(`No file matches via include "${pattern}"`);
      continue;
    }
    for (const match of matches.sort())
      context.attempt(
        () => includeFile(context, match, where, read),
        () => undefined,
      );
  }
}

/** Reads one file an [include] matched, then the files its own [include] names. */
function includeFile(context: LoadContext, match: string, where: Place, read: Map<string, string>): void {
  // configparser skips a file it cannot open without a word; a directory matched by
  // conf.d/* or a file we may not read would then be missing from the configuration unnoticed.
  const unreadable = (reason: string) => new ConfigError(`could not read config file ${match}: ${reason}`, { where });
  let stats: Stats;
  try {
    stats = statSync(match);
  } catch (err) {
    throw unreadable(whyUnreadable(err));
  }
  if (stats.isDirectory()) throw unreadable('is a directory');
  if (!stats.isFile()) throw unreadable('not a regular file');
  const absolute = context.absolute(match);
  const readAs = read.get(identity(stats));
  if (readAs !== undefined) {
    const as = readAs === absolute ? '' : ` as "${readAs}"`;
    const reason = `not including "${match}": already read${as}`;
    context.ownWarnings.push({ kind: 'repeated-include', text: `${reason} (${describePlace(where)})`, place: where, reason });
    return;
  }
  read.set(identity(stats), absolute);
  context.infos.push(`Included extra file "${match}" during parsing`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(match);
  } catch (err) {
    throw unreadable(whyUnreadable(err));
  }
  const included = decodeConfigText(bytes, absolute);
  parse(context, context.doc, included, match);
  // Only for its own [include]. Its errors are those parse() just threw, or, when collecting, kept.
  const own = new IniDocument();
  try {
    own.read(included, match);
  } catch {
    // kept already
  }
  context.files.push(absolute);
  expandHere(context, path.dirname(absolute));
  const nested = own.get('include', 'files');
  if (nested) includeFiles(context, nested, path.dirname(absolute), read);
}

/**
 * Reads one file's text into `doc`. When collecting errors, each malformed line is an error of
 * its own, at its line, and what could be read is kept.
 */
function parse(context: LoadContext, doc: IniDocument, text: string, file: string): void {
  const known = doc.malformedLines.length;
  try {
    doc.read(text, file);
  } catch (err) {
    if (!(err instanceof ConfigError) || !context.collecting) throw err;
    const malformed = doc.malformedLines.slice(known);
    if (malformed.length === 0) context.refuse(err.locatedAt({ file: context.absolute(file) }));
    for (const { line, shown } of malformed) {
      context.refuse(new ConfigError(`Source contains parsing errors: ${shown}`, { where: { file: context.absolute(file), line } }));
    }
  }
}

/** The same file under another name (a symbolic link, `..`) is the same file. */
function identity(stats: Stats): string {
  return `${stats.dev}:${stats.ino}`;
}

function whyUnreadable(err: unknown): string {
  switch (systemErrorCode(err)) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    default:
      return describeError(err);
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
