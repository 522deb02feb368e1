// An [eventlistener:x] pool: the listener processes of one section, the events they subscribed
// to, and a bounded buffer in between. An event waits in the buffer until a listener is RUNNING
// and READY; a rejected one goes back to the head; when the buffer is full the oldest is dropped
// (and logged), as the reference does.
import type { Subscription } from 'rxjs';
import type { EventListenerSettings } from '../config/types.js';
import type { EventBus } from './events/bus.js';
import { isEventTypeName, type EventTypeName } from '../config/event-types.js';
import type { SupervisorEvent } from './events/types.js';
import type { ProcessGroup } from './group.js';
import { Listener, type ResultHandler } from './listener.js';
import type { ActivityLog } from './logs/activity-log.js';

/** The daemon-wide serial of events, as the reference counts them (per daemon process). */
let globalSerial = -1;

/** Python's len() of the payload: code points, which is what the reference announces. */
function pythonLength(text: string): number {
  let length = 0;
  for (const _ of text) length += 1;
  return length;
}

export interface ListenerPoolOptions {
  group: ProcessGroup;
  settings: EventListenerSettings;
  bus: EventBus;
  log: ActivityLog;
  /** [supervisord] identifier: the "server" of each envelope. */
  identifier: string;
  resultHandler: ResultHandler;
}

export class ListenerPool {
  /** Events dropped because the buffer was full. */
  discarded = 0;
  /** Events taken into the buffer (a rejected one coming back is not counted again). */
  buffered = 0;
  private readonly buffer: SupervisorEvent[] = [];
  private readonly poolSerials = new WeakMap<SupervisorEvent, number>();
  private serial = -1;
  private readonly listeners: Listener[];
  private readonly subscriptions: Subscription[] = [];

  constructor(private readonly options: ListenerPoolOptions) {
    const { group, log, resultHandler } = options;
    this.listeners = group.processes.map(
      (process) =>
        new Listener(process, {
          log,
          resultHandler,
          becameReady: () => this.dispatch(),
          rejected: (event) => this.accept(event, true),
        }),
    );
    for (const listener of this.listeners) {
      const process = listener.process;
      this.subscriptions.push(
        process.output.subscribe(({ channel, data }) => {
          if (channel === 'stdout') listener.received(data);
        }),
        process.changes.subscribe((change) => {
          if (change.cause.type === 'EXIT' || change.to === 'STARTING') listener.processExited();
          if (change.to === 'RUNNING') this.dispatch();
        }),
      );
    }
    const types = options.settings.events.filter(isEventTypeName) as EventTypeName[];
    this.subscriptions.push(options.bus.observe(types).subscribe((event) => this.accept(event)));
  }

  get name(): string {
    return this.options.group.name;
  }

  /** Events waiting in the buffer now. */
  get waiting(): number {
    return this.buffer.length;
  }

  /** How many events the buffer holds at most (buffer_size). */
  get capacity(): number {
    return this.options.settings.bufferSize;
  }

  /** Buffers an event (at the head when it comes back rejected), then tries to hand it out. */
  accept(event: SupervisorEvent, head = false): void {
    const { log, settings } = this.options;
    event.serial ??= ++globalSerial;
    if (this.poolSerials.has(event)) {
      log.debug(`rebuffering event ${event.serial} for pool ${this.name} (buf size=${this.buffer.length}, max=${settings.bufferSize})`);
    } else {
      this.poolSerials.set(event, ++this.serial);
      this.buffered += 1;
    }
    if (this.buffer.length >= settings.bufferSize && this.buffer.length) {
      const dropped = this.buffer.shift()!;
      this.discarded += 1;
      log.error(`pool ${this.name} event buffer overflowed, discarding event ${dropped.serial}`);
    }
    if (head) this.buffer.unshift(event);
    else this.buffer.push(event);
    this.dispatch();
  }

  /** Hands buffered events, oldest first, to listeners that can take one. */
  dispatch(): void {
    while (this.buffer.length) {
      const event = this.buffer[0]!;
      const listener = this.listeners.find((l) => l.ready && l.send(this.envelope(event), event));
      if (!listener) return;
      this.buffer.shift();
    }
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    for (const listener of this.listeners) listener.dispose();
  }

  private envelope(event: SupervisorEvent): Buffer {
    const header =
      `ver:3.0 server:${this.options.identifier} serial:${event.serial} pool:${this.name} ` +
      `poolserial:${this.poolSerials.get(event)} eventname:${event.type} len:${pythonLength(event.payload)}\n`;
    return Buffer.from(header + event.payload);
  }
}
