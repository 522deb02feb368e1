// A command's PATH search joins each entry to the program as the reference's os.path.join does:
// no normalising, so that a relative entry's ./bin/prog stays a path (exec would look a bare
// word up in PATH again).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveCommand } from '../../actors/command-line.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'command-line-'));
fs.mkdirSync(path.join(dir, 'bin'));
fs.writeFileSync(path.join(dir, 'bin', 'prog'), '#!/bin/sh\n', { mode: 0o755 });
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('an entry ending in a slash gets no second one; a doubled slash is kept', () => {
  assert.equal(resolveCommand('prog a', { PATH: `${dir}/nothing:${dir}/bin/` }).filename, `${dir}/bin/prog`);
  assert.equal(resolveCommand('prog', { PATH: `${dir}//bin` }).filename, `${dir}//bin/prog`);
});

test('a relative entry gives a relative path, not a bare word', () => {
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    assert.deepEqual(resolveCommand('prog x', { PATH: './bin' }), { filename: './bin/prog', argv: ['prog', 'x'] });
  } finally {
    process.chdir(cwd);
  }
});
