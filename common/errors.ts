// One error model for every layer: a SupervisorError carries a stable `code` that callers test
// (messages are for people and may change) and, when it wraps a lower-level failure, that
// failure as its `cause`.

/** Every code a SupervisorError may carry. */
export type ErrorCode =
  /** A configuration file, section or value the loader refuses. */
  | 'CONFIG'
  /** A command line the command refuses. */
  | 'USAGE'
  /** supervisord could not start: a server, a limit, a log file, an extension module. */
  | 'STARTUP'
  /** A Node module named by the configuration could not be loaded. */
  | 'MODULE_EXPORT'
  /** command= names no file. */
  | 'COMMAND_NOT_FOUND'
  /** command= names something that cannot be run. */
  | 'COMMAND_NOT_EXECUTABLE'
  /** A child could not be set up for spawning (its output logs, its env files). */
  | 'SPAWN'
  /** A write to a pipe nobody reads any more (a child's stdin). */
  | 'EPIPE'
  /** A log that has no file to read or clear (none configured, not created yet, not a file). */
  | 'NO_LOG_FILE'
  /** A log read with offsets that make no sense. */
  | 'LOG_BAD_ARGUMENTS'
  /** A log that could not be read, written or removed. */
  | 'LOG_IO'
  /** An XML-RPC document that does not parse. */
  | 'XMLRPC_PARSE'
  /** An XML-RPC fault. */
  | 'XMLRPC_FAULT'
  /** An HTTP answer other than 200 to an XML-RPC call. */
  | 'XMLRPC_HTTP'
  /** The XML-RPC server could not be reached. */
  | 'XMLRPC_CONNECTION'
  /** An event listener broke the protocol (or a result was answered twice). */
  | 'LISTENER_PROTOCOL'
  /** A result handler turned a listener's answer down. */
  | 'REJECT_EVENT'
  /** A helper program (sendmail, say) failed. */
  | 'EXTERNAL_COMMAND'
  /** A peer answered something it should not have. */
  | 'BAD_ANSWER';

export class SupervisorError extends Error {
  override name = 'SupervisorError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A command line or option the command refuses: printed in one line, exit status 2. */
export class UsageError extends SupervisorError {
  override name = 'UsageError';

  constructor(message: string, options?: { cause?: unknown }) {
    super('USAGE', message, options);
  }
}

export function isSupervisorError(error: unknown, code?: ErrorCode): error is SupervisorError {
  return error instanceof SupervisorError && (code === undefined || error.code === code);
}

/** The errno code of a Node system error ('ENOENT', 'EPIPE', ...), if it is one. */
export function systemErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** One line for people: the message, never a stack. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
