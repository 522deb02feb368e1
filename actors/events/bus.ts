// The daemon's event bus: one RxJS Subject per concrete event type. Publishers call publish();
// a listener pool subscribes to the types it asked for (abstract parents expand to their
// concrete children), so no subscriber filters a stream of everything.
import { merge, Subject, type Observable } from 'rxjs';
import type { EventTypeName } from '../../config/event-types.js';
import { concreteTypes, type SupervisorEvent } from './types.js';

export class EventBus {
  private readonly subjects = new Map<EventTypeName, Subject<SupervisorEvent>>();

  private subject(type: EventTypeName): Subject<SupervisorEvent> {
    let subject = this.subjects.get(type);
    if (!subject) {
      subject = new Subject<SupervisorEvent>();
      this.subjects.set(type, subject);
    }
    return subject;
  }

  publish(event: SupervisorEvent): void {
    this.subjects.get(event.type)?.next(event);
  }

  /** Whether anybody listens for `type`: publishers skip rendering payloads nobody reads. */
  wants(type: EventTypeName): boolean {
    return this.subjects.get(type)?.observed ?? false;
  }

  /** Every event of the given types (parents included), in publication order. */
  observe(types: readonly EventTypeName[]): Observable<SupervisorEvent> {
    const concrete = new Set(types.flatMap(concreteTypes));
    return merge(...[...concrete].map((type) => this.subject(type)));
  }

  complete(): void {
    for (const subject of this.subjects.values()) subject.complete();
  }
}
