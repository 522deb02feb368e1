// The web UI in a real browser (Debian's headless Chromium driven by playwright-core) against a
// real daemon of ours: the live table, stop/start without reload, a tail following a rotating
// log, the state diagram, auth on every server, and cross-site POSTs refused (XML-RPC's too).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { supervisordSection } from '../harness/config-text.js';
import { Daemon, underTest } from '../harness/daemon.js';
import { repoRoot } from '../paths.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  // Without these Chromium keeps trying to reach Google, which this closed network refuses.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const AUTH = { username: 'webuser', password: 'w3b:pass' };
const SCREENSHOT = path.join(repoRoot, 'docs', 'screenshots', 'web-ui.png');
/** The screenshot is tracked: it is rewritten only when asked for (WRITE_SCREENSHOTS=1). */
const WRITE_SCREENSHOTS = process.env['WRITE_SCREENSHOTS'] === '1';
const UI_TIMEOUT = 15_000;
/** Ten numbered lines a second on stdout (with markup in them) and on stderr. */
const TICKER = `import itertools, sys, time
for i in itertools.count(1):
    print(('tick %d <b>&amp;</b> <script>x</script>' % i).ljust(99))
    print('err %d' % i, file=sys.stderr)
    time.sleep(0.1)
`;

const skip =
  underTest === 'reference'
    ? 'the web UI is ours only (SUPERVISORD_UNDER_TEST=reference)'
    : !existsSync(CHROMIUM)
      ? `${CHROMIUM} is not installed (apt-get install -y chromium)`
      : false;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

/** A request to the daemon's unix socket. */
function overUnixSocket(
  socketPath: string,
  urlPath: string,
  headers: http.OutgoingHttpHeaders,
): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get({ socketPath, path: urlPath, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, type: String(response.headers['content-type']), body }));
    });
    request.on('error', reject);
  });
}

/** The state of every process, from the first snapshot of /events. */
async function statesNow(base: string): Promise<Record<string, string>> {
  const abort = new AbortController();
  const response = await fetch(`${base}/events`, { headers: { Authorization: basic(AUTH.username, AUTH.password) }, signal: abort.signal });
  assert.equal(response.status, 200);
  assert.ok(response.body);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    const match = /event: snapshot\ndata: (.*)\n\n/.exec(text);
    if (match?.[1]) {
      abort.abort();
      const snapshot = JSON.parse(match[1]) as { processes: Array<{ namespec: string; state: string }> };
      return Object.fromEntries(snapshot.processes.map((p) => [p.namespec, p.state]));
    }
  }
  throw new Error(`no snapshot in ${text}`);
}

/**
 * A page of another site that sends an XML-RPC call to /RPC2 the way a browser lets it: a
 * text/plain form (no CORS preflight), whose field name and value join into the document.
 */
const rpcFormPage = (base: string): string => {
  const call =
    '<methodCall><methodName>supervisor.stopProcess</methodName><params><param><value><string>web:sleeper</string></value></param></params></methodCall>';
  return `<!doctype html><form id="f" method="post" action="${base}/RPC2" enctype="text/plain"><input name="<?xml version" value='"1.0"?>${call}'></form>
<script>document.getElementById('f').submit();</script>`;
};

const stateCell = (page: Page, namespec: string) => page.locator(`tr[data-name="${namespec}"] .state`);

