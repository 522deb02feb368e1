// SupervisedProcess in-process with env_file= (our extension), on a fake system and real files:
// the order in which the environment is built, files read again at each spawn, and a file that
// cannot be read as a spawn error like any other.
import { after, afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { disposeSupervised, supervised } from '../harness/supervised-process.js';

afterEach(disposeSupervised);

const dir = mkdtempSync(path.join(os.tmpdir(), 'process-env-files-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `text` into the temp dir as `name`; returns its path. */
function envFile(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

const required = (file: string) => ({ path: file, optional: false });
const optional = (file: string) => ({ path: file, optional: true });

describe('SupervisedProcess: env_file=', () => {
  it("builds the environment: daemon's, [supervisord] env_file= then environment=, SUPERVISOR_*, the program's env_file= then environment=", () => {
    const daemonFile = envFile('daemon.env', 'A=daemon-file\nB=daemon-file\nC=daemon-file\nSUPERVISOR_ENABLED=no\n');
    const first = envFile('first.env', '# comment\nexport C=first\nD=first\nE=first\nQUOTED="two words"\n');
    const second = envFile('second.env', 'D=second\nRAW=${A} %(ENV_HOME)s\n');
    const { system, process } = supervised(
      { envFiles: [required(first), optional(path.join(dir, 'absent.env')), optional(second)], environment: { E: 'program' } },
      {
        baseEnv: { PATH: '/usr/bin:/bin', HOME: '/root', A: 'daemon' },
        supervisord: { envFiles: [required(daemonFile)], environment: { B: 'supervisord' }, childlogdir: dir, identifier: 'supervisor' },
      },
    );
    process.start();
    assert.equal(process.state, 'STARTING');
    assert.deepEqual(system.spawns[0]?.options.env, {
      PATH: '/usr/bin:/bin',
      HOME: '/root',
      A: 'daemon-file',
      B: 'supervisord',
      C: 'first',
      D: 'second',
      E: 'program',
      QUOTED: 'two words',
      // Nothing in a file is expanded.
      RAW: '${A} %(ENV_HOME)s',
      SUPERVISOR_ENABLED: '1',
      SUPERVISOR_SERVER_URL: 'unix:///run/supervisor.sock',
      SUPERVISOR_PROCESS_NAME: 'x',
      SUPERVISOR_GROUP_NAME: 'g',
    });
  });

  it('reads the files again at each spawn', async () => {
    const file = envFile('changing.env', 'VERSION=1\n');
    const { system, process, running } = supervised({ envFiles: [required(file)] });
    running();
    process.stop();
    await system.child.die(null, 'SIGTERM');
    assert.equal(process.state, 'STOPPED');
    writeFileSync(file, 'VERSION=2\n');
    process.start();
    assert.deepEqual(
      system.spawns.map((spawn) => spawn.options.env?.['VERSION']),
      ['1', '2'],
    );
  });

  it("a required file that is missing is a spawn error naming it, at each try, until FATAL; the daemon's too", () => {
    const missing = path.join(dir, 'missing.env');
    const { system, process, log } = supervised({ envFiles: [required(missing)], startretries: 1 });
    process.start();
    assert.equal(system.spawns.length, 0);
    assert.equal(process.state, 'BACKOFF');
    assert.equal(process.snapshot().spawnerr, `couldn't read env_file ${missing}: ENOENT`);
    system.advance(1000);
    assert.equal(process.state, 'FATAL');
    assert.deepEqual(log.at('info'), [
      `spawnerr: couldn't read env_file ${missing}: ENOENT`,
      `spawnerr: couldn't read env_file ${missing}: ENOENT`,
      'gave up: x entered FATAL state, too many start retries too quickly',
    ]);

    const daemon = supervised(
      {},
      { supervisord: { envFiles: [required(missing)], environment: {}, childlogdir: dir, identifier: 'supervisor' } },
    );
    daemon.process.start();
    assert.equal(daemon.process.snapshot().spawnerr, `couldn't read env_file ${missing}: ENOENT`);
  });

  it('an optional file that exists but cannot be read is still a spawn error', () => {
    const directory = path.join(dir, 'a-directory.env');
    mkdirSync(directory);
    const { system, process } = supervised({ envFiles: [optional(directory)] });
    process.start();
    assert.equal(system.spawns.length, 0);
    assert.equal(process.snapshot().spawnerr, `couldn't read env_file ${directory}: not a regular file`);
  });

  it('a fifo is refused at once, without waiting for a writer', () => {
    const fifo = path.join(dir, 'fifo.env');
    execFileSync('mkfifo', [fifo]);
    const { process } = supervised({ envFiles: [required(fifo)] });
    process.start();
    assert.equal(process.snapshot().spawnerr, `couldn't read env_file ${fifo}: not a regular file`);
  });

  it("startProcess's command check leaves an unreadable file to the spawn, and finds the command on a file's PATH", () => {
    const missing = supervised({ envFiles: [required(path.join(dir, 'missing.env'))] });
    assert.doesNotThrow(() => missing.process.checkCommand());
    const elsewhere = supervised({ command: 'true', envFiles: [required(envFile('path.env', 'PATH=/nonexistent\n'))] });
    assert.throws(() => elsewhere.process.checkCommand(), { code: 'COMMAND_NOT_FOUND' });
  });
});
