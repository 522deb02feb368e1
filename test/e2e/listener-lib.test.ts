// The listener library: protocol parsing and answering over in-memory streams, then real
// listener processes (ours on the library, and the plain python3 fixture) under the daemon
// chosen by SUPERVISORD_UNDER_TEST receiving PROCESS_STATE and REMOTE_COMMUNICATION events.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { listen, runListener, parseHeaderLine, splitPayload, parseTokens, RejectEvent, type ListenerEvent } from '../../listener/index.js';
import { byteLengthOfCodePoints } from '../../listener/reader.js';
import { supervisordSection } from '../harness/config-text.js';
import { withDaemon, underTest, type Daemon } from '../harness/daemon.js';
import { createXmlRpcClient } from '../../common/xmlrpc/client.js';
import { repoRoot } from '../paths.js';

const TS_LISTENER = path.join(repoRoot, 'dist', 'test', 'fixtures', 'listeners', 'ts_listener.js');
const PY_LISTENER = path.join(repoRoot, 'test', 'fixtures', 'listeners', 'py_listener.py');

/** The envelope the reference writes: header line with len in code points, then the payload. */
function envelope(serial: number, eventName: string, payload: string): string {
  const len = [...payload].length;
  return `ver:3.0 server:supervisor serial:${serial} pool:p poolserial:${serial - 1} eventname:${eventName} len:${len}\n${payload}`;
}

/** How long an in-memory listener gets to do what a test waits for; only a broken one needs it. */
const WAIT_MS = 10_000;

/** `promise`, or a failure saying what did not happen if it has not settled within WAIT_MS. */
function soon<T>(promise: Promise<T>, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(what())), WAIT_MS)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A listener over in-memory streams; `until` resolves once what it wrote ends with a suffix. */
function memoryListener(): { input: PassThrough; output: PassThrough; until: (suffix: string) => Promise<void> } {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  const checks = new Set<() => void>();
  output.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const check of [...checks]) check();
  });
  const until = (suffix: string): Promise<void> => {
    let check = (): void => undefined;
    const reached = new Promise<void>((resolve) => {
      check = () => {
        if (text.endsWith(suffix)) resolve();
      };
    });
    checks.add(check);
    check();
    return soon(reached, () => `expected output to end with ${JSON.stringify(suffix)}, got ${JSON.stringify(text)}`).finally(() =>
      checks.delete(check),
    );
  };
  return { input, output, until };
}

describe('listener protocol parsing', () => {
  it('header line: every token, typed', () => {
    const h = parseHeaderLine(
      'ver:3.0 server:supervisor serial:21 pool:listener poolserial:10 eventname:PROCESS_COMMUNICATION_STDOUT len:54',
    );
    assert.deepEqual(
      { ver: h.ver, server: h.server, serial: h.serial, pool: h.pool, poolSerial: h.poolSerial, eventName: h.eventName, len: h.len },
      {
        ver: '3.0',
        server: 'supervisor',
        serial: 21,
        pool: 'listener',
        poolSerial: 10,
        eventName: 'PROCESS_COMMUNICATION_STDOUT',
        len: 54,
      },
    );
    assert.equal(h.raw['poolserial'], '10');
  });

  it('a header line without len is a protocol error', () => {
    assert.throws(() => parseHeaderLine('ver:3.0 server:supervisor'), { name: 'ProtocolError' });
  });

  it('tokens split at the first colon; a word without one continues the previous value', () => {
    assert.deepEqual(parseTokens('type:a b c url:http://x:1/ y:'), { type: 'a b c', url: 'http://x:1/', y: '' });
  });

  it('payloads: tokens only, tokens then body, empty', () => {
    assert.deepEqual(splitPayload('processname:cat groupname:cat from_state:STARTING pid:2766'), {
      fields: { processname: 'cat', groupname: 'cat', from_state: 'STARTING', pid: '2766' },
      data: undefined,
    });
    assert.deepEqual(splitPayload('processname:foo groupname:bar pid:123 channel:stdout\nline 1\nline 2\n'), {
      fields: { processname: 'foo', groupname: 'bar', pid: '123', channel: 'stdout' },
      data: 'line 1\nline 2\n',
    });
    assert.deepEqual(splitPayload('type:my type\nhello'), { fields: { type: 'my type' }, data: 'hello' });
    assert.deepEqual(splitPayload('groupname:g\n'), { fields: { groupname: 'g' }, data: '' });
    assert.deepEqual(splitPayload(''), { fields: {}, data: undefined });
  });

  it('code points to bytes: ASCII, 2-, 3- and 4-byte sequences, incomplete tail', () => {
    const buf = Buffer.from('aé✓😀', 'utf8');
    assert.equal(byteLengthOfCodePoints(buf, 0), 0);
    assert.equal(byteLengthOfCodePoints(buf, 2), 3);
    assert.equal(byteLengthOfCodePoints(buf, 4), 10);
    assert.equal(byteLengthOfCodePoints(buf, 5), undefined);
    assert.equal(byteLengthOfCodePoints(buf.subarray(0, 8), 4), undefined);
  });
});

