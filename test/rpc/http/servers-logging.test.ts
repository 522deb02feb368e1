// What HttpServers log: the startup lines per server and RPC interface, and at trace level the
// Medusa banner and one access line per request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { captureLog, freePort, inetConfig, request, startServers, tempDir, unixConfig } from '../../harness/http-servers.js';

test('startup lines: inet then unix, RPC interfaces per server, CRIT only without credentials', async () => {
  const dir = tempDir();
  const port = await freePort();
  const capture = captureLog(dir);
  await startServers(
    { unix: unixConfig(path.join(dir, 'log.sock')), inet: inetConfig(port, { username: 'u', password: 'p' }) },
    { log: capture.log, rpcInterfaceNames: ['supervisor', 'extra'] },
  );
  assert.equal(
    capture.text(),
    [
      "INFO RPC interface 'supervisor' initialized",
      "INFO RPC interface 'extra' initialized",
      "INFO RPC interface 'supervisor' initialized",
      "INFO RPC interface 'extra' initialized",
      "CRIT Server 'unix_http_server' running without any HTTP authentication checking",
      '',
    ].join('\n'),
  );
});

test('trace level: Medusa banner and access lines; a request line mentioning "error" logs as an error', async () => {
  const dir = tempDir();
  const port = await freePort();
  const capture = captureLog(dir, 'trace');
  await startServers({ unix: null, inet: inetConfig(port) }, { log: capture.log });
  await request({ host: '127.0.0.1', port }, { path: '/nothing' });
  await request({ host: '127.0.0.1', port }, { path: '/error' });
  const text = capture.text();
  assert.match(
    text,
    /^TRAC 127\.0\.0\.1:Medusa \(V1\.12\) started at \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\n\tHostname: \S+\n\tPort:\d+\n/,
  );
  assert.match(text, /CRIT Server 'inet_http_server' running without any HTTP authentication checking\n/);
  assert.match(text, /\nTRAC 127\.0\.0\.1:\d+ - - \[\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] "GET \/nothing HTTP\/1\.1" 404 \d+\n/);
  assert.match(text, /\nERRO 127\.0\.0\.1:\d+ - - \[[^\]]+\] "GET \/error HTTP\/1\.1" 404 \d+\n/);
});
