import type {
  TForecastBasis,
  TPlanInterval,
  TPlanSettings,
  TRosterAssignment,
  TRosterGap,
} from '@peakdesk/contracts';
import {
  buildRoster,
  computeStaffingPlan,
  forecastFromSeed,
  forecastSeries,
  formatIsoTimestamp,
  type IntervalSeries,
  type ScheduleResult,
  type ShiftDefinitions,
  type StaffingRequest,
  seedReference,
  solveSchedule,
  validateShiftDefinitions,
  WorkforceInputError,
} from '@peakdesk/workforce';
import { DomainError } from '../../http/domain-error.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/**
 * The series methods forecast at most this far past the end of the history; a plan further ahead
 * is forecast by the seed formula from the history's reference daily average (and its last promotion
 * day's ratio, when it has one), with a note on its accuracy.
 */
const MAX_HORIZON_DAYS = 120;

/** Wall-clock ms of a date's midnight (the engine's convention: local time encoded as UTC). */
export const dayStartWall = (date: string) => Date.parse(`${date}T00:00:00Z`);
export const dateOfWall = (wallMs: number) => new Date(wallMs).toISOString().slice(0, 10);
export const wallToInstant = (wallMs: number, offsetMinutes: number) =>
  new Date(wallMs - offsetMinutes * MINUTE_MS);
export const instantToWall = (instant: Date, offsetMinutes: number) =>
  instant.getTime() + offsetMinutes * MINUTE_MS;

export const invalidSettings = (field: string, detail: string) =>
  new DomainError('invalid_input', 'invalid_plan_settings', `${field}: ${detail}`, field);

/**
 * Runs an engine step; its input errors become validation errors naming the settings field, in the
 * request-validation notation (`settings.shifts.shiftTypes.1.breaks.0.lengthMinutes`, not the engine's
 * `shiftTypes[1]…`), so a client puts every error next to its field the same way.
 */
async function engineStep<T>(prefix: string, step: () => T | Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof WorkforceInputError) {
      const engineField = error.location.field;
      if (!engineField) {
        throw new DomainError(
          'invalid_input',
          'invalid_plan_settings',
          `${prefix}: ${error.message}`,
          prefix,
        );
      }
      const field = `${prefix}.${engineField.replace(/\[(\d+)\]/g, '.$1')}`;
      const detail = error.message.replace(`field "${engineField}": `, '');
      throw new DomainError('invalid_input', 'invalid_plan_settings', `${field}: ${detail}`, field);
    }
    throw error;
  }
}

export type BuiltPlan = {
  forecastMethod: string;
  forecastBasis: TForecastBasis;
  backtest: { method: string; mape: number | null; wape: number | null }[];
  intervals: TPlanInterval[];
  schedule: {
    status: ScheduleResult['status'];
    message: string;
    cost: number;
    gap: number | null;
    shortfall: number;
    solveSeconds: number;
    shifts: {
      type: string;
      start: string;
      end: string;
      breaks: { start: string; end: string }[];
      count: number;
    }[];
  };
  roster: {
    assignments: TRosterAssignment[];
    unassigned: { type: string; start: string; end: string }[];
    gap: TRosterGap;
  };
  /** Roster rows with instants, for the assignments table. */
  assignmentRows: { userId: string; shiftType: string; startAt: Date; endAt: Date }[];
};

export type RosterCandidate = { userId: string; name: string };

/** Peak windows (shading of the promotion-day view): each ends after it starts. */
function checkPeakWindows(windows: TPlanSettings['peakWindows']): void {
  windows.forEach((w, i) => {
    if (w.end <= w.start)
      throw invalidSettings(`settings.peakWindows.${i}.end`, `${w.end} is not after the start ${w.start}`);
  });
}

/** The plan's shift settings as the engine takes them (part-time is a flag per type in the settings). */
function shiftDefinitions(settings: TPlanSettings): ShiftDefinitions {
  const partTime = settings.shifts.shiftTypes.filter((t) => t.isPartTime).map((t) => t.name);
  return {
    intervalMinutes: settings.intervalMinutes,
    shiftTypes: settings.shifts.shiftTypes.map(({ isPartTime: _, ...type }) => type),
    ...(settings.shifts.maxPartTimeShare !== undefined
      ? { maxPartTimeShare: settings.shifts.maxPartTimeShare, partTimeTypes: partTime }
      : {}),
    ...(settings.shifts.maxShiftsPerDay !== undefined
      ? { maxShiftsPerDay: settings.shifts.maxShiftsPerDay }
      : {}),
  };
}

export function checkDates(dates: readonly string[]): void {
  dates.forEach((date, i) => {
    if (Number.isNaN(dayStartWall(date)))
      throw invalidSettings(`settings.dates.${i}`, `${date} is not a date`);
    if (i > 0 && dayStartWall(date) - dayStartWall(dates[i - 1] ?? date) !== DAY_MS)
      throw invalidSettings(`settings.dates.${i}`, 'dates must be consecutive days in order');
  });
}

