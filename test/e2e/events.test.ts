// Event listeners end to end, with real listener processes (a standard-library Python one):
// every event type with its headers and payload, redelivery after a listener dies holding an
// event or answers FAIL, buffer overflow, protocol violations. Runs against either daemon.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { supervisordSection } from '../harness/config-text.js';
import { waitUntil } from '../harness/wait.js';
import { underTest, withDaemon, type Daemon } from '../harness/daemon.js';
import { call, unixTarget } from '../harness/rpc.js';
import { fixturesDir } from '../paths.js';

const PY_LISTENER = path.join(fixturesDir, 'listeners', 'py_listener.py');
const PY_DIES_ONCE = path.join(fixturesDir, 'listeners', 'py_dies_once.py');
const RESULT_HANDLER = path.join(fixturesDir, 'listeners', 'result-handler.mjs');

interface Received {
  headers: Record<string, string>;
  payload: string;
}

function received(d: Daemon, file = 'events.jsonl'): Received[] {
  const text = fs.existsSync(d.path(file)) ? fs.readFileSync(d.path(file), 'utf8') : '';
  // the last element is '' or a line still being written
  return text
    .split('\n')
    .slice(0, -1)
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Received);
}

async function waitForEvent(d: Daemon, match: (e: Received) => boolean, file?: string, timeoutMs = 20_000): Promise<Received> {
  await waitUntil(() => received(d, file).some(match), timeoutMs);
  const found = received(d, file).find(match);
  assert.ok(
    found,
    `no matching event; got ${received(d, file)
      .map((e) => e.headers.eventname)
      .join(', ')}`,
  );
  return found;
}

const named = (name: string) => (e: Received) => e.headers.eventname === name;

const SERVER =
  '[unix_http_server]\nfile=%(tmp)s/s.sock\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n';

