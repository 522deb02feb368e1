// EventBus: a subscription to a type gets exactly the concrete events below it in events.rst's
// hierarchy, in the order they were published; publishers can ask whether anybody listens.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventBus } from '../../../actors/events/bus.js';
import { EVENT_PARENT, type EventTypeName } from '../../../config/event-types.js';
import type { SupervisorEvent } from '../../../actors/events/types.js';

/** Every concrete type, as the reference's events.py defines them (the abstract ones are never sent). */
const CONCRETE: EventTypeName[] = [
  'PROCESS_STATE_STOPPED',
  'PROCESS_STATE_EXITED',
  'PROCESS_STATE_STARTING',
  'PROCESS_STATE_STOPPING',
  'PROCESS_STATE_BACKOFF',
  'PROCESS_STATE_FATAL',
  'PROCESS_STATE_RUNNING',
  'PROCESS_STATE_UNKNOWN',
  'PROCESS_COMMUNICATION_STDOUT',
  'PROCESS_COMMUNICATION_STDERR',
  'PROCESS_LOG_STDOUT',
  'PROCESS_LOG_STDERR',
  'REMOTE_COMMUNICATION',
  'SUPERVISOR_STATE_CHANGE_RUNNING',
  'SUPERVISOR_STATE_CHANGE_STOPPING',
  'TICK_5',
  'TICK_60',
  'TICK_3600',
  'PROCESS_GROUP_ADDED',
  'PROCESS_GROUP_REMOVED',
];

/** What a subscription to each abstract type receives. */
const CHILDREN: Partial<Record<EventTypeName, EventTypeName[]>> = {
  EVENT: CONCRETE,
  PROCESS_STATE: CONCRETE.filter((t) => t.startsWith('PROCESS_STATE_')),
  PROCESS_COMMUNICATION: ['PROCESS_COMMUNICATION_STDOUT', 'PROCESS_COMMUNICATION_STDERR'],
  PROCESS_LOG: ['PROCESS_LOG_STDOUT', 'PROCESS_LOG_STDERR'],
  SUPERVISOR_STATE_CHANGE: ['SUPERVISOR_STATE_CHANGE_RUNNING', 'SUPERVISOR_STATE_CHANGE_STOPPING'],
  TICK: ['TICK_5', 'TICK_60', 'TICK_3600'],
  PROCESS_GROUP: ['PROCESS_GROUP_ADDED', 'PROCESS_GROUP_REMOVED'],
};

/** Publishes one event of every concrete type; returns the types `subscribed` heard, in order. */
function heardBy(subscribed: EventTypeName[]): EventTypeName[] {
  const bus = new EventBus();
  const heard: EventTypeName[] = [];
  bus.observe(subscribed).subscribe((event) => heard.push(event.type));
  for (const type of CONCRETE) bus.publish({ type, payload: '' });
  return heard;
}

describe('EventBus', () => {
  it('knows every type of events.rst, and no other', () => {
    assert.deepEqual(Object.keys(EVENT_PARENT).sort(), [...CONCRETE, ...Object.keys(CHILDREN)].sort());
  });

  for (const [abstract, children] of Object.entries(CHILDREN) as Array<[EventTypeName, EventTypeName[]]>) {
    it(`gives a subscription to ${abstract} exactly its concrete children`, () => {
      assert.deepEqual(heardBy([abstract]), children);
    });
  }

  it('gives a subscription to a concrete type only that type', () => {
    for (const type of CONCRETE) assert.deepEqual(heardBy([type]), [type], type);
  });

  it('delivers an event once to a subscription naming it more than one way', () => {
    assert.deepEqual(heardBy(['TICK', 'TICK_5', 'EVENT']), CONCRETE);
    assert.deepEqual(heardBy(['PROCESS_LOG_STDOUT', 'PROCESS_LOG']), ['PROCESS_LOG_STDOUT', 'PROCESS_LOG_STDERR']);
  });

  it('keeps the publication order across types', () => {
    const bus = new EventBus();
    const heard: SupervisorEvent[] = [];
    bus.observe(['TICK', 'PROCESS_STATE', 'REMOTE_COMMUNICATION']).subscribe((event) => heard.push(event));
    const sequence: SupervisorEvent[] = [
      { type: 'TICK_60', payload: 'when:60' },
      { type: 'PROCESS_STATE_RUNNING', payload: 'a' },
      { type: 'TICK_5', payload: 'when:65' },
      { type: 'REMOTE_COMMUNICATION', payload: 'b' },
      { type: 'PROCESS_STATE_RUNNING', payload: 'c' },
      { type: 'TICK_60', payload: 'when:120' },
    ];
    for (const event of sequence) bus.publish(event);
    assert.deepEqual(heard, sequence);
  });

  it('keeps the order when a subscriber publishes while it is being told of an event', () => {
    const bus = new EventBus();
    const heard: string[] = [];
    bus.observe(['EVENT']).subscribe((event) => {
      heard.push(event.payload);
      if (event.type === 'TICK_5') bus.publish({ type: 'PROCESS_GROUP_ADDED', payload: 'published meanwhile' });
    });
    bus.publish({ type: 'TICK_5', payload: 'first' });
    bus.publish({ type: 'TICK_60', payload: 'second' });
    assert.deepEqual(heard, ['first', 'published meanwhile', 'second']);
  });

  it('says a type is wanted exactly while somebody subscribes to it or to a parent', () => {
    const bus = new EventBus();
    const wanted = () => CONCRETE.filter((t) => bus.wants(t));
    assert.deepEqual(wanted(), []);
    const logs = bus.observe(['PROCESS_LOG']).subscribe();
    assert.deepEqual(wanted(), ['PROCESS_LOG_STDOUT', 'PROCESS_LOG_STDERR']);
    const tick = bus.observe(['TICK_60']).subscribe();
    assert.deepEqual(wanted(), ['PROCESS_LOG_STDOUT', 'PROCESS_LOG_STDERR', 'TICK_60']);
    logs.unsubscribe();
    assert.deepEqual(wanted(), ['TICK_60']);
    tick.unsubscribe();
    assert.deepEqual(wanted(), []);
    const everything = bus.observe(['EVENT']).subscribe();
    assert.deepEqual(wanted(), CONCRETE);
    everything.unsubscribe();
    assert.deepEqual(wanted(), []);
  });

  it('publishes to nobody without a subscription, and to nobody after complete()', () => {
    const bus = new EventBus();
    bus.publish({ type: 'TICK_5', payload: 'unheard' });
    const heard: string[] = [];
    let completed = false;
    bus.observe(['TICK']).subscribe({ next: (event) => heard.push(event.payload), complete: () => (completed = true) });
    bus.publish({ type: 'TICK_5', payload: 'heard' });
    bus.complete();
    bus.publish({ type: 'TICK_5', payload: 'after complete' });
    assert.deepEqual(heard, ['heard']);
    assert.equal(completed, true);
  });
});