describe('web UI in Chromium (ours)', { skip, concurrency: false }, () => {
  let daemon: Daemon;
  let context: BrowserContext;
  let base = '';
  let profile = '';

  before(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // Lines padded to 100 bytes and a 2 KB log: the ticker's stdout rotates every ~20 lines.
    const config = [
      supervisordSection(),
      '[inet_http_server]',
      `port=127.0.0.1:${port}`,
      `username=${AUTH.username}`,
      `password=${AUTH.password}`,
      '[unix_http_server]',
      'file=%(tmp)s/supervisor.sock',
      `username=${AUTH.username}`,
      `password=${AUTH.password}`,
      '[program:ticker]',
      'command=python3 -u %(tmp)s/ticker.py',
      'stdout_logfile_maxbytes=2KB',
      'stdout_logfile_backups=1',
      '[program:sleeper]',
      'command=sleep 1000',
      '[group:web]',
      'programs=ticker,sleeper',
      '[program:quick]',
      "command=sh -c 'exit 3'",
      'autorestart=false',
      'startsecs=0',
      '[program:broken]',
      'command=/nonexistent/command',
      '',
    ].join('\n');
    daemon = Daemon.start(config, { files: { 'ticker.py': TICKER } });
    await daemon.waitForLine(/success: sleeper entered RUNNING state/);
    profile = mkdtempSync(path.join(tmpdir(), 'sv-chromium-'));
    // A fresh profile directory for every run.
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      httpCredentials: AUTH,
      viewport: { width: 1200, height: 560 },
    });
    context.setDefaultTimeout(UI_TIMEOUT);
  });

  after(async () => {
    await context?.close();
    await daemon?.teardown();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('shows every process with its state, the daemon facts, and follows stop/start live without a reload', async () => {
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${base}/`);
    await page.locator('#connection.live').waitFor();
    assert.equal(await page.locator('#version').textContent(), '4.2.5');
    // Which daemon this is: ours names itself beside the Supervisor version it reproduces.
    const ownPackage = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };
    assert.match(await page.locator('.facts').innerText(), new RegExp(`\\b${ownPackage.name} ${ownPackage.version}\\b`));
    assert.equal(await page.locator('#identification').textContent(), 'supervisor');
    assert.equal(await page.locator('#daemon-state .state').textContent(), 'RUNNING');
    assert.deepEqual(await page.locator('tr[data-name] td.name').allTextContents(), ['broken', 'quick', 'sleeper', 'ticker']);
    await stateCell(page, 'broken:broken').filter({ hasText: 'FATAL' }).waitFor();
    assert.equal(
      await page.locator('tr[data-name="broken:broken"] td.description').innerText(),
      "can't find command '/nonexistent/command'",
    );
    await stateCell(page, 'web:sleeper').filter({ hasText: 'RUNNING' }).waitFor();
    await stateCell(page, 'quick:quick').filter({ hasText: 'EXITED' }).waitFor();
    assert.match(await page.locator('tr[data-name="quick:quick"] td.description').innerText(), /exit status 3/);
    assert.match(await page.locator('tr[data-name="web:sleeper"] td.description').innerText(), /^pid \d+, uptime 0:00:\d\d$/);

    // A mark in the page's own state: it survives only if the page is never reloaded.
    await page.evaluate(() => Object.assign(globalThis, { notReloaded: true }));
    await page.locator('tr[data-name="web:sleeper"] button[data-action="stop"]').click();
    await stateCell(page, 'web:sleeper').filter({ hasText: 'STOPPED' }).waitFor();
    assert.equal((await statesNow(base))['web:sleeper'], 'STOPPED');
    await page.locator('tr[data-name="web:sleeper"] button[data-action="start"]').click();
    await stateCell(page, 'web:sleeper').filter({ hasText: 'RUNNING' }).waitFor();
    assert.equal(await page.evaluate(() => (globalThis as { notReloaded?: boolean }).notReloaded), true);

    // A refused action is reported, not hidden: quick is not running, so stopping it over the API fails.
    const pageToken = await page.locator('meta[name="supervisor-token"]').getAttribute('content');
    const refused = await page.evaluate(async (token) => {
      const response = await fetch('/api/stop', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Supervisor-Token': token },
        body: JSON.stringify({ name: 'quick:quick' }),
      });
      return { status: response.status, body: (await response.json()) as unknown };
    }, pageToken ?? '');
    assert.deepEqual(refused, { status: 409, body: { ok: false, error: 'NOT_RUNNING: quick:quick' } });

    if (WRITE_SCREENSHOTS) {
      // one uptime tick, so the screenshot shows live uptimes
      const uptime = page.locator('tr[data-name="web:sleeper"] td.description');
      await uptime.filter({ hasNotText: await uptime.innerText() }).waitFor();
      mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT });
    }
    assert.deepEqual(pageErrors, []);
    await page.close();
  });

  it('tails a process log live, across rotation, with every byte shown as text', async () => {
    const page = await context.newPage();
    await page.goto(`${base}/tail/${encodeURIComponent('web:ticker')}`);
    const log = page.locator('#log');
    await log.filter({ hasText: /tick \d+ <b>&amp;<\/b> <script>x<\/script>/ }).waitFor();
    assert.equal(await log.locator('b, script').count(), 0, 'log text must never become markup');
    const first = Math.max(...[...(await log.innerText()).matchAll(/tick (\d+)/g)].map((m) => Number(m[1])));
    // The stdout log rotates every ~20 lines: wait for two rotations' worth while the page follows.
    await log.filter({ hasText: new RegExp(`\\btick ${first + 46} `) }).waitFor();
    assert.ok(
      daemon.list().some((name) => /^ticker-stdout---.*\.log\.1$/.test(name)),
      `the log rotated: ${daemon.list().join(' ')}`,
    );
    const ticks = [...(await log.innerText()).matchAll(/tick (\d+)/g)].map((m) => Number(m[1]));
    const gaps = ticks.slice(1).filter((tick, i) => tick !== (ticks[i] as number) + 1);
    assert.deepEqual(gaps, [], 'no line lost or repeated across rotations');

    await page.locator('a.button', { hasText: 'stderr' }).click();
    await log.filter({ hasText: /err \d+/ }).waitFor();

    await page.goto(`${base}/log`);
    await log.filter({ hasText: /spawned: 'ticker' with pid \d+/ }).waitFor();
    await page.close();
  });

  it("draws each process's state diagram from the machine, current state highlighted, recent transitions listed", async () => {
    const page = await context.newPage();
    await page.goto(`${base}/process/${encodeURIComponent('web:sleeper')}`);
    await page.locator('#connection.live').waitFor();
    const states = await Promise.all((await page.locator('svg.diagram g.state').all()).map((box) => box.getAttribute('data-state')));
    assert.deepEqual([...states].sort(), ['BACKOFF', 'EXITED', 'FATAL', 'RUNNING', 'STARTING', 'STOPPED', 'STOPPING', 'UNKNOWN']);
    await page.locator('svg.diagram g.state.current[data-state="RUNNING"]').waitFor();
    assert.equal(await page.locator('svg.diagram g.state.current').count(), 1);
    // Started, then stopped and started again by the first test.
    assert.ok((await page.locator('#history tr').count()) >= 5);
    await page.locator('#actions button[data-action="stop"]').click();
    await page.locator('svg.diagram g.state.current[data-state="STOPPED"]').waitFor();
    await page.locator('#history tr').first().filter({ hasText: 'STOPPING' }).waitFor();
    await page.locator('#actions button[data-action="start"]').click();
    await page.locator('svg.diagram g.state.current[data-state="RUNNING"]').waitFor();
    await page.close();
  });

  it('enforces auth on every route and on both servers', async () => {
    for (const route of ['/', '/events', '/tail/web%3Aticker', '/log-events/main', '/assets/common.js']) {
      assert.equal((await fetch(`${base}${route}`)).status, 401, route);
    }
    const post = await fetch(`${base}/api/stop-all`, { method: 'POST', body: '{}' });
    assert.equal(post.status, 401);
    const wrong = await fetch(`${base}/`, { headers: { Authorization: basic(AUTH.username, 'nope') } });
    assert.equal(wrong.status, 401);

    const socket = daemon.path('supervisor.sock');
    assert.equal((await overUnixSocket(socket, '/', {})).status, 401);
    const page = await overUnixSocket(socket, '/', { Authorization: basic(AUTH.username, AUTH.password) });
    assert.equal(page.status, 200);
    assert.equal(page.type, 'text/html; charset=utf-8');
    assert.match(page.body, /<table class="processes">/);
  });

  it('refuses cross-site POSTs: foreign Origin, missing token, and a page of another site (to the API and /RPC2)', async () => {
    const auth = basic(AUTH.username, AUTH.password);
    const html = await (await fetch(`${base}/`, { headers: { Authorization: auth } })).text();
    const token = /<meta name="supervisor-token" content="([^"]+)">/.exec(html)?.[1];
    assert.ok(token);
    const stop = (headers: Record<string, string>) =>
      fetch(`${base}/api/stop`, {
        method: 'POST',
        headers: { Authorization: auth, 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify({ name: 'web:sleeper' }),
      });
    const foreign = await stop({ 'X-Supervisor-Token': token, Origin: 'http://evil.example' });
    assert.equal(foreign.status, 403);
    assert.match(((await foreign.json()) as { error: string }).error, /cross-site/);
    assert.equal((await stop({ 'X-Supervisor-Token': token, 'Sec-Fetch-Site': 'cross-site' })).status, 403);
    assert.equal((await stop({})).status, 403);
    assert.equal((await stop({ 'X-Supervisor-Token': 'guessed' })).status, 403);
    assert.equal((await statesNow(base))['web:sleeper'], 'RUNNING');
    // Nothing changes state on GET.
    assert.equal((await fetch(`${base}/api/stop-all`, { headers: { Authorization: auth } })).status, 405);

    // Another site's page, in the same browser that holds the credentials, tries a form and fetch.
    const evilPort = await freePort();
    const evil = http.createServer((request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html' });
      if (request.url === '/rpc') response.end(rpcFormPage(base));
      else
        response.end(`<!doctype html><form id="f" method="post" action="${base}/api/stop-all" enctype="text/plain"><input name='{"name":"x"}'></form>
<script>
fetch(${JSON.stringify(`${base}/api/stop-all`)}, { method: 'POST', mode: 'no-cors', credentials: 'include', body: '{}' })
  .finally(() => { document.title = 'fetched'; document.getElementById('f').submit(); });
</script>`);
    });
    await new Promise<void>((resolve) => evil.listen(evilPort, '127.0.0.1', resolve));
    try {
      const page = await context.newPage();
      const answers: number[] = [];
      page.on('response', (response) => {
        if (response.url().endsWith('/api/stop-all')) answers.push(response.status());
      });
      await page.goto(`http://localhost:${evilPort}/`);
      await page.waitForURL(`${base}/api/stop-all`);
      // The form's navigation lands on our refusal.
      await page.locator('body', { hasText: 'cross-site request refused' }).waitFor();
      await page.close();
      assert.ok(answers.length >= 2, `both attempts reached the daemon: ${answers.join(', ')}`);
      // The XML-RPC call, sent with the credentials the browser holds, is refused for its Origin.
      const rpcPage = await context.newPage();
      const rpcAnswer = rpcPage.waitForResponse(`${base}/RPC2`);
      await rpcPage.goto(`http://localhost:${evilPort}/rpc`);
      assert.equal((await rpcAnswer).status(), 403);
      await rpcPage.close();
      assert.ok(
        answers.every((status) => status === 401 || status === 403),
        `refused: ${answers.join(', ')}`,
      );
    } finally {
      evil.close();
    }
    const states = await statesNow(base);
    assert.equal(states['web:sleeper'], 'RUNNING');
    assert.equal(states['web:ticker'], 'RUNNING');
  });
});
