// `npm run diagrams`: writes a Mermaid and a DOT diagram of every machine into the given folder.
import fs from 'node:fs';
import path from 'node:path';
import { toDot, toMermaid } from './diagram-formats.js';
import { machines } from './index.js';

/** File name → content of every diagram; the staleness test compares these with docs/diagrams. */
export function renderDiagrams(): Map<string, string> {
  const files = new Map<string, string>();
  for (const [name, machine] of Object.entries(machines)) {
    files.set(`${name}.mmd`, toMermaid(machine));
    files.set(`${name}.dot`, toDot(machine, name));
  }
  return files;
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const dir = process.argv[2] ?? 'docs/diagrams';
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, content] of renderDiagrams()) {
    fs.writeFileSync(path.join(dir, file), content);
    console.log(`wrote ${path.join(dir, file)}`);
  }
}
