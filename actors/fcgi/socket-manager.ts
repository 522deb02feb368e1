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
  /** Rejects with a SPAWN error when the socket cannot be created. */
  acquire(): Promise<FcgiSocketLease>;
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
  /** Being created, or created: shared by every acquire meanwhile. */
  private opening: Promise<ListeningSocket> | null = null;
  private socket: ListeningSocket | null = null;

  constructor(
    /** The group's name, which is the section's. */
    readonly group: string,
    readonly config: FcgiSocketConfig,
    private readonly log: ActivityLog,
    private readonly open: (config: FcgiSocketConfig) => Promise<ListeningSocket> = openListeningSocket,
  ) {}

  /** Processes spawned, or about to be, and not yet reaped. */
  get holderCount(): number {
    return this.holders;
  }

  /** Whether the socket exists now. */
  get isOpen(): boolean {
    return this.socket !== null;
  }

  async acquire(): Promise<FcgiSocketLease> {
    this.holders += 1;
    let socket: ListeningSocket;
    try {
      socket = await this.opened();
    } catch (error) {
      this.holders -= 1;
      throw error;
    }
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
  async check(): Promise<void> {
    let lease: FcgiSocketLease;
    try {
      lease = await this.acquire();
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
    this.opening = null;
  }

  private opened(): Promise<ListeningSocket> {
    if (this.opening) return this.opening;
    const { url } = this.config;
    this.log.info(`Creating socket ${url}`);
    const opening = this.open(this.config).then(
      (socket) => {
        if (this.opening !== opening) {
          socket.close();
          throw new SupervisorError('SPAWN', `Could not create FastCGI socket ${url}: its group was removed meanwhile`);
        }
        this.socket = socket;
        return socket;
      },
      (error: unknown) => {
        if (this.opening === opening) this.opening = null;
        const reason = error instanceof Error ? error.message : String(error);
        throw new SupervisorError('SPAWN', `Could not create FastCGI socket ${url}: ${reason}`, { cause: error });
      },
    );
    this.opening = opening;
    return opening;
  }

  /** At once, not on a later tick: a unix socket's file goes with it and must be gone before the next one is made. */
  private close(): void {
    this.log.info(`Closing socket ${this.config.url}`);
    this.socket?.close();
    this.socket = null;
    this.opening = null;
  }
}
