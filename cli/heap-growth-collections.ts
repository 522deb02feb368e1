// When the daemon runs a full garbage collection of its own (cli/daemon-v8.ts says why): after
// each answered request and each spawn, the heap in use is compared with what it was after the
// last collection seen. Kept apart from daemon-v8.ts, which sets V8's flags as it is imported,
// so that it can be tested in-process.

/** Heap growth since the last collection that the next check collects for. */
export const COLLECT_STEP_BYTES = 2 * 1024 * 1024;

export class HeapGrowthCollections {
  private step = COLLECT_STEP_BYTES;
  /** The heap in use after the last collection seen (ours or V8's); null until begin(). */
  private floor: number | null = null;

  constructor(
    private readonly heapUsed: () => number,
    private readonly collect: () => void,
  ) {}

  /** The programs are started: what start-up built is live data, measured from here on. */
  begin(): void {
    this.floor = this.heapUsed();
  }

  /** After a piece of work: a full collection if the heap grew by the step since the last one. */
  check(): void {
    if (this.floor === null) return;
    const used = this.heapUsed();
    this.floor = Math.min(this.floor, used); // V8 collected on its own
    if (used - this.floor < this.step) return;
    this.collect();
    const after = this.heapUsed();
    // Growth a collection does not free is live data (more programs, say): wait for twice as much
    // before the next, rather than collecting for it again and again.
    this.step = used - after < this.step / 2 ? this.step * 2 : COLLECT_STEP_BYTES;
    this.floor = after;
  }
}
