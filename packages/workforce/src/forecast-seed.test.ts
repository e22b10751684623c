import { describe, expect, it } from 'vitest';
import { DEFAULT_PROMOTION_RATIO } from './day-shapes.ts';
import { forecastFromSeed, forecastSeries, seedReference } from './forecast.ts';
import { aggregateToIntervals } from './series.ts';
import { generateSyntheticHistory } from './synthetic-history.ts';

const sum = (v: readonly number[]) => v.reduce((a, b) => a + b, 0);
/** Ordinary history only: no past promotion day to learn an uplift from. */
const ordinaryHistory = () =>
  aggregateToIntervals(
    generateSyntheticHistory({
      startDate: '2024-09-02',
      days: 70,
      intervalMinutes: 60,
      seed: 3,
      dailyVolume: 2000,
    }),
    60,
  );

describe('a planned promotion day without promotion history', () => {
  // The history ends 2024-11-10 23:00; the horizon's first day is the planned 11.11.
  const promotionDates = ['2024-11-11'];

  for (const method of ['promotion-uplift', 'promotion-ratio', 'auto'] as const) {
    it(`${method}: seed ratio × an ordinary day over the seeds' peak shape, and says so`, () => {
      const history = ordinaryHistory();
      const base = forecastSeries(history, { horizonIntervals: 48, method: 'weekday-mean' });
      const f = forecastSeries(history, { horizonIntervals: 48, method, promotionDates });
      const day = f.values.slice(0, 24);
      const ratio = sum(day) / sum(base.values.slice(0, 24));
      expect(ratio).toBeGreaterThan(DEFAULT_PROMOTION_RATIO * 0.85);
      expect(ratio).toBeLessThan(DEFAULT_PROMOTION_RATIO * 1.15);
      // 00–02 is the product's own peak: not the lowest hours of the day (as it was without uplift).
      const night = (day[0] ?? 0) + (day[1] ?? 0);
      expect(night).toBeGreaterThan(2 * ((day[4] ?? 0) + (day[5] ?? 0)));
      expect(day[0]).toBeGreaterThan(day[12] ?? 0);
      expect(day[21]).toBeGreaterThan(day[12] ?? 0);
      expect(f.promotion).toEqual({ basis: 'seed', ratio: DEFAULT_PROMOTION_RATIO });
    });
  }

  it('takes the planner’s ratio', () => {
    const f = forecastSeries(ordinaryHistory(), {
      horizonIntervals: 24,
      method: 'promotion-uplift',
      promotionDates,
      seedRatio: 5,
    });
    expect(f.promotion).toEqual({ basis: 'seed', ratio: 5 });
  });

  it('an ordinary-day method chosen explicitly stays ordinary (no promotion basis)', () => {
    const f = forecastSeries(ordinaryHistory(), {
      horizonIntervals: 24,
      method: 'weekday-mean',
      promotionDates,
    });
    expect(f.promotion).toBeNull();
  });
});

describe('seed formula without a series', () => {
  it('forecasts a promotion day as daily average × ratio over the peak shape, ordinary days at the average', () => {
    const values = forecastFromSeed({
      intervalMinutes: 30,
      dates: ['2027-11-10', '2027-11-11'],
      promotionDates: ['2027-11-11'],
      dailyAverage: 2000,
      ratio: 3.5,
    });
    expect(values).toHaveLength(96);
    expect(sum(values.slice(0, 48))).toBeCloseTo(2000, 6);
    const d11 = values.slice(48);
    expect(sum(d11)).toBeCloseTo(7000, 6);
    const hour = (h: number) => (d11[2 * h] ?? 0) + (d11[2 * h + 1] ?? 0);
    for (const peak of [0, 1, 8, 9, 15, 16, 20, 21, 22, 23]) expect(hour(peak)).toBeGreaterThan(hour(4));
  });

  it('names the field of a missing input', () => {
    expect(() =>
      forecastFromSeed({
        intervalMinutes: 30,
        dates: ['2027-11-11'],
        promotionDates: [],
        dailyAverage: 0,
        ratio: 3,
      }),
    ).toThrow('field "dailyAverage"');
  });

  it('reads the reference daily average and the last promotion ratio from a history', () => {
    const promotionDates = ['2024-11-11'];
    const history = aggregateToIntervals(
      generateSyntheticHistory({
        startDate: '2024-09-02',
        days: 80,
        intervalMinutes: 60,
        seed: 5,
        dailyVolume: 2000,
        promotionDates,
        promotionUplift: 4,
      }),
      60,
    );
    const r = seedReference(history, { promotionDates });
    expect(r.dailyAverage).toBeGreaterThan(1800);
    expect(r.dailyAverage).toBeLessThan(2600);
    expect(r.lastPromotion?.date).toBe('2024-11-11');
    expect(r.lastPromotion?.ratio).toBeGreaterThan(3.3);
    expect(r.lastPromotion?.ratio).toBeLessThan(4.7);
    expect(sum(r.ordinaryProfile ?? [])).toBeCloseTo(1, 6);
    expect(r.promotionProfile?.[0]).toBeGreaterThan(r.promotionProfile?.[4] ?? 1);
  });
});
