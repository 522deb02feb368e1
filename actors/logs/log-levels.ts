// The reference's log levels: numbers decide filtering, four-letter labels appear in each line.
import type { LogLevelName } from '../../config/types.js';

export const LOG_LEVEL_NUMBERS: Readonly<Record<LogLevelName, number>> = {
  critical: 50,
  error: 40,
  warn: 30,
  info: 20,
  debug: 10,
  trace: 5,
  blather: 3,
};

export const LOG_LEVEL_LABELS: Readonly<Record<LogLevelName, string>> = {
  critical: 'CRIT',
  error: 'ERRO',
  warn: 'WARN',
  info: 'INFO',
  debug: 'DEBG',
  trace: 'TRAC',
  blather: 'BLAT',
};
