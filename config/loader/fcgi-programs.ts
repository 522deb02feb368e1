// An [fcgi-program:x] section that no [group:x] took: a group of its own whose processes share
// one FastCGI socket. The socket keys are read first, in the reference's order and with its
// messages (which it gives without the file: ours add where the value is written), then every
// [program:x] key.
import path from 'node:path';
import { colonSeparatedUserGroup, nameToUid, octalType, portNumber } from '../datatypes.js';
import { pyRepr } from '../python.js';
import { FCGI_PROGRAM_KEYS } from '../schema/fcgi-programs.js';
import { ConfigError, type FcgiSocketConfig, type ProcessGroupConfig, type SourceLocation } from '../types.js';
import { lookupUser } from '../users.js';
import { keyReader, type LoadContext, type Vars } from './context.js';
import { processesFromSection } from './processes.js';

const MAX_BACKLOG = 65535;
const DEFAULT_UNIX_MODE = 0o700;

/** `name` is the section's name after the colon, already checked. */
export function readFcgiProgram(context: LoadContext, section: string, name: string): ProcessGroupConfig {
  const here: Vars = new Map([['here', context.here]]);
  const keys = keyReader(context, section, FCGI_PROGRAM_KEYS, here);
  const priority = keys.value('priority');
  const user = keys.value('user');
  const processUid = user === null ? null : nameToUid(user);

  const backlog = keys.value('socket_backlog');
  if (backlog !== null && (backlog < 1 || backlog > MAX_BACKLOG)) {
    throw new ConfigError(`Invalid socket_backlog value ${backlog}`, { where: context.keyWhere(section, 'socket_backlog') });
  }
  const ownerText = keys.text('socket_owner');
  const owner = ownerText === null ? null : refusedAs(context, section, 'socket_owner', ownerText, colonSeparatedUserGroup);
  const modeText = keys.text('socket_mode');
  const mode = modeText === null ? null : refusedAs(context, section, 'socket_mode', modeText, octalType);

  // socket= alone may also name the program.
  const socket = keyReader(context, section, FCGI_PROGRAM_KEYS, new Map([...here, ['program_name', name]])).text('socket');
  if (!socket) throw new ConfigError(`[${section}] section requires a "socket" line`, { where: context.keyWhere(section, 'socket') });
  const written = context.doc.get(section, 'socket');
  const location = written ? { file: context.absolute(written.file), line: written.line } : context.location(context.section(section));
  const socketConfig = keys.at('socket', () => {
    try {
      return parseSocket(socket, { processUid, owner, mode, backlog, location });
    } catch (error) {
      throw error instanceof ConfigError ? new ConfigError(`${error.reason} in [${section}] socket`) : error;
    }
  });

  const processes = processesFromSection(context, section, name);
  return { kind: 'fcgi-program', name, priority, processes, socket: socketConfig, location: context.location(context.section(section)) };
}

/** The converted value, or the reference's "Invalid <key> value <text>". */
function refusedAs<T>(context: LoadContext, section: string, key: string, text: string, convert: (text: string) => T): T {
  try {
    return convert(text);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(`Invalid ${key} value ${text}`, { where: context.keyWhere(section, key) });
  }
}

interface SocketSettings {
  processUid: number | null;
  owner: { uid: number; gid: number } | null;
  mode: number | null;
  backlog: number | null;
  location: SourceLocation;
}

/**
 * unix:///absolute/path or tcp://host:port. The reference formats two of its messages as Python
 * tuples (it passes the arguments to ValueError instead of to %); they are kept as it prints them.
 */
function parseSocket(text: string, settings: SocketSettings): FcgiSocketConfig {
  const { backlog, location } = settings;
  if (text.startsWith('unix://')) {
    const written = text.slice('unix://'.length);
    if (!path.isAbsolute(written)) throw new ConfigError(`('Unix socket path %s is not an absolute path', ${pyRepr(written)})`);
    const socketPath = path.resolve(written);
    return {
      kind: 'unix',
      path: socketPath,
      owner: settings.owner ?? ownerForUser(settings.processUid),
      mode: settings.mode ?? DEFAULT_UNIX_MODE,
      url: `unix://${socketPath}`,
      backlog,
      location,
    };
  }
  if (settings.owner !== null || settings.mode !== null) {
    throw new ConfigError('socket_owner and socket_mode params should only be used with a Unix domain socket');
  }
  const match = /^tcp:\/\/([^\s:]+):(\d+)$/.exec(text);
  if (!match) throw new ConfigError(`('Bad socket format %s', ${pyRepr(text)})`);
  const host = match[1]!.toLowerCase();
  const port = portNumber(match[2]!);
  return { kind: 'tcp', host, port, url: `tcp://${host}:${port}`, backlog, location };
}

/** A program run as another user= gets its socket file owned by that user and its primary group. */
function ownerForUser(processUid: number | null): { uid: number; gid: number } | null {
  if (processUid === null || processUid === process.getuid?.()) return null;
  const entry = lookupUser(String(processUid), true);
  return entry ? { uid: processUid, gid: entry.gid } : null;
}
