// The environment of every process the run starts (daemons, their programs, clients, floors):
// only the variables a program needs from the one the benchmark was started in. The others
// can change how an interpreter starts, for both daemons and their floors alike, and a daemon's
// service rarely has them: Node 20 reads and parses the certificates NODE_EXTRA_CA_CERTS names at
// every start (this workplace's shells set it: ~40 ms and ~1.8 MiB a process, measured),
// NODE_OPTIONS adds flags, PYTHON* variables change Python's start. The floor row "in the whole
// environment" measures what they cost on the machine of the run.

/**
 * Kept from the starting environment; TMPDIR because the scratch directory is made in it,
 * SUPERVISOR_DEBUG for the stack of a failed run.
 */
const KEPT = ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'SUPERVISOR_DEBUG'];

/** Variables that interpreters read as they start: the ones worth naming when left out. */
const READ_AT_START = /^(NODE_|UV_|PYTHON|OPENSSL_|SSL_CERT_)/;

/** The environment the benchmark was started in, as it was. */
export const STARTING_ENVIRONMENT: Readonly<NodeJS.ProcessEnv> = { ...process.env };

/**
 * Leaves only the kept variables in this process's environment, which every process it starts
 * inherits; returns a note for the report naming what was left out that interpreters read.
 */
export function narrowEnvironment(): string {
  for (const name of Object.keys(process.env)) if (!KEPT.includes(name)) delete process.env[name];
  const leftOut = Object.keys(STARTING_ENVIRONMENT).filter((name) => !KEPT.includes(name));
  const named = leftOut.filter((name) => READ_AT_START.test(name)).sort();
  return (
    `every process started had only ${KEPT.filter((name) => name in process.env).join(', ')} of the environment the run was started in ` +
    `(${leftOut.length} variables left out${named.length > 0 ? `, among them ${named.join(', ')}` : ''})`
  );
}
