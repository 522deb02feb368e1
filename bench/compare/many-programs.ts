// On two daemons with 100 programs each: XML-RPC throughput, `supervisorctl status` wall time
// (beside the interpreters' own start-up), and the RSS these runs leave behind.
import fs from 'node:fs';
import { checkStatus, wallTimes, type TimedCommand } from './ctl-timing.js';
import { STARTING_ENVIRONMENT } from './environment.js';
import { sleeperPrograms, withDaemon, type Daemon } from './daemon.js';
import { KINDS, OURS_CTL, PYTHON, REFERENCE_CTL, type Kind } from './installation.js';
import { procSample } from './measurement.js';
import type { Results } from './results.js';
import { rpcCompare } from './rpc-clients.js';

const MANY_PROGRAMS = 100;
const CTL_RUNS = 21;
const CTL_ROUNDS = 3;

/** Both daemons run side by side here so that interleaved measurements see the same machine load. */
export async function manyPrograms(results: Results): Promise<void> {
  const haveOurCtl = fs.existsSync(OURS_CTL);
  console.log(`many: ${MANY_PROGRAMS} programs (sleep 1000), both daemons at once: XML-RPC, supervisorctl status`);
  await withDaemon(
    'reference',
    () => sleeperPrograms(MANY_PROGRAMS, 1),
    (reference) =>
      withDaemon(
        'ours',
        () => sleeperPrograms(MANY_PROGRAMS, 1),
        async (ours) => {
          const daemons: Record<Kind, Daemon> = { reference, ours };
          for (const kind of KINDS) await daemons[kind].waitRunning(MANY_PROGRAMS, 30_000);
          const pick = (f: (kind: Kind) => number): Record<Kind, number> => ({ reference: f('reference'), ours: f('ours') });

          const info = rpcCompare(results, daemons, 'getAllProcessInfo', 6, 3, MANY_PROGRAMS, 'xmlrpc');
          const infoRaw = rpcCompare(results, daemons, 'getAllProcessInfo', 3, 3, MANY_PROGRAMS, 'raw');
          const state = rpcCompare(results, daemons, 'getState', 3, 3, -1, 'xmlrpc');
          results.add(
            `getAllProcessInfo, ${MANY_PROGRAMS} programs, python xmlrpc.client`,
            'calls/s',
            'higher',
            pick((k) => info[k].calls / info[k].seconds),
          );
          results.add(
            `getAllProcessInfo, ${MANY_PROGRAMS} programs, raw HTTP client (no XML parsing)`,
            'calls/s',
            'higher',
            pick((k) => infoRaw[k].calls / infoRaw[k].seconds),
          );
          results.add(
            'Daemon CPU per getAllProcessInfo call (raw client)',
            'ms',
            'lower',
            pick((k) => infoRaw[k].daemonCpuMs / infoRaw[k].calls),
          );
          results.add(
            'getState, python xmlrpc.client',
            'calls/s',
            'higher',
            pick((k) => state[k].calls / state[k].seconds),
          );

          const commands: (TimedCommand & { label: string })[] = [
            { label: 'python→reference', argv: [REFERENCE_CTL, '-c', reference.conf, 'status'] },
            { label: 'python→ours', argv: [REFERENCE_CTL, '-c', ours.conf, 'status'] },
          ];
          if (haveOurCtl) {
            commands.push({ label: 'ours→reference', argv: [process.execPath, OURS_CTL, '-c', reference.conf, 'status'] });
            commands.push({ label: 'ours→ours', argv: [process.execPath, OURS_CTL, '-c', ours.conf, 'status'] });
          }
          for (const { argv } of commands) checkStatus(argv, MANY_PROGRAMS);
          // One small answer: what a ctl costs before the size of the answer matters.
          commands.push({ label: 'python version', argv: [REFERENCE_CTL, '-c', reference.conf, 'version'] });
          if (haveOurCtl) commands.push({ label: 'ours version', argv: [process.execPath, OURS_CTL, '-c', ours.conf, 'version'] });
          // The floors: each interpreter starting and doing nothing.
          commands.push({ label: 'python3 -c 0', argv: [PYTHON, '-c', '0'] });
          commands.push({ label: 'node -e 0', argv: [process.execPath, '-e', '0'] });
          // And in the whole environment the run was started in: what the variables every
          // process here runs without cost the interpreters on this machine (environment.ts).
          commands.push({ label: 'python3 -c 0 whole', argv: [PYTHON, '-c', '0'], env: STARTING_ENVIRONMENT });
          commands.push({ label: 'node -e 0 whole', argv: [process.execPath, '-e', '0'], env: STARTING_ENVIRONMENT });
          const times = wallTimes(commands, CTL_RUNS, CTL_ROUNDS);
          const time = (label: string): number => times[commands.findIndex((c) => c.label === label)] ?? Number.NaN;
          const runs = `median of ${CTL_RUNS} in ${CTL_ROUNDS} interleaved rounds`;
          results.add(`\`supervisorctl status\` with the Python ctl, ${MANY_PROGRAMS} programs, ${runs}`, 'ms', 'lower', {
            reference: time('python→reference'),
            ours: time('python→ours'),
          });
          results.addFloor('Floor: `python3 -c 0` / `node -e 0`', 'ms', 'lower', {
            reference: time('python3 -c 0'),
            ours: time('node -e 0'),
          });
          results.addFloor('Floor: `python3 -c 0` / `node -e 0` in the whole environment the run was started in', 'ms', 'lower', {
            reference: time('python3 -c 0 whole'),
            ours: time('node -e 0 whole'),
          });
          if (haveOurCtl) {
            results.add(
              '`supervisorctl status`, each daemon with its own ctl',
              'ms',
              'lower',
              { reference: time('python→reference'), ours: time('ours→ours') },
              { op: '≤', limit: time('node -e 0') + 20, from: '`node -e 0` + 20 ms' },
            );
            results.add('`supervisorctl status` with our ctl', 'ms', 'lower', {
              reference: time('ours→reference'),
              ours: time('ours→ours'),
            });
            results.add('`supervisorctl version` (one small answer), each daemon with its own ctl', 'ms', 'lower', {
              reference: time('python version'),
              ours: time('ours version'),
            });
          } else {
            results.note(`${OURS_CTL} not built: our ctl not measured`);
          }
          const loaded = { reference: procSample(reference.pid), ours: procSample(ours.pid) };
          results.add(
            'RSS after the XML-RPC and supervisorctl runs above',
            'MiB',
            'lower',
            pick((k) => loaded[k].rssKiB / 1024),
          );
        },
      ),
  );
}
