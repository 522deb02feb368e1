// Loads a supervisord configuration file into the typed Config, following the reference's reading
// order, defaults, expansions, validation and messages (Supervisor 4.2.5's ServerOptions.read_config).
// Each section kind has its reader in config/loader/; the keys come from the table in config/schema/.
import { LoadContext, type LoadOptions } from './loader/context.js';
import { warnAboutDuplicates } from './loader/duplicates.js';
import { readFiles } from './loader/files.js';
import { readFleet } from './loader/fleet.js';
import { resolveDependencies } from './loader/dependencies.js';
import { readGroups } from './loader/groups.js';
import { readRpcInterfaces, refuseOptionsOfBuiltInFactory } from './loader/rpcinterfaces.js';
import { readServers } from './loader/servers.js';
import { readSupervisorctl } from './loader/supervisorctl.js';
import { readSupervisord } from './loader/supervisord.js';
import { warnAboutUnknownNames } from './loader/unknown-names.js';
import { BUILT_IN_RPC_FACTORY } from './schema/sections.js';
import { ConfigError, type Config } from './types.js';

export type { LoadOptions } from './loader/context.js';
export { byPriorityThenName } from './loader/order.js';
export { defaultTempDir } from './loader/supervisord.js';
export { DEFAULT_RESULT_HANDLER } from './schema/processes.js';

export function loadConfig(file: string, options: LoadOptions = {}): Config {
  const context = new LoadContext(file, options);
  readFiles(context);
  warnAboutDuplicates(context);
  if (!context.doc.has('supervisord')) {
    const [main, ...included] = context.files;
    const others = included.length === 0 ? '' : ` or the ${included.length === 1 ? 'file' : `${included.length} files`} it includes`;
    throw new ConfigError('.ini file does not include supervisord section', { where: `in ${main!}${others}` });
  }
  const supervisord = readSupervisord(context);
  const rpcInterfaces = readRpcInterfaces(context);
  const groups = readGroups(context);
  resolveDependencies(context, groups);
  const { unix, inet } = readServers(context);
  const supervisorctl = readSupervisorctl(context);
  const fleet = readFleet({ doc: context.doc, file, env: context.env, cwd: context.cwd });
  for (const { section, where } of fleet.ignored) {
    context.ownWarnings.push({
      kind: 'unknown-name',
      text: `[${section}] (${where}) is not read: [supervisorctl:NAME] sections count in the main file only`,
    });
  }
  // The reference makes its rpc interfaces for the HTTP servers only, after everything else.
  if (unix !== null || inet !== null) refuseOptionsOfBuiltInFactory(context, rpcInterfaces);
  const builtIn = rpcInterfaces.filter((r) => r.factory === BUILT_IN_RPC_FACTORY).map((r) => `rpcinterface:${r.name}`);
  warnAboutUnknownNames(context, new Set(builtIn));
  return {
    file: context.absolute(file),
    files: context.files,
    supervisord,
    groups,
    unixHttpServer: unix,
    inetHttpServer: inet,
    supervisorctl,
    fleet: fleet.hosts,
    rpcInterfaces,
    messages: context.messages(),
  };
}
