// [supervisorctl], as supervisorctl reads it: from the main file only.
import { normalizePath } from '../datatypes.js';
import { expand } from '../expand.js';
import type { KeySpec } from '../schema/keys.js';
import { SUPERVISORCTL_KEYS } from '../schema/supervisorctl.js';
import type { SupervisorctlConfig } from '../types.js';
import type { LoadContext, Vars } from './context.js';

/**
 * supervisorctl reads only the main file and never fails supervisord's start, so a value that
 * cannot be expanded is kept as written instead of raising.
 */
export function readSupervisorctl(context: LoadContext): SupervisorctlConfig {
  const main = context.file;
  const value = (key: keyof typeof SUPERVISORCTL_KEYS): string | null => {
    const spec: KeySpec = SUPERVISORCTL_KEYS[key];
    const own = context.doc.sections.get('supervisorctl')?.values.get(key);
    const def = context.doc.defaults.get(key);
    const found = own?.file === main ? own : def?.file === main ? def : undefined;
    const text = found?.value ?? spec.default;
    if (text === null) return null;
    const vars: Vars = new Map([...daemonEnvVars(context.env), ...(spec.here ? [['here', context.here] as const] : [])]);
    try {
      return expand(text, vars, `supervisorctl.${key}`);
    } catch {
      return text;
    }
  };
  let serverurl = value('serverurl')!;
  if (serverurl.startsWith('unix://')) serverurl = `unix://${normalizePath(serverurl.slice(7), context.env, context.cwd)}`;
  const history = value('history_file');
  return {
    serverurl,
    username: value('username'),
    password: value('password'),
    prompt: value('prompt')!,
    historyFile: history ? normalizePath(history, context.env, context.cwd) : null,
  };
}

/** ENV_ names from the daemon's environment only (supervisorctl never sees [supervisord] environment=). */
function daemonEnvVars(env: NodeJS.ProcessEnv): Vars {
  const vars: Vars = new Map();
  for (const [k, v] of Object.entries(env)) if (v !== undefined) vars.set(`ENV_${k}`, v);
  return vars;
}
