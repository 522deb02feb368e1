// The state one supervisorctl run shares between actions: where the daemon is, the exit status
// so far, and how a command line is dispatched and its errors reported (the reference's
// Controller, whose exit codes are the LSB init-script ones).
import { XmlRpcAuthError, XmlRpcConnectionError } from '../../common/xmlrpc/client.js';
import { connectSupervisor, type ProcessInfo, type SupervisorRpc } from './supervisor-rpc.js';
import { parseLine } from './line.js';
import { describeError } from './errors.js';
import { findAction } from './actions/index.js';
import type { Controller } from './actions/action.js';
import type { Asker } from './ask.js';
import { ExitStatus, exitStatusForFault } from './exit-status.js';
import type { Fleet } from './fleet.js';
import { reportUnreachable, upcheck } from './upcheck.js';

export interface ControllerSettings {
  serverurl: string;
  username: string | undefined;
  password: string | undefined;
  /** Asks before shutdown/reload and prompts for credentials on 401. */
  interactive: boolean;
  /** The other daemons ([supervisorctl:NAME] or -H), if any. */
  fleet?: Fleet;
}

export class Supervisorctl implements Controller {
  exitStatus: number = ExitStatus.SUCCESS;
  serverurl: string;
  private username: string | undefined;
  private password: string | undefined;
  readonly interactive: boolean;
  readonly fleet: Fleet | undefined;
  private rpcConnection: SupervisorRpc | undefined;
  /** getAllProcessInfo kept between completions of one line (readline asks many times). */
  private completionInfo: ProcessInfo[] | undefined;

  constructor(
    settings: ControllerSettings,
    /** Reads answers from the user; loaded only when a question is asked. */
    private readonly asker: () => Promise<Asker>,
  ) {
    this.serverurl = settings.serverurl;
    this.username = settings.username;
    this.password = settings.password;
    this.interactive = settings.interactive;
    this.fleet = settings.fleet;
  }

  output(text: string): void {
    process.stdout.write(`${text}\n`);
  }

  get credentials(): { username: string | undefined; password: string | undefined } {
    return { username: this.username, password: this.password };
  }

  get rpc(): SupervisorRpc {
    this.rpcConnection ??= connectSupervisor(this.serverurl, this.username, this.password);
    return this.rpcConnection;
  }

  /** Point later calls at another server (the `open` action). */
  reconnect(serverurl: string = this.serverurl): void {
    this.close();
    this.serverurl = serverurl;
  }

  close(): void {
    this.rpcConnection?.close();
    this.rpcConnection = undefined;
    this.fleet?.close();
  }

  ask(question: string, hidden = false): Promise<string | null> {
    return this.asker().then((asker) => asker.ask(question, hidden));
  }

  /** The reference's exit status for a fault in a start/stop/signal/clear answer. */
  setExitFromFault(code: number, ignored?: number): void {
    this.exitStatus = exitStatusForFault(code, ignored) ?? this.exitStatus;
  }

  /** Checks the daemon speaks our API version; reports and sets the exit status when it does not. */
  upcheck(): Promise<boolean> {
    return upcheck(this);
  }

  /** `<url> no such file` on stdout as the reference prints it, the likely cause on stderr. */
  reportUnreachable(e: XmlRpcConnectionError, line = e.message): void {
    reportUnreachable(this, e, line);
  }

  /** Process infos for completion, fetched once per command line. */
  async processInfoForCompletion(): Promise<ProcessInfo[]> {
    this.completionInfo ??= await this.rpc.call('getAllProcessInfo');
    return this.completionInfo;
  }

  /** Runs one command line; resolves true when the shell should end (quit, exit, EOF). */
  async runLine(raw: string): Promise<boolean> {
    const { action, arg, line } = parseLine(raw);
    if (line === '') return false;
    const found = action ? await findAction(action) : undefined;
    if (!found) {
      this.output(`*** Unknown syntax: ${line}`);
      this.exitStatus = ExitStatus.GENERIC;
      return false;
    }
    this.completionInfo = undefined;
    try {
      return (await found.run(this, arg)) === true;
    } catch (e) {
      if (e instanceof XmlRpcAuthError) return this.authenticateAndRetry(raw);
      if (e instanceof XmlRpcConnectionError) this.reportUnreachable(e);
      else this.output(describeError(e));
      this.exitStatus = ExitStatus.GENERIC;
      return false;
    }
  }

  private async authenticateAndRetry(raw: string): Promise<boolean> {
    this.output('Server requires authentication');
    if (!this.interactive) {
      this.output(describeError(new XmlRpcAuthError(this.serverurl, 'Unauthorized')));
      this.exitStatus = ExitStatus.GENERIC;
      return false;
    }
    const username = await this.ask('Username:');
    const password = username === null ? null : await this.ask('Password:', true);
    this.output('');
    if (username === null || password === null) return true; // end of input: nothing more to try
    this.username = username;
    this.password = password;
    this.close();
    return this.runLine(raw);
  }
}
