import { z } from 'zod';
import { ZId } from './common.ts';

// ---- workforce: volume history, plans (forecast → staffing → schedule → roster), intraday ----

const ZDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const ZClock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day HH:MM');
/** ISO 8601 with the plan's UTC offset, e.g. `2025-11-11T08:30:00+08:00`. */
const ZIsoTime = z.string();

export const ZIntervalMinutes = z.union([z.literal(15), z.literal(30), z.literal(60)]);
export const WORKFORCE_FORECAST_METHODS = [
  'auto',
  'seasonal-naive',
  'weekday-mean',
  'daily-profile',
  'holt-winters',
  'promotion-uplift',
  'promotion-ratio',
] as const;
export const ZForecastMethodSetting = z.enum(WORKFORCE_FORECAST_METHODS);
export const ZStaffingModel = z.enum(['simple', 'erlang-c', 'erlang-a']);

// History: imported files or PeakDesk's own `conversation.created` facts.
export const ZVolumeHistory = z.object({
  id: ZId,
  name: z.string(),
  storeId: ZId.nullable(),
  groupId: ZId.nullable(),
  fileName: z.string(),
  /** UTC offset of the file's timestamps in minutes; null when they carried none (local wall clock). */
  offsetMinutes: z.number().int().nullable(),
  pointCount: z.number().int(),
  totalCount: z.number(),
  firstAt: ZIsoTime,
  lastAt: ZIsoTime,
  createdAt: z.string(),
});
export type TVolumeHistory = z.infer<typeof ZVolumeHistory>;

export const ZHistoryImportQuery = z.object({
  format: z.enum(['csv', 'xlsx']).default('csv'),
  filename: z.string().trim().min(1).max(200).optional(),
  name: z.string().trim().min(1).max(100).optional(),
  storeId: ZId.optional(),
  groupId: ZId.optional(),
});

export const ZFactsVolumeQuery = z.object({
  storeId: ZId.optional(),
  groupId: ZId.optional(),
  intervalMinutes: z.coerce.number().pipe(ZIntervalMinutes).default(30),
  days: z.coerce.number().int().min(1).max(180).default(28),
  utcOffsetMinutes: z.coerce.number().int().min(-720).max(840).default(480),
});
export const ZVolumePoint = z.object({ start: ZIsoTime, count: z.number() });
export const ZVolumeSeries = z.object({
  intervalMinutes: z.number().int(),
  points: z.array(ZVolumePoint),
});
export type TVolumeSeries = z.infer<typeof ZVolumeSeries>;

// Plan settings.
export const ZBreakRuleSetting = z.object({
  lengthMinutes: z.number().int().positive(),
  earliestAfterStartMinutes: z.number().int().min(0),
  latestAfterStartMinutes: z.number().int().min(0),
});
export const ZShiftTypeSetting = z.object({
  name: z.string().trim().min(1).max(40),
  lengthMinutes: z
    .number()
    .int()
    .positive()
    .max(24 * 60),
  startEarliest: ZClock,
  startLatest: ZClock,
  startStepMinutes: z.number().int().positive(),
  breaks: z.array(ZBreakRuleSetting).max(4).default([]),
  cost: z.number().positive(),
  maxCount: z.number().int().min(0).optional(),
  isPartTime: z.boolean().default(false),
});
export type TShiftTypeSetting = z.infer<typeof ZShiftTypeSetting>;

/** A peak of the promotion-day view, shaded on its charts; `end` may be 24:00 (it must follow `start`). */
export const ZPeakWindow = z.object({
  start: ZClock,
  end: z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be a time of day HH:MM or 24:00'),
});

