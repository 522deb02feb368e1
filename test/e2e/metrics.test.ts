// End-to-end: GET /metrics (our extension) on a real daemon: over TCP and the unix socket, behind
// each server's credentials, accepted by Prometheus' own `promtool check metrics`; the values
// follow the processes as they start, run, exit and are stopped; listener pools count what they
// buffer and drop; the daemon reports itself and the requests it answered. Ours only: the
// reference has no /metrics.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { apiConfig } from '../harness/config-text.js';
import { underTest, withDaemon, type Daemon } from '../harness/daemon.js';
import { scrape, valueOf, type MetricSample } from '../harness/metrics.js';
import { asStruct, call, freePort, tcpTarget, unixTarget, waitForRpc, type Target } from '../harness/rpc.js';
import { runProcess } from '../harness/run-process.js';
import { eventually } from '../harness/wait.js';

const PROMTOOL = '/usr/bin/promtool';
const AUTH = { username: 'scraper', password: 'pass word' };

const PROGRAMS =
  `[program:worker]\ncommand=sh -c 'echo hello; echo oops >&2; exec sleep 1000'\nautostart=false\n` +
  `stdout_logfile=%(tmp)s/worker.out\nstderr_logfile=%(tmp)s/worker.err\n` +
  `[program:fails]\ncommand=sh -c 'exit 3'\nautostart=false\nautorestart=false\nstartsecs=0\n` +
  // Never says READY: every event it subscribed to stays in its buffer of two, or is dropped.
  `[eventlistener:deaf]\ncommand=sleep 1000\nevents=PROCESS_STATE\nbuffer_size=2\n`;

async function started(port: number, d: Daemon): Promise<{ tcp: Target; unix: Target }> {
  const unix = unixTarget(d, 's.sock', AUTH);
  await waitForRpc(unix);
  return { tcp: tcpTarget(port, AUTH), unix };
}

/** Scrapes until `holds` is true of the samples; returns them. */
async function scrapeUntil(target: Target, what: string, holds: (samples: MetricSample[]) => boolean): Promise<MetricSample[]> {
  let samples: MetricSample[] = [];
  await eventually(async () => holds((samples = (await scrape(target)).samples)), what);
  return samples;
}

const of = (name: string) => ({ group: name, name });

