// ListenerPool in-process: event-listener processes on fake children, driven through the
// protocol (events.rst) — what the daemon writes to a listener's stdin, and what it does with
// each answer the listener writes back.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EventBus } from '../../actors/events/bus.js';
import { remoteCommunicationEvent, tickEvent } from '../../actors/events/payloads.js';
import type { SupervisorEvent } from '../../actors/events/types.js';
import { ProcessGroup } from '../../actors/group.js';
import { defaultResultHandler, type ResultHandler } from '../../actors/listener.js';
import { ListenerPool } from '../../actors/listener-pool.js';
import type { EventListenerSettings, ProcessGroupConfig } from '../../config/types.js';
import { type FakeChild, FakeSystem, processConfig, processEnvironment, RecordingLog, until } from '../harness/fake-system.js';

/** One event as a listener received it. */
interface Envelope {
  header: Record<string, string>;
  payload: string;
}

/** Splits what a listener read into envelopes; `len` counts code points, as the reference's does. */
function envelopes(child: FakeChild): Envelope[] {
  const result: Envelope[] = [];
  let rest = child.input;
  while (rest) {
    const newline = rest.indexOf('\n');
    assert.ok(newline > 0, `a header line in ${JSON.stringify(rest)}`);
    const header = Object.fromEntries(
      rest
        .slice(0, newline)
        .split(' ')
        .map((token) => [token.slice(0, token.indexOf(':')), token.slice(token.indexOf(':') + 1)]),
    );
    const body = [...rest.slice(newline + 1)];
    const length = Number(header.len);
    result.push({ header, payload: body.slice(0, length).join('') });
    rest = body.slice(length).join('');
  }
  return result;
}

/** The payloads a listener received, in order. */
const payloads = (child: FakeChild) => envelopes(child).map((e) => e.payload);

/** Lets pipes and microtasks run: what the daemon was going to write is written. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

const pools: ListenerPool[] = [];
const groups: ProcessGroup[] = [];

afterEach(() => {
  for (const pool of pools.splice(0)) pool.dispose();
  for (const group of groups.splice(0)) group.dispose();
});

interface PoolOptions {
  name?: string;
  numprocs?: number;
  settings?: Partial<EventListenerSettings>;
  resultHandler?: ResultHandler;
  /** Another pool's, to share its system, log and bus. */
  with?: { system: FakeSystem; log: RecordingLog; bus: EventBus };
}

/** An [eventlistener:x] pool of autorestarting listeners, not started yet. */
function listenerPool(options: PoolOptions = {}) {
  const name = options.name ?? 'listener';
  const system = options.with?.system ?? new FakeSystem();
  const log = options.with?.log ?? new RecordingLog();
  const env = processEnvironment(system, log, { isListener: true, ...(options.with ? { bus: options.with.bus } : {}) });
  const numprocs = options.numprocs ?? 1;
  const settings: EventListenerSettings = {
    bufferSize: 10,
    events: ['TICK', 'REMOTE_COMMUNICATION'],
    resultHandler: 'supervisor.dispatchers:default_handler',
    ...options.settings,
  };
  const config: ProcessGroupConfig = {
    kind: 'eventlistener',
    name,
    priority: -1,
    processes: Array.from({ length: numprocs }, (_, i) =>
      processConfig(numprocs > 1 ? `${name}_${i}` : name, { section: `eventlistener:${name}`, autorestart: 'true' }),
    ),
    listener: settings,
    location: { file: '/etc/supervisord.conf', line: 1 },
  };
  const group = new ProcessGroup(config, env);
  groups.push(group);
  const pool = new ListenerPool({
    group,
    settings,
    bus: env.bus,
    log,
    identifier: 'supervisor',
    resultHandler: options.resultHandler ?? defaultResultHandler,
  });
  pools.push(pool);
  /** The current child of each listener process, in group order. */
  const childOf = (index = 0): FakeChild => {
    const pid = group.processes[index]?.pid;
    const spawn = system.spawns.find((s) => s.child.pid === pid);
    assert.ok(spawn, `listener ${index} has a child`);
    return spawn.child;
  };
  return {
    system,
    log,
    bus: env.bus,
    group,
    pool,
    childOf,
    /** Starts the listeners and waits out startsecs: RUNNING, but not READY yet. */
    start: () => {
      group.startAutostarting();
      system.advance(1000);
      for (const process of group.processes) assert.equal(process.state, 'RUNNING');
    },
    publish: (event: SupervisorEvent) => {
      env.bus.publish(event);
      return event;
    },
  };
}

