// The idle daemon: its memory (with the bare interpreter's beside it), CPU and wake-ups with 100
// programs, and what each running child adds to its RSS (daemons with 0, 10 and 100 programs).
// All daemons and both floors run at once, so that they see the same machine.
import { Daemon, sleeperPrograms } from './daemon.js';
import { FLOOR_LABEL, FloorProcess, IDLE_SCRIPT } from './floors.js';
import { KINDS, type Kind } from './installation.js';
import { CLOCK_TICKS, contextSwitches, median, procSample, sleep, slope, type ProcSample } from './measurement.js';
import type { Results } from './results.js';

const PROGRAM_COUNTS = [0, 10, 100] as const;
const MANY = 100;
// V8's memory reducer collects up to three times, ~0.5 s apart, about 8 s after the last busy
// moment (here: start-up), waking its worker threads ~180 times: a one-off, not idling. The
// window starts once that has passed.
const SETTLE_MS = 12_000;
const WINDOW_S = 10;
const SAMPLES = 5;

type PerKind<T> = Record<Kind, T>;

export async function idleDaemon(results: Results): Promise<void> {
  console.log(
    `idle: daemons with ${PROGRAM_COUNTS.join(', ')} programs (sleep 1000) and the bare interpreters, all at once; ${WINDOW_S} s of quiet`,
  );
  const daemons = new Map<string, Daemon>();
  const key = (kind: Kind, programs: number): string => `${kind}/${programs}`;
  const floors: FloorProcess[] = [];
  try {
    for (const programs of PROGRAM_COUNTS) {
      for (const kind of KINDS)
        daemons.set(
          key(kind, programs),
          Daemon.start(kind, () => sleeperPrograms(programs, 1)),
        );
    }
    const floor: PerKind<FloorProcess> = {
      reference: FloorProcess.start('reference', IDLE_SCRIPT),
      ours: FloorProcess.start('ours', IDLE_SCRIPT),
    };
    floors.push(floor.reference, floor.ours);
    for (const programs of PROGRAM_COUNTS) {
      for (const kind of KINDS) await daemons.get(key(kind, programs))?.waitRunning(programs, 60_000);
    }
    await sleep(SETTLE_MS);
    const many = (kind: Kind): Daemon => {
      const daemon = daemons.get(key(kind, MANY));
      if (!daemon) throw new Error(`no ${kind} daemon with ${MANY} programs`);
      return daemon;
    };
    const pick = <T>(f: (kind: Kind) => T): PerKind<T> => ({ reference: f('reference'), ours: f('ours') });
    const before = pick((k) => ({ proc: procSample(many(k).pid), switches: contextSwitches(many(k).pid) }));
    await sleep(WINDOW_S * 1000);
    const after = pick((k) => ({ proc: procSample(many(k).pid), switches: contextSwitches(many(k).pid) }));
    const floorSample = pick((k) => procSample(floor[k].pid));

    // Then a few samples of every daemon's RSS, for the per-child slope (its median per daemon).
    const rss = new Map<string, number[]>();
    for (let i = 0; i < SAMPLES; i += 1) {
      for (const [name, daemon] of daemons) rss.set(name, [...(rss.get(name) ?? []), procSample(daemon.pid).rssKiB]);
      await sleep(400);
    }
    const rssOf = (kind: Kind, programs: number): number => median(rss.get(key(kind, programs)) ?? []);

    const mib = (f: (s: ProcSample) => number): PerKind<number> => pick((k) => f(after[k].proc) / 1024);
    results.add(
      `Idle daemon RSS (VmRSS), ${MANY} programs, ${SETTLE_MS / 1000 + WINDOW_S} s after all RUNNING`,
      'MiB',
      'lower',
      mib((s) => s.rssKiB),
      { op: '≤', limit: 50, nodeFloor: floorSample.ours.rssKiB / 1024 },
    );
    results.add(
      'Idle RSS: of which anonymous (RssAnon)',
      'MiB',
      'lower',
      mib((s) => s.anonKiB),
    );
    results.add(
      'Idle RSS: peak (VmHWM) from start to idle',
      'MiB',
      'lower',
      mib((s) => s.peakKiB),
    );
    results.addFloor(
      `Floor: bare ${FLOOR_LABEL.reference} / ${FLOOR_LABEL.ours} waking once a second (VmRSS)`,
      'MiB',
      'lower',
      pick((k) => floorSample[k].rssKiB / 1024),
    );
    results.addFloor(
      `Floor: bare ${FLOOR_LABEL.reference} / ${FLOOR_LABEL.ours}, of which anonymous (RssAnon)`,
      'MiB',
      'lower',
      pick((k) => floorSample[k].anonKiB / 1024),
    );
    results.add(
      'Idle daemon RSS above its bare interpreter (daemon − floor VmRSS)',
      'MiB',
      'lower',
      pick((k) => (after[k].proc.rssKiB - floorSample[k].rssKiB) / 1024),
    );
    results.add(
      `Idle daemon CPU over ${WINDOW_S} s (clock ticks are ${1000 / CLOCK_TICKS} ms), ${MANY} programs`,
      'ms',
      'lower',
      pick((k) => ((after[k].proc.ticks - before[k].proc.ticks) / CLOCK_TICKS) * 1000),
    );
    results.add(
      `Idle wake-ups (context switches of all threads) over ${WINDOW_S} s, ${MANY} programs`,
      '1/s',
      'lower',
      pick((k) => (after[k].switches - before[k].switches) / WINDOW_S),
      { op: '≤', limit: 0.5 },
    );
    results.add(
      'Daemon RSS with no programs (VmRSS)',
      'MiB',
      'lower',
      pick((k) => rssOf(k, 0) / 1024),
    );
    results.add(
      `RSS per running child: slope of VmRSS over ${PROGRAM_COUNTS.join(', ')} programs (median of ${SAMPLES} samples each)`,
      'KiB',
      'lower',
      pick((k) => slope(PROGRAM_COUNTS.map((programs) => ({ x: programs, y: rssOf(k, programs) })))),
      { op: '≤', limit: 20 },
    );
    // The daemon's first spawn loads what every spawn needs (ours: the spawning addon), which the
    // slope above spreads over the children; between two daemons that both run some, only what
    // each further child costs is left.
    const [, fewer, more] = PROGRAM_COUNTS;
    results.add(
      `RSS per running child: from ${fewer} to ${more} programs ((VmRSS at ${more} − at ${fewer}) / ${more - fewer})`,
      'KiB',
      'lower',
      pick((k) => (rssOf(k, more) - rssOf(k, fewer)) / (more - fewer)),
      { op: '≤', limit: 20 },
    );
    results.note(
      `idle VmRSS (KiB) by number of programs: ${KINDS.map((k) => `${k} ${PROGRAM_COUNTS.map((p) => `${p}: ${rssOf(k, p)}`).join(', ')}`).join('; ')}`,
    );
  } finally {
    for (const floor of floors) await floor.dispose();
    for (const daemon of daemons.values()) await daemon.dispose();
  }
}
