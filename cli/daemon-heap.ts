// V8's heap sized for a daemon that mostly waits and, when busy, makes short-lived garbage. Set
// from code, not from a shebang, so that it holds however the daemon is started (`node
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
import v8 from 'node:v8';

v8.setFlagsFromString('--semi-space-growth-factor=1');
v8.setFlagsFromString('--optimize-for-size');
