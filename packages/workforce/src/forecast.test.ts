import { describe, expect, it } from 'vitest';
import { backtestForecast, chooseForecastMethod, FORECAST_METHODS, forecastSeries } from './forecast.ts';
import { distributeDailyTotal, forecastPromotionDayTotal } from './promotion-formula.ts';
import { aggregateToIntervals, type IntervalSeries } from './series.ts';
import { generateSyntheticHistory } from './synthetic-history.ts';
import { DAY_MS } from './time.ts';

const MONDAY = Date.UTC(2024, 8, 2);

/** Hourly series repeating a fixed weekly pattern exactly; night 01–06 always closed. */
function periodicSeries(weeks: number): IntervalSeries {
  const values: number[] = [];
  for (let i = 0; i < weeks * 168; i++) {
    const hour = i % 24;
    const day = Math.floor(i / 24) % 7;
    values.push(hour >= 1 && hour < 7 ? 0 : 10 + day * 3 + (hour % 5) * 2);
  }
  return { start: MONDAY, intervalMinutes: 60, values };
}

describe('seed promotion formula', () => {
  it('computes D11 total = this October daily average × (last D11 / last October daily average)', () => {
    // 5,000/day this October; last year 60,000 on D11 against 4,000/day in October → ×15 → 75,000.
    expect(
      forecastPromotionDayTotal({
        referenceDailyAverage: 5000,
        lastPromotionTotal: 60000,
        lastReferenceDailyAverage: 4000,
      }),
    ).toBe(75000);
    expect(() =>
      forecastPromotionDayTotal({
        referenceDailyAverage: 1,
        lastPromotionTotal: 1,
        lastReferenceDailyAverage: 0,
      }),
    ).toThrow(/lastReferenceDailyAverage/);
  });

  it('distributes a daily total over a profile', () => {
    expect(distributeDailyTotal(100, [1, 3, 0, 1])).toEqual([20, 60, 0, 20]);
    expect(distributeDailyTotal(10, [0, 0])).toEqual([5, 5]);
  });
});

describe('forecastSeries', () => {
  it('repeats last week exactly with seasonal naive and starts right after the history', () => {
    const history = periodicSeries(3);
    const result = forecastSeries(history, { horizonIntervals: 168, method: 'seasonal-naive' });
    expect(result.start).toBe(MONDAY + 21 * DAY_MS);
    expect(result.values).toEqual(history.values.slice(-168));
  });

  it('recovers an exactly periodic series with every method', () => {
    const history = periodicSeries(5);
    const truth = history.values.slice(0, 48);
    for (const method of FORECAST_METHODS) {
      const result = forecastSeries(history, { horizonIntervals: 48, method });
      result.values.forEach((v, k) => {
        expect(Math.abs(v - (truth[k] ?? 0))).toBeLessThan(0.5);
      });
    }
  });

  it('forecasts exactly 0 in closed hours and never negative', () => {
    const history = periodicSeries(4);
    for (const method of FORECAST_METHODS) {
      const { values } = forecastSeries(history, { horizonIntervals: 168, method });
      values.forEach((v, k) => {
        expect(v).toBeGreaterThanOrEqual(0);
        const hour = k % 24;
        if (hour >= 1 && hour < 7) expect(v).toBe(0);
      });
    }
  });

  it('learns promotion uplift from flagged past promotion days', () => {
    const promotionDates = ['2024-09-18', '2024-10-18', '2024-11-11'];
    const points = generateSyntheticHistory({
      startDate: '2024-09-02',
      days: 70,
      intervalMinutes: 60,
      seed: 7,
      dailyVolume: 3000,
      promotionDates,
      promotionUplift: 4,
    });
    const history = aggregateToIntervals(points, 60);
    // History ends 2024-11-10 23:00; the horizon's first day is the 11.11 promotion.
    const base = forecastSeries(history, { horizonIntervals: 48, method: 'weekday-mean', promotionDates });
    const uplift = forecastSeries(history, {
      horizonIntervals: 48,
      method: 'promotion-uplift',
      promotionDates,
    });
    const ratio = forecastSeries(history, {
      horizonIntervals: 48,
      method: 'promotion-ratio',
      promotionDates,
    });
    const sum = (v: number[]) => v.slice(0, 24).reduce((a, b) => a + b, 0);
    expect(sum(uplift.values) / sum(base.values)).toBeGreaterThan(3.3);
    expect(sum(uplift.values) / sum(base.values)).toBeLessThan(4.8);
    expect(sum(ratio.values) / sum(base.values)).toBeGreaterThan(3.3);
    // The day after is ordinary again.
    expect(uplift.values.slice(24)).toEqual(base.values.slice(24));
    // Promotion shape: midnight peak above the 04:00 trough.
    expect(uplift.values[0] ?? 0).toBeGreaterThan(5 * (uplift.values[4] ?? 0));
  });

  it('scores backtests: WAPE = Σ|e|/Σa and MAPE over non-zero actuals', () => {
    const history = periodicSeries(4);
    // A constant +10% error on every open hour; closed hours are forecast as 0 and excluded from MAPE.
    const scaled: IntervalSeries = {
      ...history,
      values: history.values.map((v, i) => (i >= 3 * 168 ? v * 1.1 : v)),
    };
    const [score] = backtestForecast(scaled, {
      horizonIntervals: 168,
      folds: 1,
      methods: ['seasonal-naive'],
    });
    expect(score?.folds).toBe(1);
    expect(score?.intervals).toBe(168);
    expect(score?.mape).toBeCloseTo((100 * 0.1) / 1.1, 9);
    expect(score?.wape).toBeCloseTo((100 * 0.1) / 1.1, 9);
  });

  it('auto picks the best backtest WAPE and beats seasonal naive on noisy data', () => {
    const points = generateSyntheticHistory({
      startDate: '2024-06-03',
      days: 56,
      intervalMinutes: 30,
      seed: 3,
      dailyVolume: 2000,
      closedNightWeekdays: [0, 1, 2],
    });
    const history = aggregateToIntervals(points, 30);
    const result = forecastSeries(history, { horizonIntervals: 336, method: 'auto' });
    expect(result.backtest).toHaveLength(FORECAST_METHODS.length);
    expect(result.method).toBe(chooseForecastMethod(result.backtest));
    const chosen = result.backtest.find((s) => s.method === result.method);
    const naive = result.backtest.find((s) => s.method === 'seasonal-naive');
    expect(chosen?.wape ?? 100).toBeLessThan(naive?.wape ?? 0);
  });

  it('rejects an unknown method and a bad horizon', () => {
    const history = periodicSeries(1);
    expect(() => forecastSeries(history, { horizonIntervals: 0 })).toThrow(/horizonIntervals/);
    expect(() => forecastSeries(history, { horizonIntervals: 1, method: 'magic' as 'auto' })).toThrow(
      /field "method"/,
    );
  });
});
