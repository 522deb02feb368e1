// Loading "module:exportName" settings ([rpcinterface:x] factories, result_handler): a path
// relative to the config file's directory, an absolute path, or a package name.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeError, SupervisorError } from '../common/errors.js';

/** The named export; throws a MODULE_EXPORT error saying what went wrong with `spec`. */
export async function loadModuleExport(spec: string, configDir: string): Promise<unknown> {
  const colon = spec.lastIndexOf(':');
  if (colon <= 0) throw new SupervisorError('MODULE_EXPORT', 'expected "module:exportName"');
  const moduleSpec = spec.slice(0, colon);
  const exportName = spec.slice(colon + 1);
  let module: Record<string, unknown>;
  try {
    const file =
      moduleSpec.startsWith('.') || moduleSpec.startsWith('/')
        ? path.resolve(configDir, moduleSpec)
        : createRequire(path.join(configDir, 'supervisord.conf')).resolve(moduleSpec);
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new SupervisorError('MODULE_EXPORT', `cannot load ${moduleSpec}: ${describeError(error)}`, { cause: error });
  }
  if (!(exportName in module)) throw new SupervisorError('MODULE_EXPORT', `${moduleSpec} exports no ${exportName}`);
  return module[exportName];
}
