// result_handler= of [eventlistener:x]: the reference's default handler by its own name, or a
// Node module's export (module:exportName), loaded once per daemon generation.
import path from 'node:path';
import { DEFAULT_RESULT_HANDLER } from '../config/load.js';
import type { Config } from '../config/types.js';
import { defaultResultHandler, type ResultHandler } from './listener.js';
import { loadModuleExport } from './module-export.js';
import { isSupervisorError, SupervisorError } from '../common/errors.js';

export async function loadResultHandlers(config: Config): Promise<Map<string, ResultHandler>> {
  const handlers = new Map<string, ResultHandler>([[DEFAULT_RESULT_HANDLER, defaultResultHandler]]);
  for (const group of config.groups) {
    const spec = group.listener?.resultHandler;
    if (!spec || handlers.has(spec)) continue;
    let handler: unknown;
    try {
      handler = await loadModuleExport(spec, path.dirname(config.file));
    } catch (error) {
      if (isSupervisorError(error, 'MODULE_EXPORT')) {
        throw new SupervisorError('STARTUP', `[eventlistener:${group.name}] result_handler = ${spec}: ${error.message}`, { cause: error });
      }
      throw error;
    }
    if (typeof handler !== 'function') {
      throw new SupervisorError('STARTUP', `[eventlistener:${group.name}] result_handler = ${spec}: not a function`);
    }
    handlers.set(spec, handler as ResultHandler);
  }
  return handlers;
}
