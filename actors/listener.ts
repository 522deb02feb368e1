// One event-listener process's side of the protocol: reads what the listener writes on stdout
// (READY, RESULT n + body), drives its listener machine, and writes events to its stdin.
import { createActor } from 'xstate';
import { listenerMachine, type ListenerEffect } from '../machines/listener.js';
import type { ListenerStateName } from '../machines/states.js';
import type { ActivityLog } from './logs/activity-log.js';
import type { SupervisedProcess } from './process.js';
import type { SupervisorEvent } from './events/types.js';

const READY_TOKEN = Buffer.from('READY\n');
const RESULT_PREFIX_LENGTH = 'RESULT '.length;

/** Judges a listener's answer: true accepts the event, false rejects it; throwing is an error. */
export type ResultHandler = (event: SupervisorEvent, response: Buffer) => boolean;

/** The reference's default: anything but exactly "OK" rejects the event. */
export const defaultResultHandler: ResultHandler = (_event, response) => response.equals(Buffer.from('OK'));

export interface ListenerHooks {
  log: ActivityLog;
  resultHandler: ResultHandler;
  /** The listener can take an event now. */
  becameReady(): void;
  /** The event it held goes back to the head of the pool's buffer. */
  rejected(event: SupervisorEvent): void;
}

export class Listener {
  private readonly actor = createActor(listenerMachine);
  /** Output not yet understood. */
  private pending: Buffer = Buffer.alloc(0);
  private resultLength: number | null = null;
  private result: Buffer = Buffer.alloc(0);
  /** The event the listener is working on (BUSY). */
  private event: SupervisorEvent | null = null;

  constructor(
    readonly process: SupervisedProcess,
    private readonly hooks: ListenerHooks,
  ) {
    this.actor.on('*', (effect: ListenerEffect) =>
      effect.type === 'reject' ? this.rejectHeldEvent() : this.onStateChange(effect.from, effect.to),
    );
    this.actor.start();
  }

  private get state(): ListenerStateName {
    return this.actor.getSnapshot().context.state;
  }

  get ready(): boolean {
    return this.state === 'READY' && this.process.state === 'RUNNING';
  }

  /** Writes the event to the listener; false when its stdin is gone (it stays READY). */
  send(envelope: Buffer, event: SupervisorEvent): boolean {
    try {
      this.process.writeStdin(envelope);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
      this.hooks.log.debug(`epipe occurred while sending event ${event.serial} to listener ${this.process.name}, listener state unchanged`);
      return false;
    }
    this.event = event;
    this.actor.send({ type: 'SENT' });
    this.hooks.log.debug(`event ${event.serial} sent to listener ${this.process.name}`);
    return true;
  }

  /** The process exited: a held event is rejected, and the next process starts afresh. */
  processExited(): void {
    this.pending = Buffer.alloc(0);
    this.resultLength = null;
    this.result = Buffer.alloc(0);
    this.actor.send({ type: 'PROCESS_EXITED' });
  }

  /** Bytes the listener wrote on stdout. */
  received(data: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, data]) : data;
    this.interpret();
  }

  dispose(): void {
    this.actor.stop();
  }

  private interpret(): void {
    while (this.pending.length) {
      if (this.state === 'UNKNOWN') {
        this.pending = Buffer.alloc(0);
      } else if (this.state === 'ACKNOWLEDGED') {
        if (this.pending.length < READY_TOKEN.length) return;
        if (this.pending.subarray(0, READY_TOKEN.length).equals(READY_TOKEN)) {
          this.pending = this.pending.subarray(READY_TOKEN.length);
          this.actor.send({ type: 'READY_TOKEN' });
        } else {
          this.pending = Buffer.alloc(0);
          this.actor.send({ type: 'GARBAGE' });
        }
      } else if (this.state === 'READY') {
        // Nothing may be said before an event arrives.
        this.pending = Buffer.alloc(0);
        this.actor.send({ type: 'GARBAGE' });
      } else if (!this.readResult()) {
        return;
      }
    }
  }

  /** BUSY: reads "RESULT <n>\n" then n bytes. Returns false when more output is needed. */
  private readResult(): boolean {
    if (this.resultLength === null) {
      const newline = this.pending.indexOf(0x0a);
      if (newline < 0) return false;
      const line = this.pending.subarray(0, newline);
      this.pending = this.pending.subarray(newline + 1);
      const length = line.subarray(RESULT_PREFIX_LENGTH).toString('latin1');
      if (!/^\s*[-+]?\d+\s*$/.test(length)) {
        this.hooks.log.warn(`${this.process.name}: bad result line: '${line.toString('utf8')}'`);
        this.pending = Buffer.alloc(0);
        this.actor.send({ type: 'BAD_RESULT' });
        return true;
      }
      this.resultLength = Number(length);
      this.result = Buffer.alloc(0);
    }
    const needed = this.resultLength - this.result.length;
    if (needed > 0) {
      this.result = Buffer.concat([this.result, this.pending.subarray(0, needed)]);
      this.pending = this.pending.subarray(needed);
    }
    if (this.result.length < this.resultLength) return false;
    const response = this.result;
    this.resultLength = null;
    this.result = Buffer.alloc(0);
    this.judge(response);
    return true;
  }

  private judge(response: Buffer): void {
    const name = this.process.name;
    let accepted: boolean;
    try {
      accepted = this.hooks.resultHandler(this.event!, response);
    } catch (error) {
      if (!(error instanceof Error && error.name === 'RejectEvent')) {
        this.hooks.log.warn(`${name}: event caused an error`);
        this.actor.send({ type: 'BAD_RESULT' });
        return;
      }
      accepted = false;
    }
    if (accepted) this.hooks.log.debug(`${name}: event was processed`);
    else this.hooks.log.warn(`${name}: event was rejected`);
    this.actor.send({ type: 'RESULT', accepted });
  }

  private rejectHeldEvent(): void {
    const event = this.event;
    this.event = null;
    if (event) this.hooks.rejected(event);
  }

  private onStateChange(from: ListenerStateName, to: ListenerStateName): void {
    if (from === to) return;
    const name = this.process.name;
    this.hooks.log.debug(`${name}: ${from} -> ${to}`);
    if (to === 'UNKNOWN') {
      this.hooks.log.warn(
        `${name}: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol`,
      );
    }
    // An accepted (or rejected) answer also ends the hold on the event.
    if (to === 'ACKNOWLEDGED' && from === 'BUSY') this.event = null;
    // Events sent to an actor while it processes one (its snapshot observers included) wait in
    // its mailbox: handing out an event now would leave this listener READY for a second one.
    // A microtask runs once the actor is idle, so SENT takes effect at once.
    if (to === 'READY') queueMicrotask(() => this.hooks.becameReady());
  }
}
