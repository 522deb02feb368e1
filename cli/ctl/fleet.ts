// The daemons of a supervisorctl run beyond the default one ([supervisorctl:NAME], ours): their
// connections, whether each answers in time with the API we speak, and which daemon a name
// typed as `NAME:group:process` is about.
import { XmlRpcAuthError, XmlRpcConnectionError, XmlRpcHttpError } from '../../common/xmlrpc/client.js';
import type { FleetHostConfig } from '../../config/types.js';
import { describeError } from './errors.js';
import { ExitStatus } from './exit-status.js';
import { connectSupervisor, Faults, faultCode, type SupervisorRpc } from './supervisor-rpc.js';

export const API_VERSION = '3.0';

/** Why a host cannot be used: the state shown in its status row, what happened, the exit status. */
export interface HostFailure {
  state: 'DOWN' | 'DENIED' | 'ERROR';
  reason: string;
  exitStatus: number;
}

/** What a host's failed call means for the fleet's output. */
export function hostFailure(e: unknown): HostFailure {
  if (e instanceof XmlRpcAuthError) {
    return { state: 'DENIED', reason: `${e.url} refused the credentials (HTTP 401 ${e.reason})`, exitStatus: ExitStatus.GENERIC };
  }
  if (e instanceof XmlRpcConnectionError) {
    const exitStatus =
      e.systemCode === 'ECONNREFUSED'
        ? ExitStatus.INSUFFICIENT_PRIVILEGES
        : e.systemCode === 'ENOENT'
          ? ExitStatus.NOT_RUNNING
          : ExitStatus.GENERIC;
    return { state: 'DOWN', reason: e.message, exitStatus };
  }
  if (faultCode(e) === Faults.UNKNOWN_METHOD) {
    return { state: 'ERROR', reason: 'answers, but without the supervisor namespace', exitStatus: ExitStatus.UNIMPLEMENTED_FEATURE };
  }
  if (e instanceof XmlRpcHttpError)
    return { state: 'ERROR', reason: `${e.url} answered HTTP ${e.status} ${e.reason}`, exitStatus: ExitStatus.GENERIC };
  return { state: 'ERROR', reason: describeError(e), exitStatus: ExitStatus.GENERIC };
}

/** Where a typed name points: the default daemon, or a host with the rest of the name. */
export type Routed = { host: null; name: string } | { host: FleetHostConfig; name: string };

interface Connection {
  /** For the answers that must come in time: the check, status and completion. */
  prompt: SupervisorRpc;
  /** For actions, which may wait as long as a program takes to start or stop. */
  patient: SupervisorRpc;
}

export class Fleet {
  private readonly connections = new Map<string, Connection>();

  constructor(
    /** Every host of the configuration: a `NAME:` prefix may name any of them. */
    readonly hosts: readonly FleetHostConfig[],
    /** The hosts `status` and `all` cover, sorted by name. */
    readonly selected: readonly FleetHostConfig[],
    /** Whether `status` and `all` cover the default daemon too (not with -H). */
    readonly withDefault: boolean,
  ) {}

  host(name: string): FleetHostConfig | undefined {
    return this.hosts.find((h) => h.name === name);
  }

  /** `web2:api` → host web2, `api`; `web2:*` and `web2:` → host web2, `all`; anything else is the default daemon's. */
  route(word: string): Routed {
    const colon = word.indexOf(':');
    const host = colon < 0 ? undefined : this.host(word.slice(0, colon));
    if (host === undefined) return { host: null, name: word };
    const rest = word.slice(colon + 1);
    return { host, name: rest === '' || rest === '*' ? 'all' : rest };
  }

  private connection(host: FleetHostConfig): Connection {
    let found = this.connections.get(host.name);
    if (found === undefined) {
      const username = host.username ?? undefined;
      const password = host.password ?? undefined;
      found = {
        prompt: connectSupervisor(host.serverurl, username, password, host.timeoutMs),
        patient: connectSupervisor(host.serverurl, username, password),
      };
      this.connections.set(host.name, found);
    }
    return found;
  }

  /** The calls with the host's timeout. */
  promptRpc(host: FleetHostConfig): SupervisorRpc {
    return this.connection(host).prompt;
  }

  /** The calls without a timeout, for actions. */
  patientRpc(host: FleetHostConfig): SupervisorRpc {
    return this.connection(host).patient;
  }

  /** Null when the host answers in time with our API version, else why not. */
  async check(host: FleetHostConfig): Promise<HostFailure | null> {
    let version: string;
    try {
      version = await this.promptRpc(host).call('getVersion');
    } catch (e) {
      return hostFailure(e);
    }
    if (version === API_VERSION) return null;
    return { state: 'ERROR', reason: `speaks API version ${version}, not ${API_VERSION}`, exitStatus: ExitStatus.NOT_INSTALLED };
  }

  close(): void {
    for (const { prompt, patient } of this.connections.values()) {
      prompt.close();
      patient.close();
    }
    this.connections.clear();
  }
}
