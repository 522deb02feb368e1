// Sections 4 to 6, on two daemons with many programs each: XML-RPC throughput, `supervisorctl
// status` wall time, and the idle daemon's memory and CPU.
import fs from 'node:fs';
import { countMatching } from './activity-log.js';
import { wallTimes } from './ctl-timing.js';
import { sleeperPrograms, withDaemon, type Daemon } from './daemon.js';
import { KINDS, OURS_CTL, REFERENCE_CTL, type Kind } from './installation.js';
import { CLOCK_TICKS, procSample, sleep } from './measurement.js';
import type { Results } from './results.js';
import { rpcCompare } from './rpc-clients.js';

const MANY_PROGRAMS = 100;

/** Both daemons run side by side here so that interleaved measurements see the same machine load. */
export async function manyPrograms(results: Results): Promise<void> {
  const idleSeconds = 10;
  const ctlRuns = 20;
  const haveOurCtl = fs.existsSync(OURS_CTL);
  console.log(
    `4-6. ${MANY_PROGRAMS} programs (sleep 1000), both daemons at once: idle RSS and CPU over ${idleSeconds} s, XML-RPC, supervisorctl status`,
  );
  await withDaemon(
    'reference',
    () => sleeperPrograms(MANY_PROGRAMS, 1),
    (reference) =>
      withDaemon(
        'ours',
        () => sleeperPrograms(MANY_PROGRAMS, 1),
        async (ours) => {
          const daemons: Record<Kind, Daemon> = { reference, ours };
          for (const kind of KINDS) {
            await daemons[kind].waitLog(
              `${MANY_PROGRAMS} running`,
              30_000,
              (lines) => countMatching(lines, /^INFO success: /) >= MANY_PROGRAMS,
            );
          }
          await sleep(2000);
          const before = { reference: procSample(reference.pid), ours: procSample(ours.pid) };
          await sleep(idleSeconds * 1000);
          const after = { reference: procSample(reference.pid), ours: procSample(ours.pid) };
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

          const commands: { label: string; argv: string[] }[] = [
            { label: 'python→reference', argv: [REFERENCE_CTL, '-c', reference.conf, 'status'] },
            { label: 'python→ours', argv: [REFERENCE_CTL, '-c', ours.conf, 'status'] },
          ];
          if (haveOurCtl) {
            commands.push({ label: 'ours→reference', argv: [process.execPath, OURS_CTL, '-c', reference.conf, 'status'] });
            commands.push({ label: 'ours→ours', argv: [process.execPath, OURS_CTL, '-c', ours.conf, 'status'] });
          }
          const times = wallTimes(
            commands.map((c) => c.argv),
            ctlRuns,
            MANY_PROGRAMS,
          );
          const time = (label: string): number => times[commands.findIndex((c) => c.label === label)] ?? Number.NaN;
          results.add(`\`supervisorctl status\` with the Python ctl, ${MANY_PROGRAMS} programs, median of ${ctlRuns}`, 'ms', 'lower', {
            reference: time('python→reference'),
            ours: time('python→ours'),
          });
          if (haveOurCtl) {
            results.add('`supervisorctl status`, each daemon with its own ctl', 'ms', 'lower', {
              reference: time('python→reference'),
              ours: time('ours→ours'),
            });
            results.add('`supervisorctl status` with our ctl', 'ms', 'lower', {
              reference: time('ours→reference'),
              ours: time('ours→ours'),
            });
          } else {
            results.note('dist/cli/supervisorctl.js not built: our ctl not measured');
          }
          results.add(
            `Idle daemon RSS, ${MANY_PROGRAMS} programs`,
            'MiB',
            'lower',
            pick((k) => after[k].rssKiB / 1024),
          );
          results.add(
            'Idle RSS: of which anonymous (private) memory',
            'MiB',
            'lower',
            pick((k) => after[k].anonKiB / 1024),
          );
          results.add(
            'Idle RSS: peak (VmHWM) from start to idle',
            'MiB',
            'lower',
            pick((k) => after[k].peakKiB / 1024),
          );
          const loaded = { reference: procSample(reference.pid), ours: procSample(ours.pid) };
          results.add(
            'RSS after the XML-RPC and supervisorctl runs above',
            'MiB',
            'lower',
            pick((k) => loaded[k].rssKiB / 1024),
          );
          results.add(
            `Idle daemon CPU over ${idleSeconds} s (clock ticks are ${1000 / CLOCK_TICKS} ms), ${MANY_PROGRAMS} programs`,
            'ms',
            'lower',
            pick((k) => ((after[k].ticks - before[k].ticks) / CLOCK_TICKS) * 1000),
          );
        },
      ),
  );
}