export const ZPlanSettings = z.object({
  intervalMinutes: ZIntervalMinutes.default(30),
  /** The merchant's clock: every time in the plan is local time at this offset (China: +480). */
  utcOffsetMinutes: z.number().int().min(-720).max(840).default(480),
  /** The days planned (merchant's calendar), in order, at most two weeks. */
  dates: z.array(ZDate).min(1).max(14),
  history: z.discriminatedUnion('source', [
    z.object({ source: z.literal('facts'), weeks: z.number().int().min(1).max(26).default(8) }),
    z.object({ source: z.literal('import'), historyId: ZId }),
    /**
     * No history: the seed formula alone — a promotion day = this reference daily average (e.g. last
     * October's) × `forecast.seedRatio`, over the seeds' peak shape.
     */
    z.object({ source: z.literal('seed'), dailyAverage: z.number().positive().max(10_000_000) }),
  ]),
  forecast: z.object({
    method: ZForecastMethodSetting.default('auto'),
    /** Past and planned promotion days (YYYY-MM-DD) the promotion-aware methods learn from and apply. */
    promotionDates: z.array(ZDate).max(50).default([]),
    /** Planner's judgement on top of the method (e.g. 1.2 for a bigger campaign than last year). */
    upliftFactor: z.number().positive().max(20).default(1),
    /**
     * The seed formula's ratio, last Double 11 ÷ last October's daily average: used when the history
     * has no past promotion day, when the plan is far past its end, and for `history.source = seed`.
     */
    seedRatio: z.number().positive().max(100).default(3),
  }),
  staffing: z.object({
    model: ZStaffingModel.default('erlang-c'),
    ahtSeconds: z.number().positive().max(36_000).default(300),
    targetSeconds: z.number().positive().max(3600).default(30),
    serviceLevel: z.number().gt(0).lt(1).default(0.8),
    patienceSeconds: z.number().positive().max(36_000).optional(),
    concurrency: z.number().int().min(1).max(20).default(3),
    maxOccupancy: z.number().gt(0).max(1).default(0.85),
    shrinkage: z.number().min(0).lt(1).default(0.2),
    capacityPerAgentHour: z.number().positive().max(10_000).default(360),
  }),
  shifts: z.object({
    shiftTypes: z.array(ZShiftTypeSetting).min(1).max(12),
    maxPartTimeShare: z.number().min(0).max(1).optional(),
    maxShiftsPerDay: z.number().int().positive().optional(),
  }),
  peakWindows: z.array(ZPeakWindow).max(12).default([]),
  roster: z
    .object({
      minRestMinutes: z
        .number()
        .int()
        .min(0)
        .max(24 * 60)
        .default(660),
      maxConsecutiveDays: z.number().int().min(1).max(14).default(6),
      /** Optional caps per agent over the plan's days. */
      maxShiftsPerAgent: z.number().int().min(0).max(366).optional(),
      maxHoursPerAgent: z
        .number()
        .min(0)
        .max(24 * 366)
        .optional(),
    })
    .default({ minRestMinutes: 660, maxConsecutiveDays: 6 }),
  solver: z
    .object({
      /** Bounds the HTTP request: HiGHS stops here and the best plan found is kept (status, gap). */
      timeLimitSeconds: z.number().min(1).max(120).default(10),
      mipRelGap: z.number().min(0).max(0.5).default(0.01),
    })
    .default({ timeLimitSeconds: 10, mipRelGap: 0.01 }),
});
export type TPlanSettings = z.infer<typeof ZPlanSettings>;
export type TPlanSettingsInput = z.input<typeof ZPlanSettings>;

export const ZCreatePlanRequest = z.object({
  name: z.string().trim().min(1).max(100),
  storeId: ZId.nullable().default(null),
  groupId: ZId.nullable().default(null),
  settings: ZPlanSettings,
});
export type TCreatePlanRequest = z.input<typeof ZCreatePlanRequest>;

export const ZSavePlanVersionRequest = z.object({
  settings: ZPlanSettings,
  note: z.string().trim().max(500).default(''),
});
export type TSavePlanVersionRequest = z.input<typeof ZSavePlanVersionRequest>;

// Computed plan content.
export const ZPlanInterval = z.object({
  start: ZIsoTime,
  forecast: z.number(),
  agents: z.number().int(),
  /** Required scheduled positions (agents ÷ (1 − shrinkage)): what the schedule must cover. */
  required: z.number().int(),
  scheduled: z.number().int(),
  serviceLevel: z.number().nullable(),
  asa: z.number().nullable(),
  occupancy: z.number().nullable(),
});
export type TPlanInterval = z.infer<typeof ZPlanInterval>;

export const ZPlanShift = z.object({
  type: z.string(),
  start: ZIsoTime,
  end: ZIsoTime,
  breaks: z.array(z.object({ start: ZIsoTime, end: ZIsoTime })),
  count: z.number().int(),
});
export const ZRosterAssignment = z.object({
  userId: ZId,
  name: z.string(),
  type: z.string(),
  start: ZIsoTime,
  end: ZIsoTime,
});
export type TRosterAssignment = z.infer<typeof ZRosterAssignment>;

/**
 * Where the rostered staff fall short of the requirement, for the reserve team: consecutive short
 * intervals merged into windows; `people` = the largest shortfall (in a window, or anywhere).
 */
export const ZRosterGap = z.object({
  people: z.number().int(),
  windows: z.array(
    z.object({ start: ZIsoTime, end: ZIsoTime, people: z.number().int(), staffHours: z.number() }),
  ),
});
export type TRosterGap = z.infer<typeof ZRosterGap>;

/**
 * `time-limit-heuristic`: the solver's time ran out before it beat the greedy starting plan, which is
 * what the version holds. `no-solution` is no longer produced (there is always the greedy plan); kept so
 * versions stored before remain readable.
 */
export const ZScheduleStatus = z.enum([
  'optimal',
  'time-limit',
  'understaffed',
  'time-limit-heuristic',
  'no-solution',
]);
export const ZPlanSchedule = z.object({
  status: ZScheduleStatus,
  message: z.string(),
  cost: z.number(),
  gap: z.number().nullable(),
  shortfall: z.number(),
  solveSeconds: z.number(),
  shifts: z.array(ZPlanShift),
});
export const ZPlanBacktest = z.object({
  method: z.string(),
  mape: z.number().nullable(),
  wape: z.number().nullable(),
});

