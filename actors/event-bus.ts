// The daemon's event streams, one RxJS Subject per kind of event. Event listener pools (the
// events issue) subscribe here; the API and the process actors publish.
import { Subject } from 'rxjs';

/** sendRemoteCommEvent: REMOTE_COMMUNICATION for listeners. */
export interface RemoteCommunication {
  type: string;
  data: string;
}

export class EventBus {
  readonly remoteCommunication = new Subject<RemoteCommunication>();
  readonly groupAdded = new Subject<string>();
  readonly groupRemoved = new Subject<string>();

  complete(): void {
    this.remoteCommunication.complete();
    this.groupAdded.complete();
    this.groupRemoved.complete();
  }
}