describe('listen() over streams', () => {
  it('READY, one notification, OK; READY again; ends when input ends', async () => {
    const { input, output, until } = memoryListener();
    const seen: Array<{ name: string; fields: Record<string, string> }> = [];
    const done = (async () => {
      for await (const event of listen({ input, output })) {
        seen.push({ name: event.eventName, fields: { ...event.fields } });
        event.ok();
      }
    })();
    await until('READY\n');
    input.write(envelope(1, 'TICK_5', 'when:1700000000'));
    await until('READY\nRESULT 2\nOKREADY\n');
    input.end();
    await done;
    assert.deepEqual(seen, [{ name: 'TICK_5', fields: { when: '1700000000' } }]);
  });

  it('fail() answers RESULT 4 FAIL; result() sends custom text, its length in bytes', async () => {
    const { input, output, until } = memoryListener();
    const done = (async () => {
      let n = 0;
      for await (const event of listen({ input, output })) {
        if (n++ === 0) event.fail();
        else event.result('dé');
      }
    })();
    input.write(envelope(1, 'TICK_5', 'when:1'));
    await until('RESULT 4\nFAILREADY\n');
    input.write(envelope(2, 'TICK_5', 'when:2'));
    await until('RESULT 3\ndéREADY\n');
    input.end();
    await done;
  });

  it('answering twice throws; an unanswered event is answered OK when the loop moves on', async () => {
    const { input, output, until } = memoryListener();
    const done = (async () => {
      for await (const event of listen({ input, output })) {
        if (event.serial === 1) {
          event.ok();
          assert.throws(() => event.fail(), /already answered OK/);
        }
      }
    })();
    input.write(envelope(1, 'TICK_5', 'when:1'));
    input.write(envelope(2, 'TICK_5', 'when:2'));
    await until('READY\nRESULT 2\nOKREADY\nRESULT 2\nOKREADY\n');
    input.end();
    await done;
  });

  it('non-ASCII payload with len in code points, split mid-character across chunks', async () => {
    const { input, output } = memoryListener();
    const payload = 'type:t\nhé ✓ 😀 end';
    const got: ListenerEvent[] = [];
    const done = (async () => {
      for await (const event of listen({ input, output })) got.push(event);
    })();
    const bytes = Buffer.from(envelope(7, 'REMOTE_COMMUNICATION', payload), 'utf8');
    for (let i = 0; i < bytes.length; i += 3) {
      input.write(bytes.subarray(i, i + 3));
      await new Promise((r) => setImmediate(r));
    }
    input.end();
    await done;
    assert.equal(got.length, 1);
    assert.equal(got[0]?.payload, payload);
    assert.equal(got[0]?.data, 'hé ✓ 😀 end');
  });

  it('a daemon that counts len in bytes is understood too', async () => {
    const { input, output } = memoryListener();
    const payload = 'type:t\nhé ✓';
    const got: string[] = [];
    let arrived = (): void => undefined;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    const done = (async () => {
      for await (const event of listen({ input, output })) {
        got.push(event.payload);
        arrived();
      }
    })();
    input.write(
      `ver:3.0 server:s serial:1 pool:p poolserial:0 eventname:REMOTE_COMMUNICATION len:${Buffer.byteLength(payload)}\n${payload}`,
    );
    // the input stays open, as a daemon's would while it waits for the answer
    await soon(arrival, () => 'the byte-counted event never arrived');
    input.end();
    await done;
    assert.deepEqual(got, [payload]);
  });

  it('runListener: resolving answers OK, false and throwing answer FAIL (error reported)', async () => {
    const { input, output, until } = memoryListener();
    const errors: string[] = [];
    const done = runListener(
      (event) => {
        if (event.serial === 2) return false;
        if (event.serial === 3) throw new Error('boom');
        return undefined;
      },
      { input, output, onError: (err, event) => errors.push(`${event.serial}: ${(err as Error).message}`) },
    );
    for (const serial of [1, 2, 3]) input.write(envelope(serial, 'TICK_5', `when:${serial}`));
    await until('READY\nRESULT 2\nOKREADY\nRESULT 4\nFAILREADY\nRESULT 4\nFAILREADY\n');
    input.end();
    await done;
    assert.deepEqual(errors, ['3: boom']);
  });

  it('RejectEvent is an Error named RejectEvent', () => {
    const e = new RejectEvent('FAIL');
    assert.ok(e instanceof Error);
    assert.equal(e.name, 'RejectEvent');
    assert.equal(e.message, 'FAIL');
  });
});

interface Received {
  headers: Record<string, string>;
  payload: string;
  fields?: Record<string, string>;
  data?: string | null;
}

