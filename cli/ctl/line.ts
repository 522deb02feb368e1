// How a command line becomes an action and its argument, the way Python's cmd module reads it
// (the reference's shell is built on it), plus the name-spec helpers every action shares.
import { pyStrip } from '../../config/python.js';

export { pySplitWhitespace as splitWords } from '../../config/python.js';

/** An action name is the leading run of these characters (cmd.Cmd's identchars). */
const IDENT = /^[A-Za-z0-9_]*/;

export interface ParsedLine {
  /** null when the line cannot name an action (e.g. it starts with `!`). */
  action: string | null;
  arg: string;
  /** The stripped line, what "Unknown syntax" messages quote. */
  line: string;
}

export function parseLine(raw: string): ParsedLine {
  let line = pyStrip(raw);
  if (line.startsWith('?')) line = `help ${line.slice(1)}`;
  else if (line.startsWith('!')) return { action: null, arg: '', line };
  const action = IDENT.exec(line)?.[0] ?? '';
  return { action, arg: pyStrip(line.slice(action.length)), line };
}
