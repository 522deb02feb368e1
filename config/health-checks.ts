// Parsing readiness= and liveness= (ours; the reference has no such keys) into the checks of
// config/types.ts.
import { ConfigError, type DescribedCheck, type LivenessCheck, type ReadinessCheck } from './types.js';
import { pyRepr, pyStrip } from './python.js';

function port(text: string, spec: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= 65535)) throw new ConfigError(`invalid port in health check ${pyRepr(spec)}`);
  return n;
}

function parse(text: string): DescribedCheck {
  const spec = pyStrip(text);
  const scheme = /^([a-z]+):/.exec(spec)?.[1];
  const rest = scheme === undefined ? '' : spec.slice(scheme.length + 1);
  if (spec === 'notify' || spec === 'watchdog') return { kind: spec, spec };
  if (scheme === 'tcp') {
    const m = /^\/\/(\[[^\]]+\]|[^:/]+):([^/]*)\/?$/.exec(rest);
    if (!m) throw new ConfigError(`expected tcp://HOST:PORT, got ${pyRepr(spec)}`);
    return { kind: 'tcp', host: m[1]!.replace(/^\[(.*)\]$/, '$1'), port: port(m[2]!, spec), spec };
  }
  if (scheme === 'http') {
    let url: URL;
    try {
      url = new URL(spec);
    } catch {
      throw new ConfigError(`expected http://HOST:PORT/PATH, got ${pyRepr(spec)}`);
    }
    if (url.port) port(url.port, spec);
    return { kind: 'http', url: url.href, spec };
  }
  if (scheme === 'exec') {
    const command = pyStrip(rest);
    if (!command) throw new ConfigError(`exec: needs a command, got ${pyRepr(spec)}`);
    return { kind: 'exec', command, spec };
  }
  if (scheme === 'stdout' || scheme === 'stderr') {
    try {
      new RegExp(rest);
    } catch (error) {
      throw new ConfigError(`invalid regular expression in ${pyRepr(spec)}: ${(error as Error).message}`);
    }
    return { kind: 'output', channel: scheme, pattern: rest, spec };
  }
  throw new ConfigError(`unknown health check ${pyRepr(spec)}: expected tcp://, http://, exec:, stdout:, stderr:, notify or watchdog`);
}

export function readinessCheck(text: string): ReadinessCheck {
  const check = parse(text);
  if (check.kind === 'watchdog')
    throw new ConfigError(`${pyRepr(check.spec)} cannot tell readiness: use tcp://, http://, exec:, stdout:, stderr: or notify`);
  return check;
}

export function livenessCheck(text: string): LivenessCheck {
  const check = parse(text);
  if (check.kind === 'output' || check.kind === 'notify') {
    throw new ConfigError(`${pyRepr(check.spec)} cannot tell liveness: use tcp://, http://, exec: or watchdog`);
  }
  return check;
}