function received(d: Daemon, rel: string): Received[] {
  if (!existsSync(d.path(rel))) return [];
  // the last element is '' or a line still being written
  return readFileSync(d.path(rel), 'utf8')
    .split('\n')
    .slice(0, -1)
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Received);
}

async function waitForReceived(d: Daemon, rel: string, matches: (r: Received) => boolean, timeoutMs = 15_000): Promise<Received> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = received(d, rel).find(matches);
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`nothing matching in ${rel}: ${JSON.stringify(received(d, rel))}\n${d.describe()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const LISTENERS_CONFIG =
  supervisordSection() +
  [
    '[unix_http_server]',
    'file=%(tmp)s/supervisor.sock',
    '[rpcinterface:supervisor]',
    'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface',
    '[program:sleeper]',
    'command=sleep 1000',
    'startsecs=1',
    '[eventlistener:tslisten]',
    `command=${process.execPath} ${TS_LISTENER} %(tmp)s/ts.jsonl`,
    'events=PROCESS_STATE,REMOTE_COMMUNICATION',
    '[eventlistener:pylisten]',
    `command=python3 ${PY_LISTENER} %(tmp)s/py.jsonl`,
    'events=PROCESS_STATE,REMOTE_COMMUNICATION',
    '',
  ].join('\n');

describe(`listeners under the daemon (${underTest})`, { concurrency: true }, () => {
  for (const [who, file] of [
    ['our library', 'ts.jsonl'],
    ['the python3 fixture', 'py.jsonl'],
  ] as const) {
    it(`${who}: PROCESS_STATE_STARTING and _RUNNING with the right headers and payload; non-ASCII REMOTE_COMMUNICATION`, async () => {
      await withDaemon(LISTENERS_CONFIG, {}, async (d) => {
        const pool = file === 'ts.jsonl' ? 'tslisten' : 'pylisten';
        const starting = await waitForReceived(
          d,
          file,
          (r) => r.headers['eventname'] === 'PROCESS_STATE_STARTING' && r.payload.startsWith('processname:sleeper '),
        );
        assert.equal(starting.payload, 'processname:sleeper groupname:sleeper from_state:STOPPED tries:0');
        assert.equal(starting.headers['ver'], '3.0');
        assert.equal(starting.headers['server'], 'supervisor');
        assert.equal(starting.headers['pool'], pool);
        assert.match(starting.headers['serial'] ?? '', /^\d+$/);
        assert.match(starting.headers['poolserial'] ?? '', /^\d+$/);
        assert.equal(starting.headers['len'], String(starting.payload.length));

        const running = await waitForReceived(
          d,
          file,
          (r) => r.headers['eventname'] === 'PROCESS_STATE_RUNNING' && r.payload.startsWith('processname:sleeper '),
        );
        assert.match(running.payload, /^processname:sleeper groupname:sleeper from_state:STARTING pid:\d+$/);
        if (running.fields) assert.equal(running.fields['from_state'], 'STARTING');

        const client = createXmlRpcClient({ serverurl: `unix://${d.path('supervisor.sock')}` });
        try {
          await client.call('supervisor.sendRemoteCommEvent', 'greeting', 'hé ✓ 😀\nsecond line');
        } finally {
          client.close();
        }
        const remote = await waitForReceived(d, file, (r) => r.headers['eventname'] === 'REMOTE_COMMUNICATION');
        assert.equal(remote.payload, 'type:greeting\nhé ✓ 😀\nsecond line');
        assert.equal(remote.headers['len'], String([...remote.payload].length));
        if (remote.fields) {
          assert.deepEqual(remote.fields, { type: 'greeting' });
          assert.equal(remote.data, 'hé ✓ 😀\nsecond line');
        }
      });
    });
  }

  it('our library answering FAIL: the event is delivered again', async () => {
    const config =
      supervisordSection() +
      [
        '[program:sleeper]',
        'command=sleep 1000',
        'startsecs=0',
        '[eventlistener:failer]',
        `command=${process.execPath} ${TS_LISTENER} %(tmp)s/fail.jsonl FAIL`,
        'events=PROCESS_STATE_RUNNING',
        '',
      ].join('\n');
    await withDaemon(config, {}, async (d) => {
      const deadline = Date.now() + 15_000;
      let runningSerials: string[] = [];
      // A rejected event goes back to the head of the pool's queue, so the first one delivered (the
      // sleeper's RUNNING or the listener's own, whichever was first) comes back again and again.
      while (Date.now() < deadline) {
        runningSerials = received(d, 'fail.jsonl')
          .filter((r) => r.headers['eventname'] === 'PROCESS_STATE_RUNNING')
          .map((r) => r.headers['serial'] ?? '');
        if (runningSerials.length >= 2) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(runningSerials.length >= 2, `redelivered: ${JSON.stringify(runningSerials)}\n${d.describe()}`);
      assert.equal(new Set(runningSerials).size, 1, 'the same event (same serial) each time');
    });
  });
});
