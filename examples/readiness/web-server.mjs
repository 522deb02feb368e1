#!/usr/bin/env node
// A web server that takes its time, for trying readiness= and liveness=. It opens its port
// --listen-after seconds after it starts, then answers GET /health with 503 for --warm-up
// seconds and 200 after that; other paths get a greeting. With --hang-after it stops answering
// /health that many seconds after it opened its port (as a deadlocked server would), while
// still accepting connections. It says "listening on HOST:PORT" on stdout once the port is open.
import http from 'node:http';
import process from 'node:process';
import { setTimeout } from 'node:timers';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '8080' },
    'listen-after': { type: 'string', default: '0' },
    'warm-up': { type: 'string', default: '0' },
    'hang-after': { type: 'string' },
  },
});
const seconds = (text) => Number(text) * 1000;
const hangAfter = values['hang-after'] === undefined ? Infinity : seconds(values['hang-after']);
let openedAt = 0;

const server = http.createServer((request, response) => {
  const since = Date.now() - openedAt;
  if (request.url !== '/health') {
    response.end(`hello from pid ${process.pid}\n`);
  } else if (since >= hangAfter) {
    // Hung: the request is never answered.
  } else if (since < seconds(values['warm-up'])) {
    response.writeHead(503).end('warming up\n');
  } else {
    response.end('ok\n');
  }
});

setTimeout(() => {
  server.listen(Number(values.port), values.host, () => {
    openedAt = Date.now();
    process.stdout.write(`listening on ${values.host}:${values.port}\n`);
  });
}, seconds(values['listen-after']));

process.on('SIGTERM', () => process.exit(0));
