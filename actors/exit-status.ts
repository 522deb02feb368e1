// Words for how a child ended, as the reference prints them in "exited:" and "stopped:" lines.
import os from 'node:os';
import type { ExitStatus } from '../machines/process.js';

// Node names a few signals by their other alias; the reference (Python's signal module) uses these.
const REFERENCE_SIGNAL_NAMES: Record<string, string> = { SIGIOT: 'SIGABRT', SIGCLD: 'SIGCHLD', SIGIO: 'SIGPOLL' };

export function signalName(signal: NodeJS.Signals | number): string {
  if (typeof signal === 'number') {
    const name = Object.entries(os.constants.signals).find(([, number]) => number === signal)?.[0];
    return name ? (REFERENCE_SIGNAL_NAMES[name] ?? name) : `signal ${signal}`;
  }
  return REFERENCE_SIGNAL_NAMES[signal] ?? signal;
}

export function describeExit(status: ExitStatus): string {
  if (status.signal) return `terminated by ${signalName(status.signal)}`;
  return `exit status ${status.code ?? 0}`;
}
