// supervisorctl as installed is a small CommonJS launcher (cli/supervisorctl-launcher.cts) that
// runs the bundle with the V8 code cache the build made: this Node accepts that cache, and the
// launcher still runs the command without it, with one V8 rejects, and without the bundle.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Launcher from '../../cli/supervisorctl-launcher.cjs';
import { underTest } from '../harness/daemon.js';
import { builtCli } from '../paths.js';

const LAUNCHER = builtCli('supervisorctl');
const launcher = createRequire(import.meta.url)(LAUNCHER) as typeof Launcher;

describe('supervisorctl launcher (ours)', { skip: underTest !== 'ours' ? 'our build only' : false }, () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sv-ctl-launcher-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** The launcher copied into a directory of its own with the given files; `supervisorctl -h` there. */
  function helpFrom(name: string, files: Record<string, string | Buffer>): ReturnType<typeof spawnSync> {
    const at = path.join(dir, name);
    rmSync(at, { recursive: true, force: true });
    mkdirSync(at);
    copyFileSync(LAUNCHER, path.join(at, path.basename(LAUNCHER)));
    for (const [file, content] of Object.entries(files)) writeFileSync(path.join(at, file), content);
    return spawnSync(process.execPath, [path.join(at, path.basename(LAUNCHER)), '-h'], { encoding: 'utf8' });
  }

  it('the code cache the build made is one this Node accepts', () => {
    const script = launcher.compileBundle(readFileSync(launcher.BUNDLE, 'utf8'), readFileSync(launcher.CODE_CACHE));
    assert.equal(script.cachedDataRejected, false);
  });

  it('the bundle is strict-mode code: the build puts nothing before its "use strict"', () => {
    assert.ok(readFileSync(launcher.BUNDLE, 'utf8').startsWith('"use strict";'));
  });

  it('runs the bundle without a code cache, and with one V8 rejects', () => {
    const bundle = readFileSync(launcher.BUNDLE);
    for (const [name, files] of [
      ['no-cache', { 'supervisorctl-bundle.cjs': bundle }],
      ['bad-cache', { 'supervisorctl-bundle.cjs': bundle, 'supervisorctl-bundle.cjs.v8cache': Buffer.alloc(4096, 7) }],
    ] as const) {
      const run = helpFrom(name, files);
      assert.equal(run.status, 0, `${name}: ${run.stderr}`);
      assert.match(String(run.stdout), /^supervisorctl: control the processes of a running supervisord\./m, name);
    }
  });

  it("without the bundle (a plain tsc build) runs tsc's module beside it", () => {
    const run = helpFrom('tsc-only', { 'supervisorctl.js': "process.stdout.write('the module ran\\n');\n" });
    assert.equal(run.status, 0, String(run.stderr));
    assert.equal(run.stdout, 'the module ran\n');
  });
});
