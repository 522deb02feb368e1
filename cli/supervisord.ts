#!/usr/bin/env node
// supervisord: parse the command line, load the configuration, then run the daemon in the
// foreground (-n) or in the background.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import { findConfigFile, noConfigFileMessage } from '../config/search.js';
import { ConfigError, type Config, type SupervisordConfig } from '../config/types.js';
import { Daemon, dropPrivileges } from '../actors/daemon.js';
import { raiseLimits, RlimitError } from '../actors/rlimits.js';
import { parseSupervisordArgs, SUPERVISORD_HELP, UsageError } from './supervisord-options.js';
import { SUPERVISOR_VERSION } from './version.js';
import { HttpServerError } from '../rpc/http/errors.js';
import { ExtensionError } from '../rpc/extensions.js';
import { ResultHandlerError } from '../actors/result-handlers.js';

/** Set in the environment of the background copy: the fd on which it reports readiness. */
const READY_FD_VARIABLE = 'SUPERVISORD_READY_FD';
const READY_FD = 3;

const progname = process.argv[1] ?? 'supervisord';

function usage(message: string): never {
  process.stderr.write(`Error: ${message}\nFor help, use ${progname} -h\n`);
  process.exit(2);
}

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

function fail(message: string): never {
  reportToParent(`error ${message}`);
  usage(message);
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
    if (line.startsWith('error ')) usage(line.slice('error '.length));
    process.stderr.write(`Error: supervisord exited during startup\n`);
    process.exit(2);
  });
  child.unref();
}

function loadOrExit(configFile: string, overrides: Partial<SupervisordConfig>): Config {
  try {
    return loadConfig(configFile, { overrides });
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseSupervisordArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) usage(error.message);
    throw error;
  }
  if (args.help) {
    process.stdout.write(SUPERVISORD_HELP.replaceAll('%PROG%', progname));
    process.exit(0);
  }
  if (args.version) {
    process.stdout.write(`${SUPERVISOR_VERSION}\n`);
    process.exit(0);
  }
  const configFile = args.configFile ?? findConfigFile(progname) ?? usage(noConfigFileMessage(progname));
  const config = loadOrExit(configFile, args.overrides);
  const { supervisord } = config;
  const isBackgroundCopy = process.env[READY_FD_VARIABLE] === String(READY_FD);
  if (!supervisord.nodaemon && !isBackgroundCopy) return daemonize();

  const startupInfos: string[] = [];
  if (supervisord.user !== null) {
    const problem = dropPrivileges(supervisord.user);
    if (problem) fail(problem);
    startupInfos.push(`Set uid to user ${process.getuid?.()} succeeded`);
  }
  try {
    startupInfos.push(...raiseLimits(supervisord));
  } catch (error) {
    if (error instanceof RlimitError) fail(error.message);
    throw error;
  }
  // A relative config path is kept as given (error texts name it so), except when the background
  // daemon will leave the directory it is relative to (directory=): reloads must still find it.
  const reloadFile = isBackgroundCopy && supervisord.directory ? path.resolve(configFile) : configFile;
  // Logged with the load messages, after them, as the reference logs its parse infos (include
  // lines first, then the uid switch and the rlimit changes).
  config.messages.push(...startupInfos.map((text) => ({ level: 'info' as const, text })));
  const daemon = new Daemon({
    configFile: reloadFile,
    overrides: args.overrides,
    config,
    daemonized: isBackgroundCopy,
    onStarted: () => reportToParent('ready'),
  });
  try {
    process.exitCode = await daemon.run();
  } catch (error) {
    if (error instanceof HttpServerError || error instanceof ExtensionError || error instanceof ResultHandlerError) {
      fail(error.message);
    }
    throw error;
  }
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  reportToParent(`error ${message}`);
  process.stderr.write(`supervisord: ${error instanceof Error && error.stack ? error.stack : message}\n`);
  process.exit(1);
});
