// Turning a program's `command=` into the file to execute and its argv, the way the reference
// does it before forking: POSIX shell-like splitting (no shell runs), then a PATH search, then
// checks that give a clear spawn error instead of a failed exec.
import fs from 'node:fs';
import path from 'node:path';
import { describeError, SupervisorError } from '../common/errors.js';
import { pyRepr } from '../config/python.js';

export interface ResolvedCommand {
  filename: string;
  argv: string[];
}

/** Why a command cannot run: COMMAND_NOT_FOUND, or COMMAND_NOT_EXECUTABLE for every other reason. */
function commandError(code: 'COMMAND_NOT_FOUND' | 'COMMAND_NOT_EXECUTABLE', message: string, cause?: unknown): SupervisorError {
  return new SupervisorError(code, message, { cause });
}

/** Characters with no special meaning to splitCommand, from a given index (sticky). */
const PLAIN_RUN = /[^\s'"\\]+/y;

/** Splits like Python's shlex.split (POSIX mode, no comments). Throws with shlex's wording. */
export function splitCommand(command: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  let i = 0;
  while (i < command.length) {
    const ch = command[i]!;
    if (/\s/.test(ch)) {
      if (word !== null) words.push(word);
      word = null;
      i += 1;
    } else if (ch === "'") {
      const end = command.indexOf("'", i + 1);
      if (end < 0) throw new Error('No closing quotation');
      word = (word ?? '') + command.slice(i + 1, end);
      i = end + 1;
    } else if (ch === '"') {
      let text = '';
      i += 1;
      for (;;) {
        if (i >= command.length) throw new Error('No closing quotation');
        const c = command[i]!;
        if (c === '"') break;
        // Inside double quotes a backslash escapes only a quote or another backslash.
        if (c === '\\' && (command[i + 1] === '"' || command[i + 1] === '\\')) {
          text += command[i + 1];
          i += 2;
        } else {
          text += c;
          i += 1;
        }
      }
      word = (word ?? '') + text;
      i += 1;
    } else if (ch === '\\') {
      if (i + 1 >= command.length) throw new Error('No escaped character');
      word = (word ?? '') + command[i + 1];
      i += 2;
    } else {
      // A run of ordinary characters at once, rather than a string per character.
      PLAIN_RUN.lastIndex = i;
      const run = PLAIN_RUN.exec(command)?.[0] ?? ch;
      word = (word ?? '') + run;
      i += run.length;
    }
  }
  if (word !== null) words.push(word);
  return words;
}

function statOrNull(file: string): fs.Stats | null {
  try {
    // Most PATH entries do not hold the program: no exception (and its stack trace) for those.
    return fs.statSync(file, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null;
  }
}

/**
 * os.path.join(dir, program) for a program without a slash: no normalisation, as the reference
 * execs it (path.join would make `./prog` the bare `prog`, which exec would look up in PATH), and
 * cheap: path.join's normalising loop, run for every PATH entry of every spawn, was the one
 * function hot enough to be optimised while 100 programs started, which costs ~5 MiB for good.
 */
function joinLikePython(dir: string, program: string): string {
  return dir === '' || dir.endsWith('/') ? dir + program : `${dir}/${program}`;
}

/**
 * Resolves the command against PATH (from the environment the child will get) and checks the
 * file, so a bad command gives the reference's spawn error text.
 */
export function resolveCommand(command: string, env: NodeJS.ProcessEnv): ResolvedCommand {
  let argv: string[];
  try {
    argv = splitCommand(command);
  } catch (error) {
    throw commandError('COMMAND_NOT_EXECUTABLE', `can't parse command ${pyRepr(command)}: ${describeError(error)}`, error);
  }
  const program = argv[0];
  if (program === undefined) throw commandError('COMMAND_NOT_EXECUTABLE', 'command is empty');

  let filename = program;
  let stats: fs.Stats | null = null;
  if (program.includes('/')) {
    stats = statOrNull(program);
  } else {
    for (const dir of (env.PATH ?? '').split(path.delimiter)) {
      const candidate = joinLikePython(dir, program);
      stats = statOrNull(candidate);
      if (stats) {
        filename = candidate;
        break;
      }
    }
  }
  if (!stats) throw commandError('COMMAND_NOT_FOUND', `can't find command ${pyRepr(filename)}`);
  if (stats.isDirectory()) throw commandError('COMMAND_NOT_EXECUTABLE', `command at ${pyRepr(filename)} is a directory`);
  if ((stats.mode & 0o111) === 0) {
    throw commandError('COMMAND_NOT_EXECUTABLE', `command at ${pyRepr(filename)} is not executable`);
  }
  try {
    fs.accessSync(filename, fs.constants.X_OK);
  } catch {
    throw commandError('COMMAND_NOT_EXECUTABLE', `no permission to run command ${pyRepr(filename)}`);
  }
  return { filename, argv };
}
