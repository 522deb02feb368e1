// Sections and keys given twice. configparser (as the reference configures it) merges them
// without a word, and configs in the wild may rely on that, so they still load; but a second
// [program:x] in another file, or a key written twice, is more often an accident, so we warn.
import type { LoadContext } from './context.js';

export function warnAboutDuplicates(context: LoadContext): void {
  for (const { section, key, file, line, first } of context.doc.duplicates) {
    const where = `${context.absolute(file)}:${line}; first at ${context.absolute(first.file)}:${first.line}`;
    if (key !== undefined) {
      context.ownWarnings.push({ kind: 'duplicate', text: `duplicate key '${key}' in [${section}] (${where}): the later value wins` });
    } else if (section !== 'include' || file === first.file) {
      // Each included file may have its own [include] (we follow them): that is no duplicate.
      context.ownWarnings.push({ kind: 'duplicate', text: `duplicate section [${section}] (${where}): merged, the later keys win` });
    }
  }
}
