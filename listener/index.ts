// A library for writing Supervisor event listeners in TypeScript. The daemon writes
// notifications to the listener's stdin and reads its answers from stdout, so a listener must
// keep stdout for the protocol and log to stderr.
//
// Iterate, answering each notification (one left unanswered is answered OK when the loop moves on):
//
//   import { listen } from 'supervisor-node/listener';
//
//   for await (const event of listen()) {
//     if (event.eventName === 'PROCESS_STATE_EXITED' && event.fields['expected'] === '0') {
//       process.stderr.write(`${event.fields['processname']} crashed\n`);
//     }
//     event.ok(); // or event.fail() to have the daemon deliver it again later
//   }
//
// Or hand a function over: returning (or resolving) answers OK, returning false or throwing FAIL.
//
//   await runListener(async (event) => { await notifySomeone(event.payload); });
//
// A custom result handler (`result_handler=` in an [eventlistener:x] section) rejects the
// listener's answer by throwing RejectEvent; `event.result(text)` sends such a custom answer.
import type { Readable, Writable } from 'node:stream';
import { SupervisorError } from '../common/errors.js';
import { NotificationReader } from './reader.js';
import { parseHeaderLine, READY_TOKEN, resultMessage, splitPayload, type NotificationHeaders } from './protocol.js';

export { parseHeaderLine, parseTokens, splitPayload, ProtocolError, type NotificationHeaders } from './protocol.js';

/** Thrown by a result handler to reject a listener's answer: the daemon delivers the event again. */
export class RejectEvent extends SupervisorError {
  override readonly name = 'RejectEvent';

  constructor(message = 'event rejected') {
    super('REJECT_EVENT', message);
  }
}

export interface ListenOptions {
  /** Where notifications come from; stdin by default. */
  input?: Readable;
  /** Where READY and results go; stdout by default. */
  output?: Writable;
}

/** One notification from the daemon, answered exactly once with ok(), fail() or result(). */
export class ListenerEvent {
  readonly eventName: string;
  readonly serial: number;
  readonly pool: string;
  readonly poolSerial: number;
  /** key:value tokens of the payload (of its first line when the event has a body). */
  readonly fields: Readonly<Record<string, string>>;
  /** What follows the payload's first newline (log or communication data), undefined if none. */
  readonly data: string | undefined;
  private answer: string | undefined;

  constructor(
    readonly headers: NotificationHeaders,
    /** The payload exactly as received. */
    readonly payload: string,
    private readonly output: Writable,
  ) {
    this.eventName = headers.eventName;
    this.serial = headers.serial;
    this.pool = headers.pool;
    this.poolSerial = headers.poolSerial;
    const { fields, data } = splitPayload(payload);
    this.fields = fields;
    this.data = data;
  }

  get answered(): boolean {
    return this.answer !== undefined;
  }

  /** `RESULT 2\nOK`: processed. */
  ok(): void {
    this.result('OK');
  }

  /** `RESULT 4\nFAIL`: not processed; the daemon buffers the event and sends it again. */
  fail(): void {
    this.result('FAIL');
  }

  /** Any answer text, for pools with a custom result handler. */
  result(text: string): void {
    if (this.answer !== undefined) throw new SupervisorError('LISTENER_PROTOCOL', `event ${this.serial} already answered ${this.answer}`);
    this.answer = text;
    this.output.write(resultMessage(text));
  }
}

/**
 * Says READY, then yields each notification; ends when the daemon closes our stdin. The next
 * READY is sent only once the current event is answered, when the loop asks for the next one.
 */
export async function* listen(options: ListenOptions = {}): AsyncGenerator<ListenerEvent, void, undefined> {
  const output = options.output ?? process.stdout;
  const reader = new NotificationReader(options.input ?? process.stdin);
  for (;;) {
    output.write(READY_TOKEN);
    const line = await reader.readLine();
    if (line === undefined) return;
    const headers = parseHeaderLine(line);
    const payload = await reader.readPayload(headers.len);
    if (payload === undefined) return;
    const event = new ListenerEvent(headers, payload, output);
    yield event;
    if (!event.answered) event.ok();
  }
}

/** What runListener does with each event: resolve (or return true) for OK, false or throw for FAIL. */
export type EventHandler = (event: ListenerEvent) => void | boolean | Promise<void | boolean>;

export interface RunListenerOptions extends ListenOptions {
  /** Told about a handler's error before the event is answered FAIL; writes it to stderr by default. */
  onError?: (error: unknown, event: ListenerEvent) => void;
}

/** Runs `handler` for every notification until the daemon closes our stdin. */
export async function runListener(handler: EventHandler, options: RunListenerOptions = {}): Promise<void> {
  const onError =
    options.onError ??
    ((error: unknown, event: ListenerEvent) => {
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`event ${event.serial} (${event.eventName}) failed: ${text}\n`);
    });
  for await (const event of listen(options)) {
    let processed: boolean;
    try {
      processed = (await handler(event)) !== false;
    } catch (error) {
      onError(error, event);
      processed = false;
    }
    if (event.answered) continue;
    if (processed) event.ok();
    else event.fail();
  }
}