describe(`events (${underTest})`, { concurrency: true }, () => {
  it('a listener receives every kind of event, with the reference headers and payloads', async () => {
    const config =
      supervisordSection() +
      SERVER +
      `[eventlistener:listen]\ncommand=python3 ${PY_LISTENER} %(tmp)s/events.jsonl\n` +
      'events=PROCESS_STATE,PROCESS_LOG,PROCESS_COMMUNICATION,REMOTE_COMMUNICATION,SUPERVISOR_STATE_CHANGE,PROCESS_GROUP,TICK_5\n' +
      // Events wait for the listener to be RUNNING; the default buffer (10) would drop the first.
      'buffer_size=100\n' +
      '[program:talker]\n' +
      `command=sh -c 'echo out; echo err >&2; printf "<!--XSUPERVISOR:BEGIN-->to you<!--XSUPERVISOR:END-->"; sleep 2; exit 3'\n` +
      'stdout_events_enabled=true\nstderr_events_enabled=true\nstdout_capture_maxbytes=1KB\nautorestart=false\n' +
      '[program:broken]\ncommand=/nonexistent/command\nstartretries=0\n';
    await withDaemon(config, {}, async (d) => {
      const target = unixTarget(d);
      await d.waitForLine(/success: listen /);
      assert.equal(await call(target, 'supervisor.sendRemoteCommEvent', 'greeting', 'hello there'), true);

      const added = await waitForEvent(d, (e) => named('PROCESS_GROUP_ADDED')(e) && e.payload === 'groupname:talker\n');
      assert.equal(added.headers.ver, '3.0');
      assert.equal(added.headers.server, 'supervisor');
      assert.equal(added.headers.pool, 'listen');
      assert.equal(added.headers.len, String(added.payload.length));
      await waitForEvent(d, (e) => named('SUPERVISOR_STATE_CHANGE_RUNNING')(e) && e.payload === '');
      await waitForEvent(
        d,
        (e) => named('PROCESS_STATE_STARTING')(e) && e.payload === 'processname:talker groupname:talker from_state:STOPPED tries:0',
      );
      const running = await waitForEvent(d, (e) => named('PROCESS_STATE_RUNNING')(e) && e.payload.startsWith('processname:talker '));
      const pid = /pid:(\d+)$/.exec(running.payload)?.[1];
      assert.match(running.payload, /^processname:talker groupname:talker from_state:STARTING pid:\d+$/);
      assert.equal(
        (await waitForEvent(d, named('PROCESS_LOG_STDERR'))).payload,
        `processname:talker groupname:talker pid:${pid} channel:stderr\nerr\n`,
      );
      // stdout and stderr are two pipes: neither event need come first
      assert.equal(
        (await waitForEvent(d, named('PROCESS_LOG_STDOUT'))).payload,
        `processname:talker groupname:talker pid:${pid} channel:stdout\nout\n`,
      );
      assert.equal(
        (await waitForEvent(d, named('PROCESS_COMMUNICATION_STDOUT'))).payload,
        `processname:talker groupname:talker pid:${pid}\nto you`,
      );
      assert.equal((await waitForEvent(d, named('REMOTE_COMMUNICATION'))).payload, 'type:greeting\nhello there');
      assert.equal(
        (await waitForEvent(d, named('PROCESS_STATE_EXITED'))).payload,
        `processname:talker groupname:talker from_state:RUNNING expected:0 pid:${pid}`,
      );
      await waitForEvent(
        d,
        (e) => named('PROCESS_STATE_BACKOFF')(e) && e.payload === 'processname:broken groupname:broken from_state:STARTING tries:1',
      );
      await waitForEvent(
        d,
        (e) => named('PROCESS_STATE_FATAL')(e) && e.payload === 'processname:broken groupname:broken from_state:BACKOFF',
      );
      assert.match((await waitForEvent(d, named('TICK_5'))).payload, /^when:\d+$/);
      const tick = Number(received(d).find(named('TICK_5'))!.payload.slice(5));
      assert.equal(tick % 5, 0, 'a tick carries its period boundary');

      // Serials: global and per pool, both counting up without gaps for a single pool.
      const serials = received(d).map((e) => Number(e.headers.serial));
      assert.deepEqual(
        serials,
        serials.map((_, i) => i),
      );
      assert.deepEqual(
        received(d).map((e) => Number(e.headers.poolserial)),
        serials,
      );

      assert.equal(await call(target, 'supervisor.stopProcess', 'listen'), true);
    });
  });

  const shutdownEventsSkip = {
    skip:
      underTest === 'reference' ? 'the reference dispatches once per loop pass and usually stops the listener before its next one' : false,
  };

  it('SUPERVISOR_STATE_CHANGE_STOPPING and PROCESS_STATE_STOPPING on shutdown', shutdownEventsSkip, async () => {
    const config =
      supervisordSection() +
      `[eventlistener:listen]\ncommand=python3 ${PY_LISTENER} %(tmp)s/events.jsonl\nevents=SUPERVISOR_STATE_CHANGE_STOPPING,PROCESS_STATE_STOPPING,PROCESS_STATE_STOPPED\npriority=-1\n` +
      // Stops only once the listener (stopped after it) has taken its STOPPING event.
      `[program:sleeper]\ncommand=sh -c 'trap "until grep -q PROCESS_STATE_STOPPING %(tmp)s/events.jsonl; do sleep 0.05; done; exit 0" TERM; sleep 1000 & wait'\npriority=999\n`;
    await withDaemon(config, {}, async (d) => {
      await d.waitForCount(/success: /, 2);
      d.signal('SIGTERM');
      // The listener stops last (lowest priority), so it hears the daemon and the others begin
      // to stop (sleeper's STOPPED comes as the listener itself is being stopped: not delivered).
      assert.equal((await d.waitForExit()).code, 0);
      assert.deepEqual(
        received(d)
          .map((e) => e.headers.eventname)
          .slice(0, 2),
        ['SUPERVISOR_STATE_CHANGE_STOPPING', 'PROCESS_STATE_STOPPING'],
      );
      assert.match(received(d)[1]!.payload, /^processname:sleeper groupname:sleeper from_state:RUNNING pid:\d+$/);
    });
  });

  it('an event held by a listener that dies is delivered again, to its next process', async () => {
    const config =
      supervisordSection() +
      SERVER +
      `[eventlistener:fragile]\ncommand=python3 ${PY_DIES_ONCE} %(tmp)s/events.jsonl %(tmp)s/died\nevents=REMOTE_COMMUNICATION\nstartsecs=0\n`;
    await withDaemon(config, {}, async (d) => {
      await d.waitForLine(/success: fragile /);
      await call(unixTarget(d), 'supervisor.sendRemoteCommEvent', 'first', 'must not be lost');
      const event = await waitForEvent(d, named('REMOTE_COMMUNICATION'));
      assert.equal(event.payload, 'type:first\nmust not be lost');
      assert.ok(fs.existsSync(d.path('died')), 'the first process died holding the event');
      await d.waitForCount(/ INFO spawned: 'fragile'/, 2); // stdout may lag behind the file
      assert.equal(d.matching(/^INFO spawned: 'fragile'/).length, 2);
    });
  });

  it('an event answered FAIL is sent again', async () => {
    const config =
      supervisordSection() +
      SERVER +
      `[eventlistener:grumpy]\ncommand=python3 ${PY_LISTENER} %(tmp)s/events.jsonl FAIL\nevents=REMOTE_COMMUNICATION\nstartsecs=0\n`;
    await withDaemon(config, {}, async (d) => {
      await d.waitForLine(/success: grumpy /);
      await call(unixTarget(d), 'supervisor.sendRemoteCommEvent', 'again', 'and again');
      assert.ok(await waitUntil(() => received(d).length >= 3, 20_000), 'delivered three times');
      const first = received(d).slice(0, 3);
      assert.ok(first.every((e) => e.payload === 'type:again\nand again' && e.headers.serial === first[0]!.headers.serial));
      await d.waitForLine(/ WARN grumpy: event was rejected$/); // stdout may lag behind the file
    });
  });

  it('a full buffer drops the oldest event and says so', async () => {
    // A listener that never says READY: every event waits in the buffer.
    const config =
      supervisordSection() + SERVER + '[eventlistener:mute]\ncommand=sleep 1000\nevents=REMOTE_COMMUNICATION\nbuffer_size=2\nstartsecs=0\n';
    await withDaemon(config, {}, async (d) => {
      await d.waitForLine(/success: mute /);
      for (const n of [1, 2, 3, 4]) await call(unixTarget(d), 'supervisor.sendRemoteCommEvent', 't', String(n));
      await d.waitForCount(/event buffer overflowed/, 2);
      assert.deepEqual(d.matching(/event buffer overflowed/), [
        'ERRO pool mute event buffer overflowed, discarding event 0',
        'ERRO pool mute event buffer overflowed, discarding event 1',
      ]);
    });
  });

  it('a listener that breaks the protocol is UNKNOWN and gets no more events', async () => {
    const config = supervisordSection() + "[eventlistener:chatty]\ncommand=sh -c 'echo hello; sleep 1000'\nevents=TICK_5\nstartsecs=0\n";
    await withDaemon(config, {}, async (d) => {
      await d.waitForLine(/chatty: has entered the UNKNOWN state/);
      assert.ok(
        d
          .activity()
          .includes(
            'WARN chatty: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol',
          ),
      );
    });
  });

  it(
    'result_handler may be a Node module (ours only)',
    { skip: underTest === 'reference' ? 'Node result handlers are ours' : false },
    async () => {
      const config =
        supervisordSection() +
        SERVER +
        `[eventlistener:judged]\ncommand=python3 ${PY_LISTENER} %(tmp)s/events.jsonl NO\nevents=REMOTE_COMMUNICATION\nstartsecs=0\nresult_handler=${RESULT_HANDLER}:judge\n`;
      await withDaemon(config, {}, async (d) => {
        await d.waitForLine(/success: judged /);
        await call(unixTarget(d), 'supervisor.sendRemoteCommEvent', 'x', 'y');
        await d.waitForLine(/judged: event was rejected/);
      });
    },
  );
});
