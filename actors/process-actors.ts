// The process machines of a daemon run as children of one root actor per clock, so that they
// share its XState actor system: an actor created on its own makes a system of its own (a
// scheduler, maps, a dozen closures: ~2.3 KB a process, for as long as it is configured).
import { createActor, fromTransition, type AnyActorRef, type ErrorActorEvent } from 'xstate';
import type { Clock } from './clock.js';

interface StopChild {
  type: 'stopChild';
  child: AnyActorRef;
}

const rootLogic = fromTransition((state: null, event: StopChild | ErrorActorEvent, { stopChild }) => {
  if (event.type === 'stopChild') stopChild(event.child);
  // A child's error comes to its parent instead of being thrown: thrown here, as XState throws
  // a root actor's (on a later tick, so that it is not caught by the machinery).
  else
    setTimeout(() => {
      throw event.error;
    });
  return state;
}, null);

const roots = new WeakMap<Clock, AnyActorRef>();

/** The root actor the process actors on `clock` are created under (`parent`). */
export function processActorRoot(clock: Clock): AnyActorRef {
  let root = roots.get(clock);
  if (!root) {
    root = createActor(rootLogic, { clock }).start();
    roots.set(clock, root);
  }
  return root;
}

/** Stops a process actor (XState lets only its parent stop a child). */
export function stopProcessActor(clock: Clock, actor: AnyActorRef): void {
  processActorRoot(clock).send({ type: 'stopChild', child: actor });
}
