// The text of the event listener protocol as the listener sees it: the header line the daemon
// sends before each notification, the `key:value` tokens of a payload, and the result message.
import { SupervisorError } from '../common/errors.js';

/** `READY\n`: the listener waits for its next notification. */
export const READY_TOKEN = 'READY\n';

/**
 * `key:value` tokens separated by spaces, split at the first colon (a value may hold colons).
 * A token without a colon continues the previous value, so a value with spaces (e.g. the `type`
 * of a REMOTE_COMMUNICATION event) survives.
 */
export function parseTokens(text: string): Record<string, string> {
  const tokens: Record<string, string> = {};
  let lastKey: string | undefined;
  for (const word of text.split(' ')) {
    if (word === '') continue;
    const colon = word.indexOf(':');
    if (colon < 0) {
      if (lastKey !== undefined) tokens[lastKey] += ` ${word}`;
      continue;
    }
    lastKey = word.slice(0, colon);
    tokens[lastKey] = word.slice(colon + 1);
  }
  return tokens;
}

/** The header line's fields (`ver server serial pool poolserial eventname len`), typed. */
export interface NotificationHeaders {
  /** Every token as sent, keyed by its name in the protocol (`poolserial`, `eventname`, ...). */
  readonly raw: Readonly<Record<string, string>>;
  readonly ver: string;
  readonly server: string;
  readonly serial: number;
  readonly pool: string;
  readonly poolSerial: number;
  readonly eventName: string;
  /** Payload length in code points (the reference counts Python characters). */
  readonly len: number;
}

export class ProtocolError extends SupervisorError {
  override readonly name = 'ProtocolError';

  constructor(message: string) {
    super('LISTENER_PROTOCOL', message);
  }
}

export function parseHeaderLine(line: string): NotificationHeaders {
  const raw = parseTokens(line.replace(/\r?\n$/, ''));
  const len = Number(raw['len']);
  if (raw['len'] === undefined || !Number.isInteger(len) || len < 0) {
    throw new ProtocolError(`header line without a valid len: ${JSON.stringify(line)}`);
  }
  return {
    raw,
    ver: raw['ver'] ?? '',
    server: raw['server'] ?? '',
    serial: Number(raw['serial'] ?? NaN),
    pool: raw['pool'] ?? '',
    poolSerial: Number(raw['poolserial'] ?? NaN),
    eventName: raw['eventname'] ?? '',
    len,
  };
}

/**
 * A payload split as the reference's events build them: events with a body (PROCESS_LOG_*,
 * PROCESS_COMMUNICATION_*, REMOTE_COMMUNICATION, PROCESS_GROUP_*) put their tokens on a first
 * line and the body after the newline; the others are tokens only (or empty), so `data` is
 * undefined for them.
 */
export function splitPayload(payload: string): { fields: Record<string, string>; data: string | undefined } {
  const newline = payload.indexOf('\n');
  if (newline < 0) return { fields: parseTokens(payload), data: undefined };
  return { fields: parseTokens(payload.slice(0, newline)), data: payload.slice(newline + 1) };
}

/** `RESULT <n>\n<text>`; n counts bytes, which is what the daemon reads. */
export function resultMessage(text: string): string {
  return `RESULT ${Buffer.byteLength(text, 'utf8')}\n${text}`;
}
