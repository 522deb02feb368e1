// Basic authentication: per server over TCP and the unix socket, plain and {SHA} passwords, the
// 401 answer; and the header and password helpers themselves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { authenticatedUser, passwordMatches } from '../../../rpc/http/auth.js';
import { freePort, inetConfig, request, sha, startServers, tempDir, unixConfig } from '../../harness/http-servers.js';

test('basic auth per server: plain and {SHA} passwords; wrong or missing → 401 with the realm', async () => {
  const port = await freePort();
  const file = path.join(tempDir(), 'auth.sock');
  await startServers({
    unix: unixConfig(file, { username: 'bob', password: sha('s3cret') }),
    inet: inetConfig(port, { username: 'alice', password: 'plain' }),
  });
  const tcp = { host: '127.0.0.1', port };
  const unix = { socketPath: file };
  const post = { method: 'POST', path: '/RPC2', body: 'x' };

  assert.equal((await request(tcp, { ...post, auth: 'alice:plain' })).body, '1 bytes from alice');
  assert.equal((await request(unix, { ...post, auth: 'bob:s3cret' })).body, '1 bytes from bob');

  for (const [target, auth] of [
    [tcp, 'alice:wrong'],
    [tcp, 'bob:s3cret'],
    [tcp, undefined],
    [unix, 'alice:plain'],
    [unix, `bob:${sha('s3cret')}`],
    [unix, undefined],
  ] as const) {
    const denied = await request(target, { ...post, auth });
    assert.equal(denied.status, 401, `${auth} refused`);
    assert.equal(denied.headers['www-authenticate'], 'Basic realm="default"');
    assert.equal(denied.headers.connection, 'close');
    assert.match(denied.body, /<p>Error code 401\.\r\n<p>Message: Unauthorized\./);
  }
  // Every path is protected, known or not, as in the reference.
  assert.equal((await request(tcp, { path: '/nothing' })).status, 401);
});

test('auth helpers: header parsing and password forms', () => {
  const credentials = { username: 'user', password: '123' };
  const header = (text: string): string => `Basic ${Buffer.from(text).toString('base64')}`;
  assert.equal(authenticatedUser(header('user:123'), credentials), 'user');
  assert.equal(authenticatedUser(header('user:123').replace('Basic', 'basic'), credentials), 'user');
  assert.equal(authenticatedUser(header('user:1234'), credentials), null);
  assert.equal(authenticatedUser(header('user'), credentials), null);
  assert.equal(authenticatedUser(header('user:123').replace('Basic', 'Digest'), credentials), null);
  assert.equal(authenticatedUser(undefined, credentials), null);
  assert.equal(authenticatedUser(header('user:pa:ss'), { username: 'user', password: 'pa:ss' }), 'user');
  assert.ok(passwordMatches('{SHA}40bd001563085fc35165329ea1ff5c5ecbdbbeef', '123'));
  assert.ok(!passwordMatches('{SHA}40BD001563085FC35165329EA1FF5C5ECBDBBEEF', '123'), 'hex compared as written');
  assert.ok(!passwordMatches('{SHA}40bd001563085fc35165329ea1ff5c5ecbdbbeef', '{SHA}40bd001563085fc35165329ea1ff5c5ecbdbbeef'));
});
