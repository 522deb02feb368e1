// Sections and keys given twice. configparser (as the reference configures it) merges them
// without a word, and configs in the wild may rely on that, so they still load; but a second
// [program:x] in another file, or a key written twice, is more often an accident, so we warn.
import type { LoadContext } from './context.js';

export function warnAboutDuplicates(context: LoadContext): void {
  for (const { section, key, file, line, first } of context.doc.duplicates) {
    const firstAt = `first at ${context.absolute(first.file)}:${first.line}`;
    const where = `${context.absolute(file)}:${line}; ${firstAt}`;
    const place = { file: context.absolute(file), line, section };
    if (key !== undefined) {
      const text = `duplicate key '${key}' in [${section}] (${where}): the later value wins`;
      context.ownWarnings.push({ kind: 'duplicate', text, place, reason: `duplicate key '${key}' (${firstAt}): the later value wins` });
    } else if (section !== 'include' || file === first.file) {
      // Each included file may have its own [include] (we follow them): that is no duplicate.
      const text = `duplicate section [${section}] (${where}): merged, the later keys win`;
      context.ownWarnings.push({ kind: 'duplicate', text, place, reason: `duplicate section (${firstAt}): merged, the later keys win` });
    }
  }
}
