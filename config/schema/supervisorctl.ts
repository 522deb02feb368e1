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

/**
 * [supervisorctl:NAME] (ours): one more daemon for supervisorctl and the web UI to show and
 * control beside the default one. Python Supervisor ignores these sections.
 */
export const SUPERVISORCTL_HOST_KEYS = defineKeys({
  serverurl: {
    type: 'string',
    default: null,
    here: true,
    example: 'http://web2.example.com:9001',
    help: 'how to reach that daemon: http://host:port or unix:///path (ours)',
  },
  username: { type: 'string', default: null, help: "that daemon's username, if it has one (ours)" },
  password: { type: 'string', default: null, help: "that daemon's password, if it has one (ours)" },
  timeout: { type: 'seconds', default: '10', help: 'seconds to wait for that daemon to answer before showing it as down (ours)' },
});
