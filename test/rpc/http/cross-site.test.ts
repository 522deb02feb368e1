// Which requests a browser marks as sent for a page of another origin (the /RPC2 and web UI
// guards both refuse them), and that requests without those headers pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { crossSiteRefusal } from '../../../rpc/http/cross-site.js';
import type { HttpRequest } from '../../../rpc/http/router.js';

const request = (headers: IncomingHttpHeaders): HttpRequest => ({
  method: 'POST',
  path: '/RPC2',
  query: new URLSearchParams(),
  headers,
  username: null,
  body: Buffer.alloc(0),
  signal: new AbortController().signal,
});

test('no Origin and no Sec-Fetch-Site (every XML-RPC client): passes', () => {
  assert.equal(crossSiteRefusal(request({ host: 'localhost' })), null);
  assert.equal(crossSiteRefusal(request({})), null);
});

test('Sec-Fetch-Site other than same-origin is refused, naming it', () => {
  assert.equal(crossSiteRefusal(request({ host: 'localhost', 'sec-fetch-site': 'same-origin' })), null);
  for (const site of ['cross-site', 'same-site', 'none']) {
    assert.equal(
      crossSiteRefusal(request({ host: 'localhost', 'sec-fetch-site': site })),
      `cross-site request refused (Sec-Fetch-Site: ${site})`,
    );
  }
});

test('an Origin naming the Host the request was sent to passes, with case and default ports normalized', () => {
  for (const [origin, host] of [
    ['http://127.0.0.1:9001', '127.0.0.1:9001'],
    ['http://LocalHost:9001', 'localhost:9001'],
    ['http://localhost:9001', 'LOCALHOST:9001'],
    ['http://example.com', 'example.com:80'],
    ['https://example.com', 'example.com:443'],
    ['http://[::1]:9001', '[::1]:9001'],
  ] as const) {
    assert.equal(crossSiteRefusal(request({ origin, host })), null, `${origin} for ${host}`);
  }
});

test('any other Origin is refused, naming it: another host or port, "null", garbage, or no Host to compare with', () => {
  for (const [origin, host] of [
    ['http://evil.example', 'localhost:9001'],
    ['http://localhost:9002', 'localhost:9001'],
    ['https://example.com', 'example.com:80'],
    ['null', 'localhost'],
    ['not a url', 'localhost'],
    ['http://localhost', undefined],
  ] as const) {
    assert.equal(crossSiteRefusal(request({ origin, host })), `cross-site request refused (Origin: ${origin})`, `${origin} for ${host}`);
  }
});
