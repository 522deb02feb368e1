// A server that ignores SIGTERM, as one whose shutdown handler never finishes would.
import process from 'node:process';
import { setInterval } from 'node:timers';

process.on('SIGTERM', () => process.stdout.write('SIGTERM: ignored\n'));
process.stdout.write(`serving as pid ${process.pid}\n`);
setInterval(() => {}, 60_000);
