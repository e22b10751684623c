import { DAY_MINUTES, MINUTE_MS, type WallClockMs } from './time.ts';
import { WorkforceInputError } from './workforce-error.ts';

export type CountPoint = { start: WallClockMs; count: number };

/** A regular grid of interval counts: `values[i]` covers `[start + i·I, start + (i+1)·I)`. */
export type IntervalSeries = {
  start: WallClockMs;
  intervalMinutes: number;
  values: number[];
};

export function assertIntervalMinutes(intervalMinutes: number): void {
  if (!Number.isInteger(intervalMinutes) || intervalMinutes <= 0 || DAY_MINUTES % intervalMinutes !== 0) {
    throw new WorkforceInputError(
      `field "intervalMinutes": ${intervalMinutes} must be a positive whole number of minutes dividing a day (15, 30, 60)`,
      { field: 'intervalMinutes' },
    );
  }
}

/** The most common gap between consecutive timestamps, in minutes: the granularity of the history. */
function detectGranularityMinutes(points: readonly CountPoint[]): number | null {
  const counts = new Map<number, number>();
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    if (!a || !b) continue;
    const gap = Math.round((b.start - a.start) / MINUTE_MS);
    if (gap > 0) counts.set(gap, (counts.get(gap) ?? 0) + 1);
  }
  let best: number | null = null;
  let bestCount = 0;
  for (const [gap, count] of counts) {
    if (count > bestCount || (count === bestCount && best !== null && gap < best)) {
      best = gap;
      bestCount = count;
    }
  }
  return best;
}

/**
 * Aggregates history of any granularity onto an `intervalMinutes` grid. Finer data is summed per interval;
 * coarser data (e.g. hourly counts onto a 30-minute grid) is spread evenly over the intervals it covers.
 * Gaps inside the history count as zero volume (no consultations were logged). Partial intervals at the
 * two ends are dropped, so every value is a whole interval's count.
 */
export function aggregateToIntervals(points: readonly CountPoint[], intervalMinutes: number): IntervalSeries {
  assertIntervalMinutes(intervalMinutes);
  if (points.length === 0) throw new WorkforceInputError('history is empty');
  const sorted = [...points].sort((a, b) => a.start - b.start);
  const step = intervalMinutes * MINUTE_MS;
  const granularity = detectGranularityMinutes(sorted) ?? intervalMinutes;
  const first = sorted[0] as CountPoint;
  const last = sorted[sorted.length - 1] as CountPoint;
  const start = Math.ceil(first.start / step) * step;
  const end = Math.floor((last.start + granularity * MINUTE_MS) / step) * step;
  const length = Math.max(0, Math.round((end - start) / step));
  const values = new Array<number>(length).fill(0);
  const spread =
    granularity > intervalMinutes && granularity % intervalMinutes === 0 ? granularity / intervalMinutes : 1;
  for (const point of sorted) {
    for (let k = 0; k < spread; k++) {
      const index = Math.floor((point.start + k * step - start) / step);
      if (index >= 0 && index < length) values[index] = (values[index] ?? 0) + point.count / spread;
    }
  }
  return { start, intervalMinutes, values };
}
