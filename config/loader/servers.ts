// [inet_http_server] and [unix_http_server]: the control API's servers and their credentials.
import { normalizePath } from '../datatypes.js';
import { pyStrip } from '../python.js';
import { CREDENTIAL_KEYS, INET_HTTP_SERVER_KEYS, UNIX_HTTP_SERVER_KEYS } from '../schema/servers.js';
import { ConfigError, type Credentials, type InetHttpServerConfig, type UnixHttpServerConfig } from '../types.js';
import { keyReader, type LoadContext } from './context.js';

export function readServers(context: LoadContext): { unix: UnixHttpServerConfig | null; inet: InetHttpServerConfig | null } {
  const inet = context.sectionsStartingWith('inet_http_server').flatMap((section) => readSection(context, section, readInet));
  const unix = context.sectionsStartingWith('unix_http_server').flatMap((section) => readSection(context, section, readUnix));
  // The reference can run several servers of a kind; the daemon serves the first of each.
  return { unix: unix[0] ?? null, inet: inet[0] ?? null };
}

/** A server section; when collecting errors, one that cannot be read is left out. */
function readSection<T>(context: LoadContext, section: string, read: (context: LoadContext, section: string) => T): T[] {
  return context.attempt(
    () => [read(context, section)],
    () => [],
  );
}

function readInet(context: LoadContext, section: string): InetHttpServerConfig {
  const keys = keyReader(context, section, INET_HTTP_SERVER_KEYS);
  const credentials = readCredentials(context, section);
  const port = keys.value('port');
  if (port === null) throw new ConfigError(`section [${section}] has no port value`, { where: context.sectionWhere(section) });
  return { ...port, credentials };
}

function readUnix(context: LoadContext, section: string): UnixHttpServerConfig {
  const keys = keyReader(context, section, UNIX_HTTP_SERVER_KEYS);
  const file = keys.value('file');
  if (file === null) throw new ConfigError(`section [${section}] has no file value`, { where: context.sectionWhere(section) });
  const credentials = readCredentials(context, section);
  const chown = keys.text('chown');
  if (chown !== null) {
    try {
      keys.convert('chown', chown);
    } catch {
      throw new ConfigError(`Invalid sockchown value ${chown}`, { where: context.keyWhere(section, 'chown') });
    }
  }
  const chmodText = keys.text('chmod');
  let chmod: number;
  try {
    chmod = keys.convert('chmod', chmodText);
  } catch {
    throw new ConfigError(`Invalid chmod value ${chmodText}`, { where: context.keyWhere(section, 'chmod') });
  }
  return { file: normalizePath(pyStrip(file), context.env, context.cwd), chmod, chown, credentials };
}

function readCredentials(context: LoadContext, section: string): Credentials | null {
  const keys = keyReader(context, section, CREDENTIAL_KEYS);
  const username = keys.text('username');
  const password = keys.text('password');
  if (username === null && password === null) return null;
  if (username === null || password === null) {
    throw new ConfigError(
      `Section [${section}] contains incomplete authentication: If a username or a password is specified, both the username and password must be specified`,
      { where: context.keyWhere(section, username === null ? 'password' : 'username') },
    );
  }
  return { username, password };
}
