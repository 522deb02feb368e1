// End-to-end: `npm install -g` of a fresh, unbuilt clone (the README's install) builds it first
// (the prepare script) and puts working commands on PATH, so that Python's /usr/bin/supervisord
// does not silently answer instead; `-h` then names this project and its version, `-v` still
// says 4.2.5. Into a temporary prefix, removed afterwards. Needs git and npm (with the packages
// in its cache or a registry).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { underTest } from '../harness/daemon.js';
import { haveCommand } from '../harness/daemon-runs.js';
import { repoRoot } from '../paths.js';

const ownPackage = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };
const skip =
  underTest !== 'ours'
    ? 'installs our package'
    : !existsSync(path.join(repoRoot, '.git'))
      ? 'not a git checkout: nothing to clone'
      : !haveCommand('git') || spawnSync('npm', ['--version']).status !== 0
        ? 'needs git and npm'
        : false;

/** This process's environment without what an outer `npm run` set (its prefix, its script's settings). */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) || /^npm_config_cache$/i.test(name)));
}

describe('e2e npm install -g of a fresh clone (ours)', { skip }, () => {
  it('builds, then installs supervisord, supervisorctl, echo_supervisord_conf, pidproxy and memmon', { timeout: 15 * 60_000 }, () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'sv-e2e-install-'));
    try {
      const clone = path.join(tmp, 'clone');
      const prefix = path.join(tmp, 'prefix');
      execFileSync('git', ['clone', '--quiet', repoRoot, clone], { stdio: 'ignore' });
      assert.equal(existsSync(path.join(clone, 'dist')), false, 'the clone starts unbuilt');
      const env = cleanEnv();
      const install = spawnSync('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', clone], {
        env,
        encoding: 'utf8',
      });
      assert.equal(install.status, 0, `npm install -g failed:\n${install.stdout}\n${install.stderr}`);

      const bin = (name: string) => path.join(prefix, 'bin', name);
      const run = (name: string, ...args: string[]) => spawnSync(bin(name), args, { env, encoding: 'utf8' });
      const help = run('supervisord', '-h');
      assert.equal(help.status, 0, help.stderr);
      assert.match(
        help.stdout,
        new RegExp(`^This is ${ownPackage.name} ${ownPackage.version}, a reimplementation of Supervisor 4\\.2\\.5$`, 'm'),
      );
      assert.match(help.stdout, /--check/);
      assert.equal(run('supervisord', '-v').stdout, '4.2.5\n', 'scripts compare this');
      assert.match(run('echo_supervisord_conf').stdout, /^\[supervisord\]$/m);
      const ctl = run('supervisorctl', '-h');
      assert.equal(ctl.status, 0, ctl.stderr);
      assert.match(ctl.stdout, /supervisorctl/);
      // Without a command pidproxy says how to call it: it runs.
      const pidproxy = run('pidproxy');
      assert.match(pidproxy.stdout + pidproxy.stderr, /^Usage: pidproxy /m);
      const memmon = run('memmon', '-h');
      assert.match(memmon.stdout + memmon.stderr, /memmon/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
