// The processes of one [program:x] or [eventlistener:x] section (numprocs of them).
import { byPriorityThenName } from './order.js';
import { dictOfKeyValuePairs, processOrGroupName } from '../datatypes.js';
import { expand } from '../expand.js';
import { pyRepr, pyStrip } from '../python.js';
import { PROCESS_KEYS } from '../schema/processes.js';
import { ConfigError, type ChildLogConfig, type ProcessConfig } from '../types.js';
import { keyReader, type KeyReader, type LoadContext, type Vars } from './context.js';

/**
 * Errors name the section and its file, as the reference's do, then the key and line. When
 * collecting errors, a section that cannot be read yields no process.
 */
export function processesFromSection(context: LoadContext, section: string, groupName: string): ProcessConfig[] {
  return context.attempt(
    () => {
      try {
        return buildProcesses(context, section, groupName);
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        const file = context.section(section).file;
        throw new ConfigError(`${err.reason} in section ${pyRepr(section)} (file: ${pyRepr(file)})`, {
          cause: err,
          where: err.place ?? err.where ?? context.sectionWhere(section),
        });
      }
    },
    () => [],
  );
}

/** Reads the keys in the reference's order, so that the first bad value is the one it reports. */
function buildProcesses(context: LoadContext, section: string, groupName: string): ProcessConfig[] {
  const programName = processOrGroupName(section.slice(section.indexOf(':') + 1));
  // One mutable set of names, as in the reference: later keys see what earlier steps added
  // (process_num, numprocs and the program's own ENV_ names exist only from the loop on).
  const vars: Vars = new Map([
    ['here', context.here],
    ['program_name', programName],
    ['host_node_name', context.hostname],
    ['group_name', groupName],
  ]);
  const keys = keyReader(context, section, PROCESS_KEYS, vars);

  const priority = keys.value('priority');
  const autostart = keys.value('autostart');
  const autorestart = keys.value('autorestart');
  const startsecs = keys.value('startsecs');
  const startretries = keys.value('startretries');
  const backoff = keys.value('backoff');
  const backoffMax = keys.value('backoff_max');
  // At zero a check would poll without a pause, never pass, or restart a healthy program.
  const aboveZero = (key: 'readiness_timeout' | 'readiness_interval' | 'liveness_interval' | 'liveness_failures' | 'liveness_timeout') => {
    const value = keys.value(key);
    if (value > 0) return value;
    throw new ConfigError(`${key} must be more than 0, got ${pyRepr(keys.text(key))}`, { where: context.keyWhere(section, key) });
  };
  const readinessCheck = keys.value('readiness');
  const readiness = readinessCheck && {
    check: readinessCheck,
    timeout: aboveZero('readiness_timeout'),
    interval: aboveZero('readiness_interval'),
  };
  const livenessCheck = keys.value('liveness');
  const liveness = livenessCheck && {
    check: livenessCheck,
    interval: aboveZero('liveness_interval'),
    failures: aboveZero('liveness_failures'),
    timeout: aboveZero('liveness_timeout'),
  };
  const stopsignal = keys.value('stopsignal');
  const stopwaitsecs = keys.value('stopwaitsecs');
  const stopasgroup = keys.value('stopasgroup');
  const killasgroup = keys.value('killasgroup') ?? stopasgroup;
  const stopastree = keys.value('stopastree');
  const exitcodes = keys.value('exitcodes');
  const redirectStderr = keys.value('redirect_stderr');
  if (redirectStderr && readinessCheck?.kind === 'output' && readinessCheck.channel === 'stderr') {
    throw new ConfigError(
      `readiness=${readinessCheck.spec} cannot see stderr with redirect_stderr=true: use stdout:${readinessCheck.pattern}`,
      {
        where: context.keyWhere(section, 'readiness'),
      },
    );
  }
  const numprocs = keys.value('numprocs');
  const numprocsStart = keys.value('numprocs_start');
  const environmentTemplate = keys.text('environment');
  const stdoutCaptureMaxbytes = keys.value('stdout_capture_maxbytes');
  const stdoutEvents = keys.value('stdout_events_enabled');
  const stderrCaptureMaxbytes = keys.value('stderr_capture_maxbytes');
  const stderrEvents = keys.value('stderr_events_enabled');
  let serverurl = keys.value('serverurl');
  if (serverurl !== null && pyStrip(serverurl).toUpperCase() === 'AUTO') serverurl = null;
  const user = keys.value('user');
  const umask = keys.value('umask');
  const processName = keys.value('process_name');
  if (numprocs > 1 && !processName.includes('%(process_num)')) {
    const blamed = context.raw(section, 'process_name') === null ? 'numprocs' : 'process_name';
    throw new ConfigError('%(process_num) must be present within process_name when numprocs > 1', {
      where: context.keyWhere(section, blamed),
    });
  }
  if (stopasgroup && !killasgroup) {
    throw new ConfigError('Cannot set stopasgroup=true and killasgroup=false', { where: context.keyWhere(section, 'killasgroup') });
  }

  const processes: ProcessConfig[] = [];
  for (let processNum = numprocsStart; processNum < numprocs + numprocsStart; processNum++) {
    vars.set('process_num', processNum);
    vars.set('numprocs', numprocs);
    for (const [k, v] of context.envVars) vars.set(k, v);
    const environment = keys.at('environment', () => dictOfKeyValuePairs(expand(environmentTemplate, vars, 'environment')));
    for (const [k, v] of Object.entries(environment)) vars.set(`ENV_${k}`, v);
    const envFiles = context.envFiles(section, keys.value('env_file'));
    const directory = keys.value('directory');
    const stdout = readChannel(context, section, keys, vars, 'stdout', stdoutCaptureMaxbytes, stdoutEvents);
    const stderr = readChannel(context, section, keys, vars, 'stderr', stderrCaptureMaxbytes, stderrEvents);
    if (redirectStderr) {
      if (stderr.logfile !== 'AUTO' && stderr.logfile !== null) {
        context.warnings.push(
          `For [${section}], redirect_stderr=true but stderr_logfile has also been set to a filename, the filename has been ignored`,
        );
      }
      stderr.logfile = null; // stderr goes to stdout's log
    }

    const command = keys.value('command');
    if (command === null) throw new ConfigError(`program section ${section} does not specify a command`);

    processes.push({
      name: keys.at('process_name', () => expand(processName, vars, 'process_name')),
      section,
      command,
      priority,
      autostart,
      autorestart,
      startsecs,
      startretries,
      backoff,
      backoffMax,
      readiness,
      liveness,
      dependsOn: [],
      exitcodes,
      stopsignal,
      stopwaitsecs,
      stopasgroup,
      killasgroup,
      stopastree,
      user,
      directory,
      umask,
      environment,
      envFiles,
      redirectStderr,
      stdout,
      stderr,
      serverurl,
      location: context.location(context.section(section)),
    });
  }
  return processes.sort(byPriorityThenName);
}

