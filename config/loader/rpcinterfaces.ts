// [rpcinterface:x]: the namespaces of the control API and the options of their factories.
import { RPC_FACTORY_KEY } from '../schema/sections.js';
import { ConfigError, type RpcInterfaceConfig } from '../types.js';
import type { LoadContext } from './context.js';

export function readRpcInterfaces(context: LoadContext): RpcInterfaceConfig[] {
  return context.sectionsStartingWith('rpcinterface:').map((section) => {
    const factory = context.get(section, RPC_FACTORY_KEY, null);
    if (factory === null) throw new ConfigError(`section [${section}] does not specify a ${RPC_FACTORY_KEY}`);
    const options: Record<string, string> = {};
    for (const key of context.doc.options(section)) {
      if (key !== RPC_FACTORY_KEY) options[key] = context.get(section, key, '');
    }
    return { name: section.slice(section.indexOf(':') + 1), factory, options };
  });
}
