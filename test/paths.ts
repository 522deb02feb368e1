// Tests run compiled from dist/test/; fixtures and built commands are found from the repo root.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { readFileSync } from 'node:fs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixturesDir = path.join(repoRoot, 'test', 'fixtures');
const bins = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin;
/** A command as installed: the file package.json's bin gives for it (supervisorctl: a .cjs launcher). */
export function builtCli(name: string): string {
  const file = bins[name];
  if (file === undefined) throw new Error(`package.json has no bin ${name}`);
  return path.join(repoRoot, file);
}
