// The Supervisor release whose behaviour, API and protocol this implementation reproduces; it is
// what `supervisord -v`, getSupervisorVersion and `supervisorctl version` report, so clients
// that check versions treat us as that release.
import { readFileSync } from 'node:fs';

export const SUPERVISOR_VERSION = '4.2.5';

/**
 * This project's own name and release, from its package.json (two levels up from the compiled
 * dist/common/version.js, where npm always installs it): what `supervisord -h` and the web UI
 * show beside SUPERVISOR_VERSION, so a user can tell our daemon from Python's.
 */
export const IMPLEMENTATION: { name: string; version: string } = (() => {
  const { name, version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    name: string;
    version: string;
  };
  return { name, version };
})();
