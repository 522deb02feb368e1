// End-to-end: env_file= (our extension) with a real daemon and a program that prints its
// environment: the order of the daemon's environment, the env files and environment=; a
// required file that is missing as a spawn error, and the file read again at the next start.
// Ours only: the reference ignores the key.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { gaveUp } from '../harness/activity-lines.js';
import { apiConfig, supervisordSection } from '../harness/config-text.js';
import { terminate, underTest, withDaemon } from '../harness/daemon.js';
import { call, callFault, unixTarget, waitForRpc } from '../harness/rpc.js';

/** Prints the T_ variables it was given, sorted, then stays up. */
const PRINTS_ITS_ENVIRONMENT = "command=sh -c 'env | grep ^T_ | sort; exec sleep 1000'";

const complete = (lines: number) => (text: string) => text.split('\n').length > lines;

describe(`e2e env_file= (${underTest})`, { concurrency: true, skip: underTest === 'ours' ? false : 'env_file= is our extension' }, () => {
  it("the child's environment: the daemon's, [supervisord] env_file= and environment=, the program's env_file= (relative, optional) and environment=", async () => {
    const config =
      supervisordSection('env_file=%(here)s/daemon.env\nenvironment=T_B=supervisord') +
      `[program:x]\n${PRINTS_ITS_ENVIRONMENT}\nenv_file=app.env, -missing.env, -local.env\nenvironment=T_E=program\n` +
      'stdout_logfile=%(tmp)s/x.out\nstartsecs=0\n';
    const files = {
      'daemon.env': 'T_A=daemon-file\nT_B=daemon-file\nT_C=daemon-file\n',
      'app.env': '# the application\nT_C=app\nT_D=app\nexport T_E=app\nT_QUOTED="two words"\nT_RAW=%(ENV_HOME)s ${T_A}\n',
      'local.env': 'T_D=local\n',
    };
    await withDaemon(config, { files, env: { T_A: 'daemon', T_B: 'daemon', T_Z: 'daemon' } }, async (d) => {
      await d.waitForLine(/success: x /);
      assert.deepEqual((await d.readWhen('x.out', complete(8))).split('\n'), [
        'T_A=daemon-file',
        'T_B=supervisord',
        'T_C=app',
        'T_D=local',
        'T_E=program',
        'T_QUOTED=two words',
        'T_RAW=%(ENV_HOME)s ${T_A}',
        'T_Z=daemon',
        '',
      ]);
      assert.equal(await terminate(d), 0);
    });
  });

  it('a required file that is missing: a spawn error naming it at each try, then FATAL; once it exists, startProcess reads it', async () => {
    const body = `[program:x]\n${PRINTS_ITS_ENVIRONMENT}\nenv_file=%(here)s/later.env\nstartretries=1\nstdout_logfile=%(tmp)s/x.out\n`;
    await withDaemon(apiConfig({ body }), {}, async (d) => {
      const unix = unixTarget(d);
      await waitForRpc(unix);
      await d.waitForLine(/gave up: x /);
      const spawnerr = "INFO spawnerr: couldn't read env_file %(tmp)s/later.env: ENOENT";
      assert.deepEqual(d.matching(/spawnerr|spawned|gave up/), [spawnerr, spawnerr, gaveUp('x')]);
      assert.deepEqual(await callFault(unix, 'supervisor.startProcess', 'x'), { faultCode: 50, faultString: 'SPAWN_ERROR: x' });

      // That start backs off and gives up again, as any spawn error does.
      await d.waitForCount(/gave up: x /, 2);
      writeFileSync(d.path('later.env'), 'T_VERSION=1\n');
      assert.equal(await call(unix, 'supervisor.startProcess', 'x'), true);
      assert.equal(await d.readWhen('x.out', complete(1)), 'T_VERSION=1\n');
      assert.equal(await terminate(d), 0);
    });
  });
});
