// One daemon's part of a fleet-wide action: the ordinary single-daemon action runs against it,
// its lines kept (named with the host's prefix) until every daemon has answered, so that the
// output has a stable order however the answers arrive.
import { XmlRpcAuthError, XmlRpcConnectionError } from '../../../common/xmlrpc/client.js';
import type { FleetHostConfig } from '../../../config/types.js';
import { describeError } from '../errors.js';
import { ExitStatus, exitStatusForFault } from '../exit-status.js';
import { hostFailure, type Fleet, type HostFailure } from '../fleet.js';
import type { ProcessInfo, SupervisorRpc } from '../supervisor-rpc.js';
import { reportUnreachable, upcheck } from '../upcheck.js';
import type { Controller } from './action.js';

export class TargetController implements Controller {
  exitStatus: number = ExitStatus.SUCCESS;
  readonly interactive = false;
  readonly fleet = undefined;
  /** What the action printed, in order, each line already prefixed. */
  readonly lines: string[] = [];

  private constructor(
    private readonly parent: Controller,
    readonly rpc: SupervisorRpc,
    readonly serverurl: string,
    readonly credentials: { username: string | undefined; password: string | undefined },
    /** The host's name, or null for the default daemon (its lines and checks are the reference's). */
    readonly host: string | null,
    /** Lines go straight out (tail) instead of being kept. */
    private readonly direct: boolean,
  ) {}

  /** The run's default daemon, as one daemon of a fleet-wide action. */
  static forDefault(parent: Controller): TargetController {
    return new TargetController(parent, parent.rpc, parent.serverurl, parent.credentials, null, false);
  }

  /** A host, already checked to answer (Fleet.check). */
  static forHost(parent: Controller, fleet: Fleet, host: FleetHostConfig, direct = false): TargetController {
    const credentials = { username: host.username ?? undefined, password: host.password ?? undefined };
    return new TargetController(parent, fleet.patientRpc(host), host.serverurl, credentials, host.name, direct);
  }

  /** How a name of this daemon is written in the fleet's output. */
  named(text: string): string {
    return this.host === null ? text : `${this.host}:${text}`;
  }

  output(text: string): void {
    if (this.direct) this.parent.output(text);
    else this.lines.push(this.named(text));
  }

  ask(question: string, hidden?: boolean): Promise<string | null> {
    return this.parent.ask(question, hidden);
  }

  /** A host has been checked before its action runs; the default daemon is checked as always. */
  upcheck(): Promise<boolean> {
    return this.host === null ? upcheck(this) : Promise.resolve(true);
  }

  reconnect(): void {
    // `open` is not a fleet-wide action: nothing to point elsewhere.
  }

  reportUnreachable(e: XmlRpcConnectionError, line?: string): void {
    reportUnreachable(this, e, line);
  }

  setExitFromFault(code: number, ignored?: number): void {
    this.exitStatus = exitStatusForFault(code, ignored) ?? this.exitStatus;
  }

  processInfoForCompletion(): Promise<ProcessInfo[]> {
    return this.rpc.call('getAllProcessInfo');
  }

  /** `web2: ERROR (http://web2:9001 refused connection)`: the host could not do its part. */
  fail(failure: HostFailure): void {
    this.lines.push(`${this.host}: ERROR (${failure.reason})`);
    this.exitStatus = failure.exitStatus;
  }

  /**
   * What escaped the action: for a host, its failure line; for the default daemon, what the
   * run's own controller prints for it (there is no asking for credentials in a fleet-wide action).
   */
  report(e: unknown): void {
    if (this.host !== null) return this.fail(hostFailure(e));
    this.exitStatus = ExitStatus.GENERIC;
    if (e instanceof XmlRpcAuthError) {
      this.output('Server requires authentication');
      this.output(describeError(e));
    } else if (e instanceof XmlRpcConnectionError) this.reportUnreachable(e);
    else this.output(describeError(e));
  }
}
