// The FastCGI socket of one [fcgi-program:x] group, shared as the reference shares it: created
// when the first of its processes spawns, held by each process from its spawn until it is reaped,
// closed when the last one is, and created anew at the next spawn. So with numprocs=2 a restart
// of one process keeps the socket (and the connections waiting in it); stopping them all closes it.
import { SupervisorError } from '../../common/errors.js';
import type { FcgiSocketConfig } from '../../config/types.js';
import type { ActivityLog } from '../logs/activity-log.js';
import { openListeningSocket, type ListeningSocket } from './listening-socket.js';

/** One process's hold on the socket, from before its spawn until it is reaped. */
export interface FcgiSocketLease {
  /** The descriptor the child gets as its fd 0. */
  readonly fd: number;
  /** Lets go; the last one to do so closes the socket. Idempotent. */
  release(): void;
}

/** What a process needs of its group's socket. */
export interface FcgiSocketSource {
  /** Throws a SPAWN error when the socket cannot be created. */
  acquire(): FcgiSocketLease;
}

/**
 * The lease of a child that has just ended, let go of with the first state change its end makes,
 * as in the reference, where the socket closes before any change that follows ("Closing socket"
 * comes before "gave up").
 */
export class PendingRelease {
  private lease: FcgiSocketLease | null = null;

  /** Runs `report` (which tells the machine of the end), letting go of `lease` at its first state change, or after it. */
  around(lease: FcgiSocketLease | null, report: () => void): void {
    this.lease = lease;
    report();
    this.release();
  }

  release(): void {
    const lease = this.lease;
    this.lease = null;
    lease?.release();
  }
}

export class FcgiSocket implements FcgiSocketSource {
  private holders = 0;
  private socket: ListeningSocket | null = null;

  constructor(
    /** The group's name, which is the section's. */
    readonly group: string,
    readonly config: FcgiSocketConfig,
    private readonly log: ActivityLog,
    private readonly open: (config: FcgiSocketConfig) => ListeningSocket = openListeningSocket,
  ) {}

  /** Processes spawned, or about to be, and not yet reaped. */
  get holderCount(): number {
    return this.holders;
  }

  /** Whether the socket exists now. */
  get isOpen(): boolean {
    return this.socket !== null;
  }

  acquire(): FcgiSocketLease {
    const socket = (this.socket ??= this.create());
    this.holders += 1;
    let released = false;
    return {
      fd: socket.fd,
      release: () => {
        if (released) return;
        released = true;
        this.holders -= 1;
        if (this.holders === 0) this.close();
      },
    };
  }

  /**
   * Creates the socket and closes it again, as the reference does when it adds the group, so that
   * a socket that cannot be made stops the start (or the add) instead of every spawn. The error
   * names where socket= is written.
   */
  check(): void {
    let lease: FcgiSocketLease;
    try {
      lease = this.acquire();
    } catch (error) {
      if (!(error instanceof SupervisorError)) throw error;
      const { file, line } = this.config.location;
      throw new SupervisorError(error.code, `${error.message} ([fcgi-program:${this.group}] socket= at ${file}:${line})`, { cause: error });
    }
    lease.release();
  }

  /** Closes a socket still open (the daemon goes away), without a word. */
  dispose(): void {
    this.socket?.close();
    this.socket = null;
  }

  private create(): ListeningSocket {
    const { url } = this.config;
    this.log.info(`Creating socket ${url}`);
    try {
      return this.open(this.config);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new SupervisorError('SPAWN', `Could not create FastCGI socket ${url}: ${reason}`, { cause: error });
    }
  }

  private close(): void {
    this.log.info(`Closing socket ${this.config.url}`);
    this.socket?.close();
    this.socket = null;
  }
}
