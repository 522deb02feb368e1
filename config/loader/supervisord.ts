// [supervisord]: the daemon's settings, merged with the command line's.
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import path from 'node:path';
import { dictOfKeyValuePairs, nameToUid, normalizePath } from '../datatypes.js';
import { expand } from '../expand.js';
import { SUPERVISORD_KEYS } from '../schema/supervisord.js';
import type { SupervisordConfig } from '../types.js';
import { keyReader, type LoadContext, type Vars } from './context.js';

/** Python's tempfile.gettempdir(): the first writable candidate directory. */
export function defaultTempDir(env: NodeJS.ProcessEnv, cwd: string): string {
  const candidates = [env['TMPDIR'], env['TEMP'], env['TMP'], '/tmp', '/var/tmp', '/usr/tmp', cwd];
  for (const c of candidates) {
    if (!c) continue;
    try {
      if (statSync(c).isDirectory()) {
        accessSync(c, fsConstants.W_OK);
        return path.resolve(cwd, c);
      }
    } catch {
      // not usable; try the next one
    }
  }
  return cwd;
}

/** Reads the keys in the reference's order, so that the first bad value is the one it reports. */
export function readSupervisord(context: LoadContext): SupervisordConfig {
  const { env } = context;
  const keys = keyReader(context, 'supervisord', SUPERVISORD_KEYS, new Map([['here', context.here]]));

  const minfds = keys.value('minfds');
  const minprocs = keys.value('minprocs');
  const directory = keys.value('directory');
  // Checked once the command line's -u is known (the reference's realize()).
  const user = keys.text('user');
  const umask = keys.value('umask');
  const logfile = keys.value('logfile');
  const logfileMaxbytes = keys.value('logfile_maxbytes');
  const logfileBackups = keys.value('logfile_backups');
  const logfileRotate = keys.value('logfile_rotate');
  const loglevel = keys.value('loglevel');
  const pidfile = keys.value('pidfile');
  const identifier = keys.value('identifier');
  const nodaemon = keys.value('nodaemon');
  const silent = keys.value('silent');
  const childlogdir = keys.value('childlogdir', defaultTempDir(env, context.cwd));
  const nocleanup = keys.value('nocleanup');
  const stripAnsi = keys.value('strip_ansi');
  const childrenDieWithDaemon = keys.value('children_die_with_daemon');
  // Expanded twice, the second time with host_node_name too, exactly as the reference does.
  const envVars: Vars = new Map([['here', context.here], ['host_node_name', context.hostname], ...context.envVars]);
  const environment = context.attempt(
    () => keys.at('environment', () => dictOfKeyValuePairs(expand(keys.text('environment'), envVars, 'environment'))),
    (): Record<string, string> => ({}),
  );
  for (const [k, v] of Object.entries(environment)) context.envVars.set(`ENV_${k}`, v);
  const envFiles = context.envFiles('supervisord', keys.value('env_file'));
  const subreaper = keys.value('subreaper');

  const fromFile: SupervisordConfig = {
    logfile,
    logfileMaxbytes,
    logfileBackups,
    logfileRotate,
    loglevel,
    pidfile,
    umask,
    nodaemon,
    silent,
    minfds,
    minprocs,
    nocleanup,
    childlogdir,
    user,
    directory,
    stripAnsi,
    childrenDieWithDaemon,
    environment,
    envFiles,
    identifier,
    subreaper,
  };
  const merged: SupervisordConfig = { ...fromFile };
  for (const [k, v] of Object.entries(context.options.overrides ?? {})) {
    // Partial<> may carry explicit undefined for options not given on the command line.
    if (v !== undefined) Object.assign(merged, { [k]: v });
  }
  // What the reference's realize() does once file and command line are combined.
  if (merged.user !== null) {
    const user = merged.user;
    const fromCommandLine = context.options.overrides?.user !== undefined;
    context.attempt(
      () =>
        context.at(
          () => (fromCommandLine ? '-u/--user on the command line' : context.keyWhere('supervisord', 'user')),
          () => nameToUid(user),
        ),
      () => 0,
    );
  }
  if (merged.logfile !== null && merged.logfile !== 'syslog') merged.logfile = normalizePath(merged.logfile, env, context.cwd);
  merged.pidfile = normalizePath(merged.pidfile, env, context.cwd);
  return merged;
}
