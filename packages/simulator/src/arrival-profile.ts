import type { Rng } from './rng.ts';

/**
 * An arrival curve: expected new conversations per interval of the simulated day. The `double11`
 * profile follows the seeds: peaks 00–02 (with a 5–8× burst in the first 30 minutes after
 * midnight, when presale balances open), 08–10, 15–17 and 20–24.
 */
export type ArrivalCurve = { intervalMinutes: number; startMinute: number; volumes: number[] };

export type ArrivalProfileName = 'double11' | 'normal';

/** Relative hourly weights of an ordinary day (sum ≈ 1): quiet nights, lunch and evening peaks. */
const NORMAL_HOURLY = [
  0.012, 0.007, 0.004, 0.003, 0.003, 0.004, 0.008, 0.02, 0.042, 0.058, 0.064, 0.062, 0.052, 0.056, 0.06,
  0.062, 0.06, 0.055, 0.05, 0.056, 0.068, 0.072, 0.062, 0.036,
];

function hourlyWeights(profile: ArrivalProfileName): number[] {
  if (profile === 'normal') return NORMAL_HOURLY;
  const peak = new Set([0, 1, 8, 9, 15, 16, 20, 21, 22, 23]);
  return NORMAL_HOURLY.map((w, h) => (peak.has(h) ? w * 2.4 : w) + (h <= 1 ? 0.05 : 0));
}

/**
 * Builds the curve for `dailyVolume` conversations spread over the profile, at `intervalMinutes`.
 * In `double11`, the first 30 minutes carry `burstFactor` × the rate of the rest of that hour.
 */
export function buildArrivalCurve(opts: {
  profile: ArrivalProfileName;
  dailyVolume: number;
  intervalMinutes?: number;
  burstFactor?: number;
}): ArrivalCurve {
  const step = opts.intervalMinutes ?? 5;
  if (60 % step !== 0) throw new Error(`intervalMinutes: ${step} does not divide an hour`);
  const weights = hourlyWeights(opts.profile);
  const total = weights.reduce((a, b) => a + b, 0);
  const perHourSlots = 60 / step;
  const volumes: number[] = [];
  for (let h = 0; h < 24; h++) {
    const hourVolume = (opts.dailyVolume * weights[h]!) / total;
    const slotShares = Array.from({ length: perHourSlots }, (_, i) => {
      if (opts.profile === 'double11' && h === 0) return i * step < 30 ? (opts.burstFactor ?? 6) : 1;
      return 1;
    });
    const shareSum = slotShares.reduce((a, b) => a + b, 0);
    for (const s of slotShares) volumes.push((hourVolume * s) / shareSum);
  }
  return { intervalMinutes: step, startMinute: 0, volumes };
}

/** An interval CSV (interval_start,volume) or a plan forecast, as a curve. */
export function curveFromIntervals(
  rows: { minuteOfDay: number; volume: number }[],
  intervalMinutes: number,
): ArrivalCurve {
  if (rows.length === 0) throw new Error('the interval list is empty');
  const start = rows[0]!.minuteOfDay;
  return { intervalMinutes, startMinute: start, volumes: rows.map((r) => Math.max(0, r.volume)) };
}

/** Arrival times (simulated minutes from the curve's start) in the window, Poisson within each interval. */
export function sampleArrivals(
  curve: ArrivalCurve,
  rng: Rng,
  window?: { fromMinute: number; toMinute: number },
): number[] {
  const out: number[] = [];
  curve.volumes.forEach((v, i) => {
    const t0 = curve.startMinute + i * curve.intervalMinutes;
    const t1 = t0 + curve.intervalMinutes;
    if (window && (t1 <= window.fromMinute || t0 >= window.toMinute)) return;
    const n = rng.poisson(v);
    for (let k = 0; k < n; k++) {
      const t = t0 + rng.next() * curve.intervalMinutes;
      if (!window || (t >= window.fromMinute && t < window.toMinute)) out.push(t);
    }
  });
  return out.sort((a, b) => a - b);
}
