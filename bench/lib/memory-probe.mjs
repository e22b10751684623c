// Preloaded into a server under test (`node --expose-gc --import …/memory-probe.mjs …`): on SIGUSR2 it
// runs a full GC (when --expose-gc is given), writes a heap snapshot when the file
// $BENCH_HEAP_SNAPSHOT_DIR/snapshot-next exists (and removes it), and prints one line
//   @@memory {"rss":…,"heapUsed":…,"heapTotal":…,"external":…,"arrayBuffers":…,"snapshot":…}
// to stdout, which readMemory() in memory.ts waits for. Plain JS: it loads before tsx is registered,
// and adds nothing to the process until the signal arrives.
import { existsSync, unlinkSync } from 'node:fs';
import { writeHeapSnapshot } from 'node:v8';

process.on('SIGUSR2', () => {
  const gc = /** @type {(() => void) | undefined} */ (globalThis.gc);
  gc?.();
  gc?.();
  const dir = process.env.BENCH_HEAP_SNAPSHOT_DIR;
  let snapshot = null;
  if (dir && existsSync(`${dir}/snapshot-next`)) {
    unlinkSync(`${dir}/snapshot-next`);
    snapshot = writeHeapSnapshot(`${dir}/server-${process.pid}-${Date.now()}.heapsnapshot`);
  }
  const m = process.memoryUsage();
  process.stdout.write(
    `\n@@memory ${JSON.stringify({
      rss: m.rss,
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
      snapshot,
    })}\n`,
  );
});
