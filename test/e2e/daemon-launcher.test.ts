// supervisord as installed is a small CommonJS launcher (cli/supervisord-launcher.cts) that runs
// the daemon's CommonJS build: a whole life of the daemon (start, a program, XML-RPC calls
// answered by its lazily loaded chunk, stop) never starts Node's ES module loader, which would
// stay resident; and without the build the launcher runs tsc's module beside it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { apiConfig } from '../harness/config-text.js';
import { Daemon, terminate, underTest } from '../harness/daemon.js';
import { asArray, call, unixTarget } from '../harness/rpc.js';
import { builtCli } from '../paths.js';

const LAUNCHER = builtCli('supervisord');

describe('supervisord launcher (ours)', { skip: underTest !== 'ours' ? 'our build only' : false }, () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sv-daemon-launcher-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("runs the daemon without ever starting Node's ES module loader", async () => {
    // Node's list of the internal modules it loaded, written when the daemon exits.
    const listFile = path.join(dir, 'modules.txt');
    const preload = path.join(dir, 'list-modules.cjs');
    writeFileSync(
      preload,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(listFile)}, process.moduleLoadList.join('\\n')));\n`,
    );
    const d = Daemon.start(apiConfig({ body: '[program:sleeper]\ncommand=sleep 1000\nstartsecs=0' }), {
      env: { NODE_OPTIONS: `--require ${preload}` },
    });
    try {
      await d.waitForLine(/success: sleeper entered RUNNING state/);
      assert.equal(asArray(await call(unixTarget(d), 'supervisor.getAllConfigInfo')).length, 1);
      assert.equal(await terminate(d), 0);
    } finally {
      await d.teardown();
    }
    const loaded = readFileSync(listFile, 'utf8').split('\n');
    assert.ok(loaded.includes('NativeModule net'), 'the list is the daemon’s');
    // What the loader loads once it runs a module (each ES module is a job), and the
    // fs.promises it brings, which the daemon's own code does not use either.
    for (const name of ['internal/modules/esm/module_job', 'internal/modules/esm/translators', 'internal/fs/promises']) {
      assert.ok(!loaded.includes(`NativeModule ${name}`), `${name} was loaded`);
    }
  });

  it('every chunk of the build is strict-mode code, as the ES modules it was made of', () => {
    const chunks = path.join(path.dirname(LAUNCHER), 'chunks', 'supervisord');
    const files = readdirSync(chunks).filter((name) => name.endsWith('.js'));
    assert.ok(files.length > 0, 'the build has chunks');
    for (const name of files) assert.ok(readFileSync(path.join(chunks, name), 'utf8').startsWith('"use strict";'), name);
  });

  it("without the build (a plain tsc build) runs tsc's module beside it", () => {
    const at = path.join(dir, 'tsc-only');
    mkdirSync(at);
    copyFileSync(LAUNCHER, path.join(at, path.basename(LAUNCHER)));
    writeFileSync(path.join(at, 'supervisord.js'), "process.stdout.write('the module ran\\n');\n");
    const run = spawnSync(process.execPath, [path.join(at, path.basename(LAUNCHER)), '-h'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, 'the module ran\n');
  });
});
