// Many hosts, one view (ours): three daemons on loopback, each with its own credentials, two of
// ours (alpha, the local one, and bravo on a unix socket) and Python Supervisor 4.2.5 (papa, on
// TCP), plus a section for bravo with a wrong password. Our supervisorctl over all of them
// (status, --json, actions on one host, completion of host names), the real supervisorctl and
// supervisord unbothered by the sections, alpha's dashboard in headless Chromium, then papa
// killed and bravo frozen mid-test: the others still answer.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { complete } from '../../cli/ctl/completion.js';
import { Supervisorctl } from '../../cli/ctl/controller.js';
import { parseCommandLine, resolveSettings } from '../../cli/ctl/options.js';
import { CHROMIUM, CHROMIUM_ARGS, chromiumMissing } from '../harness/chromium.js';
import { supervisordSection } from '../harness/config-text.js';
import { ourCtl } from '../harness/ctl.js';
import { Daemon, REFERENCE_BIN, underTest } from '../harness/daemon.js';
import { freePort } from '../harness/http-servers.js';
import { ctl as pythonCtl } from '../harness/python-ctl.js';
import { eventually } from '../harness/wait.js';
import { repoRoot } from '../paths.js';

const ALPHA = { username: 'alice', password: 'alpha-pass' };
const BRAVO = { username: 'bob', password: 'bravo:pass' };
const PAPA = { username: 'pat', password: 'papa-pass' };
const UI_TIMEOUT = 20_000;
const SCREENSHOT = path.join(repoRoot, 'docs', 'screenshots', 'web-ui-fleet.png');
const WRITE_SCREENSHOTS = process.env['WRITE_SCREENSHOTS'] === '1';

const skip =
  underTest === 'reference'
    ? 'starts both daemons itself (SUPERVISORD_UNDER_TEST=reference)'
    : !existsSync(REFERENCE_BIN)
      ? `${REFERENCE_BIN} is not installed (apt-get install -y supervisor)`
      : false;

const rpcSections = (auth: { username: string; password: string }) =>
  `username=${auth.username}\npassword=${auth.password}\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n`;

/** Name, state, and the column the state starts at, of each status line. */
function rows(stdout: string): Array<{ name: string; state: string; description: string; column: number }> {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const m = /^(\S+)( +)(\S+) *(.*)$/.exec(line);
      assert.ok(m, line);
      return { name: m[1]!, state: m[3]!, description: m[4]!, column: m[1]!.length + m[2]!.length };
    });
}

const card = (page: Page, host: string) => page.locator(`section.remote[data-host="${host}"]`);
const remoteState = (page: Page, host: string, namespec: string) => card(page, host).locator(`tr[data-name="${namespec}"] .state`);