/** Staffing settings as the engine takes them (patience only for Erlang A). */
export function staffingRequest(settings: TPlanSettings): Omit<StaffingRequest, 'volume'> {
  const s = settings.staffing;
  return {
    model: s.model,
    intervalMinutes: settings.intervalMinutes,
    ahtSeconds: s.ahtSeconds,
    serviceLevel: s.serviceLevel,
    targetSeconds: s.targetSeconds,
    ...(s.model === 'erlang-a' && s.patienceSeconds !== undefined
      ? { patienceSeconds: s.patienceSeconds }
      : {}),
    concurrency: s.concurrency,
    maxOccupancy: s.maxOccupancy,
    shrinkage: s.shrinkage,
    capacityPerAgentHour: s.capacityPerAgentHour,
  };
}

/** Solves with the settings' time limit and never lets the request outlive it by more than a margin. */
async function solveBounded(request: Parameters<typeof solveSchedule>[0], limitSeconds: number) {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new DomainError(
            'unavailable',
            'solver_timeout',
            `the shift solver did not finish within ${limitSeconds} s; try a larger settings.solver.timeLimitSeconds or fewer shift start times`,
          ),
        ),
      (limitSeconds + 10) * 1000,
    );
  });
  try {
    return await Promise.race([solveSchedule(request), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * forecast → staffing → schedule → roster for the plan's days. `history` is on the plan's interval grid
 * and the plan's wall clock; the forecast runs from the end of the history through the last plan day.
 */
/** The plan days' forecast: series methods, or the seed formula (no history, or too far ahead). */
async function forecastPlanDays(
  settings: TPlanSettings,
  history: IntervalSeries | null,
): Promise<{
  method: string;
  basis: TForecastBasis;
  backtest: BuiltPlan['backtest'];
  volumes: number[];
}> {
  const offset = settings.utcOffsetMinutes;
  const step = settings.intervalMinutes * MINUTE_MS;
  const perDay = DAY_MS / step;
  const firstDay = dayStartWall(settings.dates[0] ?? '');
  const { promotionDates, seedRatio } = settings.forecast;
  const seed = (input: {
    dailyAverage: number;
    ratio: number;
    ordinaryProfile?: number[] | null;
    promotionProfile?: number[] | null;
  }) =>
    engineStep('settings.history', () =>
      forecastFromSeed({
        intervalMinutes: settings.intervalMinutes,
        dates: settings.dates,
        promotionDates,
        ...input,
      }),
    );
  const hasPromotionDay = settings.dates.some((d) => promotionDates.includes(d));
  if (history === null) {
    const dailyAverage = settings.history.source === 'seed' ? settings.history.dailyAverage : 0;
    return {
      method: 'seed-formula',
      basis: {
        kind: 'seed',
        promotion: hasPromotionDay ? 'seed' : null,
        ratio: seedRatio,
        dailyAverage,
        daysAfterHistory: null,
        maxSeriesDays: MAX_HORIZON_DAYS,
      },
      backtest: [],
      volumes: await seed({ dailyAverage, ratio: seedRatio }),
    };
  }
  const historyEnd = history.start + history.values.length * step;
  if (firstDay < historyEnd) {
    throw invalidSettings(
      'settings.dates',
      `the first plan day must not start before the history ends (${formatIsoTimestamp(historyEnd, offset)})`,
    );
  }
  const planEnd = firstDay + settings.dates.length * DAY_MS;
  const horizon = Math.round((planEnd - historyEnd) / step);
  if (horizon > (MAX_HORIZON_DAYS * DAY_MS) / step) {
    const reference = await engineStep('settings.forecast', () => seedReference(history, { promotionDates }));
    if (!(reference.dailyAverage > 0))
      throw invalidSettings(
        'settings.history',
        'the history has no complete ordinary day to take a daily average from',
      );
    const ratio = reference.lastPromotion?.ratio ?? seedRatio;
    return {
      method: 'seed-formula',
      basis: {
        kind: 'far-ahead',
        promotion: hasPromotionDay ? (reference.lastPromotion ? 'history' : 'seed') : null,
        ratio: Math.round(ratio * 100) / 100,
        dailyAverage: Math.round(reference.dailyAverage * 10) / 10,
        daysAfterHistory: Math.floor((firstDay - historyEnd) / DAY_MS),
        maxSeriesDays: MAX_HORIZON_DAYS,
      },
      backtest: [],
      volumes: await seed({
        dailyAverage: reference.dailyAverage,
        ratio,
        ordinaryProfile: reference.ordinaryProfile,
        promotionProfile: reference.promotionProfile,
      }),
    };
  }
  const forecast = await engineStep('settings.forecast', () =>
    forecastSeries(history, {
      horizonIntervals: horizon,
      method: settings.forecast.method,
      promotionDates,
      seedRatio,
    }),
  );
  const skip = Math.round((firstDay - forecast.start) / step);
  return {
    method: forecast.method,
    basis: {
      kind: 'series',
      promotion: forecast.promotion?.basis ?? null,
      ratio: forecast.promotion?.ratio ?? null,
      dailyAverage: null,
      daysAfterHistory: Math.floor((firstDay - historyEnd) / DAY_MS),
      maxSeriesDays: MAX_HORIZON_DAYS,
    },
    backtest: forecast.backtest.map((b) => ({ method: b.method, mape: b.mape, wape: b.wape })),
    volumes: Array.from({ length: settings.dates.length * perDay }, (_, i) => forecast.values[skip + i] ?? 0),
  };
}

export async function buildPlan(
  settings: TPlanSettings,
  history: IntervalSeries | null,
  agents: readonly RosterCandidate[],
): Promise<BuiltPlan> {
  checkDates(settings.dates);
  checkPeakWindows(settings.peakWindows);
  // Shift types are checked before the forecast runs, so a bad break window answers at once.
  const definitions = await engineStep('settings.shifts', () =>
    validateShiftDefinitions(shiftDefinitions(settings)),
  );
  const offset = settings.utcOffsetMinutes;
  const step = settings.intervalMinutes * MINUTE_MS;
  const perDay = DAY_MS / step;
  const firstDay = dayStartWall(settings.dates[0] ?? '');
  const forecast = await forecastPlanDays(settings, history);
  const starts: number[] = [];
  const volumes: number[] = [];
  for (let i = 0; i < settings.dates.length * perDay; i++) {
    starts.push(firstDay + i * step);
    volumes.push((forecast.volumes[i] ?? 0) * settings.forecast.upliftFactor);
  }

  const staffing = await engineStep('settings.staffing', () =>
    computeStaffingPlan(volumes, staffingRequest(settings)),
  );

  const requirements = starts.map((start, i) => ({ start, required: staffing[i]?.positions ?? 0 }));
  const result = await engineStep('settings.shifts', () =>
    solveBounded(
      {
        requirements,
        definitions,
        timeLimitSeconds: settings.solver.timeLimitSeconds,
        mipRelGap: settings.solver.mipRelGap,
      },
      settings.solver.timeLimitSeconds,
    ),
  );
  const scheduled = new Map(result.coverage.map((c) => [c.start, c.scheduled]));

  const roster = await engineStep('settings.roster', () =>
    buildRoster(
      result.shifts,
      agents.map((a) => ({ name: a.userId })),
      {
        minRestMinutes: settings.roster.minRestMinutes,
        maxConsecutiveDays: settings.roster.maxConsecutiveDays,
        ...(settings.roster.maxShiftsPerAgent !== undefined
          ? { maxShiftsPerAgent: settings.roster.maxShiftsPerAgent }
          : {}),
        ...(settings.roster.maxHoursPerAgent !== undefined
          ? { maxMinutesPerAgent: Math.round(settings.roster.maxHoursPerAgent * 60) }
          : {}),
        // The shifts that matter most are filled first: the requirement's most under-covered
        // intervals, the plan's peak windows before the rest; what stays short is the gap.
        requirements,
        intervalMinutes: settings.intervalMinutes,
        peakWindows: settings.peakWindows,
      },
    ),
  );
  const names = new Map(agents.map((a) => [a.userId, a.name]));
  const iso = (wallMs: number) => formatIsoTimestamp(wallMs, offset);

  return {
    forecastMethod: forecast.method,
    forecastBasis: forecast.basis,
    backtest: forecast.backtest,
    intervals: starts.map((start, i) => {
      const s = staffing[i];
      return {
        start: iso(start),
        forecast: Math.round((volumes[i] ?? 0) * 100) / 100,
        agents: s?.agents ?? 0,
        required: s?.positions ?? 0,
        scheduled: scheduled.get(start) ?? 0,
        serviceLevel: s?.serviceLevel ?? null,
        asa: s?.asa ?? null,
        occupancy: s?.occupancy ?? null,
      };
    }),
    schedule: {
      status: result.status,
      message: result.message,
      cost: result.cost,
      gap: result.gap,
      shortfall: result.shortfall,
      solveSeconds: result.solveSeconds,
      shifts: result.shifts.map((s) => ({
        type: s.type,
        start: iso(s.start),
        end: iso(s.end),
        breaks: s.breaks.map((b) => ({ start: iso(b.start), end: iso(b.end) })),
        count: s.count,
      })),
    },
    roster: {
      assignments: roster.assignments.map((a) => ({
        userId: a.agent,
        name: names.get(a.agent) ?? a.agent,
        type: a.type,
        start: iso(a.start),
        end: iso(a.end),
      })),
      unassigned: roster.unassigned.map((u) => ({ type: u.type, start: iso(u.start), end: iso(u.end) })),
      gap: {
        people: roster.gap.people,
        windows: roster.gap.windows.map((w) => ({
          start: iso(w.start),
          end: iso(w.end),
          people: w.people,
          staffHours: Math.round(w.staffHours * 100) / 100,
        })),
      },
    },
    assignmentRows: roster.assignments.map((a) => ({
      userId: a.agent,
      shiftType: a.type,
      startAt: wallToInstant(a.start, offset),
      endAt: wallToInstant(a.end, offset),
    })),
  };
}