describe(`e2e GET /metrics (${underTest})`, { concurrency: true, skip: underTest === 'ours' ? false : '/metrics is our extension' }, () => {
  it('answers on both servers behind their credentials (401 without, 405 for POST), in the text format promtool accepts', async (t) => {
    const port = await freePort();
    await withDaemon(apiConfig({ inetPort: port, auth: AUTH, body: PROGRAMS }), {}, async (d) => {
      const { tcp, unix } = await started(port, d);
      for (const target of [tcp, unix]) {
        assert.equal((await scrape({ ...target, username: undefined, password: undefined })).status, 401);
        assert.equal((await scrape({ ...target, password: 'wrong' })).status, 401);
        assert.equal((await scrape(target, 'POST')).status, 405);
        const answer = await scrape(target);
        assert.equal(answer.status, 200);
        assert.equal(answer.contentType, 'text/plain; version=0.0.4; charset=utf-8');
        assert.equal(valueOf(answer.samples, 'supervisor_process_state', of('worker')), 0);
      }
      const answer = await scrape(tcp);
      for (const name of ['supervisor_process_up', 'supervisor_listener_pool_buffer_size', 'supervisor_daemon_resident_memory_bytes']) {
        assert.match(answer.text, new RegExp(`^# HELP ${name} \\S`, 'm'));
      }
      if (!existsSync(PROMTOOL)) {
        t.skip(`${PROMTOOL} is not installed (Debian package prometheus; .ci/run installs it)`);
        return;
      }
      const checked = await runProcess(PROMTOOL, ['check', 'metrics'], { input: answer.text });
      assert.deepEqual(checked, { code: 0, signal: null, stdout: '', stderr: '' });
    });
  });

  it('follows a process as it starts, runs, is stopped and exits: state, up, start time, restarts, exit code, RSS, CPU, log bytes', async () => {
    const port = await freePort();
    await withDaemon(apiConfig({ inetPort: port, auth: AUTH, body: PROGRAMS }), {}, async (d) => {
      const { tcp, unix } = await started(port, d);
      let samples = (await scrape(tcp)).samples;
      assert.equal(valueOf(samples, 'supervisor_process_in_state', { ...of('worker'), state: 'STOPPED' }), 1);
      assert.equal(valueOf(samples, 'supervisor_process_up', of('worker')), 0);
      assert.equal(valueOf(samples, 'supervisor_process_restarts_total', of('worker')), 0);
      for (const absent of ['start_time_seconds', 'exit_code', 'resident_memory_bytes', 'cpu_seconds_total']) {
        assert.equal(valueOf(samples, `supervisor_process_${absent}`, of('worker')), undefined, absent);
      }
      // A stderr redirected to stdout or without a file has no log series; both have files here.
      assert.equal(valueOf(samples, 'supervisor_process_log_bytes_written_total', { ...of('worker'), channel: 'stdout' }), 0);

      assert.equal(await call(unix, 'supervisor.startProcess', 'worker', true), true);
      const info = asStruct(await call(unix, 'supervisor.getProcessInfo', 'worker'));
      samples = await scrapeUntil(tcp, 'the log bytes of worker', (s) => {
        const bytes = (channel: string) => valueOf(s, 'supervisor_process_log_bytes_written_total', { ...of('worker'), channel });
        return bytes('stdout') === 'hello\n'.length && bytes('stderr') === 'oops\n'.length;
      });
      assert.equal(valueOf(samples, 'supervisor_process_state', of('worker')), 20);
      assert.equal(valueOf(samples, 'supervisor_process_up', of('worker')), 1);
      assert.equal(valueOf(samples, 'supervisor_process_in_state', { ...of('worker'), state: 'RUNNING' }), 1);
      assert.equal(valueOf(samples, 'supervisor_process_in_state', { ...of('worker'), state: 'STOPPED' }), 0);
      assert.equal(Math.floor(valueOf(samples, 'supervisor_process_start_time_seconds', of('worker')) ?? 0), info['start']);
      assert.ok((valueOf(samples, 'supervisor_process_resident_memory_bytes', of('worker')) ?? 0) > 0);
      assert.ok((valueOf(samples, 'supervisor_process_cpu_seconds_total', of('worker')) ?? -1) >= 0);

      assert.equal(await call(unix, 'supervisor.stopProcess', 'worker', true), true);
      samples = (await scrape(tcp)).samples;
      assert.equal(valueOf(samples, 'supervisor_process_state', of('worker')), 0);
      assert.equal(valueOf(samples, 'supervisor_process_exit_code', of('worker')), -1, 'killed by SIGTERM');
      assert.equal(valueOf(samples, 'supervisor_process_resident_memory_bytes', of('worker')), undefined);

      assert.equal(await call(unix, 'supervisor.startProcess', 'worker', true), true);
      samples = (await scrape(tcp)).samples;
      assert.equal(valueOf(samples, 'supervisor_process_restarts_total', of('worker')), 1);
      assert.equal(valueOf(samples, 'supervisor_process_exit_code', of('worker')), -1, 'kept while the next child runs');

      await call(unix, 'supervisor.startProcess', 'fails', false);
      samples = await scrapeUntil(tcp, 'fails to be EXITED', (s) => valueOf(s, 'supervisor_process_state', of('fails')) === 100);
      assert.equal(valueOf(samples, 'supervisor_process_exit_code', of('fails')), 3);
      assert.equal(valueOf(samples, 'supervisor_process_in_state', { ...of('fails'), state: 'EXITED' }), 1);
      assert.equal(valueOf(samples, 'supervisor_process_up', of('fails')), 0);
    });
  });

  it('counts what a listener pool buffers and drops, and what the daemon answered; reports the daemon itself', async () => {
    const port = await freePort();
    await withDaemon(apiConfig({ inetPort: port, auth: AUTH, body: PROGRAMS }), {}, async (d) => {
      const { tcp, unix } = await started(port, d);
      await call(unix, 'supervisor.startProcess', 'fails', false);
      const pool = { group: 'deaf' };
      // The listener is a process too.
      const samples = await scrapeUntil(
        tcp,
        'deaf to run and drop events',
        (s) =>
          valueOf(s, 'supervisor_process_state', of('deaf')) === 20 &&
          (valueOf(s, 'supervisor_listener_pool_events_dropped_total', pool) ?? 0) > 0,
      );
      const waiting = valueOf(samples, 'supervisor_listener_pool_events_waiting', pool);
      assert.equal(waiting, 2);
      assert.equal(valueOf(samples, 'supervisor_listener_pool_buffer_size', pool), 2);
      assert.equal(
        valueOf(samples, 'supervisor_listener_pool_events_buffered_total', pool),
        waiting + (valueOf(samples, 'supervisor_listener_pool_events_dropped_total', pool) ?? 0),
        'none was handed out',
      );

      assert.equal(valueOf(samples, 'supervisor_info', { identifier: 'supervisor', version: '4.2.5' }), 1);
      assert.equal(valueOf(samples, 'supervisor_daemon_state'), 1);
      assert.ok((valueOf(samples, 'supervisor_daemon_resident_memory_bytes') ?? 0) > 0);
      assert.ok((valueOf(samples, 'supervisor_daemon_uptime_seconds') ?? 0) > 0);
      assert.ok((valueOf(samples, 'supervisor_daemon_cpu_seconds_total') ?? 0) > 0);
      assert.ok((valueOf(samples, 'supervisor_daemon_start_time_seconds') ?? Infinity) <= Date.now() / 1000);

      await scrape({ ...tcp, password: 'wrong' });
      const after = await scrapeUntil(
        tcp,
        'the 401 to be counted',
        (s) => valueOf(s, 'supervisor_http_requests_total', { server: 'inet_http_server', method: 'GET', code: '401' }) === 1,
      );
      // waitForRpc and startProcess went over the unix socket.
      assert.ok((valueOf(after, 'supervisor_http_requests_total', { server: 'unix_http_server', method: 'POST', code: '200' }) ?? 0) >= 2);
      assert.ok((valueOf(after, 'supervisor_http_requests_total', { server: 'inet_http_server', method: 'GET', code: '200' }) ?? 0) >= 1);
    });
  });
});