export const ZPlanVersionSummary = z.object({
  version: z.number().int(),
  note: z.string(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  forecastTotal: z.number(),
  peakRequired: z.number().int(),
  scheduleStatus: ZScheduleStatus,
  cost: z.number(),
  shiftCount: z.number().int(),
});
export type TPlanVersionSummary = z.infer<typeof ZPlanVersionSummary>;

/**
 * Where the forecast came from, for the note on the plan page: the series methods over a history
 * (`series`), the seed formula with no history (`seed`), or the seed formula because the plan is
 * more than `maxSeriesDays` after the history's end (`far-ahead`). `promotion` says how the planned
 * promotion days were made: learned from past ones (`history`) or by the seed ratio (`seed`).
 */
export const ZForecastBasis = z.object({
  kind: z.enum(['series', 'seed', 'far-ahead']),
  promotion: z.enum(['history', 'seed']).nullable(),
  ratio: z.number().nullable(),
  dailyAverage: z.number().nullable(),
  daysAfterHistory: z.number().int().nullable(),
  maxSeriesDays: z.number().int(),
});
export type TForecastBasis = z.infer<typeof ZForecastBasis>;

export const ZPlanVersion = ZPlanVersionSummary.extend({
  planId: ZId,
  settings: ZPlanSettings,
  forecastMethod: z.string(),
  /** Null on versions computed before the basis was recorded. */
  forecastBasis: ZForecastBasis.nullable().default(null),
  backtest: z.array(ZPlanBacktest),
  intervals: z.array(ZPlanInterval),
  schedule: ZPlanSchedule,
  roster: z.object({
    assignments: z.array(ZRosterAssignment),
    unassigned: z.array(z.object({ type: z.string(), start: ZIsoTime, end: ZIsoTime })),
    /** Versions stored before the gap was recorded read as no gap. */
    gap: ZRosterGap.default({ people: 0, windows: [] }),
  }),
});
export type TPlanVersion = z.infer<typeof ZPlanVersion>;

export const ZPlan = z.object({
  id: ZId,
  name: z.string(),
  storeId: ZId.nullable(),
  groupId: ZId.nullable(),
  dates: z.array(z.string()),
  latestVersion: z.number().int(),
  publishedVersion: z.number().int().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TPlan = z.infer<typeof ZPlan>;

export const ZPlanDetail = ZPlan.extend({ versions: z.array(ZPlanVersionSummary) });
export type TPlanDetail = z.infer<typeof ZPlanDetail>;

export const ZPlanComparison = z.object({
  a: ZPlanVersionSummary,
  b: ZPlanVersionSummary,
  intervals: z.array(
    z.object({
      start: ZIsoTime,
      forecastA: z.number().nullable(),
      forecastB: z.number().nullable(),
      requiredA: z.number().int().nullable(),
      requiredB: z.number().int().nullable(),
      scheduledA: z.number().int().nullable(),
      scheduledB: z.number().int().nullable(),
    }),
  ),
});
export type TPlanComparison = z.infer<typeof ZPlanComparison>;

// Agents' own shifts.
export const ZMyShift = z.object({
  planId: ZId,
  planName: z.string(),
  version: z.number().int(),
  type: z.string(),
  start: ZIsoTime,
  end: ZIsoTime,
});
export type TMyShift = z.infer<typeof ZMyShift>;
export const ZMyShiftsQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

// Intraday.
export const ZIntradayQuery = z.object({
  date: ZDate.optional(),
  version: z.coerce.number().int().positive().optional(),
  /** "As of" instant (default now): replays a past day, and makes tests deterministic. */
  at: z.iso.datetime({ offset: true }).optional(),
});
export const ZIntradayInterval = z.object({
  start: ZIsoTime,
  forecast: z.number(),
  actual: z.number().nullable(),
  reforecast: z.number(),
  required: z.number().int(),
  requiredReforecast: z.number().int(),
  scheduled: z.number().int(),
  shortfall: z.number().int(),
  isPast: z.boolean(),
  isCurrent: z.boolean(),
});
export type TIntradayInterval = z.infer<typeof ZIntradayInterval>;
export const ZIntradayView = z.object({
  planId: ZId,
  version: z.number().int(),
  date: ZDate,
  asOf: ZIsoTime,
  /** Σ actual ÷ Σ forecast over the day's elapsed intervals (1 before any elapsed). */
  ratio: z.number(),
  signedInAgents: z.number().int(),
  intervals: z.array(ZIntradayInterval),
  alert: z
    .object({
      level: z.enum(['warning', 'critical']),
      reserveAgents: z.number().int(),
      intervals: z.array(z.object({ start: ZIsoTime, shortfall: z.number().int() })),
      message: z.string(),
    })
    .nullable(),
});
export type TIntradayView = z.infer<typeof ZIntradayView>;

export const ZPromotionDayTemplate = z.object({ name: z.string(), settings: ZPlanSettings });
export type TPromotionDayTemplate = z.infer<typeof ZPromotionDayTemplate>;
