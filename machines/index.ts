// Every state machine of the daemon, by name: what the diagrams and the web UI draw.
import type { AnyStateMachine } from 'xstate';
import { daemonMachine } from './daemon.js';
import { listenerMachine } from './listener.js';
import { processMachine } from './process.js';

export const machines: Record<string, AnyStateMachine> = {
  process: processMachine,
  listener: listenerMachine,
  daemon: daemonMachine,
};
