import { DEFAULT_PROMOTION_RATIO, intervalProfile, ORDINARY_HOURLY, PROMOTION_HOURLY } from './day-shapes.ts';
import { distributeDailyTotal } from './promotion-formula.ts';
import { assertIntervalMinutes, type IntervalSeries } from './series.ts';
import { DAY_MINUTES, DAY_MS, MINUTE_MS, minuteOfDay, parseDate, weekdayOf } from './time.ts';
import { WorkforceInputError } from './workforce-error.ts';

export type ForecastMethod =
  | 'seasonal-naive'
  | 'weekday-mean'
  | 'daily-profile'
  | 'holt-winters'
  | 'promotion-uplift'
  | 'promotion-ratio';

/** In tie order: on equal backtest WAPE, `auto` keeps the earlier (simpler) method. */
export const FORECAST_METHODS: readonly ForecastMethod[] = [
  'seasonal-naive',
  'weekday-mean',
  'daily-profile',
  'holt-winters',
  'promotion-uplift',
  'promotion-ratio',
];

export type ForecastOptions = {
  horizonIntervals: number;
  method?: ForecastMethod | 'auto';
  /** Past and planned promotion days (`YYYY-MM-DD`, merchant's calendar). */
  promotionDates?: readonly string[];
  /** k in "mean of the last k same weekdays" (also the window of weekday factors and profiles). */
  weeks?: number;
  /** Rolling-origin folds used by `auto`. */
  backtestFolds?: number;
  /**
   * The seed formula's ratio (promotion day ÷ reference daily average) used when the history holds
   * no past promotion day to learn from; default `DEFAULT_PROMOTION_RATIO`.
   */
  seedRatio?: number;
};

/**
 * How the planned promotion days in the horizon were forecast: from past promotion days in the
 * history, or — with none — by the seed formula (ordinary day × `ratio`) over the seeds' peak shape.
 */
export type PromotionBasis = { basis: 'history' | 'seed'; ratio: number };

export type BacktestScore = {
  method: ForecastMethod;
  /** Mean absolute percentage error in %, over intervals whose actual is non-zero; null if none. */
  mape: number | null;
  /** Weighted absolute percentage error in %: Σ|actual − forecast| / Σ actual; null if Σ actual = 0. */
  wape: number | null;
  folds: number;
  intervals: number;
};

export type ForecastResult = {
  method: ForecastMethod;
  /** Start of the first forecast interval: the end of the history. */
  start: number;
  intervalMinutes: number;
  values: number[];
  /** Backtest scores that chose the method (only for `auto`). */
  backtest: BacktestScore[];
  /** Null when no planned promotion day falls in the horizon. */
  promotion: PromotionBasis | null;
};

type Context = {
  raw: readonly number[];
  /** History with past promotion days replaced by a same-slot baseline, so spikes do not leak. */
  cleaned: readonly number[];
  start: number;
  step: number;
  perDay: number;
  perWeek: number;
  promoDays: ReadonlySet<number>;
  weeks: number;
  seedRatio: number;
};

const dayNumber = (ms: number): number => Math.floor(ms / DAY_MS);

function timeAt(ctx: Pick<Context, 'start' | 'step'>, index: number): number {
  return ctx.start + index * ctx.step;
}

function slotOfWeek(ctx: Pick<Context, 'step' | 'perDay'>, ms: number): number {
  return weekdayOf(ms) * ctx.perDay + Math.floor((minuteOfDay(ms) * MINUTE_MS) / ctx.step);
}

function slotOfDay(ctx: Pick<Context, 'step'>, ms: number): number {
  return Math.floor((minuteOfDay(ms) * MINUTE_MS) / ctx.step);
}

function isPromo(ctx: Context, index: number): boolean {
  return ctx.promoDays.has(dayNumber(timeAt(ctx, index)));
}

