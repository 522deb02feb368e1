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
// - --optimize-for-size makes each full collection one that reduces memory (compacting, and
//   returning free pages) rather than leaving the old generation large (measured: ~1 MiB less
//   idle, same CPU). It does not shrink V8's minimum step of 8 MB between full collections,
//   which is what a busy daemon's RSS saw-tooths by (docs/benchmarks.md).
// - No TurboFan (--max-opt=1: V8's interpreter, then its baseline compiler Sparkplug). The first
//   function TurboFan optimises brings ~3.5 MiB of the node binary's compiler into memory and
//   ~1.5 MiB of its working memory, which stay; start-up (the config loader per key, XState per
//   process), a restart loop or a few seconds of XML-RPC load are enough for that. Measured:
//   idle RSS with 100 programs the same, 5-6 MiB less during and after XML-RPC load and a restart
//   loop; the restart rate and output capture cost the same, an XML-RPC call ~2.5 times the CPU
//   (still several times less than Python Supervisor's). Started with `node --max-opt=N`, the
//   daemon keeps the N it was given.
// - Sparkplug is off until the programs are started: it compiled the config loader and the
//   spawn path, code run only at start-up whose machine code stays, the more of it the more
//   programs (measured: JS heap per running child 15.9 -> 13.9 KB; idle RSS with 100 programs
//   ~0.6 MiB less, RSS per child over 0/10/100 programs 19.3 -> 17.0 KiB; 100 programs start
//   as fast, 500 ~8% slower).
// - An idle daemon allocates nothing, so V8 never collects what a busy spell of requests left
//   (its memory reducer did not always start): RSS stayed ~13 MiB above idle after 10 s of
//   XML-RPC load. When the servers go quiet and RSS has grown since the last time, two full
//   collections give it back (V8 returns the pages one collection frees on the next).
// - Garbage that lives a little while is promoted to the old generation, which V8 lets grow by
//   8 MB before a full collection (no flag lowers that step; --heap-growing-percent tried): RSS
//   saw-toothed by ~7 MiB under XML-RPC load and during a crash loop. A child's pipes and process
//   handle make it worse: V8's young-generation collections treat a weak handle to an object Node
//   has modified as strong, so what they reach is promoted, ~10 KB a restart. After each answered
//   request and each spawn past start-up, the daemon runs one full collection when the heap grew
//   by 2 MiB since the last collection (measured: RSS flat within ~0.5 MiB under the load and
//   over a 650/s restart loop, peak 61 -> 55 MiB under load; a ~5 ms collection every ~0.2 s of
//   a restart loop). Growth a collection does not free (more programs, say) doubles the step.
import v8 from 'node:v8';
import vm from 'node:vm';
import { HeapGrowthCollections } from './heap-growth-collections.js';

if (!process.execArgv.some((arg) => arg.startsWith('--max-opt'))) v8.setFlagsFromString('--max-opt=1');
v8.setFlagsFromString('--semi-space-growth-factor=1');
v8.setFlagsFromString('--optimize-for-size');
v8.setFlagsFromString('--no-sparkplug');

/** The daemon's programs are started: Sparkplug compiles what gets busy from now on. */
export function endStartUpTiering(): void {
  rssAfterReclaim = process.memoryUsage.rss();
  heapGrowth.begin();
  v8.setFlagsFromString('--sparkplug');
}

/** RSS growth since the last collection below which a quiet spell is left alone. */
const RECLAIM_ABOVE_BYTES = 2 * 1024 * 1024;
let rssAfterReclaim = 0;
let collect: (() => void) | null = null;

/** A full collection, now. */
function collectGarbage(): void {
  if (collect === null) {
    // V8 installs gc() in the contexts made once the flag is set.
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as () => void;
  }
  collect();
}

/** After a busy spell: collects the garbage if RSS has grown by RECLAIM_ABOVE_BYTES since last time. */
export function reclaimMemory(): void {
  if (process.memoryUsage.rss() - rssAfterReclaim < RECLAIM_ABOVE_BYTES) return;
  collectGarbage();
  collectGarbage();
  rssAfterReclaim = process.memoryUsage.rss();
}

const heapGrowth = new HeapGrowthCollections(() => v8.getHeapStatistics().used_heap_size, collectGarbage);

/** After a request or a spawn: a full collection if the heap has grown enough since the last one. */
export function collectIfHeapGrew(): void {
  heapGrowth.check();
}
