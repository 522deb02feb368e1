// The listener machine: every event in every state, and what it emits.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createActor } from 'xstate';
import { listenerMachine, type ListenerEffect, type ListenerEvent } from '../../machines/listener.js';
import type { ListenerStateName } from '../../machines/states.js';

const EVENTS: ListenerEvent[] = [
  { type: 'READY_TOKEN' },
  { type: 'GARBAGE' },
  { type: 'SENT' },
  { type: 'RESULT', accepted: true },
  { type: 'RESULT', accepted: false },
  { type: 'BAD_RESULT' },
  { type: 'PROCESS_EXITED' },
];

/** The shortest way from the start to each state. */
const WAY_TO: Record<ListenerStateName, ListenerEvent[]> = {
  ACKNOWLEDGED: [],
  READY: [{ type: 'READY_TOKEN' }],
  BUSY: [{ type: 'READY_TOKEN' }, { type: 'SENT' }],
  UNKNOWN: [{ type: 'GARBAGE' }],
};

function listenerIn(state: ListenerStateName) {
  const actor = createActor(listenerMachine);
  const effects: ListenerEffect[] = [];
  actor.on('*', (effect: ListenerEffect) => effects.push(effect));
  actor.start();
  for (const event of WAY_TO[state]) actor.send(event);
  effects.length = 0;
  return { actor, effects, state: () => actor.getSnapshot().context.state };
}

describe('listener machine', () => {
  it('takes every event in every state, and the state it reports is the one it is in', () => {
    for (const from of Object.keys(WAY_TO) as ListenerStateName[]) {
      for (const event of EVENTS) {
        const l = listenerIn(from);
        l.actor.send(event);
        assert.equal(l.actor.getSnapshot().status, 'active');
        assert.equal(l.state(), l.actor.getSnapshot().value, `${from} then ${event.type}`);
      }
    }
  });

  it('starts afresh from every state when its process exits: the protocol can never stay broken', () => {
    for (const from of Object.keys(WAY_TO) as ListenerStateName[]) {
      const l = listenerIn(from);
      l.actor.send({ type: 'PROCESS_EXITED' });
      assert.equal(l.state(), 'ACKNOWLEDGED', from);
    }
  });

  it('gives the event back exactly when it held one and did not accept it', () => {
    const rejects = (from: ListenerStateName, event: ListenerEvent) => {
      const l = listenerIn(from);
      l.actor.send(event);
      return l.effects.filter((e) => e.type === 'reject').length;
    };
    for (const from of Object.keys(WAY_TO) as ListenerStateName[]) {
      for (const event of EVENTS) {
        const held = from === 'BUSY';
        const kept = event.type === 'RESULT' && event.accepted;
        const returned = held && !kept && ['RESULT', 'BAD_RESULT', 'PROCESS_EXITED'].includes(event.type);
        assert.equal(rejects(from, event), returned ? 1 : 0, `${from} then ${JSON.stringify(event)}`);
      }
    }
  });

  it('announces each change with where it came from', () => {
    const l = listenerIn('ACKNOWLEDGED');
    l.actor.send({ type: 'READY_TOKEN' });
    l.actor.send({ type: 'SENT' });
    l.actor.send({ type: 'RESULT', accepted: true });
    assert.deepEqual(
      l.effects.map((e) => (e.type === 'stateChange' ? `${e.from}->${e.to}` : e.type)),
      ['ACKNOWLEDGED->READY', 'READY->BUSY', 'BUSY->ACKNOWLEDGED'],
    );
  });
});
