/**
 * Sends at `ratePerSec` for `durationMs` whatever the server does (an open loop: a slow server gets
 * a growing backlog, not a slower sender). Message `i` is due at start + i / rate; `sendOne(i,
 * scheduledAt)` gets that time, so a latency measured from it also counts the time a message waited
 * because the sender itself was late (a blocked event loop, a coarse timer). Measuring from the
 * actual send instead hides exactly the stalls a benchmark is for (coordinated omission).
 */
export async function openLoop(
  ratePerSec: number,
  durationMs: number,
  sendOne: (i: number, scheduledAt: number) => void,
): Promise<void> {
  const start = performance.now();
  const total = Math.floor((ratePerSec * durationMs) / 1000);
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * ratePerSec) / 1000) + 1);
      for (; next < due; next++) sendOne(next, start + (next * 1000) / ratePerSec);
      if (next >= total) {
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(tick, 2);
    tick();
  });
}
