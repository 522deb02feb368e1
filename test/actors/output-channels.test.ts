// The socket pairs that carry children's output: what one end gets the other reads, and a
// process that connects to the (publicly listed) listening socket is never handed a channel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import { OutputChannels, type PooledChannel } from '../../actors/output-channels.js';
import { waitUntil } from '../harness/wait.js';

const STEP_TIMEOUT = 20_000;

/** Takes the next ready channel, waiting for one. */
async function nextChannel(channels: OutputChannels): Promise<PooledChannel> {
  let channel: PooledChannel | null = null;
  assert.ok(await waitUntil(() => (channel ??= channels.take()) !== null, STEP_TIMEOUT), 'a channel is ready');
  return channel as unknown as PooledChannel;
}

/** What `channel`'s reader receives once `text` is written on its child's end. */
async function carried(channel: PooledChannel, text: string): Promise<string> {
  let received = '';
  channel.deliver = (chunk) => (received += chunk.toString());
  channel.childEnd.write(text);
  assert.ok(await waitUntil(() => received.length >= text.length, STEP_TIMEOUT), `"${text}" arrives`);
  return received;
}

/** The abstract socket this process's channels are made through, as /proc/net/unix lists it. */
function listedName(): string {
  const line = fs
    .readFileSync('/proc/net/unix', 'utf8')
    .split('\n')
    .find((entry) => entry.includes(`@supervisord-output-${process.pid}-`));
  assert.ok(line, 'the listening socket is listed');
  // The file shows each NUL of an abstract name (its first byte and its padding) as "@".
  return line.slice(line.indexOf('@')).trim().replaceAll('@', '\0');
}

test('what is written on a channel’s child end is delivered to its reader', async () => {
  const channels = new OutputChannels(2);
  try {
    for (const text of ['first', 'second', 'third']) {
      const channel = await nextChannel(channels);
      assert.equal(await carried(channel, text), text);
      channel.childEnd.destroy();
      channel.reader.destroy();
    }
  } finally {
    channels.close();
  }
});

test('a connection without one of our tokens is closed and never becomes a channel', async () => {
  const channels = new OutputChannels(2);
  const intruders: net.Socket[] = [];
  let connected = 0;
  let closed = 0;
  const intrude = (name: string, sends: string) => {
    const intruder = net.connect(name, () => {
      connected += 1;
      intruder.write(sends);
    });
    intruder.on('error', () => {});
    intruder.on('data', () => assert.fail('an intruder received output'));
    intruder.on('close', () => (closed += 1));
    intruders.push(intruder);
  };
  try {
    // Channels are being made (the name is listed) while others connect, before and after each take.
    const taken = [await nextChannel(channels)];
    const name = listedName();
    for (let i = 0; i < 6; i += 1) {
      intrude(name, i % 2 === 0 ? 'x'.repeat(32) : '0'.repeat(64));
      taken.push(await nextChannel(channels));
      intrude(name, 'y'.repeat(32));
    }
    for (const [i, channel] of taken.entries()) assert.equal(await carried(channel, `line ${i}`), `line ${i}`);
    assert.ok(await waitUntil(() => connected === intruders.length, STEP_TIMEOUT), 'every intruder could connect');
    assert.ok(await waitUntil(() => closed === intruders.length, STEP_TIMEOUT), 'every intruder is closed');
    for (const channel of taken) {
      channel.childEnd.destroy();
      channel.reader.destroy();
    }
  } finally {
    for (const intruder of intruders) intruder.destroy();
    channels.close();
  }
});
