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
        if (batch.length === 1) batch[0]!.reject(error);
        // One bad item must not fail the others (they would be resent into the next batch with it):
        // write each alone, so only the item that fails by itself gets the error.
        else
          for (const e of batch) {
            try {
              e.resolve((await write([e.item]))[0]!);
            } catch (alone) {
              e.reject(alone);
            }
          }
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
