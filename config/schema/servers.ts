// [unix_http_server] and [inet_http_server]: where the daemon serves its control API.
import { defineKeys } from './keys.js';

export const CREDENTIAL_KEYS = defineKeys({
  username: { type: 'string', default: null, example: 'user', help: 'require this user name (no auth when unset)' },
  password: { type: 'string', default: null, example: '123', help: 'password in clear text, or {SHA} + hex SHA-1' },
});

export const UNIX_HTTP_SERVER_KEYS = defineKeys({
  file: {
    type: 'string',
    default: null,
    here: true,
    example: '/tmp/supervisor.sock',
    active: true,
    help: 'where the control socket is created',
  },
  chmod: { type: 'octal', default: '0700', help: 'permission bits of the socket file' },
  chown: { type: 'user-and-group', default: null, example: 'nobody:nogroup', help: 'owner (and group) of the socket file' },
  ...CREDENTIAL_KEYS,
});

export const INET_HTTP_SERVER_KEYS = defineKeys({
  port: { type: 'inet-address', default: null, example: '127.0.0.1:9001', help: 'host:port to listen on; *:port for every interface' },
  ...CREDENTIAL_KEYS,
});
