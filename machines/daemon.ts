// supervisord's own state, as getState reports it. A restart (SIGHUP, the restart method) and a
// shutdown (SIGTERM, SIGINT, SIGQUIT, the shutdown method) both stop every process first; a
// shutdown asked for during a restart wins, and a restart asked for while stopping is refused.
import { setup } from 'xstate';

export type DaemonEvent =
  | { type: 'RESTART' }
  | { type: 'SHUTDOWN' }
  /** Everything stopped and the configuration was read again: the next generation runs. */
  | { type: 'RESTARTED' };

export const daemonMachine = setup({
  types: { events: {} as DaemonEvent },
}).createMachine({
  id: 'supervisord',
  initial: 'RUNNING',
  states: {
    RUNNING: { on: { RESTART: 'RESTARTING', SHUTDOWN: 'SHUTDOWN' } },
    RESTARTING: { on: { SHUTDOWN: 'SHUTDOWN', RESTARTED: 'RUNNING' } },
    // Once every process has stopped, the daemon exits.
    SHUTDOWN: { type: 'final' },
  },
});
