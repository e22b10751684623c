/**
 * One queue drained in a loop: `step` claims and runs a batch and says how many it claimed; the lane
 * repeats while full batches come back, then sleeps until woken (commit nudge or poll). A wake while
 * it runs means "go round once more", so nothing written meanwhile waits for the next poll.
 * Outbox listeners and job kinds each get their own lane: one slow or failing queue never holds back
 * another.
 */
export type WorkLane = {
  wake(): void;
  /** Drains until a step claims less than a full batch (tests; shutdown waits on it too). */
  drain(): Promise<void>;
  /** Resolves when the current run (if any) finished. */
  settled(): Promise<void>;
};

/**
 * Lets timers and I/O run once lanes have held the event loop for `YIELD_AFTER_MS`. PGlite answers
 * queries without a macrotask in between (its engine runs in this thread), so a lane working through
 * thousands of jobs would otherwise be one unbroken chain of microtasks: no poll, no other lane's
 * timer, no socket for its whole length (found by bench/jobs-burst.bench.ts: 200 max-wait jobs ran
 * only after 10,000 abandonments, 84 s late). On PostgreSQL every query is real I/O, so the clock
 * check is all it costs.
 */
const YIELD_AFTER_MS = 10;
let lastYield = performance.now();
async function yieldToEventLoop(): Promise<void> {
  if (performance.now() - lastYield < YIELD_AFTER_MS) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  lastYield = performance.now();
}

export function createWorkLane(
  step: () => Promise<{ claimed: number; full: boolean }>,
  onError: (error: unknown) => void,
): WorkLane {
  let running: Promise<void> | undefined;
  let again = false;

  async function loop() {
    do {
      again = false;
      try {
        for (;;) {
          const r = await step();
          if (!r.full) break;
          await yieldToEventLoop();
        }
      } catch (error) {
        onError(error);
        return;
      }
    } while (again);
  }

  function wake() {
    if (running) {
      again = true;
      return;
    }
    running = loop().finally(() => {
      running = undefined;
    });
  }

  return {
    wake,
    async drain() {
      await running;
      wake();
      await running;
    },
    settled: async () => {
      await running;
    },
  };
}

/** Runs `fn` over `items` with at most `limit` at a time; results in input order. */
export async function mapBounded<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
      await yieldToEventLoop();
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Exponential backoff: base · 2^(attempt−1), capped. */
export const backoffMs = (attempt: number, baseMs: number, maxMs: number) =>
  Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));

/** Wakes a set of lanes every `pollMs` (the fallback behind commit nudges) until stopped. */
export function createLanePoller(pollMs: number, lanes: () => WorkLane[]) {
  let interval: ReturnType<typeof setInterval> | undefined;
  let isStopped = false;
  const wakeAll = () => {
    if (!isStopped) for (const l of lanes()) l.wake();
  };
  return {
    wakeAll,
    isStopped: () => isStopped,
    start() {
      isStopped = false;
      interval ??= setInterval(wakeAll, pollMs);
      interval.unref();
      wakeAll();
    },
    async stop() {
      isStopped = true;
      clearInterval(interval);
      interval = undefined;
      await Promise.all(lanes().map((l) => l.settled()));
    },
  };
}
