// Shell-style file globbing with the rules of Python's glob.glob, used by [include] files=:
// '*', '?' and '[...]' per path component, hidden names only matched by patterns starting with '.'.
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { pyDirname, pyJoin } from './python.js';

const MAGIC = /[*?[]/;

export function glob(pattern: string): string[] {
  const dir = pyDirname(pattern);
  const base = pattern.slice(pattern.lastIndexOf('/') + 1);
  if (!MAGIC.test(pattern)) {
    if (base ? lexists(pattern) : isDir(dir)) return [pattern];
    return [];
  }
  const dirs = dir && dir !== pattern && MAGIC.test(dir) ? glob(dir) : [dir];
  const out: string[] = [];
  for (const d of dirs) {
    const names = MAGIC.test(base) ? matchInDir(d, base) : lexists(pyJoin(d, base)) || (!base && isDir(d)) ? [base] : [];
    for (const name of names) out.push(pyJoin(d, name));
  }
  return out;
}

function matchInDir(dir: string, pattern: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir || '.');
  } catch {
    return [];
  }
  const re = fnmatchRegExp(pattern);
  return names.filter((n) => (pattern.startsWith('.') || !n.startsWith('.')) && re.test(n));
}

/** fnmatch.translate: the pattern as an anchored regular expression. */
export function fnmatchRegExp(pattern: string): RegExp {
  let re = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i++]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      let j = i;
      if (pattern[j] === '!') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j++;
      if (j >= pattern.length) {
        re += '\\[';
      } else {
        let body = pattern.slice(i, j);
        i = j + 1;
        const negate = body.startsWith('!');
        if (negate) body = body.slice(1);
        re += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^(?:${re})$`, 's');
}

function lexists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p || '.').isDirectory();
  } catch {
    return false;
  }
}
