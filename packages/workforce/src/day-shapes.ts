/** Hourly shape of an ordinary day: morning ramp, lunch dip, afternoon plateau, evening peak. */
export const ORDINARY_HOURLY: readonly number[] = [
  0.35, 0.2, 0.1, 0.05, 0.04, 0.05, 0.15, 0.4, 0.8, 1.1, 1.25, 1.2, 0.9, 1.0, 1.15, 1.2, 1.15, 1.05, 1.0, 1.2,
  1.5, 1.6, 1.3, 0.8,
];

/** The seeds' promotion day (seed 000): peaks 00–02 (midnight sale), 08–10, 15–17, 20–24. */
export const PROMOTION_HOURLY: readonly number[] = [
  3.0, 2.4, 0.8, 0.3, 0.2, 0.2, 0.4, 0.9, 1.8, 1.9, 1.2, 1.1, 1.0, 1.0, 1.1, 1.7, 1.8, 1.2, 1.1, 1.3, 2.2,
  2.5, 2.6, 2.2,
];

/**
 * The seed formula's ratio (last promotion day ÷ the reference daily average before it) when the
 * merchant has none of their own: an assumption the planner is asked to replace.
 */
export const DEFAULT_PROMOTION_RATIO = 3;

/** Per-interval weights of a day from 24 hourly weights (an hour's weight split evenly over its intervals). */
export function intervalProfile(hourly: readonly number[], intervalMinutes: number): number[] {
  const perHour = 60 / intervalMinutes;
  const out: number[] = [];
  for (let i = 0; i < (24 * 60) / intervalMinutes; i++)
    out.push((hourly[Math.floor(i / perHour)] ?? 0) / perHour);
  return out;
}