/** The listener writes `text` on its stdout; resolves once the pool has read and acted on it. */
async function says(child: FakeChild, text: string): Promise<void> {
  const before = child.stdout.readableLength;
  child.stdout.write(text);
  await until(() => child.stdout.readableLength <= before, 'the listener output read');
  await settle();
}

/** The listener says READY and, `count` envelopes in all having arrived, resolves. */
async function readyFor(child: FakeChild, count: number): Promise<void> {
  await says(child, 'READY\n');
  await until(() => envelopes(child).length === count, `${count} envelope(s) delivered`);
}

describe('ListenerPool', () => {
  it('writes the reference envelope to a READY listener', async () => {
    const p = listenerPool();
    p.start();
    const child = p.childOf();
    const event = p.publish(tickEvent('TICK_5', 1_700_000_005));
    assert.equal(child.input, '', 'nothing before READY');
    await readyFor(child, 1);
    assert.equal(
      child.input,
      `ver:3.0 server:supervisor serial:${event.serial} pool:listener poolserial:0 eventname:TICK_5 len:15\nwhen:1700000005`,
    );
    assert.ok(p.log.at('debug').includes(`event ${event.serial} sent to listener listener`));
    assert.ok(p.log.at('debug').includes('listener: ACKNOWLEDGED -> READY'));
    assert.ok(p.log.at('debug').includes('listener: READY -> BUSY'));
  });

  it("announces the payload's length in code points, as the reference (Python's len) does", async () => {
    const p = listenerPool();
    p.start();
    const child = p.childOf();
    const event = p.publish(remoteCommunicationEvent('greeting', 'héllo 🙂'));
    assert.equal(event.payload, 'type:greeting\nhéllo 🙂');
    await readyFor(child, 1);
    assert.equal(envelopes(child)[0]?.header.len, '21');
    assert.equal(envelopes(child)[0]?.payload, event.payload);
  });

  it('keeps events until a listener is both RUNNING and READY', async () => {
    const p = listenerPool();
    p.group.startAutostarting();
    const child = p.childOf();
    p.publish(tickEvent('TICK_5', 5));
    await says(child, 'READY\n');
    assert.ok(p.log.at('debug').includes('listener: ACKNOWLEDGED -> READY'));
    assert.equal(child.input, '', 'READY but still STARTING');
    p.system.advance(1000);
    await until(() => payloads(child).length === 1, 'the event sent once RUNNING');
    assert.deepEqual(payloads(child), ['when:5']);
  });

  it('sends one event at a time: the next only after RESULT OK and READY again', async () => {
    const p = listenerPool();
    p.start();
    const child = p.childOf();
    p.publish(tickEvent('TICK_5', 5));
    p.publish(tickEvent('TICK_5', 10));
    await readyFor(child, 1);
    await says(child, 'RESULT 2\nOK');
    assert.ok(p.log.at('debug').includes('listener: event was processed'));
    assert.ok(p.log.at('debug').includes('listener: BUSY -> ACKNOWLEDGED'));
    assert.equal(envelopes(child).length, 1, 'ACKNOWLEDGED is not READY');
    await readyFor(child, 2);
    assert.deepEqual(payloads(child), ['when:5', 'when:10']);
    // An answer and the next READY may come in one write.
    p.publish(tickEvent('TICK_5', 15));
    await says(child, 'RESULT 2\nOKREADY\n');
    await until(() => envelopes(child).length === 3, 'the third event');
    assert.deepEqual(payloads(child), ['when:5', 'when:10', 'when:15']);
  });

  it('understands READY and RESULT split across writes', async () => {
    const p = listenerPool();
    p.start();
    const child = p.childOf();
    p.publish(tickEvent('TICK_5', 5));
    p.publish(tickEvent('TICK_5', 10));
    await says(child, 'REA');
    assert.equal(child.input, '');
    await says(child, 'DY\n');
    assert.equal(envelopes(child).length, 1);
    for (const part of ['RES', 'ULT 2', '\nO', 'K', 'READ']) await says(child, part);
    assert.ok(p.log.at('debug').includes('listener: event was processed'));
    assert.equal(envelopes(child).length, 1);
    await says(child, 'Y\n');
    await until(() => envelopes(child).length === 2, 'the second event');
    assert.deepEqual(payloads(child), ['when:5', 'when:10']);
    assert.deepEqual(p.log.at('warn'), []);
  });

  it('takes anything but READY from an ACKNOWLEDGED listener as a protocol violation', async () => {
    const p = listenerPool();
    p.start();
    const child = p.childOf();
    await says(child, 'HELLO\n');
    assert.ok(p.log.at('debug').includes('listener: ACKNOWLEDGED -> UNKNOWN'));
    await says(child, 'READY\n');
    p.publish(tickEvent('TICK_5', 5));
    await settle();
    assert.equal(child.input, '');
  });

  it('takes back a FAILed event and sends it again before newer ones', async () => {
    const p = listenerPool();
    p.start();
    const child = p.childOf();
    const first = p.publish(tickEvent('TICK_5', 5));
    const second = p.publish(tickEvent('TICK_5', 10));
    await readyFor(child, 1);
    await says(child, 'RESULT 4\nFAIL');
    assert.ok(p.log.at('warn').includes('listener: event was rejected'));
    assert.ok(p.log.at('debug').includes(`rebuffering event ${first.serial} for pool listener (buf size=1, max=10)`));
    assert.equal(p.pool.buffered, 2, 'an event given back is not counted again');
    await readyFor(child, 2);
    await says(child, 'RESULT 2\nOK');
    await readyFor(child, 3);
    assert.deepEqual(
      envelopes(child).map((e) => [e.header.serial, e.header.poolserial, e.payload]),
      [
        [`${first.serial}`, '0', 'when:5'],
        [`${first.serial}`, '0', 'when:5'],
        [`${second.serial}`, '1', 'when:10'],
      ],
    );
  });

  it('stops sending to a listener that garbles its RESULT line (UNKNOWN), until it is restarted', async () => {
    const p = listenerPool();
    p.start();
    const child = p.childOf();
    p.publish(tickEvent('TICK_5', 5));
    await readyFor(child, 1);
    await says(child, 'RESULT two\n');
    assert.deepEqual(p.log.at('warn'), [
      "listener: bad result line: 'RESULT two'",
      'listener: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol',
    ]);
    await says(child, 'READY\n');
    p.publish(tickEvent('TICK_5', 10));
    await settle();
    assert.equal(envelopes(child).length, 1, 'an UNKNOWN listener gets nothing');
    // A new listener process starts the protocol afresh and gets the garbled event first.
    await child.die(1);
    p.system.advance(1000);
    const next = p.childOf();
    assert.notEqual(next, child);
    await readyFor(next, 1);
    assert.deepEqual(payloads(next), ['when:5']);
  });

  it('takes an answer the result handler fails on as a protocol error', async () => {
    const p = listenerPool({
      resultHandler: () => {
        throw new Error('handler broke');
      },
    });
    p.start();
    const child = p.childOf();
    p.publish(tickEvent('TICK_5', 5));
    await readyFor(child, 1);
    await says(child, 'RESULT 2\nOK');
    assert.ok(p.log.at('warn').includes('listener: event caused an error'));
    assert.ok(p.log.at('debug').includes('listener: BUSY -> UNKNOWN'));
  });

  it('gives back the event of a listener that exits while BUSY, to its successor', async () => {
    const p = listenerPool();
    p.start();
    const child = p.childOf();
    const event = p.publish(tickEvent('TICK_5', 5));
    await readyFor(child, 1);
    await child.die(null, 'SIGKILL');
    assert.equal(p.group.processes[0]?.state, 'STARTING');
    p.system.advance(1000);
    const next = p.childOf();
    await readyFor(next, 1);
    assert.deepEqual(
      envelopes(next).map((e) => [e.header.serial, e.header.poolserial, e.payload]),
      [[`${event.serial}`, '0', 'when:5']],
    );
  });

  it('drops the oldest event when the buffer is full, with the reference error line', async () => {
    const p = listenerPool({ settings: { bufferSize: 2 } });
    p.start();
    const child = p.childOf();
    const [first] = [1, 2, 3].map((n) => p.publish(tickEvent('TICK_5', n * 5)));
    assert.deepEqual(p.log.at('error'), [`pool listener event buffer overflowed, discarding event ${first?.serial}`]);
    assert.equal(p.pool.discarded, 1);
    assert.deepEqual([p.pool.buffered, p.pool.waiting, p.pool.capacity], [3, 2, 2]);
    await readyFor(child, 1);
    await says(child, 'RESULT 2\nOK');
    await readyFor(child, 2);
    assert.deepEqual(payloads(child), ['when:10', 'when:15']);
    assert.deepEqual([p.pool.buffered, p.pool.waiting], [3, 0]);
  });

  it('hands events to whichever listener of the pool is READY', async () => {
    const p = listenerPool({ numprocs: 2 });
    p.start();
    const [a, b] = [p.childOf(0), p.childOf(1)];
    await says(b, 'READY\n');
    await says(a, 'READY\n');
    p.publish(tickEvent('TICK_5', 5));
    p.publish(tickEvent('TICK_5', 10));
    p.publish(tickEvent('TICK_5', 15));
    await settle();
    assert.deepEqual(payloads(a), ['when:5']);
    assert.deepEqual(payloads(b), ['when:10']);
    await says(b, 'RESULT 2\nOKREADY\n');
    await until(() => payloads(b).length === 2, 'the third event');
    assert.deepEqual(payloads(b), ['when:10', 'when:15']);
  });

  it('numbers events with one daemon-wide serial and a serial per pool, both increasing', async () => {
    const ticks = listenerPool({ name: 'ticks' });
    const remote = listenerPool({ name: 'remote', settings: { events: ['REMOTE_COMMUNICATION'] }, with: ticks });
    ticks.start();
    remote.start();
    const published = [
      ticks.publish(tickEvent('TICK_5', 5)),
      ticks.publish(remoteCommunicationEvent('t', 'one')),
      ticks.publish(remoteCommunicationEvent('t', 'two')),
    ];
    const serials = published.map((e) => e.serial ?? -1);
    assert.deepEqual(serials, [serials[0], serials[0]! + 1, serials[0]! + 2]);
    for (const [p, count] of [
      [ticks, 3],
      [remote, 2],
    ] as const) {
      const child = p.childOf();
      for (let n = 1; n <= count; n += 1) {
        await readyFor(child, n);
        await says(child, 'RESULT 2\nOK');
      }
    }
    const received = (p: typeof ticks) =>
      envelopes(p.childOf()).map((e) => `${e.header.pool} ${e.header.serial} ${e.header.poolserial} ${e.header.eventname}`);
    assert.deepEqual(received(ticks), [
      `ticks ${serials[0]} 0 TICK_5`,
      `ticks ${serials[1]} 1 REMOTE_COMMUNICATION`,
      `ticks ${serials[2]} 2 REMOTE_COMMUNICATION`,
    ]);
    assert.deepEqual(received(remote), [`remote ${serials[1]} 0 REMOTE_COMMUNICATION`, `remote ${serials[2]} 1 REMOTE_COMMUNICATION`]);
  });

  it("keeps an event when the listener's stdin is gone, and the listener READY", async () => {
    const p = listenerPool();
    p.start();
    const child = p.childOf();
    await says(child, 'READY\n');
    child.stdin.destroy();
    const event = p.publish(tickEvent('TICK_5', 5));
    assert.ok(
      p.log.at('debug').includes(`epipe occurred while sending event ${event.serial} to listener listener, listener state unchanged`),
    );
    assert.ok(!p.log.at('debug').includes('listener: READY -> BUSY'));
  });
});