/** Replace each past promotion day's values with the mean of the same slot in nearby ordinary weeks. */
function cleanPromotionDays(raw: readonly number[], base: Omit<Context, 'cleaned' | 'raw'>): number[] {
  const cleaned = [...raw];
  if (base.promoDays.size === 0) return cleaned;
  const isPromoAt = (i: number) => base.promoDays.has(dayNumber(base.start + i * base.step));
  for (let i = 0; i < raw.length; i++) {
    if (!isPromoAt(i)) continue;
    const samples: number[] = [];
    for (let w = 1; w <= 4 && samples.length < 4; w++) {
      for (const j of [i - w * base.perWeek, i + w * base.perWeek]) {
        if (j >= 0 && j < raw.length && !isPromoAt(j)) samples.push(raw[j] ?? 0);
      }
    }
    cleaned[i] = samples.length > 0 ? mean(samples) : (raw[i] ?? 0);
  }
  return cleaned;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

function buildContext(history: IntervalSeries, options: ForecastOptions): Context {
  assertIntervalMinutes(history.intervalMinutes);
  const step = history.intervalMinutes * MINUTE_MS;
  const perDay = DAY_MINUTES / history.intervalMinutes;
  const promoDays = new Set<number>(
    (options.promotionDates ?? []).map((d) => dayNumber(parseDate(d, 'promotionDates'))),
  );
  const base = {
    start: history.start,
    step,
    perDay,
    perWeek: perDay * 7,
    promoDays,
    weeks: options.weeks ?? 4,
    seedRatio: options.seedRatio ?? DEFAULT_PROMOTION_RATIO,
  };
  return { ...base, raw: history.values, cleaned: cleanPromotionDays(history.values, base) };
}

function sliceContext(ctx: Context, length: number): Context {
  return { ...ctx, raw: ctx.raw.slice(0, length), cleaned: ctx.cleaned.slice(0, length) };
}

// ---------------------------------------------------------------------------------------------------
// Methods. Each returns raw forecasts for indices n … n+h−1; `finalise` clamps and zeroes closed slots.

function seasonalNaive(ctx: Context, h: number): number[] {
  const n = ctx.raw.length;
  const out: number[] = [];
  for (let k = 0; k < h; k++) {
    const j = n + k;
    let source = j - ctx.perWeek * Math.ceil((k + 1) / ctx.perWeek);
    // Less than a week of history: fall back to "same interval yesterday".
    if (source < 0) source = j - ctx.perDay * Math.ceil((k + 1) / ctx.perDay);
    out.push(source >= 0 ? (ctx.raw[source] ?? 0) : mean(ctx.raw));
  }
  return out;
}

/** Mean of the same interval on the last k same weekdays (promotion days excluded via `cleaned`). */
function weekdayMean(ctx: Context, h: number): number[] {
  const n = ctx.cleaned.length;
  const out: number[] = [];
  for (let k = 0; k < h; k++) {
    const j = n + k;
    const samples: number[] = [];
    for (let w = 1; samples.length < ctx.weeks; w++) {
      const source = j - w * ctx.perWeek;
      if (source < 0) break;
      if (source < n) samples.push(ctx.cleaned[source] ?? 0);
    }
    if (samples.length === 0) {
      for (let d = 1; samples.length < ctx.weeks; d++) {
        const source = j - d * ctx.perDay;
        if (source < 0) break;
        if (source < n) samples.push(ctx.cleaned[source] ?? 0);
      }
    }
    out.push(samples.length > 0 ? mean(samples) : mean(ctx.cleaned));
  }
  return out;
}

type DayTotals = { day: number; weekday: number; firstIndex: number; total: number }[];

function completeDays(ctx: Context, values: readonly number[]): DayTotals {
  const days: DayTotals = [];
  const firstMidnight = Math.ceil(ctx.start / DAY_MS) * DAY_MS;
  for (
    let first = Math.round((firstMidnight - ctx.start) / ctx.step);
    first + ctx.perDay <= values.length;
  ) {
    let total = 0;
    for (let i = first; i < first + ctx.perDay; i++) total += values[i] ?? 0;
    const ms = timeAt(ctx, first);
    days.push({ day: dayNumber(ms), weekday: weekdayOf(ms), firstIndex: first, total });
    first += ctx.perDay;
  }
  return days;
}

/**
 * Daily total × intraday profile: the level is the last seven days' mean total, scaled by a weekday
 * factor; the profile is the weekday's share per interval over the last k same weekdays. Smoother than
 * weekday-mean because the level uses every recent day, not only the k same weekdays.
 */
function dailyProfile(ctx: Context, h: number): number[] {
  const days = completeDays(ctx, ctx.cleaned);
  if (days.length < 7) return weekdayMean(ctx, h);
  const recent = days.slice(-7 * ctx.weeks);
  const lastWeekMean = mean(days.slice(-7).map((d) => d.total));
  const overallMean = mean(recent.map((d) => d.total));
  const profiles: number[][] = [];
  const factors: number[] = [];
  for (let wd = 0; wd < 7; wd++) {
    const same = recent.filter((d) => d.weekday === wd);
    factors.push(overallMean > 0 && same.length > 0 ? mean(same.map((d) => d.total)) / overallMean : 1);
    const profile = new Array<number>(ctx.perDay).fill(0);
    for (const d of same.length > 0 ? same : recent) {
      for (let s = 0; s < ctx.perDay; s++)
        profile[s] = (profile[s] ?? 0) + (ctx.cleaned[d.firstIndex + s] ?? 0);
    }
    profiles.push(profile);
  }
  const n = ctx.cleaned.length;
  const out: number[] = [];
  for (let k = 0; k < h; k++) {
    const ms = timeAt(ctx, n + k);
    const wd = weekdayOf(ms);
    const profile = profiles[wd] ?? [];
    const sum = profile.reduce((a, b) => a + b, 0);
    const share = sum > 0 ? (profile[slotOfDay(ctx, ms)] ?? 0) / sum : 1 / ctx.perDay;
    out.push(lastWeekMean * (factors[wd] ?? 1) * share);
  }
  return out;
}

type HoltWintersParams = { alpha: number; gamma: number; delta: number; omega: number };

type HoltWintersRun = {
  sse: number;
  level: number;
  trend: number;
  daily: number[];
  weekly: number[];
  residuals: number[];
};

const TREND_DAMPING = 0.98;
const MIN_SEASONAL = 0.05;
const MAX_SEASONAL = 50;

/**
 * Taylor's (2003) double-seasonal multiplicative Holt-Winters with a damped additive trend:
 *   L_t = α·y_t/(D_{t−m1}·W_{t−m2}) + (1−α)(L_{t−1} + φT_{t−1})
 *   T_t = γ(L_t − L_{t−1}) + (1−γ)φT_{t−1}
 *   D_t = δ·y_t/(L_t·W_{t−m2}) + (1−δ)D_{t−m1}
 *   W_t = ω·y_t/(L_t·D_{t−m1}) + (1−ω)W_{t−m2}
 * Contact-centre series have closed hours where D·W ≈ 0; dividing by them would blow the level up, so an
 * update is skipped when its divisor is below MIN_SEASONAL (the observation says nothing about that
 * component), and seasonal indices are clamped to [0, MAX_SEASONAL].
 */
function runHoltWinters(y: readonly number[], m1: number, m2: number, p: HoltWintersParams): HoltWintersRun {
  const firstWeek = y.slice(0, m2);
  let level = Math.max(mean(firstWeek), 1e-6);
  let trend = 0;
  const daily = new Array<number>(m1).fill(0);
  const dayCounts = new Array<number>(m1).fill(0);
  for (let d = 0; d < 7; d++) {
    const dayValues = y.slice(d * m1, (d + 1) * m1);
    const dayMean = mean(dayValues);
    if (dayMean <= 0) continue;
    dayValues.forEach((v, i) => {
      daily[i] = (daily[i] ?? 0) + v / dayMean;
      dayCounts[i] = (dayCounts[i] ?? 0) + 1;
    });
  }
  for (let i = 0; i < m1; i++) daily[i] = (dayCounts[i] ?? 0) > 0 ? (daily[i] ?? 0) / (dayCounts[i] ?? 1) : 1;
  const weekly = new Array<number>(m2).fill(1);
  for (let t = 0; t < m2; t++) {
    const d = daily[t % m1] ?? 1;
    const samples = [y[t], y[t + m2]].filter((v): v is number => v !== undefined);
    weekly[t] = d >= MIN_SEASONAL ? Math.min(MAX_SEASONAL, mean(samples) / (level * d)) : 1;
  }
  let sse = 0;
  const residuals: number[] = [];
  for (let t = 0; t < y.length; t++) {
    const yt = y[t] ?? 0;
    const di = t % m1;
    const wi = t % m2;
    const d = daily[di] ?? 1;
    const w = weekly[wi] ?? 1;
    const predicted = Math.max(0, (level + TREND_DAMPING * trend) * d * w);
    const error = yt - predicted;
    if (t >= m2) {
      sse += error * error;
      residuals.push(error);
    }
    const previousLevel = level;
    const seasonal = d * w;
    if (seasonal >= MIN_SEASONAL) {
      level = p.alpha * (yt / seasonal) + (1 - p.alpha) * (level + TREND_DAMPING * trend);
      level = Math.max(level, 1e-6);
      trend = p.gamma * (level - previousLevel) + (1 - p.gamma) * TREND_DAMPING * trend;
    } else {
      level = level + TREND_DAMPING * trend;
      trend *= TREND_DAMPING;
    }
    if (w >= MIN_SEASONAL) {
      daily[di] = Math.min(MAX_SEASONAL, Math.max(0, p.delta * (yt / (level * w)) + (1 - p.delta) * d));
    }
    if (d >= MIN_SEASONAL) {
      weekly[wi] = Math.min(MAX_SEASONAL, Math.max(0, p.omega * (yt / (level * d)) + (1 - p.omega) * w));
    }
  }
  return { sse, level, trend, daily, weekly, residuals };
}

const HW_GRID = {
  alpha: [0.01, 0.05, 0.15],
  gamma: [0, 0.01],
  delta: [0.05, 0.15, 0.3],
  omega: [0.05, 0.15, 0.3],
};

function holtWinters(ctx: Context, h: number): number[] {
  const y = ctx.cleaned;
  const n = y.length;
  // Needs two weeks to initialise the weekly indices and one more to judge the parameters.
  if (n < 3 * ctx.perWeek) return weekdayMean(ctx, h);
  let best: HoltWintersRun | null = null;
  for (const alpha of HW_GRID.alpha) {
    for (const gamma of HW_GRID.gamma) {
      for (const delta of HW_GRID.delta) {
        for (const omega of HW_GRID.omega) {
          const run = runHoltWinters(y, ctx.perDay, ctx.perWeek, { alpha, gamma, delta, omega });
          if (best === null || run.sse < best.sse) best = run;
        }
      }
    }
  }
  if (best === null) return weekdayMean(ctx, h);
  // Taylor's first-order autoregressive adjustment of the residuals, from the last two weeks.
  const recent = best.residuals.slice(-2 * ctx.perWeek);
  let num = 0;
  let den = 0;
  for (let i = 1; i < recent.length; i++) {
    num += (recent[i] ?? 0) * (recent[i - 1] ?? 0);
    den += (recent[i - 1] ?? 0) ** 2;
  }
  const phi = den > 0 ? Math.min(0.95, Math.max(0, num / den)) : 0;
  const lastError = recent[recent.length - 1] ?? 0;
  const out: number[] = [];
  let dampedTrend = 0;
  for (let k = 1; k <= h; k++) {
    dampedTrend += TREND_DAMPING ** k * best.trend;
    const t = n + k - 1;
    const value =
      (best.level + dampedTrend) * (best.daily[t % ctx.perDay] ?? 1) * (best.weekly[t % ctx.perWeek] ?? 1) +
      phi ** k * lastError;
    out.push(value);
  }
  return out;
}

type PromoShape = { factor: number; profile: number[] } | null;

/** Promotion days in the history with their own totals, profiles and baseline (cleaned) totals. */
function pastPromotionDays(ctx: Context) {
  const rawDays = completeDays(ctx, ctx.raw);
  const cleanedDays = completeDays(ctx, ctx.cleaned);
  return rawDays
    .map((d, i) => ({ ...d, baseline: cleanedDays[i]?.total ?? 0 }))
    .filter((d) => ctx.promoDays.has(d.day) && d.total > 0);
}

function profileOf(ctx: Context, firstIndex: number): number[] {
  return ctx.raw.slice(firstIndex, firstIndex + ctx.perDay);
}

/** Uplift factor = mean(promo day total / its baseline); profile = mean normalised promo-day profile. */
function learnPromotionUplift(ctx: Context): PromoShape {
  const days = pastPromotionDays(ctx).filter((d) => d.baseline > 0);
  if (days.length === 0) return null;
  const profile = new Array<number>(ctx.perDay).fill(0);
  for (const d of days) {
    profileOf(ctx, d.firstIndex).forEach((v, s) => {
      profile[s] = (profile[s] ?? 0) + v / d.total / days.length;
    });
  }
  return { factor: mean(days.map((d) => d.total / d.baseline)), profile };
}

/**
 * Applies a promotion-day total to base forecasts: for every promotion day touched by the horizon the base
 * day total (history values for its already-past intervals + base forecasts for the rest) is turned into a
 * promotion total by `totalFor` and spread with the promotion profile.
 */
function applyPromotions(
  ctx: Context,
  h: number,
  totalFor: (baseDayTotal: number) => number,
  profile: readonly number[],
  baseMethod: (ctx: Context, h: number) => number[] = weekdayMean,
): number[] {
  const n = ctx.cleaned.length;
  // Extend the base to whole days so a promotion day's base total is known even at the horizon's edge.
  const extended = h + ctx.perDay;
  const base = baseMethod(ctx, extended);
  const out = base.slice(0, h);
  const shares = distributeDailyTotal(1, profile);
  for (const day of ctx.promoDays) {
    const firstIndex = Math.round((day * DAY_MS - ctx.start) / ctx.step);
    if (firstIndex + ctx.perDay <= n || firstIndex >= n + h) continue;
    let baseTotal = 0;
    for (let i = firstIndex; i < firstIndex + ctx.perDay; i++) {
      baseTotal += i < n ? (ctx.cleaned[i] ?? 0) : (base[i - n] ?? 0);
    }
    const total = totalFor(baseTotal);
    for (let s = 0; s < ctx.perDay; s++) {
      const k = firstIndex + s - n;
      if (k >= 0 && k < h) out[k] = total * (shares[s] ?? 0);
    }
  }
  return out;
}

/** The seeds' promotion-day shape on the context's interval grid. */
const seedProfile = (ctx: Pick<Context, 'step'>) => intervalProfile(PROMOTION_HOURLY, ctx.step / MINUTE_MS);

/**
 * Promotion days over a base method: the learned uplift and profile of past promotion days, or —
 * without any — the seed formula (the base day × the seed ratio) over the seeds' peak shape, so a
 * planned promotion day is never forecast as an ordinary one.
 */
function withPromotions(ctx: Context, h: number, baseMethod: (ctx: Context, h: number) => number[]) {
  const shape = learnPromotionUplift(ctx);
  if (shape === null)
    return applyPromotions(ctx, h, (baseTotal) => baseTotal * ctx.seedRatio, seedProfile(ctx), baseMethod);
  return applyPromotions(ctx, h, (baseTotal) => baseTotal * shape.factor, shape.profile, baseMethod);
}

function promotionUplift(ctx: Context, h: number): number[] {
  return withPromotions(ctx, h, weekdayMean);
}

const REFERENCE_DAYS = 30;

/**
 * The seed formula applied to a series: promotion total = mean daily total of the last 30 ordinary days ×
 * (last promotion day's total / mean daily total of the 30 ordinary days before it); its profile is the
 * last promotion day's own profile. Ordinary days use weekday-mean.
 */
function promotionRatio(ctx: Context, h: number): number[] {
  const days = completeDays(ctx, ctx.raw);
  const ordinary = days.filter((d) => !ctx.promoDays.has(d.day));
  const past = pastPromotionDays(ctx);
  const referenceBefore = (day: number) =>
    mean(
      ordinary
        .filter((d) => d.day < day)
        .slice(-REFERENCE_DAYS)
        .map((d) => d.total),
    );
  const last = [...past].reverse().find((d) => referenceBefore(d.day) > 0);
  const currentReference = mean(ordinary.slice(-REFERENCE_DAYS).map((d) => d.total));
  if (currentReference <= 0) return weekdayMean(ctx, h);
  if (!last) return applyPromotions(ctx, h, () => currentReference * ctx.seedRatio, seedProfile(ctx));
  const ratio = last.total / referenceBefore(last.day);
  return applyPromotions(ctx, h, () => currentReference * ratio, profileOf(ctx, last.firstIndex));
}

const METHOD_IMPLEMENTATIONS: Record<ForecastMethod, (ctx: Context, h: number) => number[]> = {
  'seasonal-naive': seasonalNaive,
  'weekday-mean': weekdayMean,
  'daily-profile': dailyProfile,
  'holt-winters': holtWinters,
  'promotion-uplift': promotionUplift,
  'promotion-ratio': promotionRatio,
};

/**
 * Closed slots: (weekday, time) slots observed at least once on an ordinary day and never with volume.
 * Promotion days are exempt — a midnight sale opens hours that are normally closed.
 */
function closedSlots(ctx: Context): Set<number> {
  const seen = new Set<number>();
  const open = new Set<number>();
  for (let i = 0; i < ctx.raw.length; i++) {
    if (isPromo(ctx, i)) continue;
    const slot = slotOfWeek(ctx, timeAt(ctx, i));
    seen.add(slot);
    if ((ctx.raw[i] ?? 0) > 0) open.add(slot);
  }
  return new Set([...seen].filter((s) => !open.has(s)));
}

function finalise(ctx: Context, raw: readonly number[], closed: ReadonlySet<number>): number[] {
  const n = ctx.raw.length;
  return raw.map((v, k) => {
    const ms = timeAt(ctx, n + k);
    if (!ctx.promoDays.has(dayNumber(ms)) && closed.has(slotOfWeek(ctx, ms))) return 0;
    return Number.isFinite(v) && v > 0 ? v : 0;
  });
}

const PROMOTION_METHODS: readonly ForecastMethod[] = ['promotion-uplift', 'promotion-ratio'];

/** Does a planned promotion day start inside the next `h` intervals? */
function horizonHasPromotion(ctx: Context, h: number): boolean {
  const n = ctx.raw.length;
  for (const day of ctx.promoDays) {
    const firstIndex = Math.round((day * DAY_MS - ctx.start) / ctx.step);
    if (firstIndex + ctx.perDay > n && firstIndex < n + h) return true;
  }
  return false;
}

function runMethod(ctx: Context, method: ForecastMethod, h: number): number[] {
  return finalise(ctx, METHOD_IMPLEMENTATIONS[method](ctx, h), closedSlots(ctx));
}

/**
 * `auto` may pick an ordinary-day method (the backtest folds rarely hold a promotion day): the
 * planned promotion days of the horizon are then laid over it (see `withPromotions`), so `auto`
 * never forecasts a planned promotion day as an ordinary one.
 */
function runAutoMethod(ctx: Context, method: ForecastMethod, h: number): number[] {
  if (PROMOTION_METHODS.includes(method) || !horizonHasPromotion(ctx, h)) return runMethod(ctx, method, h);
  return finalise(ctx, withPromotions(ctx, h, METHOD_IMPLEMENTATIONS[method]), closedSlots(ctx));
}

function promotionBasisOf(
  ctx: Context,
  method: ForecastMethod,
  h: number,
  isAuto: boolean,
): PromotionBasis | null {
  if (!horizonHasPromotion(ctx, h)) return null;
  if (!isAuto && !PROMOTION_METHODS.includes(method)) return null;
  if (method === 'promotion-ratio') {
    const reference = seedReferenceOf(ctx);
    return reference.lastPromotion
      ? { basis: 'history', ratio: round2(reference.lastPromotion.ratio) }
      : { basis: 'seed', ratio: ctx.seedRatio };
  }
  const shape = learnPromotionUplift(ctx);
  return shape ? { basis: 'history', ratio: round2(shape.factor) } : { basis: 'seed', ratio: ctx.seedRatio };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** What the seed formula needs from a history (see `seedReference`). */
export type SeedReference = {
  /** Mean total of the last 30 complete ordinary days. */
  dailyAverage: number;
  /** The last past promotion day with ordinary days before it, and its ratio to their average. */
  lastPromotion: { date: string; total: number; ratio: number } | null;
  /** Mean share per interval of the last 30 ordinary days (sums to 1), or null when there are none. */
  ordinaryProfile: number[] | null;
  /** That promotion day's own shares per interval. */
  promotionProfile: number[] | null;
};

function seedReferenceOf(ctx: Context): SeedReference {
  const days = completeDays(ctx, ctx.raw);
  const ordinary = days.filter((d) => !ctx.promoDays.has(d.day));
  const recent = ordinary.slice(-REFERENCE_DAYS);
  const dailyAverage = mean(recent.map((d) => d.total));
  let ordinaryProfile: number[] | null = null;
  if (dailyAverage > 0) {
    ordinaryProfile = new Array<number>(ctx.perDay).fill(0);
    const sum = recent.reduce((a, d) => a + d.total, 0);
    for (const d of recent)
      profileOf(ctx, d.firstIndex).forEach((v, i) => {
        ordinaryProfile![i] = (ordinaryProfile![i] ?? 0) + v / sum;
      });
  }
  const before = (day: number) =>
    mean(
      ordinary
        .filter((d) => d.day < day)
        .slice(-REFERENCE_DAYS)
        .map((d) => d.total),
    );
  const last = [...pastPromotionDays(ctx)].reverse().find((d) => before(d.day) > 0);
  return {
    dailyAverage,
    lastPromotion: last
      ? {
          date: new Date(last.day * DAY_MS).toISOString().slice(0, 10),
          total: last.total,
          ratio: last.total / before(last.day),
        }
      : null,
    ordinaryProfile,
    promotionProfile: last ? distributeDailyTotal(1, profileOf(ctx, last.firstIndex)) : null,
  };
}

/** The seed formula's inputs read from a history: its recent daily average and last promotion day. */
export function seedReference(
  history: IntervalSeries,
  options: { promotionDates?: readonly string[] },
): SeedReference {
  return seedReferenceOf(buildContext(history, { ...options, horizonIntervals: 1 }));
}

/**
 * The seed formula without a time series (no history, or a plan too far past the history's end for
 * the series methods): a promotion day = `dailyAverage × ratio` over the promotion profile (the
 * seeds' peak shape unless given), an ordinary day = `dailyAverage` over the ordinary profile.
 * Returns one value per interval of `dates` (consecutive days).
 */
export function forecastFromSeed(input: {
  intervalMinutes: number;
  dates: readonly string[];
  promotionDates: readonly string[];
  dailyAverage: number;
  ratio: number;
  ordinaryProfile?: readonly number[] | null;
  promotionProfile?: readonly number[] | null;
}): number[] {
  assertIntervalMinutes(input.intervalMinutes);
  for (const field of ['dailyAverage', 'ratio'] as const) {
    const v = input[field];
    if (!Number.isFinite(v) || v <= 0)
      throw new WorkforceInputError(`field "${field}": ${v} must be a positive number`, { field });
  }
  const promotion = new Set(input.promotionDates);
  const ordinary = input.ordinaryProfile ?? intervalProfile(ORDINARY_HOURLY, input.intervalMinutes);
  const promo = input.promotionProfile ?? intervalProfile(PROMOTION_HOURLY, input.intervalMinutes);
  return input.dates.flatMap((date) =>
    promotion.has(date)
      ? distributeDailyTotal(input.dailyAverage * input.ratio, promo)
      : distributeDailyTotal(input.dailyAverage, ordinary),
  );
}

function assertHorizon(h: number): void {
  if (!Number.isInteger(h) || h <= 0) {
    throw new WorkforceInputError(`field "horizonIntervals": ${h} must be a positive whole number`, {
      field: 'horizonIntervals',
    });
  }
}

export type BacktestOptions = {
  horizonIntervals: number;
  folds?: number;
  methods?: readonly ForecastMethod[];
  promotionDates?: readonly string[];
  weeks?: number;
};

/**
 * Rolling-origin backtest: origins at n − f·H (f = folds … 1, H = min(horizon, one week)); each method is
 * fitted on the data before the origin and scored on the next H intervals. Origins leaving less than two
 * weeks of training data are skipped. Planned promotion dates are known in advance, so they are passed on.
 */
export function backtestForecast(history: IntervalSeries, options: BacktestOptions): BacktestScore[] {
  assertHorizon(options.horizonIntervals);
  const ctx = buildContext(history, options);
  const n = ctx.raw.length;
  const foldLength = Math.min(options.horizonIntervals, ctx.perWeek);
  const folds = options.folds ?? 4;
  const origins: number[] = [];
  for (let f = folds; f >= 1; f--) {
    const origin = n - f * foldLength;
    if (origin >= 2 * ctx.perWeek) origins.push(origin);
  }
  return (options.methods ?? FORECAST_METHODS).map((method) => {
    let absError = 0;
    let actualSum = 0;
    let apeSum = 0;
    let apeCount = 0;
    let intervals = 0;
    for (const origin of origins) {
      const fold = sliceContext(ctx, origin);
      const forecast = runMethod(fold, method, foldLength);
      for (let k = 0; k < foldLength; k++) {
        const actual = ctx.raw[origin + k] ?? 0;
        const error = Math.abs(actual - (forecast[k] ?? 0));
        absError += error;
        actualSum += actual;
        intervals++;
        if (actual > 0) {
          apeSum += error / actual;
          apeCount++;
        }
      }
    }
    return {
      method,
      mape: apeCount > 0 ? (100 * apeSum) / apeCount : null,
      wape: actualSum > 0 ? (100 * absError) / actualSum : null,
      folds: origins.length,
      intervals,
    };
  });
}

/** Picks the method with the lowest backtest WAPE (ties keep the earlier, simpler method). */
export function chooseForecastMethod(scores: readonly BacktestScore[]): ForecastMethod | null {
  let best: BacktestScore | null = null;
  for (const score of scores) {
    if (score.wape === null) continue;
    if (best === null || best.wape === null || score.wape < best.wape - 1e-9) best = score;
  }
  return best?.method ?? null;
}

/**
 * Forecasts `horizonIntervals` intervals right after the history. Forecasts are never negative and
 * closed slots (never any volume at that weekday and time on an ordinary day) are exactly 0.
 */
export function forecastSeries(history: IntervalSeries, options: ForecastOptions): ForecastResult {
  assertHorizon(options.horizonIntervals);
  const ctx = buildContext(history, options);
  const requested = options.method ?? 'auto';
  let method: ForecastMethod;
  let backtest: BacktestScore[] = [];
  if (requested === 'auto') {
    backtest = backtestForecast(history, {
      horizonIntervals: options.horizonIntervals,
      folds: options.backtestFolds ?? 4,
      promotionDates: options.promotionDates ?? [],
      weeks: ctx.weeks,
    });
    // Too little history to backtest: the mean of same weekdays is the most robust default.
    method = chooseForecastMethod(backtest) ?? 'weekday-mean';
  } else if (FORECAST_METHODS.includes(requested)) {
    method = requested;
  } else {
    throw new WorkforceInputError(
      `field "method": "${String(requested)}" is not one of auto, ${FORECAST_METHODS.join(', ')}`,
      { field: 'method' },
    );
  }
  return {
    method,
    start: timeAt(ctx, ctx.raw.length),
    intervalMinutes: history.intervalMinutes,
    values:
      requested === 'auto'
        ? runAutoMethod(ctx, method, options.horizonIntervals)
        : runMethod(ctx, method, options.horizonIntervals),
    backtest,
    promotion: promotionBasisOf(ctx, method, options.horizonIntervals, requested === 'auto'),
  };
}
