import { ORDINARY_HOURLY, PROMOTION_HOURLY } from './day-shapes.ts';
import type { CountPoint } from './series.ts';
import { DAY_MS, MINUTE_MS, parseDate, weekdayOf } from './time.ts';

/** mulberry32: a tiny seeded PRNG, so generated histories (tests, backtests, benches) are reproducible. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Approximately Poisson counts: normal with variance = mean, rounded, never negative. */
function noisyCount(mean: number, random: () => number, extraNoise: number): number {
  if (mean <= 0) return 0;
  const u = Math.max(random(), 1e-12);
  const v = random();
  const gaussian = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  const scaled = mean * (1 + extraNoise * (random() * 2 - 1));
  return Math.max(0, Math.round(scaled + gaussian * Math.sqrt(scaled)));
}

/** Monday … Sunday volume factors (shoppers browse more at the weekend, ask fewer after-sales questions). */
const WEEKDAY_FACTORS = [1.1, 1.05, 1.0, 1.0, 0.95, 0.9, 0.85];

export type SyntheticHistoryOptions = {
  /** First day, YYYY-MM-DD. */
  startDate: string;
  days: number;
  intervalMinutes: number;
  seed: number;
  /** Mean consultations on an ordinary Wednesday. */
  dailyVolume: number;
  promotionDates?: readonly string[];
  /** Promotion-day total as a multiple of an ordinary day (default 4). */
  promotionUplift?: number;
  /** Weekdays (Monday = 0) on which the service desk is closed from 01:00 to 07:00. */
  closedNightWeekdays?: readonly number[];
  /** Relative growth per day (default 0.002). */
  dailyTrend?: number;
};

/** Expected (noise-free) count of the interval starting at `ms`. */
export function expectedCount(options: SyntheticHistoryOptions, ms: number, dayIndex: number): number {
  const date = new Date(ms);
  const hour = date.getUTCHours();
  const weekday = weekdayOf(ms);
  const promotion = new Set(options.promotionDates ?? []);
  const isPromotion = promotion.has(date.toISOString().slice(0, 10));
  const perDay = (24 * 60) / options.intervalMinutes;
  const trend = 1 + (options.dailyTrend ?? 0.002) * dayIndex;
  if (isPromotion) {
    const sum = PROMOTION_HOURLY.reduce((a, b) => a + b, 0);
    const share = (PROMOTION_HOURLY[hour] ?? 0) / sum / (perDay / 24);
    return options.dailyVolume * trend * (options.promotionUplift ?? 4) * share;
  }
  if ((options.closedNightWeekdays ?? []).includes(weekday) && hour >= 1 && hour < 7) return 0;
  const sum = ORDINARY_HOURLY.reduce((a, b) => a + b, 0);
  const share = (ORDINARY_HOURLY[hour] ?? 0) / sum / (perDay / 24);
  return options.dailyVolume * trend * (WEEKDAY_FACTORS[weekday] ?? 1) * share;
}

/**
 * A realistic interval history: weekly and daily seasonality, slow growth, Poisson noise plus ±10%
 * day-to-day wobble, closed night hours on some weekdays, and promotion days with their own shape.
 */
export function generateSyntheticHistory(options: SyntheticHistoryOptions): CountPoint[] {
  const random = createRandom(options.seed);
  const start = parseDate(options.startDate, 'startDate');
  const step = options.intervalMinutes * MINUTE_MS;
  const points: CountPoint[] = [];
  for (let t = start; t < start + options.days * DAY_MS; t += step) {
    const dayIndex = Math.floor((t - start) / DAY_MS);
    points.push({ start: t, count: noisyCount(expectedCount(options, t, dayIndex), random, 0.1) });
  }
  return points;
}
