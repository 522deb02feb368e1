// [rpcinterface:x]: the namespaces of the control API and the options of their factories.
import { BUILT_IN_RPC_FACTORY, RPC_FACTORY_KEY, RPCINTERFACE_KEYS } from '../schema/sections.js';
import { ConfigError, type RpcInterfaceConfig } from '../types.js';
import { keyReader, type LoadContext } from './context.js';
import { unknownKeyMessage, unknownKeys } from './unknown-names.js';

/** When collecting errors, a section that cannot be read is left out. */
export function readRpcInterfaces(context: LoadContext): RpcInterfaceConfig[] {
  return context.sectionsStartingWith('rpcinterface:').flatMap((section) =>
    context.attempt(
      () => [readRpcInterface(context, section)],
      () => [],
    ),
  );
}

function readRpcInterface(context: LoadContext, section: string): RpcInterfaceConfig {
  const factory = keyReader(context, section, RPCINTERFACE_KEYS).value(RPC_FACTORY_KEY);
  if (factory === null) {
    throw new ConfigError(`section [${section}] does not specify a ${RPC_FACTORY_KEY}`, { where: context.sectionWhere(section) });
  }
  const options: Record<string, string> = {};
  for (const key of context.doc.options(section)) {
    if (key !== RPC_FACTORY_KEY) options[key] = context.get(section, key, '');
  }
  return { name: section.slice(section.indexOf(':') + 1), factory, options };
}

/**
 * The reference hands a section's other keys to its factory as keyword arguments, and its own
 * factory takes none: with an HTTP server to mount it on, it then refuses to start with "Could
 * not make NAME rpc interface" (a stray `program:x]` line reads as such a key). We refuse the
 * same, naming the key and its line (but leave the keys of [DEFAULT] alone, which the reference
 * passes on too, making [DEFAULT] unusable with an HTTP server).
 */
export function refuseOptionsOfBuiltInFactory(context: LoadContext, rpcInterfaces: readonly RpcInterfaceConfig[]): void {
  const known = Object.keys(RPCINTERFACE_KEYS);
  for (const { name, factory } of rpcInterfaces) {
    if (factory !== BUILT_IN_RPC_FACTORY) continue;
    const section = `rpcinterface:${name}`;
    const [first] = unknownKeys(context, section, known);
    if (first)
      context.refuse(new ConfigError(`Could not make ${name} rpc interface: ${unknownKeyMessage(context, section, ...first, known)}`));
  }
}