function readChannel(
  context: LoadContext,
  section: string,
  keys: KeyReader<typeof PROCESS_KEYS>,
  vars: Vars,
  name: 'stdout' | 'stderr',
  captureMaxbytes: number,
  eventsEnabled: boolean,
): ChildLogConfig {
  const key = `${name}_logfile` as const;
  // The reference expands a configured log file name a second time.
  const parsed = keys.at(key, () => keys.convert(key, expand(keys.text(key), vars, key)));
  const backups = keys.value(`${name}_logfile_backups`);
  const maxbytes = keys.value(`${name}_logfile_maxbytes`);
  let syslog = keys.value(`${name}_syslog`);
  const format = keys.value(`${name}_logfile_format`);
  const rotate = keys.value(`${name}_logfile_rotate`);
  let logfile: string | null = parsed.kind === 'auto' ? 'AUTO' : parsed.kind === 'path' ? parsed.path : null;
  if (parsed.kind === 'syslog') {
    context.warnings.push(
      `For [${section}], ${key}=syslog but this is deprecated and will be removed.  Use ${name}_syslog=true to enable syslog instead.`,
    );
    logfile = null;
    syslog = true;
  }
  if (logfile === 'AUTO' && !maxbytes) {
    context.warnings.push(
      `For [${section}], AUTO logging used for ${key} without rollover, set maxbytes > 0 to avoid filling up filesystem unintentionally`,
    );
  }
  return { logfile, maxbytes, backups, captureMaxbytes, eventsEnabled, syslog, format, rotate };
}
