// The Supervisor release whose behaviour, API and protocol this implementation reproduces; it is
// what `supervisord -v`, getSupervisorVersion and `supervisorctl version` report, so clients
// that check versions treat us as that release.
export const SUPERVISOR_VERSION = '4.2.5';
