#!/usr/bin/env node
// supervisord: parse the command line, load the configuration, then run the daemon in the
// foreground (-n) or in the background.
import { collectIfHeapGrew, endStartUpTiering, reclaimMemory } from './daemon-v8.js';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import { findConfigFile, noConfigFileMessage } from '../config/search.js';
import type { CheckResult } from '../app/check/check-config.js';
import { dropPrivileges } from '../actors/daemon-process.js';
import { execUnderReaper } from '../actors/orphan-reaper.js';
import { takeReaperLink } from '../actors/reaper-link.js';
import { raiseLimits } from '../actors/rlimits.js';
import { ServiceManager } from '../actors/service-manager.js';
import { parseSupervisordArgs, supervisordHelp } from './supervisord-options.js';
import { runCommand } from '../common/command.js';
import { formatProblem } from '../config/problems.js';
import { describeError, SupervisorError, UsageError } from '../common/errors.js';
import { SUPERVISOR_VERSION } from '../common/version.js';

/** Set in the environment of the background copy: the fd on which it reports readiness. */
const READY_FD_VARIABLE = 'SUPERVISORD_READY_FD';
const READY_FD = 3;

const progname = process.argv[1] ?? 'supervisord';

/** Tells the waiting parent (background mode) that startup succeeded or failed. */
function reportToParent(message: string): void {
  if (process.env[READY_FD_VARIABLE] !== String(READY_FD)) return;
  try {
    fs.writeSync(READY_FD, `${message}\n`);
    fs.closeSync(READY_FD);
  } catch {
    // The parent is gone; nobody is waiting for the answer.
  }
}

/** The reference's wording for a command line or configuration it refuses. */
function usageError(message: string): string {
  return `Error: ${message}\nFor help, use ${progname} -h`;
}

/**
 * Starts a detached copy of this command (its own session, no terminal) and waits until it
 * reports that it runs, so startup errors still reach the terminal.
 */
function daemonize(): void {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    env: { ...process.env, [READY_FD_VARIABLE]: String(READY_FD) },
  });
  let answer = '';
  const channel = child.stdio[READY_FD] as NodeJS.ReadableStream;
  channel.setEncoding('utf8');
  channel.on('data', (text: string) => (answer += text));
  channel.on('end', () => {
    const line = answer.trim();
    if (line === 'ready') process.exit(0);
    process.stderr.write(
      line.startsWith('error ') ? `${usageError(line.slice('error '.length))}\n` : 'Error: supervisord exited during startup\n',
    );
    process.exit(2);
  });
  child.unref();
}

/**
 * Pid 1 must reap the orphans of its namespace, and subreaper= asks for the same elsewhere:
 * the process that runs the daemon (the background copy, when daemonizing) becomes the reaper.
 * As pid 1 it is no error that this cannot be done: the daemon then runs as it always did.
 */
async function becomeReaper(subreaper: boolean, isBackgroundCopy: boolean): Promise<string | null> {
  const asInit = process.pid === 1;
  if (!asInit && !subreaper) return null;
  try {
    return await execUnderReaper({ subreaper: !asInit, keepFds: isBackgroundCopy ? [READY_FD] : [] });
  } catch (error) {
    if (!asInit) throw new SupervisorError('STARTUP', `subreaper=true: can't reap orphans: ${describeError(error)}`, { cause: error });
    return `not reaping orphans as pid 1: ${describeError(error)}`;
  }
}

/**
 * --check's report: one line per problem on stdout, a summary on stderr. Exit status 0 when
 * there is none, 1 for warnings only, 2 for errors.
 */
function reportCheck({ problems, files }: CheckResult): number {
  const main = files[0]!;
  for (const problem of problems) process.stdout.write(`${formatProblem(problem, main)}\n`);
  const count = (severity: string, what: string) => {
    const n = problems.filter((p) => p.severity === severity).length;
    return n === 0 ? [] : [`${n} ${what}${n === 1 ? '' : 's'}`];
  };
  const counts = [...count('error', 'error'), ...count('warning', 'warning')];
  process.stderr.write(`${main}: ${counts.length === 0 ? 'ok' : counts.join(', ')}\n`);
  return problems.some((p) => p.severity === 'error') ? 2 : counts.length > 0 ? 1 : 0;
}

async function main(): Promise<number | void> {
  // First: the variable must reach neither this command's children nor the background copy.
  const reaper = takeReaperLink();
  const args = parseSupervisordArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(supervisordHelp().replaceAll('%PROG%', progname));
    return 0;
  }
  if (args.version) {
    process.stdout.write(`${SUPERVISOR_VERSION}\n`);
    return 0;
  }
  const configFile = args.configFile ?? findConfigFile(progname);
  if (configFile === null) throw new UsageError(noConfigFileMessage(progname));
  if (args.check) {
    const { checkConfiguration } = await import('../app/check/check-config.js');
    return reportCheck(await checkConfiguration(configFile, args.overrides));
  }
  const config = loadConfig(configFile, { overrides: args.overrides });
  const { supervisord } = config;
  const isBackgroundCopy = process.env[READY_FD_VARIABLE] === String(READY_FD);
  const runsDaemon = supervisord.nodaemon || isBackgroundCopy;
  const notReaping = runsDaemon && reaper === null ? await becomeReaper(supervisord.subreaper, isBackgroundCopy) : null;
  if (notReaping !== null) config.messages.push({ level: 'warn', text: notReaping });
  // Likely mistakes the reference accepts silently (typos, duplicates): also shown where the user is looking.
  for (const { kind, text } of config.messages) if (kind !== undefined) process.stderr.write(`Warning: ${text}\n`);
  if (notReaping !== null) process.stderr.write(`Warning: ${notReaping}\n`);
  if (!runsDaemon) return daemonize();

  const startupInfos: string[] = [];
  if (reaper !== null) startupInfos.push(`orphaned processes are reaped by supervisord-reaper (pid ${reaper.pid}), the daemon's parent`);
  if (supervisord.user !== null) {
    const problem = dropPrivileges(supervisord.user);
    if (problem) throw new SupervisorError('STARTUP', problem);
    startupInfos.push(`Set uid to user ${process.getuid?.()} succeeded`);
  }
  startupInfos.push(...raiseLimits(supervisord));
  // A relative config path is kept as given (error texts name it so), except when the background
  // daemon will leave the directory it is relative to (directory=): reloads must still find it.
  const reloadFile = isBackgroundCopy && supervisord.directory ? path.resolve(configFile) : configFile;
  // Logged with the load messages, after them, as the reference logs its parse infos (include
  // lines first, then the uid switch and the rlimit changes).
  config.messages.push(...startupInfos.map((text) => ({ level: 'info' as const, text })));
  // Loaded only now: a process about to become the reaper (or to start the background copy)
  // must not spend half its start-up on modules it never runs.
  const { Daemon } = await import('../app/daemon.js');
  const daemon = new Daemon({
    configFile: reloadFile,
    overrides: args.overrides,
    config,
    daemonized: isBackgroundCopy,
    reaper,
    onStarted: () => {
      endStartUpTiering();
      reportToParent('ready');
    },
    afterRequests: reclaimMemory,
    checkHeap: collectIfHeapGrew,
    // Read here, in the process that runs the daemon (the background copy in daemon mode).
    serviceManager: ServiceManager.fromEnvironment(process.env),
  });
  process.exitCode = await daemon.run();
}

runCommand({ name: 'supervisord', formatUsageError: usageError, onError: (message) => reportToParent(`error ${message}`) }, main);
