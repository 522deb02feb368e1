// --check: what each program's spawn would find — its env files, its command on PATH, its user
// and directory — and the result handlers of the event listener pools, each worded as the
// daemon's spawn error (spawnerr: ...) or start-up error for it.
import path from 'node:path';
import { resolveCommand } from '../../actors/command-line.js';
import { loadModuleExport } from '../../actors/module-export.js';
import { readEnvFiles } from '../../actors/env-files.js';
import { childEnvironment } from '../../actors/process-environment.js';
import { childSpawnPlan } from '../../actors/spawn-plan.js';
import { describeError, isSupervisorError } from '../../common/errors.js';
import { DEFAULT_RESULT_HANDLER } from '../../config/load.js';
import type { ConfigProblem } from '../../config/problems.js';
import type { Config, ProcessConfig, SupervisordConfig } from '../../config/types.js';
import { serverUrlFor } from '../../rpc/http/servers.js';
import type { PlaceOf } from './log-files.js';

export function programProblems(config: Config, placeOf: PlaceOf): ConfigProblem[] {
  const serverUrl = serverUrlFor({ unix: config.unixHttpServer, inet: config.inetHttpServer });
  const problems: ConfigProblem[] = [];
  // [supervisord]'s env files fail every spawn: said once, at that section, then left out.
  let { supervisord } = config;
  try {
    readEnvFiles(supervisord.envFiles);
  } catch (error) {
    problems.push({ severity: 'error', message: describeError(error), place: placeOf('supervisord', 'env_file') });
    supervisord = { ...supervisord, envFiles: [] };
  }
  for (const group of config.groups) {
    for (const program of group.processes) {
      const problem = spawnProblem(program, group.name, supervisord, serverUrl);
      if (problem) problems.push({ severity: 'error', message: problem.message, place: placeOf(program.section, problem.key) });
    }
  }
  return problems;
}

function spawnProblem(
  program: ProcessConfig,
  group: string,
  supervisord: SupervisordConfig,
  serverUrl: string | null,
): { key: string; message: string } | null {
  let environment: NodeJS.ProcessEnv;
  try {
    environment = childEnvironment(program, group, { baseEnv: process.env, supervisord, serverUrl });
  } catch (error) {
    return { key: 'env_file', message: describeError(error) };
  }
  try {
    const failure = childSpawnPlan(program, resolveCommand(program.command, environment), supervisord.childrenDieWithDaemon).failure;
    return failure ? { key: failure.key, message: failure.reason } : null;
  } catch (error) {
    if (isSupervisorError(error, 'COMMAND_NOT_FOUND') || isSupervisorError(error, 'COMMAND_NOT_EXECUTABLE')) {
      return { key: 'command', message: error.message };
    }
    throw error;
  }
}

/** result_handler= modules, loaded (not called) as the daemon loads them at start-up. */
export async function resultHandlerProblems(config: Config, placeOf: PlaceOf): Promise<ConfigProblem[]> {
  const problems: ConfigProblem[] = [];
  for (const group of config.groups) {
    const spec = group.listener?.resultHandler;
    if (!spec || spec === DEFAULT_RESULT_HANDLER) continue;
    const message = await whyNotLoadable(spec, path.dirname(config.file));
    if (message) problems.push({ severity: 'error', message, place: placeOf(`eventlistener:${group.name}`, 'result_handler') });
  }
  return problems;
}

/** Why a "module:export" setting does not name a function, in the daemon's words, or null. */
export async function whyNotLoadable(spec: string, configDir: string): Promise<string | null> {
  try {
    return typeof (await loadModuleExport(spec, configDir)) === 'function' ? null : `${spec}: not a function`;
  } catch (error) {
    if (isSupervisorError(error, 'MODULE_EXPORT')) return `${spec}: ${error.message}`;
    throw error;
  }
}
