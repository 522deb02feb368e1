// Reading what the user types outside the shell prompt: confirmations, credentials, and the
// lines `fg` forwards. On a terminal each question gets its own readline, closed afterwards so
// the terminal is back in its normal mode (Ctrl-C a signal again) while an action runs; from a
// pipe all lines come from one reader, so none buffered past a question is lost. node:readline
// is loaded by the first reader (process.getBuiltinModule), not imported: most commands ask nothing.
import { Writable } from 'node:stream';

export interface Asker {
  /** The answer without its newline; null at end of input or on Ctrl-C. */
  ask(question: string, hidden?: boolean): Promise<string | null>;
}

/** Lines of a non-terminal stdin, shared by everything that reads it. */
export interface LineQueue {
  next(): Promise<string | null>;
  /** Puts back a line read too late for its reader, for the next one. */
  unread(line: string): void;
}

let pipedLines: LineQueue | undefined;

export function stdinLines(): LineQueue {
  if (pipedLines) return pipedLines;
  const rl = process.getBuiltinModule('node:readline').createInterface({ input: process.stdin, terminal: false });
  const ready: string[] = [];
  const waiting: Array<(line: string | null) => void> = [];
  let ended = false;
  rl.on('line', (line) => {
    const w = waiting.shift();
    if (w) w(line);
    else ready.push(line);
  });
  rl.on('close', () => {
    ended = true;
    for (const w of waiting.splice(0)) w(null);
  });
  pipedLines = {
    next() {
      if (ready.length > 0) return Promise.resolve(ready.shift() ?? null);
      if (ended) return Promise.resolve(null);
      return new Promise((resolve) => waiting.push(resolve));
    },
    unread: (line) => ready.unshift(line),
  };
  return pipedLines;
}

/** A stream that drops what readline echoes, for answers that must not show (passwords). */
function silentOutput(): Writable {
  return new Writable({ write: (_chunk, _enc, done) => done() });
}

/** Asks one question on the terminal. */
export function askOnTerminal(question: string, hidden = false): Promise<string | null> {
  return new Promise((resolve) => {
    const rl = process.getBuiltinModule('node:readline').createInterface({
      input: process.stdin,
      output: hidden ? silentOutput() : process.stdout,
      terminal: true,
    });
    let answer: string | null = null;
    rl.once('line', (line) => {
      answer = line;
      rl.close();
    });
    rl.once('SIGINT', () => rl.close());
    rl.once('close', () => {
      if (hidden) process.stdout.write('\n');
      resolve(answer);
    });
    // Asked once the terminal is raw, so no answer typed after the question is echoed.
    if (hidden) process.stdout.write(question);
    else {
      rl.setPrompt(question);
      rl.prompt();
    }
  });
}

export function createAsker(): Asker {
  if (process.stdin.isTTY) return { ask: askOnTerminal };
  return {
    async ask(question) {
      process.stdout.write(question);
      return stdinLines().next();
    },
  };
}

/** Lines typed until end of input or Ctrl-C (then null), e.g. for `fg`. close() stops reading. */
export interface InputLines {
  next(): Promise<string | null>;
  close(): void;
}

export function inputLines(): InputLines {
  const ready: string[] = [];
  let waiting: ((line: string | null) => void) | undefined;
  let ended = false;
  const end = (): void => {
    ended = true;
    waiting?.(null);
    waiting = undefined;
  };
  let stop: () => void;
  if (process.stdin.isTTY) {
    const rl = process
      .getBuiltinModule('node:readline')
      .createInterface({ input: process.stdin, output: process.stdout, terminal: true, prompt: '' });
    rl.on('line', (line) => {
      if (waiting) waiting(line);
      else ready.push(line);
      waiting = undefined;
    });
    rl.on('SIGINT', end);
    rl.on('close', end);
    stop = () => rl.close();
  } else {
    const pump = async (): Promise<void> => {
      for (let line = await stdinLines().next(); ; line = await stdinLines().next()) {
        if (ended) {
          if (line !== null) stdinLines().unread(line);
          return;
        }
        if (line === null) return end();
        if (waiting) waiting(line);
        else ready.push(line);
        waiting = undefined;
      }
    };
    process.on('SIGINT', end);
    void pump();
    stop = () => {
      process.off('SIGINT', end);
      end();
    };
  }
  return {
    next() {
      if (ready.length > 0) return Promise.resolve(ready.shift() ?? null);
      if (ended) return Promise.resolve(null);
      return new Promise((resolve) => (waiting = resolve));
    },
    close: stop,
  };
}
