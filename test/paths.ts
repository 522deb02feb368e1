// Tests run compiled from dist/test/; fixtures and built commands are found from the repo root.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixturesDir = path.join(repoRoot, 'test', 'fixtures');
export const builtCli = (name: string): string => path.join(repoRoot, 'dist', 'cli', `${name}.js`);
