// V8 set up for a daemon that mostly waits and, when busy, makes short-lived garbage. Set from
// code, not from a shebang, so that it holds however the daemon is started (`node
// supervisord.js` too); imported first, before the other modules are evaluated.
//
// - The young generation (two semi-spaces) starts at 1 MiB each and V8 doubles it whenever
//   objects survive, up to 16 MiB each, and never gives it back: 100 programs' start-up alone
//   took it to 8 MiB. A growth factor of 1 keeps it at its first size (measured: ~6 MiB less RSS
//   idle with 100 programs, ~35 MiB less after sustained XML-RPC load, for ~10% more CPU there).
//   --max-semi-space-size would say the same but is read only when the heap is set up, before
//   any code runs.
// - --optimize-for-size makes V8 collect and compact the old generation sooner rather than grow
//   it (measured: RSS grew 0.7-2 MiB over a 5 s restart loop instead of 13-15 MiB, ~1 MiB less
//   idle, same CPU).
// - Start-up runs some code many times (the config loader per key, XState per process), enough
//   for V8 to optimise a few functions with TurboFan; the first such compilation brings ~3.5 MiB
//   of the node binary's compiler into memory and ~1.5 MiB of its working memory, which stay.
//   Until the programs are started, functions need ~15 times V8's usual amount of work before
//   being considered for optimisation, and none is optimised merely for being small; then the
//   usual thresholds apply again, so code that gets busy later is optimised as before
//   (measured with 100 programs: idle RSS 59.6 -> 52.5 MiB, no function optimised while idle).
//   Sparkplug, the baseline compiler, is off until then too: it compiled the config loader and
//   the spawn path (code run only at start-up, kept for good), the more of it the more programs
//   (measured: JS heap per running child 15.9 -> 13.9 KB, 0 -> 10 programs 824 -> 472 KB; RSS
//   per child over 0/10/100 programs ~17 -> ~14 KiB; 500 programs start ~8% slower).
// - An idle daemon allocates nothing, so V8 never collects what a busy spell of requests left
//   (its memory reducer did not always start): RSS stayed ~13 MiB above idle after 10 s of
//   XML-RPC load. When the servers go quiet and RSS has grown since the last time, two full
//   collections give it back (V8 returns the pages one collection frees on the next).
import v8 from 'node:v8';
import vm from 'node:vm';

/** V8's own values (Node 20's V8 11.3; unchanged since). */
const INTERRUPT_BUDGET = 66 * 1024;
const MAX_BYTECODE_SIZE_FOR_EARLY_OPT = 81;

v8.setFlagsFromString('--semi-space-growth-factor=1');
v8.setFlagsFromString('--optimize-for-size');
v8.setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET * 15}`);
v8.setFlagsFromString('--max-bytecode-size-for-early-opt=0');
v8.setFlagsFromString('--no-sparkplug');

/** The daemon's programs are started: V8 optimises hot code again as it usually does. */
export function endStartUpTiering(): void {
  rssAfterReclaim = process.memoryUsage.rss();
  v8.setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
  v8.setFlagsFromString(`--max-bytecode-size-for-early-opt=${MAX_BYTECODE_SIZE_FOR_EARLY_OPT}`);
  v8.setFlagsFromString('--sparkplug');
}

/** RSS growth since the last collection below which a quiet spell is left alone. */
const RECLAIM_ABOVE_BYTES = 4 * 1024 * 1024;
let rssAfterReclaim = 0;
let collect: (() => void) | null = null;

/** After a busy spell: collects the garbage if RSS has grown by RECLAIM_ABOVE_BYTES since last time. */
export function reclaimMemory(): void {
  if (process.memoryUsage.rss() - rssAfterReclaim < RECLAIM_ABOVE_BYTES) return;
  if (collect === null) {
    // V8 installs gc() in the contexts made once the flag is set.
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as () => void;
  }
  collect();
  collect();
  rssAfterReclaim = process.memoryUsage.rss();
}
