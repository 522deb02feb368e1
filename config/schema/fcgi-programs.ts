// [fcgi-program:x]: every key of [program:x], plus the FastCGI socket the group's processes share.
import { defineKeys } from './keys.js';
import { PROCESS_KEYS } from './processes.js';

export const FCGI_PROGRAM_KEYS = defineKeys({
  ...PROCESS_KEYS,
  socket: {
    type: 'string',
    default: null,
    example: 'unix:///var/run/supervisor/%(program_name)s.sock',
    help: 'the listening socket each process gets as stdin: tcp://HOST:PORT or unix:///PATH (required)',
  },
  socket_backlog: { type: 'integer', default: null, example: '1024', help: 'listen() backlog, 1 to 65535 (default: the largest)' },
  socket_owner: {
    type: 'user-and-group',
    default: null,
    example: 'www-data:www-data',
    help: "unix socket only: its owner, user or user:group (default: the program's user=)",
  },
  socket_mode: { type: 'octal', default: null, example: '0700', help: 'unix socket only: its file mode (default 0700)' },
});
