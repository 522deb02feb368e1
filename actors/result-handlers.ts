// result_handler= of [eventlistener:x]: the reference's default handler by its own name, or a
// Node module's export (module:exportName), loaded once per daemon generation.
import path from 'node:path';
import { DEFAULT_RESULT_HANDLER } from '../config/load.js';
import type { Config } from '../config/types.js';
import { defaultResultHandler, type ResultHandler } from './listener.js';
import { loadModuleExport, ModuleExportError } from './module-export.js';

export class ResultHandlerError extends Error {}

export async function loadResultHandlers(config: Config): Promise<Map<string, ResultHandler>> {
  const handlers = new Map<string, ResultHandler>([[DEFAULT_RESULT_HANDLER, defaultResultHandler]]);
  for (const group of config.groups) {
    const spec = group.listener?.resultHandler;
    if (!spec || handlers.has(spec)) continue;
    let handler: unknown;
    try {
      handler = await loadModuleExport(spec, path.dirname(config.file));
    } catch (error) {
      if (error instanceof ModuleExportError) {
        throw new ResultHandlerError(`[eventlistener:${group.name}] result_handler = ${spec}: ${error.message}`);
      }
      throw error;
    }
    if (typeof handler !== 'function') {
      throw new ResultHandlerError(`[eventlistener:${group.name}] result_handler = ${spec}: not a function`);
    }
    handlers.set(spec, handler as ResultHandler);
  }
  return handlers;
}
