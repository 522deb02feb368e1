// XML-RPC API conformance: HTTP basic auth on the unix socket and TCP servers (plain and {SHA}
// passwords): right credentials, wrong ones and none. Runs against SUPERVISORD_UNDER_TEST=reference or ours.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { httpRequest, methodCallXml } from '../harness/raw-http.js';
import { withApi } from '../harness/api-daemon.js';
import { rpcCalls, type Target, type Outcome } from '../harness/rpc.js';
import { underTest } from '../harness/daemon.js';

const UNAUTHORIZED_PAGE =
  '<head>\r\n<title>Error response</title>\r\n</head>\r\n<body>\r\n<h1>Error response</h1>\r\n<p>Error code 401.\r\n<p>Message: Unauthorized.\r\n</body>\r\n';

const AUTH = { username: 'alice', password: 's3cret:pw' };

/** Outcome kinds with only the status kept for protocol errors. */
function shape(o: Outcome | undefined): unknown {
  if (o === undefined) return undefined;
  if (o.kind === 'protocol') return { kind: 'protocol', status: o.status, reason: o.reason };
  return o;
}

async function checkTarget(good: Target): Promise<void> {
  const { username: _u, password: _p, ...bare } = good;
  const wrongPass: Target = { ...good, password: 'nope' };
  const wrongUser: Target = { ...good, username: 'bob' };
  for (const [t, label] of [
    [bare, 'no credentials'],
    [wrongPass, 'wrong password'],
    [wrongUser, 'wrong user'],
  ] as const) {
    const [o] = await rpcCalls(t, [{ method: 'supervisor.getAPIVersion' }]);
    assert.deepEqual(shape(o), { kind: 'protocol', status: 401, reason: 'Unauthorized' }, label);
  }
  const [o] = await rpcCalls(good, [{ method: 'supervisor.getAPIVersion' }]);
  assert.deepEqual(o, { kind: 'ok', value: '3.0' });

  const raw = await httpRequest(bare, { body: methodCallXml('supervisor.getAPIVersion') });
  assert.equal(raw.status, 401);
  assert.equal(raw.headers['www-authenticate'], 'Basic realm="default"');
  assert.equal(raw.headers['content-type'], 'text/html');
  assert.equal(raw.body, UNAUTHORIZED_PAGE);
  const basic = (u: string, p: string): string => 'Basic ' + Buffer.from(`${u}:${p}`).toString('base64');
  const bad = await httpRequest(bare, {
    body: methodCallXml('supervisor.getAPIVersion'),
    headers: { Authorization: basic(AUTH.username, 'wrong') },
  });
  assert.equal(bad.status, 401);
  assert.equal(bad.body, UNAUTHORIZED_PAGE);
  const goodRaw = await httpRequest(bare, {
    body: methodCallXml('supervisor.getAPIVersion'),
    headers: { Authorization: basic(AUTH.username, AUTH.password) },
  });
  assert.equal(goodRaw.status, 200);
  assert.match(goodRaw.body, /<string>3\.0<\/string>/);
}

describe(`API HTTP basic auth (${underTest})`, { concurrency: true }, () => {
  it('plain password on both servers: 401 without, or with wrong, credentials (WWW-Authenticate, error page); 200 with the right ones', async () => {
    await withApi('', { inet: true, auth: AUTH }, async ({ unix, tcp }) => {
      assert.ok(tcp);
      await checkTarget(unix);
      await checkTarget(tcp);
    });
  });

  it('{SHA} password: the clear-text password is accepted, the hash itself is not', async () => {
    const sha = '{SHA}' + createHash('sha1').update(AUTH.password).digest('hex');
    await withApi('', { inet: true, auth: AUTH, configPassword: sha }, async ({ unix, tcp }) => {
      assert.ok(tcp);
      await checkTarget(tcp);
      await checkTarget(unix);
      const [o] = await rpcCalls({ ...tcp, password: sha }, [{ method: 'supervisor.getAPIVersion' }]);
      assert.deepEqual(shape(o), { kind: 'protocol', status: 401, reason: 'Unauthorized' });
    });
  });

  it('no auth configured: calls succeed with or without credentials, over TCP and the unix socket', async () => {
    await withApi('', { inet: true }, async ({ unix, tcp }) => {
      assert.ok(tcp);
      for (const t of [unix, tcp, { ...tcp, ...AUTH }, { ...unix, ...AUTH }]) {
        const [o] = await rpcCalls(t, [{ method: 'supervisor.getState' }]);
        assert.deepEqual(o, { kind: 'ok', value: { statecode: 1, statename: 'RUNNING' } });
      }
    });
  });
});
