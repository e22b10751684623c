import { sleep } from './stats.ts';

/**
 * Sends at `ratePerSec` for `durationMs` whatever the server does (an open loop: a slow server gets
 * a growing backlog, not a slower sender), calling `sendOne(i)` with a running index.
 */
export async function openLoop(ratePerSec: number, durationMs: number, sendOne: (i: number) => void) {
  const tickMs = 10;
  const perTick = ratePerSec / (1000 / tickMs);
  let due = 0;
  let next = 0;
  const timer = setInterval(() => {
    due += perTick;
    for (; due >= 1; due--) sendOne(next++);
  }, tickMs);
  await sleep(durationMs);
  clearInterval(timer);
}
