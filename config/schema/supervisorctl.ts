// [supervisorctl]: how supervisorctl reaches the daemon. supervisorctl reads this table on every
// start, so it imports nothing but the table's shape.
import { defineKeys } from './keys.js';

export const SUPERVISORCTL_KEYS = defineKeys({
  serverurl: {
    type: 'string',
    default: 'http://localhost:9001',
    here: true,
    example: 'unix:///tmp/supervisor.sock',
    active: true,
    help: 'how to reach the daemon: http://host:port or unix:///path',
  },
  username: { type: 'string', default: null, example: 'chris', help: "must match the server's username if one is set" },
  password: { type: 'string', default: null, example: '123', help: "must match the server's password if one is set" },
  prompt: { type: 'string', default: 'supervisor', example: 'mysupervisor', help: 'text of the interactive prompt' },
  history_file: { type: 'string', default: null, here: true, example: '~/.sc_history', help: 'keep command history in this file' },
});
