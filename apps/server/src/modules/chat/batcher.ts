/**
 * Group commit for a hot write: while one batch is being written, new items wait and then go
 * together in the next one. An idle system writes each item at once (no timer, no added latency);
 * a busy one pays one round trip and one commit (WAL flush) per batch instead of per item.
 * One batch in flight at a time also keeps this instance's batches from locking rows against each other.
 */
export function createBatcher<I, O>(
  write: (items: I[]) => Promise<O[]>,
  opts: { maxBatch: number },
): (item: I) => Promise<O> {
  type Entry = { item: I; resolve: (o: O) => void; reject: (e: unknown) => void };
  let waiting: Entry[] = [];
  let busy = false;

  async function drain(): Promise<void> {
    while (waiting.length > 0) {
      const batch = waiting.slice(0, opts.maxBatch);
      waiting = waiting.slice(batch.length);
      try {
        const out = await write(batch.map((e) => e.item));
        for (const [i, e] of batch.entries()) e.resolve(out[i]!);
      } catch (error) {
        for (const e of batch) e.reject(error);
      }
    }
    busy = false;
  }

  return (item) =>
    new Promise<O>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      if (busy) return;
      busy = true;
      // Let every request read in this turn of the event loop join the first batch.
      setImmediate(() => void drain());
    });
}
