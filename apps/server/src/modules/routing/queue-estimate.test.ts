import { describe, expect, it } from 'vitest';
import {
  estimateHandleSeconds,
  estimateWaitSeconds,
  type HandleTimeBucket,
  handleTimeBucketOf,
} from './queue-estimate.ts';

describe('queue wait estimate', () => {
  it('is zero while free slots cover the position, unknown with nobody online', () => {
    expect(estimateWaitSeconds({ position: 2, totalSlots: 10, freeSlots: 3, ahtSeconds: 300 })).toBe(0);
    expect(estimateWaitSeconds({ position: 1, totalSlots: 0, freeSlots: 0, ahtSeconds: 300 })).toBeNull();
  });
  it('grows by one slot interval (aht / slots) per position', () => {
    const e = (position: number) =>
      estimateWaitSeconds({ position, totalSlots: 10, freeSlots: 0, ahtSeconds: 300 });
    expect(e(1)).toBe(15);
    expect(e(2)).toBe(45);
    expect(e(11)! - e(1)!).toBe(300);
  });
});

type Chat = { start: number; handle: number };
/** The cohort as the repository returns it: chats assigned in the last hour, bucketed by observed time. */
function bucketsAt(chats: readonly Chat[], now: number): HandleTimeBucket[] {
  const by = new Map<number, HandleTimeBucket>();
  for (const c of chats) {
    if (c.start <= now - 3600 || c.start > now) continue;
    const isFinished = c.start + c.handle <= now;
    const d = isFinished ? c.handle : now - c.start;
    const bucket = handleTimeBucketOf(d);
    const b = by.get(bucket) ?? { bucket, chats: 0, finished: 0, seconds: 0, finishedSeconds: 0 };
    b.chats++;
    b.seconds += d;
    if (isFinished) {
      b.finished++;
      b.finishedSeconds += d;
    }
    by.set(bucket, b);
  }
  return [...by.values()];
}
const finishedMean = (chats: readonly Chat[], now: number) => {
  const done = chats.filter((c) => c.start + c.handle <= now && c.start > now - 3600);
  return done.reduce((s, c) => s + c.handle, 0) / done.length;
};
/** Log-normal handle times with mean 180 s (σ 0.6), from a fixed seed. */
function handleTimes(n: number, seed = 7) {
  let s = seed;
  const rand = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  return Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(Math.max(rand(), 1e-9))) * Math.cos(2 * Math.PI * rand());
    return Math.exp(Math.log(180) - 0.18 + 0.6 * z);
  });
}
const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('handle-time estimate from the last hour, running chats included', () => {
  it('buckets like SQL width_bucket over the edges', () => {
    expect([0, 59.9, 60, 119, 120, 180, 299, 300, 600, 1199, 1200, 9000].map(handleTimeBucketOf)).toEqual([
      0, 0, 1, 1, 2, 3, 3, 4, 5, 5, 6, 6,
    ]);
  });

  it('needs 3 finished chats; below 10 it is the plain mean of the finished ones', () => {
    expect(estimateHandleSeconds([])).toBeNull();
    expect(
      estimateHandleSeconds([{ bucket: 2, chats: 5, finished: 2, seconds: 800, finishedSeconds: 300 }]),
    ).toBeNull();
    expect(
      estimateHandleSeconds([
        { bucket: 1, chats: 2, finished: 2, seconds: 180, finishedSeconds: 180 },
        { bucket: 3, chats: 6, finished: 2, seconds: 1500, finishedSeconds: 420 },
      ]),
    ).toBe(150);
  });

  it('in a steady hour it agrees with the mean of the chats', () => {
    const h = handleTimes(1200);
    // One chat every 3 s for two hours: the cohort of the last hour is in steady state.
    const chats = h.map((handle, i) => ({ start: i * 6, handle }));
    const now = 7200;
    const inCohort = chats.filter((c) => c.start > now - 3600).map((c) => c.handle);
    const estimate = estimateHandleSeconds(bucketsAt(chats, now))!;
    expect(Math.abs(estimate / mean(inCohort) - 1)).toBeLessThan(0.03);
  });

  it('is not fooled by a growing queue: the long chats still running count (finished-only mean is short)', () => {
    // 10 quiet minutes' worth of chats spread over 50 minutes, then five times as many in the last 10.
    const h = handleTimes(1000, 11);
    const chats = h.map((handle, i) =>
      i < 250 ? { start: (i / 250) * 3000, handle } : { start: 3000 + ((i - 250) / 750) * 600, handle },
    );
    const now = 3600;
    const truth = mean(h);
    const estimate = estimateHandleSeconds(bucketsAt(chats, now))!;
    expect(finishedMean(chats, now) / truth).toBeLessThan(0.92);
    expect(Math.abs(estimate / truth - 1)).toBeLessThan(0.04);
    // The wait it gives the 600th in line with 60 slots is within 5% of the one the true mean gives.
    const wait = (aht: number) =>
      estimateWaitSeconds({ position: 600, totalSlots: 60, freeSlots: 0, ahtSeconds: aht })!;
    expect(Math.abs(wait(estimate) / wait(truth) - 1)).toBeLessThan(0.05);
    expect(wait(finishedMean(chats, now)) / wait(truth)).toBeLessThan(0.92);
  });

  it('longer-running chats raise it; the same finished chats with none running give less', () => {
    const finished: HandleTimeBucket[] = [
      { bucket: 1, chats: 20, finished: 20, seconds: 1800, finishedSeconds: 1800 },
      { bucket: 2, chats: 20, finished: 20, seconds: 3000, finishedSeconds: 3000 },
    ];
    const alone = estimateHandleSeconds(finished)!;
    const withRunning = estimateHandleSeconds([
      ...finished,
      { bucket: 4, chats: 10, finished: 0, seconds: 4000, finishedSeconds: 0 },
    ])!;
    expect(alone).toBeGreaterThan(100);
    expect(alone).toBeLessThan(150);
    expect(withRunning).toBeGreaterThan(alone + 50);
  });

  it('a group observed for a few minutes only extrapolates its tail and stays finite', () => {
    // 60 chats started in the last 4 minutes, the quick third finished.
    const h = handleTimes(60, 3);
    const chats = h.map((handle, i) => ({ start: 3600 - 240 + i * 4, handle }));
    const estimate = estimateHandleSeconds(bucketsAt(chats, 3600))!;
    expect(Number.isFinite(estimate)).toBe(true);
    expect(estimate).toBeGreaterThan(finishedMean(chats, 3600));
  });
});
