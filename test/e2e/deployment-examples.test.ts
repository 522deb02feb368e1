// End-to-end: the deployment examples work as written. examples/systemd/supervisord.service is
// a unit systemd-analyze accepts whose ExecStart, ExecReload and stop do what its comments say
// under a notify socket; examples/container/supervisord.conf passes --check and, run as the
// Dockerfile's ENTRYPOINT runs it, puts the activity log (once) and the programs' output on
// stdout. Only its /run paths move into the test's directory. Ours only.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openNotifySocket, type NotifyAssignment } from '../../actors/probes/notify-socket.js';
import { builtCli, repoRoot } from '../paths.js';
import { supervisordSection } from '../harness/config-text.js';
import { terminate, underTest, withDaemon } from '../harness/daemon.js';
import { haveCommand, isRoot } from '../harness/daemon-runs.js';
import { STEP_TIMEOUT, waitUntil } from '../harness/wait.js';

const dir = mkdtempSync(path.join(tmpdir(), 'sv-e2e-deploy-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const example = (file: string) => readFileSync(path.join(repoRoot, 'examples', file), 'utf8');

/** The value of a unit file's key in [Service]. */
function serviceKey(unit: string, key: string): string {
  const line = unit.split('\n').find((l) => l.startsWith(`${key}=`));
  assert.ok(line, `the unit sets ${key}=`);
  return line.slice(key.length + 1);
}

describe(`e2e deployment examples (${underTest})`, { concurrency: true, skip: underTest === 'ours' ? false : 'ours only' }, () => {
  it(
    'examples/systemd: systemd-analyze accepts the unit',
    { skip: haveCommand('systemd-analyze') ? false : 'needs systemd-analyze' },
    () => {
      // Pointed at the built daemon: systemd-analyze checks that ExecStart's program exists.
      const unit = example('systemd/supervisord.service').replace(
        'ExecStart=/usr/local/bin/supervisord',
        `ExecStart=${process.execPath} ${builtCli('supervisord')}`,
      );
      const file = path.join(dir, 'supervisord.service');
      writeFileSync(file, unit);
      const verify = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
      assert.equal(verify.stderr, '');
      assert.equal(verify.status, 0);
    },
  );

  it('examples/systemd: ExecStart runs in the foreground and says READY=1, ExecReload reloads, a SIGTERM stops it', async () => {
    const unit = example('systemd/supervisord.service');
    assert.equal(serviceKey(unit, 'Type'), 'notify');
    assert.equal(serviceKey(unit, 'ExecReload'), '/bin/kill -HUP $MAINPID');
    assert.equal(serviceKey(unit, 'KillMode'), 'mixed');
    const [program, ...args] = serviceKey(unit, 'ExecStart').split(' ');
    assert.equal(program, '/usr/local/bin/supervisord');
    const socket = await openNotifySocket(path.join(dir, 'systemd.sock'));
    const received: NotifyAssignment[] = [];
    socket.messages.subscribe((a) => received.push(a));
    const count = (key: string) => received.filter((a) => a.key === key).length;
    const config = `${supervisordSection()}[program:sleeper]\ncommand=sleep 1000\n`;
    const rawArgs = args.map((arg) => (arg === '/etc/supervisord.conf' ? '%(tmp)s/supervisord.conf' : arg));
    try {
      await withDaemon(config, { rawArgs, env: { NOTIFY_SOCKET: socket.path } }, async (d) => {
        assert.ok(await waitUntil(() => count('READY') === 1, STEP_TIMEOUT), JSON.stringify(received));
        d.signal('SIGHUP');
        assert.ok(await waitUntil(() => count('READY') === 2 && count('RELOADING') === 1, STEP_TIMEOUT), JSON.stringify(received));
        assert.equal(await terminate(d), 0);
        assert.ok(await waitUntil(() => count('STOPPING') === 1, STEP_TIMEOUT), JSON.stringify(received));
        await d.waitForLine(/stopped: sleeper /);
      });
    } finally {
      await socket.close();
    }
  });

  it('examples/container: --check passes; run as the ENTRYPOINT runs it, its log (once) and the programs go to stdout', async () => {
    const config = (tmp: string) => {
      const text = example('container/supervisord.conf').split('/run/').join(`${tmp}/`);
      // user=root switches nothing for root; anyone else could not switch (the image runs as root).
      return isRoot ? text : text.replace(/^user=root$/m, '');
    };
    const tmp = mkdtempSync(path.join(dir, 'container-'));
    const conf = path.join(tmp, 'supervisord.conf');
    writeFileSync(conf, config(tmp));
    const check = spawnSync(process.execPath, [builtCli('supervisord'), '--check', '-c', conf], { encoding: 'utf8' });
    assert.equal(check.stdout, '');
    assert.equal(check.status, 0, check.stderr);

    await withDaemon(config, { rawArgs: ['-c', '%(tmp)s/supervisord.conf'] }, async (d) => {
      await d.waitForLine(/success: web /);
      await d.waitForLine(/^worker: still working$/);
      assert.equal(d.matching(/supervisord started with pid/).length, 1, 'each activity line once');
      assert.equal(await terminate(d), 0);
      assert.deepEqual(d.list(), ['supervisord.conf'], 'no file left but the configuration');
    });
  });
});