describe('a fleet: two daemons of ours and Python Supervisor', { skip, concurrency: false, timeout: 300_000 }, () => {
  let alpha: Daemon;
  let bravo: Daemon;
  let papa: Daemon;
  let papaPort = 0;
  let alphaPort = 0;
  const ctl = (...args: string[]) => ourCtl(['-c', alpha.configPath, ...args]);
  /** Bravo as seen by itself, for checking what an action through the fleet did. */
  const bravoStatus = async () =>
    rows((await ourCtl(['-s', `unix://${bravo.path('b.sock')}`, '-u', BRAVO.username, '-p', BRAVO.password, 'status'])).stdout);

  before(async () => {
    papaPort = await freePort();
    alphaPort = await freePort();
    bravo = Daemon.start(
      [
        supervisordSection('identifier=bravo'),
        '[unix_http_server]',
        'file=%(tmp)s/b.sock',
        rpcSections(BRAVO),
        '[program:api]',
        'command=sleep 1000',
        '[program:worker]',
        'command=sleep 1001',
        'numprocs=2',
        'process_name=%(program_name)s_%(process_num)s',
      ].join('\n'),
    );
    // The real supervisord starts with a [supervisorctl:NAME] section and ignores it.
    papa = Daemon.start(
      [
        supervisordSection('identifier=papa'),
        '[inet_http_server]',
        `port=127.0.0.1:${papaPort}`,
        rpcSections(PAPA),
        '[program:legacy]',
        'command=sleep 1002',
        '[supervisorctl:elsewhere]',
        'serverurl=http://127.0.0.1:9',
      ].join('\n'),
      { daemon: 'reference' },
    );
    alpha = Daemon.start(
      [
        supervisordSection('identifier=alpha'),
        '[inet_http_server]',
        `port=127.0.0.1:${alphaPort}`,
        `username=${ALPHA.username}`,
        `password=${ALPHA.password}`,
        '[unix_http_server]',
        'file=%(tmp)s/a.sock',
        rpcSections(ALPHA),
        '[supervisorctl]',
        'serverurl=unix://%(tmp)s/a.sock',
        `username=${ALPHA.username}`,
        `password=${ALPHA.password}`,
        '[supervisorctl:bravo]',
        `serverurl=unix://${bravo.path('b.sock')}`,
        `username=${BRAVO.username}`,
        `password=${BRAVO.password}`,
        '[supervisorctl:papa]',
        `serverurl=http://127.0.0.1:${papaPort}`,
        `username=${PAPA.username}`,
        `password=${PAPA.password}`,
        '[supervisorctl:wrong]',
        `serverurl=unix://${bravo.path('b.sock')}`,
        `username=${BRAVO.username}`,
        'password=not-it',
        '[program:sleeper]',
        'command=sleep 1003',
      ].join('\n'),
    );
    await Promise.all([
      alpha.waitForLine(/success: sleeper entered RUNNING/),
      bravo.waitForLine(/success: api entered RUNNING/),
      bravo.waitForCount(/success: worker_\d entered RUNNING/, 2),
      papa.waitForLine(/success: legacy entered RUNNING/),
    ]);
  });

  after(async () => {
    await Promise.all([alpha?.teardown(), bravo?.teardown(), papa?.teardown()]);
  });

  it('status: every daemon, the default one unprefixed, then each host by name; a host refusing the credentials is a row', async () => {
    const r = await ctl('status');
    assert.equal(r.code, 4, r.stdout + r.stderr);
    const lines = rows(r.stdout);
    assert.deepEqual(
      lines.map(({ name, state }) => [name, state]),
      [
        ['sleeper', 'RUNNING'],
        ['bravo:api', 'RUNNING'],
        ['bravo:worker:worker_0', 'RUNNING'],
        ['bravo:worker:worker_1', 'RUNNING'],
        ['papa:legacy', 'RUNNING'],
        ['wrong', 'DENIED'],
      ],
    );
    assert.ok(lines.every((line) => line.column === 33));
    assert.equal(lines[5]!.description, `unix://${bravo.path('b.sock')} refused the credentials (HTTP 401 Unauthorized)`);

    // -H: just those hosts (not the default daemon); all RUNNING, so 0.
    const some = await ctl('-H', 'papa,bravo', 'status');
    assert.equal(some.code, 0, some.stdout + some.stderr);
    assert.deepEqual(
      rows(some.stdout).map((line) => line.name),
      ['bravo:api', 'bravo:worker:worker_0', 'bravo:worker:worker_1', 'papa:legacy'],
    );
    const every = await ctl('-H', 'all', 'status');
    assert.equal(every.code, 4);
    assert.deepEqual(
      rows(every.stdout).map((line) => line.name),
      ['bravo:api', 'bravo:worker:worker_0', 'bravo:worker:worker_1', 'papa:legacy', 'wrong'],
    );
    const unknown = await ctl('-H', 'nope', 'status');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^Error: -H: there is no \[supervisorctl:nope\] section \(in .*supervisord\.conf\)\n/);

    // --json: the host in each object (null for the default daemon); the refusal on stderr.
    const json = await ctl('status', '--json', 'all');
    const objects = json.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { host: string | null; name: string; statename: string });
    assert.deepEqual(
      objects.map((o) => [o.host, o.name, o.statename]),
      [
        [null, 'sleeper', 'RUNNING'],
        ['bravo', 'api', 'RUNNING'],
        ['bravo', 'worker_0', 'RUNNING'],
        ['bravo', 'worker_1', 'RUNNING'],
        ['papa', 'legacy', 'RUNNING'],
      ],
    );
    assert.match(json.stderr, /^wrong +DENIED +unix:\/\/.*refused the credentials/m);

    // Names of one host; a name of the default daemon alone is the single-daemon status exactly.
    assert.deepEqual(
      rows((await ctl('status', 'papa:*', 'bravo:worker:*')).stdout).map((line) => line.name),
      ['bravo:worker:worker_0', 'bravo:worker:worker_1', 'papa:legacy'],
    );
    const single = await ctl('status', 'sleeper');
    assert.match(single.stdout, /^sleeper {26}RUNNING {3}pid \d+, uptime 0:\d\d:\d\d\n$/);
    assert.equal(single.code, 0);
  });

  it('the real supervisorctl reads the same file as before: the default daemon only', async () => {
    const r = await pythonCtl(alpha.configPath, ['status']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(
      rows(r.stdout).map((line) => line.name),
      ['sleeper'],
    );
  });

  it('actions on one host, on a group of another, and start all over the fleet', async () => {
    const stop = await ctl('stop', 'bravo:worker:*', 'papa:legacy');
    assert.equal(stop.stdout, 'bravo:worker:worker_0: stopped\nbravo:worker:worker_1: stopped\npapa:legacy: stopped\n');
    assert.equal(stop.code, 0);
    const seen = await bravoStatus();
    assert.deepEqual(
      seen.map(({ name, state }) => [name, state]),
      [
        ['api', 'RUNNING'],
        ['worker:worker_0', 'STOPPED'],
        ['worker:worker_1', 'STOPPED'],
      ],
    );
    assert.equal(rows((await ctl('status', 'sleeper')).stdout)[0]!.state, 'RUNNING');

    // `start all`: every daemon (each answers for what it had to start); the one refusing our
    // credentials says so, the others still act.
    const start = await ctl('start', 'all');
    assert.equal(start.code, 1, start.stdout + start.stderr);
    assert.equal(
      start.stdout,
      [
        'bravo:worker:worker_0: started',
        'bravo:worker:worker_1: started',
        'papa:legacy: started',
        `wrong: ERROR (unix://${bravo.path('b.sock')} refused the credentials (HTTP 401 Unauthorized))`,
        '',
      ].join('\n'),
    );
    const restart = await ctl('restart', 'papa:legacy');
    assert.equal(restart.stdout, 'papa:legacy: stopped\npapa:legacy: started\n');
    const tail = await ctl('tail', 'papa:legacy', 'stderr');
    assert.equal(tail.code, 0, tail.stdout + tail.stderr);
  });

  it('completes host names, then the processes of the host', async () => {
    const settings = await resolveSettings(parseCommandLine(['-c', alpha.configPath]));
    const controller = new Supervisorctl(settings, () => Promise.reject(new Error('nothing to ask')));
    try {
      assert.deepEqual((await complete(controller, 'start ')).candidates, ['sleeper ', 'bravo:', 'papa:', 'wrong:']);
      assert.deepEqual((await complete(controller, 'stop pa')).candidates, ['papa:']);
      assert.deepEqual((await complete(controller, 'stop bravo:w')).candidates, [
        'bravo:worker:worker_0 ',
        'bravo:worker:* ',
        'bravo:worker:worker_1 ',
      ]);
      assert.deepEqual((await complete(controller, 'tail papa:')).candidates, ['papa:* ', 'papa:legacy ']);
      assert.deepEqual((await complete(controller, 'tail wrong:')).candidates, []);
    } finally {
      controller.close();
    }
  });

  describe('the dashboard', { skip: chromiumMissing() }, () => {
    let context: BrowserContext;
    let profile = '';
    let page: Page;
    const pageErrors: string[] = [];

    before(async () => {
      profile = mkdtempSync(path.join(tmpdir(), 'sv-chromium-'));
      context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        args: CHROMIUM_ARGS,
        httpCredentials: ALPHA,
        viewport: { width: 1200, height: 900 },
      });
      context.setDefaultTimeout(UI_TIMEOUT);
      page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.goto(`http://127.0.0.1:${alphaPort}/`);
    });

    after(async () => {
      await context?.close();
      if (profile) rmSync(profile, { recursive: true, force: true });
    });

    it('one card per host: live for ours, asked again for Python, refused credentials marked; no remote credential in the page', async () => {
      await page.locator('section.remote[data-host="bravo"][data-status="up"]').waitFor();
      await page.locator('section.remote[data-host="papa"][data-status="up"]').waitFor();
      await page.locator('section.remote[data-host="wrong"][data-status="denied"]').waitFor();
      await remoteState(page, 'bravo', 'worker:worker_1').filter({ hasText: 'RUNNING' }).waitFor();
      await remoteState(page, 'papa', 'legacy:legacy').filter({ hasText: 'RUNNING' }).waitFor();
      assert.match(await card(page, 'bravo').locator('.host-facts').innerText(), /^bravo · Supervisor 4\.2\.5 · RUNNING · live$/);
      assert.match(
        await card(page, 'papa').locator('.host-facts').innerText(),
        /^papa · Supervisor 4\.2\.5 · RUNNING · asked every few seconds/,
      );
      assert.match(await card(page, 'wrong').locator('.host-reason').innerText(), /refused the credentials/);
      const html = await page.content();
      for (const secret of [BRAVO.password, PAPA.password, 'not-it']) assert.ok(!html.includes(secret), secret);
      // What the page streams carries none either.
      const events = await page.evaluate(async () => {
        const abort = new AbortController();
        const response = await fetch('/remote-events', { signal: abort.signal });
        const reader = response.body!.getReader();
        let text = '';
        while ((text.match(/event: host/g) ?? []).length < 3) text += new TextDecoder().decode((await reader.read()).value);
        abort.abort();
        return text;
      });
      for (const secret of [BRAVO.password, PAPA.password, 'not-it', BRAVO.username, PAPA.username])
        assert.ok(!events.includes(secret), secret);
    });

    it('the buttons act on the remote daemon, through the local one', async () => {
      await card(page, 'bravo').locator('tr[data-name="api:api"] button[data-action="stop"]').click();
      await remoteState(page, 'bravo', 'api:api').filter({ hasText: 'STOPPED' }).waitFor();
      assert.equal((await bravoStatus()).find((line) => line.name === 'api')?.state, 'STOPPED');
      await card(page, 'bravo').locator('tr[data-name="api:api"] button[data-action="start"]').click();
      await remoteState(page, 'bravo', 'api:api').filter({ hasText: 'RUNNING' }).waitFor();

      await card(page, 'papa').locator('tr[data-name="legacy:legacy"] button[data-action="stop"]').click();
      await remoteState(page, 'papa', 'legacy:legacy').filter({ hasText: 'STOPPED' }).waitFor();
      assert.match(
        (await pythonCtl(alpha.configPath, ['-s', `http://127.0.0.1:${papaPort}`, '-u', PAPA.username, '-p', PAPA.password, 'status']))
          .stdout,
        /legacy +STOPPED/,
      );
      await card(page, 'papa').locator('tr[data-name="legacy:legacy"] button[data-action="start"]').click();
      await remoteState(page, 'papa', 'legacy:legacy').filter({ hasText: 'RUNNING' }).waitFor();
      assert.match(await page.locator('#notice').innerText(), /^start papa:legacy:legacy: done$/);

      // A POST without the page's token is refused, as the local actions are.
      const refused = await page.evaluate(async () => {
        const response = await fetch('/api/remote/stop', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{"host":"bravo","name":"api"}',
        });
        return response.status;
      });
      assert.equal(refused, 403);
      if (WRITE_SCREENSHOTS) await page.screenshot({ path: SCREENSHOT, fullPage: true });
      assert.deepEqual(pageErrors, []);
    });

    it('a host killed mid-test is marked down on the page, and in status; the others still answer', async () => {
      papa.signal('SIGKILL');
      await papa.waitForExit();
      await page.locator('section.remote[data-host="papa"][data-status="down"]').waitFor();
      assert.equal(await card(page, 'papa').locator('.host-reason').innerText(), `http://127.0.0.1:${papaPort} refused connection`);
      assert.equal(await page.locator('section.remote[data-host="bravo"]').getAttribute('data-status'), 'up');

      const r = await ctl('status');
      assert.equal(r.code, 4);
      assert.deepEqual(
        rows(r.stdout).map(({ name, state }) => [name, state]),
        [
          ['sleeper', 'RUNNING'],
          ['bravo:api', 'RUNNING'],
          ['bravo:worker:worker_0', 'RUNNING'],
          ['bravo:worker:worker_1', 'RUNNING'],
          ['papa', 'DOWN'],
          ['wrong', 'DENIED'],
        ],
      );
      const stop = await ctl('-H', 'bravo,papa', 'stop', 'all');
      assert.equal(stop.stdout.split('\n').at(-2), `papa: ERROR (http://127.0.0.1:${papaPort} refused connection)`);
      assert.match(stop.stdout, /^bravo:api: stopped$/m);
    });
  });

  it('a host that does not answer within its timeout is shown down; the others still answer', async () => {
    // papa may be gone by now (the dashboard's test kills it): only alpha and bravo here.
    const file = path.join(alpha.tmp, 'frozen.conf');
    writeFileSync(
      file,
      [
        '[supervisorctl]',
        `serverurl=unix://${alpha.path('a.sock')}`,
        `username=${ALPHA.username}`,
        `password=${ALPHA.password}`,
        '[supervisorctl:bravo]',
        `serverurl=unix://${bravo.path('b.sock')}`,
        `username=${BRAVO.username}`,
        `password=${BRAVO.password}`,
        'timeout=1',
        '',
      ].join('\n'),
    );
    bravo.signal('SIGSTOP');
    try {
      const r = await ourCtl(['-c', file, 'status']);
      assert.equal(r.code, 4, r.stdout + r.stderr);
      assert.deepEqual(
        rows(r.stdout).map(({ name, state }) => [name, state]),
        [
          ['sleeper', 'RUNNING'],
          ['bravo', 'DOWN'],
        ],
      );
      assert.equal(rows(r.stdout)[1]!.description, `unix://${bravo.path('b.sock')} timed out`);
    } finally {
      bravo.signal('SIGCONT');
    }
    await eventually(async () => (await ourCtl(['-c', file, 'status'])).code !== 4, 'bravo answers again');
  });
});
