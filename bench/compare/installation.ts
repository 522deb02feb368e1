// Where the two daemons being compared, their supervisorctls and Python are.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type Kind = 'reference' | 'ours';
/** The reference first, in every interleaved measurement. */
export const KINDS: readonly Kind[] = ['reference', 'ours'];

/** This file is dist/bench/compare/installation.js once built. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const OURS_DAEMON = path.join(repoRoot, 'dist', 'cli', 'supervisord-launcher.cjs');
/** Our supervisorctl as installed: what package.json's bin runs. */
export const OURS_CTL = path.join(
  repoRoot,
  (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { bin: { supervisorctl: string } }).bin.supervisorctl,
);
export const REFERENCE_DAEMON = '/usr/bin/supervisord';
export const REFERENCE_CTL = '/usr/bin/supervisorctl';
export const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
