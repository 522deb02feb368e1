// XML-RPC from a browser page of another site: the headers a browser adds to such a POST (it
// needs no CORS preflight as text/plain, and carries the user's cached Basic credentials) get a
// 403 on every server, while real clients, which send neither Origin nor Sec-Fetch-Site, keep
// working. Runs against SUPERVISORD_UNDER_TEST=reference or ours: the reference runs the call
// (a deliberate difference, in README).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withApi } from '../harness/api-daemon.js';
import { ourCtl } from '../harness/ctl.js';
import { underTest } from '../harness/daemon.js';
import { ctl as pythonCtl } from '../harness/python-ctl.js';
import { httpRequest, methodCallXml } from '../harness/raw-http.js';
import { call, pidOf, waitForState, type Target } from '../harness/rpc.js';

const AUTH = { username: 'alice', password: 's3cret' };
const SLEEPER = '[program:sleeper]\ncommand=sleep 1000\nstartsecs=0\n';

const basic = `Basic ${Buffer.from(`${AUTH.username}:${AUTH.password}`).toString('base64')}`;

/** A POST of `body` as a browser's text/plain request would send it, with extra headers. */
const post = (target: Target, body: string, headers: Record<string, string>) =>
  httpRequest(target, { body, headers: { 'Content-Type': 'text/plain;charset=UTF-8', Authorization: basic, ...headers } });

/** What Node's client sends as Host: `localhost` on the unix socket, the address over TCP. */
const ownOrigin = (target: Target): string => (target.kind === 'unix' ? 'http://localhost' : `http://${target.host}:${target.port}`);

describe(`XML-RPC cross-site requests (${underTest})`, { concurrency: true }, () => {
  it('a POST a browser marks as from another site gets 403 over unix and TCP, and the call does not run', async () => {
    await withApi(SLEEPER, { inet: true, auth: AUTH }, async ({ d, unix, tcp }) => {
      const pid = pidOf(await waitForState(unix, 'sleeper', ['RUNNING']));
      const stop = methodCallXml('supervisor.stopProcess', ['sleeper']);
      const foreign: Array<Record<string, string>> = [
        { Origin: 'http://evil.example' },
        { Origin: 'http://evil.example', 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'no-cors' },
        { 'Sec-Fetch-Site': 'cross-site' },
        // another origin of the same site (another port, a subdomain)
        { Origin: 'http://localhost:1', 'Sec-Fetch-Site': 'same-site' },
        // sandboxed frames and file: pages
        { Origin: 'null' },
      ];
      for (const target of [unix, tcp!]) {
        for (const headers of foreign) {
          const answer = await post(target, stop, headers);
          const what = `${target.kind} ${JSON.stringify(headers)}`;
          if (underTest === 'reference') {
            // it runs the call: the first stops sleeper, the others find it stopped
            assert.equal(answer.status, 200, what);
            assert.match(answer.body, /<methodResponse>/, what);
          } else {
            assert.equal(answer.status, 403, what);
            assert.match(answer.body, /<p>Error code 403\.\r\n<p>Message: Forbidden\./, what);
          }
        }
      }
      if (underTest === 'reference') {
        assert.equal((await waitForState(unix, 'sleeper', ['STOPPED'])).statename, 'STOPPED');
      } else {
        assert.equal(pidOf(await waitForState(unix, 'sleeper', ['RUNNING'])), pid);
        await d.waitForLine(/ WARN XML-RPC cross-site request refused \(Origin: http:\/\/evil\.example\)$/);
        await d.waitForLine(/ WARN XML-RPC cross-site request refused \(Sec-Fetch-Site: cross-site\)$/);
      }
    });
  });

  it("a page of the daemon's own origin, and every real client (Python's xmlrpc.client, supervisorctl, ours), still get through", async () => {
    await withApi(SLEEPER, { inet: true, auth: AUTH }, async ({ d, unix, tcp, port }) => {
      await waitForState(unix, 'sleeper', ['RUNNING']);
      const version = methodCallXml('supervisor.getAPIVersion');
      for (const target of [unix, tcp!]) {
        const allowed: Array<Record<string, string>> = [
          {},
          { Origin: ownOrigin(target), 'Sec-Fetch-Site': 'same-origin' },
          { 'Sec-Fetch-Site': 'same-origin' },
        ];
        for (const headers of allowed) {
          const answer = await post(target, version, headers);
          assert.equal(answer.status, 200, `${target.kind} ${JSON.stringify(headers)}`);
          assert.match(answer.body, /<string>3\.0<\/string>/);
        }
        assert.equal(await call(target, 'supervisor.getAPIVersion'), '3.0');
      }
      const servers = [`unix://${d.path('s.sock')}`, `http://127.0.0.1:${port!}`];
      for (const server of servers) {
        const python = await pythonCtl(d.configPath, ['status', 'sleeper'], { server, ...AUTH });
        assert.match(python.stdout, /^sleeper +RUNNING +pid \d+/, `python supervisorctl over ${server}: ${python.stdout}${python.stderr}`);
        const node = await ourCtl(['-c', d.configPath, '-s', server, '-u', AUTH.username, '-p', AUTH.password, 'status', 'sleeper']);
        assert.match(node.stdout, /^sleeper +RUNNING +pid \d+/, `our supervisorctl over ${server}: ${node.stdout}${node.stderr}`);
      }
    });
  });
});
