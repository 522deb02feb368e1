// The interactive shell: the status of everything first, then a prompt until quit, Ctrl-D
// or Ctrl-C. On a terminal it edits lines with completion and history (kept in the history
// file when one is set); from a pipe it reads plain lines. Its exit status is always 0.
// node:readline is loaded when a prompt is shown, not imported: a one-shot command shows none.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Supervisorctl } from './controller.js';
import { stdinLines } from './ask.js';
import { complete } from './completion.js';

export interface ShellSettings {
  prompt: string;
  historyFile: string | undefined;
}

/** History entries, oldest first, one per line as readline's history files keep them. */
function readHistory(file: string | undefined): string[] {
  if (file === undefined) return [];
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line !== '');
  } catch {
    return []; // no history yet
  }
}

function writeHistory(file: string | undefined, entries: readonly string[]): void {
  if (file === undefined) return;
  try {
    writeFileSync(file, entries.map((e) => `${e}\n`).join(''));
  } catch {
    // an unwritable history file is not worth failing over, as in the reference
  }
}

type Typed = { kind: 'line'; line: string } | { kind: 'eof' } | { kind: 'interrupt' };

/**
 * One line from the terminal. A fresh readline per prompt: between prompts the terminal is in
 * its normal mode, so Ctrl-C during an action (tail -f) is a signal the action handles.
 */
function promptOnTerminal(ctl: Supervisorctl, prompt: string, newestFirst: string[]): Promise<{ typed: Typed; history: string[] }> {
  return new Promise((resolve) => {
    const rl = process.getBuiltinModule('node:readline').createInterface({
      input: process.stdin,
      output: process.stdout,
      terminal: true,
      history: newestFirst,
      historySize: Number.MAX_SAFE_INTEGER,
      completer: (line: string, done: (err: Error | null, result: [string[], string]) => void) => {
        complete(ctl, line).then(
          ({ candidates, word }) => done(null, [candidates, word]),
          () => done(null, [[], line]),
        );
      },
    });
    let typed: Typed = { kind: 'eof' };
    rl.once('line', (line) => {
      typed = { kind: 'line', line };
      rl.close();
    });
    rl.once('SIGINT', () => {
      typed = { kind: 'interrupt' };
      rl.close();
    });
    rl.once('close', () => {
      // readline keeps its history newest first
      const history = (rl as unknown as { history: string[] }).history;
      resolve({ typed, history });
    });
    rl.setPrompt(prompt);
    rl.prompt();
  });
}

/**
 * Runs one line; a Ctrl-C the action does not handle itself (tail -f and fg do) ends the shell
 * after a newline, as the reference's does.
 */
async function runInterruptibly(ctl: Supervisorctl, line: string, save: () => void): Promise<boolean> {
  const onSigint = (): void => {
    if (process.listenerCount('SIGINT') > 1) return; // the action's own handler takes it
    ctl.output('');
    save();
    process.exit(0);
  };
  process.on('SIGINT', onSigint);
  try {
    return await ctl.runLine(line);
  } finally {
    process.off('SIGINT', onSigint);
  }
}

export async function runShell(ctl: Supervisorctl, settings: ShellSettings): Promise<void> {
  const prompt = `${settings.prompt}> `;
  let newestFirst = readHistory(settings.historyFile).reverse();
  const save = (): void => writeHistory(settings.historyFile, [...newestFirst].reverse());
  await runInterruptibly(ctl, 'status', save);
  try {
    if (!process.stdin.isTTY) {
      for (;;) {
        process.stdout.write(prompt);
        const line = await stdinLines().next();
        if (await runInterruptibly(ctl, line ?? 'EOF', save)) return;
      }
    }
    for (;;) {
      const { typed, history } = await promptOnTerminal(ctl, prompt, newestFirst);
      newestFirst = history;
      if (typed.kind !== 'line') {
        // Ctrl-D ends the shell as `EOF` does; Ctrl-C just leaves, after a newline.
        if (typed.kind === 'eof') await ctl.runLine('EOF');
        else ctl.output('');
        return;
      }
      if (await runInterruptibly(ctl, typed.line, save)) return;
    }
  } finally {
    save();
  }
}
