// [supervisorctl:NAME] (ours): the other daemons supervisorctl and the web UI show beside the
// default one. Read from the main file only, as [supervisorctl] is, by both supervisorctl (its
// own small reader) and supervisord (for the web UI), so that both see the same fleet.
import path from 'node:path';
import { normalizePath, seconds } from '../datatypes.js';
import { expand } from '../expand.js';
import type { IniDocument } from '../ini.js';
import { pyRepr } from '../python.js';
import type { KeySpec } from '../schema/keys.js';
import { SUPERVISORCTL_HOST_KEYS } from '../schema/supervisorctl.js';
import { ConfigError, type FleetHostConfig } from '../types.js';

export const FLEET_SECTION_PREFIX = 'supervisorctl:';

/**
 * A host name is typed in `NAME:group:process` and in `-H a,b`: no colon, comma, slash or
 * whitespace, and not `all` (which `-H all` and `start all` mean).
 */
function checkedName(name: string): string {
  if (name === '' || /[\s:,/*]/.test(name) || name === 'all') {
    throw new ConfigError(
      `invalid host name ${pyRepr(name)}: it may not be empty or "all", nor contain a colon, comma, slash, * or whitespace`,
    );
  }
  return name;
}

export interface FleetSource {
  doc: IniDocument;
  /** The main file, as the parser was given it. */
  file: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface Fleet {
  hosts: FleetHostConfig[];
  /** [supervisorctl:NAME] sections of included files, which neither reader uses. */
  ignored: Array<{ section: string; where: string }>;
}

/** The hosts, sorted by name. Throws ConfigError naming the section, key and line. */
export function readFleet({ doc, file, env, cwd }: FleetSource): Fleet {
  const main = path.resolve(cwd, file);
  const here = path.dirname(main);
  const envVars = new Map<string, string>();
  for (const [k, v] of Object.entries(env)) if (v !== undefined) envVars.set(`ENV_${k}`, v);
  const hosts: FleetHostConfig[] = [];
  const ignored: Fleet['ignored'] = [];
  for (const section of doc.sections.values()) {
    if (!section.name.startsWith(FLEET_SECTION_PREFIX)) continue;
    const where = `${path.resolve(cwd, section.file)}:${section.line}`;
    if (path.resolve(cwd, section.file) !== main) {
      ignored.push({ section: section.name, where });
      continue;
    }
    const located = <R>(key: string | null, read: () => R): R => {
      try {
        return read();
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        const value = key === null ? undefined : doc.get(section.name, key);
        const at =
          value === undefined
            ? `[${section.name}] at ${where}`
            : `[${section.name}] ${key}= at ${path.resolve(cwd, value.file)}:${value.line}`;
        throw e.locatedAt(at);
      }
    };
    const text = (key: keyof typeof SUPERVISORCTL_HOST_KEYS): string | null => {
      const spec: KeySpec = SUPERVISORCTL_HOST_KEYS[key];
      const raw = doc.get(section.name, key)?.value ?? spec.default;
      if (raw === null) return null;
      const vars = spec.here ? new Map([...envVars, ['here', here]]) : envVars;
      return located(key, () => expand(raw, vars, `${section.name}.${key}`));
    };
    const name = located(null, () => checkedName(section.name.slice(FLEET_SECTION_PREFIX.length)));
    let serverurl = text('serverurl');
    if (serverurl === null) throw new ConfigError(`no serverurl= for host ${pyRepr(name)}`, { where: `[${section.name}] at ${where}` });
    if (serverurl.startsWith('unix://')) serverurl = `unix://${normalizePath(serverurl.slice(7), env, cwd)}`;
    else if (!/^http:\/\/[^/]/.test(serverurl)) {
      const written = serverurl;
      located('serverurl', () => {
        throw new ConfigError(`serverurl ${pyRepr(written)} is not http://host:port or unix:///path`);
      });
    }
    const timeout = located('timeout', () => {
      const value = seconds(text('timeout')!);
      if (value <= 0) throw new ConfigError('timeout must be more than 0');
      return value;
    });
    hosts.push({ name, serverurl, username: text('username'), password: text('password'), timeoutMs: Math.round(timeout * 1000) });
  }
  return { hosts: hosts.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)), ignored };
}
