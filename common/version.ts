// The Supervisor release whose behaviour, API and protocol this implementation reproduces; it is
// what `supervisord -v`, getSupervisorVersion and `supervisorctl version` report, so clients
// that check versions treat us as that release.
import packageJson from '../package.json' with { type: 'json' };

export const SUPERVISOR_VERSION = '4.2.5';

/**
 * This project's own name and release, from its package.json (imported, so a bundle carries it
 * wherever its chunks are): what `supervisord -h` and the web UI show beside SUPERVISOR_VERSION,
 * so a user can tell our daemon from Python's.
 */
export const IMPLEMENTATION: { name: string; version: string } = { name: packageJson.name, version: packageJson.version };
