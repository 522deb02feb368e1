// Loading "module:exportName" settings ([rpcinterface:x] factories, result_handler): a path
// relative to the config file's directory, an absolute path, or a package name.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export class ModuleExportError extends Error {}

/** The named export; throws ModuleExportError saying what went wrong with `spec`. */
export async function loadModuleExport(spec: string, configDir: string): Promise<unknown> {
  const colon = spec.lastIndexOf(':');
  if (colon <= 0) throw new ModuleExportError('expected "module:exportName"');
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
    throw new ModuleExportError(`cannot load ${moduleSpec}: ${(error as Error).message}`);
  }
  if (!(exportName in module)) throw new ModuleExportError(`${moduleSpec} exports no ${exportName}`);
  return module[exportName];
}
