// The tokenizer behind the reference's `environment=` parsing: Python's shlex.shlex in its default
// non-POSIX mode with '/.+-():' added to the word characters. Quotes stay part of the token,
// '#' starts a comment, and every other punctuation character is a token of its own.
import { ConfigError } from './types.js';

const WORDCHARS = new Set('abcdfeghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_/.+-():');
const WHITESPACE = new Set(' \t\r\n');
const QUOTES = new Set('\'"');
const COMMENTERS = new Set('#');

export function shlexTokens(input: string): string[] {
  const tokens: string[] = [];
  let pos = 0;
  const chars = Array.from(input);
  const skipLine = (): void => {
    while (pos < chars.length && chars[pos] !== '\n') pos++;
    if (pos < chars.length) pos++;
  };

  // One token per iteration; an empty token means end of input, as in shlex's non-POSIX mode.
  for (;;) {
    let token = '';
    let state: 'space' | 'word' | string = 'space';
    for (;;) {
      const ch = pos < chars.length ? chars[pos++]! : '';
      if (state === 'space') {
        if (!ch) break;
        if (WHITESPACE.has(ch)) {
          if (token) break;
        } else if (COMMENTERS.has(ch)) {
          skipLine();
        } else if (WORDCHARS.has(ch)) {
          token = ch;
          state = 'word';
        } else if (QUOTES.has(ch)) {
          token = ch;
          state = ch;
        } else {
          token = ch;
          break;
        }
      } else if (state === 'word') {
        if (!ch) break;
        if (WHITESPACE.has(ch)) break;
        if (COMMENTERS.has(ch)) {
          // Non-POSIX shlex skips the comment but keeps building the same word.
          skipLine();
        } else if (WORDCHARS.has(ch) || QUOTES.has(ch)) {
          token += ch;
        } else {
          pos--;
          break;
        }
      } else {
        // Inside a quote: everything up to the same quote character.
        if (!ch) throw new ConfigError('No closing quotation');
        token += ch;
        if (ch === state) break;
      }
    }
    if (!token) return tokens;
    tokens.push(token);
  }
}

/** KEY=val,KEY2="v,2" into an object, as the reference's dict_of_key_value_pairs. */
export function dictOfKeyValuePairs(arg: string): Record<string, string> {
  const tokens = shlexTokens(arg);
  const result: Record<string, string> = {};
  for (let i = 0; i < tokens.length; i += 4) {
    const [key, eq, value] = tokens.slice(i, i + 3);
    if (key === undefined || value === undefined || eq !== '=') {
      throw new ConfigError(`Unexpected end of key/value pairs in value '${arg}'`);
    }
    // defineProperty so that a key such as __proto__ is stored like any other.
    Object.defineProperty(result, key, {
      value: value.replace(/^['"]+|['"]+$/g, ''),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return result;
}
