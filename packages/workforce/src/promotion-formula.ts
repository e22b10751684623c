import { WorkforceInputError } from './workforce-error.ts';

export type PromotionDayTotalInput = {
  /** This year's reference daily average, e.g. this October's average daily consultations. */
  referenceDailyAverage: number;
  /** Last year's promotion-day total, e.g. last year's Double 11 consultations. */
  lastPromotionTotal: number;
  /** Last year's reference daily average, e.g. last October's average daily consultations. */
  lastReferenceDailyAverage: number;
};

/**
 * The seeds' promotion-day formula (网易七鱼 seed 000):
 * 今年客服接待总量 = 今年10月日均接待量 × (往年双11接待总量 / 往年10月日均接待量).
 */
export function forecastPromotionDayTotal(input: PromotionDayTotalInput): number {
  for (const [field, value] of Object.entries(input)) {
    if (!Number.isFinite(value) || value < 0) {
      throw new WorkforceInputError(`field "${field}": ${value} must be a non-negative number`, { field });
    }
  }
  if (input.lastReferenceDailyAverage === 0) {
    throw new WorkforceInputError('field "lastReferenceDailyAverage": must be positive to form the ratio', {
      field: 'lastReferenceDailyAverage',
    });
  }
  return input.referenceDailyAverage * (input.lastPromotionTotal / input.lastReferenceDailyAverage);
}

/**
 * Spreads a daily total over an intraday profile (any non-negative weights, one per interval; they are
 * normalised). An all-zero profile spreads evenly, because "no shape known" should not mean "no volume".
 */
export function distributeDailyTotal(total: number, profile: readonly number[]): number[] {
  if (profile.some((w) => !Number.isFinite(w) || w < 0)) {
    throw new WorkforceInputError('field "profile": weights must be non-negative numbers', {
      field: 'profile',
    });
  }
  const sum = profile.reduce((a, b) => a + b, 0);
  if (profile.length === 0) return [];
  if (sum === 0) return profile.map(() => total / profile.length);
  return profile.map((w) => (total * w) / sum);
}
