// supervisord's own state across its generations (machines/daemon.ts): asked to restart or to
// shut down by signals and the API, read by getState, the API's refusals and the web UI.
import { defer, distinctUntilChanged, filter, firstValueFrom, from, map, startWith, type Observable } from 'rxjs';
import { createActor } from 'xstate';
import { daemonMachine } from '../machines/daemon.js';
import type { DaemonStateName } from '../machines/states.js';

export type StopRequest = 'RESTARTING' | 'SHUTDOWN';

export class DaemonState {
  private readonly actor = createActor(daemonMachine).start();
  /** Each state as it is entered, the current one first. */
  readonly changes: Observable<DaemonStateName> = defer(() => from(this.actor).pipe(startWith(this.actor.getSnapshot()))).pipe(
    map((snapshot) => snapshot.value),
    distinctUntilChanged(),
  );

  get state(): DaemonStateName {
    return this.actor.getSnapshot().value;
  }

  /** False while stopping: most API methods then refuse (SHUTDOWN_STATE). */
  get running(): boolean {
    return this.state === 'RUNNING';
  }

  /** Asks for a restart; false when the daemon is already stopping. */
  requestRestart(): boolean {
    if (!this.actor.getSnapshot().can({ type: 'RESTART' })) return false;
    this.actor.send({ type: 'RESTART' });
    return true;
  }

  requestShutdown(): void {
    this.actor.send({ type: 'SHUTDOWN' });
  }

  /** The next generation runs. */
  restarted(): void {
    this.actor.send({ type: 'RESTARTED' });
  }

  /** Resolves once a restart or a shutdown has been asked for. */
  stopRequested(): Promise<StopRequest> {
    return firstValueFrom(this.changes.pipe(filter((state): state is StopRequest => state === 'RESTARTING' || state === 'SHUTDOWN')));
  }
}
