import { assertIntervalMinutes } from './series.ts';
import {
  DAY_MINUTES,
  DAY_MS,
  MINUTE_MS,
  minuteOfDay,
  parseClockTime,
  startOfDay,
  type WallClockMs,
} from './time.ts';
import { WorkforceInputError } from './workforce-error.ts';

export type BreakRule = {
  lengthMinutes: number;
  /** The break may start this many minutes after the shift starts, at the earliest… */
  earliestAfterStartMinutes: number;
  /** …and at the latest (its start; the break must still end inside the shift). */
  latestAfterStartMinutes: number;
};

export type ShiftType = {
  name: string;
  lengthMinutes: number;
  /** First and last allowed start, "HH:MM" local time; starts repeat every day of the horizon. */
  startEarliest: string;
  startLatest: string;
  startStepMinutes: number;
  breaks?: readonly BreakRule[];
  cost: number;
  /** At most this many shifts of this type starting on any one day. */
  maxCount?: number;
};

export type ShiftDefinitions = {
  intervalMinutes: number;
  shiftTypes: readonly ShiftType[];
  /** Part-time shifts may be at most this share of each day's shifts. */
  maxPartTimeShare?: number;
  partTimeTypes?: readonly string[];
  /** Headcount cap: at most this many shifts (of all types) starting on any one day. */
  maxShiftsPerDay?: number;
};

/** A concrete shift: a type, a start, and break positions, with the intervals it covers. */
export type ShiftCandidate = {
  typeIndex: number;
  /** Day number (wall-clock days since 1970) the shift starts on, used by per-day caps. */
  day: number;
  start: WallClockMs;
  end: WallClockMs;
  breaks: { start: WallClockMs; end: WallClockMs }[];
  /** Indices of horizon intervals this shift works in (breaks and time past the horizon excluded). */
  covers: number[];
};

function invalid(field: string, detail: string): never {
  throw new WorkforceInputError(`field "${field}": ${detail}`, { field });
}

function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function checkMultiple(value: unknown, field: string, interval: number, { positive }: { positive: boolean }) {
  if (!isNonNegativeInteger(value) || (positive && value === 0)) {
    invalid(
      field,
      `${JSON.stringify(value)} must be a ${positive ? 'positive' : 'non-negative'} whole number of minutes`,
    );
  }
  if (value % interval !== 0) invalid(field, `${value} is not a multiple of the ${interval}-minute interval`);
  return value;
}

function checkClock(value: unknown, field: string, interval: number): number {
  const minutes = typeof value === 'string' ? parseClockTime(value) : null;
  if (minutes === null) invalid(field, `${JSON.stringify(value)} is not a time of day "HH:MM"`);
  if (minutes % interval !== 0) invalid(field, `${value} is not on the ${interval}-minute interval grid`);
  return minutes;
}

/**
 * Checks shift definitions and throws a WorkforceInputError naming the first impossible field
 * (e.g. `shiftTypes[1].breaks[0].latestAfterStartMinutes`). Returns the definitions unchanged.
 */
export function validateShiftDefinitions(definitions: ShiftDefinitions): ShiftDefinitions {
  const interval = definitions.intervalMinutes;
  try {
    assertIntervalMinutes(interval);
  } catch {
    invalid(
      'intervalMinutes',
      `${JSON.stringify(interval)} must be a whole number of minutes dividing a day (15, 30, 60)`,
    );
  }
  if (!Array.isArray(definitions.shiftTypes) || definitions.shiftTypes.length === 0) {
    invalid('shiftTypes', 'must be a non-empty list');
  }
  const names = new Set<string>();
  definitions.shiftTypes.forEach((type, i) => {
    const at = `shiftTypes[${i}]`;
    if (typeof type.name !== 'string' || type.name.trim() === '')
      invalid(`${at}.name`, 'must be a non-empty string');
    if (names.has(type.name)) invalid(`${at}.name`, `"${type.name}" is used twice`);
    names.add(type.name);
    const length = checkMultiple(type.lengthMinutes, `${at}.lengthMinutes`, interval, { positive: true });
    if (length > DAY_MINUTES) invalid(`${at}.lengthMinutes`, `${length} is longer than a day`);
    const earliest = checkClock(type.startEarliest, `${at}.startEarliest`, interval);
    const latest = checkClock(type.startLatest, `${at}.startLatest`, interval);
    if (latest < earliest)
      invalid(`${at}.startLatest`, `${type.startLatest} is before startEarliest ${type.startEarliest}`);
    checkMultiple(type.startStepMinutes, `${at}.startStepMinutes`, interval, { positive: true });
    if (typeof type.cost !== 'number' || !Number.isFinite(type.cost) || type.cost < 0) {
      invalid(`${at}.cost`, `${JSON.stringify(type.cost)} must be a non-negative number`);
    }
    if (type.maxCount !== undefined && !isNonNegativeInteger(type.maxCount)) {
      invalid(`${at}.maxCount`, `${JSON.stringify(type.maxCount)} must be a whole number ≥ 0`);
    }
    const breaks: readonly BreakRule[] = type.breaks ?? [];
    if (!Array.isArray(breaks)) invalid(`${at}.breaks`, 'must be a list');
    let breakTotal = 0;
    breaks.forEach((rule: BreakRule, b: number) => {
      const bt = `${at}.breaks[${b}]`;
      const len = checkMultiple(rule.lengthMinutes, `${bt}.lengthMinutes`, interval, { positive: true });
      const from = checkMultiple(
        rule.earliestAfterStartMinutes,
        `${bt}.earliestAfterStartMinutes`,
        interval,
        {
          positive: false,
        },
      );
      const to = checkMultiple(rule.latestAfterStartMinutes, `${bt}.latestAfterStartMinutes`, interval, {
        positive: false,
      });
      if (to < from)
        invalid(`${bt}.latestAfterStartMinutes`, `${to} is before earliestAfterStartMinutes ${from}`);
      if (to + len > length) {
        invalid(
          `${bt}.latestAfterStartMinutes`,
          `a ${len}-minute break starting at ${to} ends after the ${length}-minute shift`,
        );
      }
      breakTotal += len;
    });
    if (breakTotal >= length) invalid(`${at}.breaks`, 'breaks fill the whole shift');
    if (breakPlacements(type, interval).length === 0) {
      invalid(`${at}.breaks`, 'no placement of the breaks fits without overlapping');
    }
  });
  const share = definitions.maxPartTimeShare;
  if (share !== undefined && (typeof share !== 'number' || !(share >= 0 && share <= 1))) {
    invalid('maxPartTimeShare', `${JSON.stringify(share)} must be a fraction in [0, 1]`);
  }
  if (definitions.partTimeTypes !== undefined) {
    if (!Array.isArray(definitions.partTimeTypes))
      invalid('partTimeTypes', 'must be a list of shift type names');
    definitions.partTimeTypes.forEach((name, i) => {
      if (!names.has(name)) invalid(`partTimeTypes[${i}]`, `"${name}" is not a shift type name`);
    });
  }
  if (definitions.maxShiftsPerDay !== undefined && !isNonNegativeInteger(definitions.maxShiftsPerDay)) {
    invalid('maxShiftsPerDay', `${JSON.stringify(definitions.maxShiftsPerDay)} must be a whole number ≥ 0`);
  }
  return definitions;
}

/**
 * All placements of a type's breaks (offsets in minutes from the shift start), breaks in listed order and
 * not overlapping. Each placement becomes its own column of the integer program, which keeps the model
 * exact: a break variable formulation would need linking constraints per interval instead.
 */
export function breakPlacements(type: ShiftType, interval: number): number[][] {
  const rules = type.breaks ?? [];
  const placements: number[][] = [];
  const walk = (index: number, notBefore: number, chosen: number[]) => {
    const rule = rules[index];
    if (!rule) {
      placements.push([...chosen]);
      return;
    }
    const first = Math.max(rule.earliestAfterStartMinutes, notBefore);
    for (let offset = first; offset <= rule.latestAfterStartMinutes; offset += interval) {
      chosen.push(offset);
      walk(index + 1, offset + rule.lengthMinutes, chosen);
      chosen.pop();
    }
  };
  walk(0, 0, []);
  return placements;
}

/**
 * Expands shift types into concrete candidates over a horizon of `intervalCount` intervals starting at
 * `horizonStart`. Starts repeat on each calendar day of the horizon; a shift may run past the horizon's
 * end (it covers nothing there). Candidates of one type that cover exactly the same intervals on the
 * same day are merged, since the solver could not tell them apart.
 */
export function expandShiftCandidates(
  definitions: ShiftDefinitions,
  horizonStart: WallClockMs,
  intervalCount: number,
): ShiftCandidate[] {
  const interval = definitions.intervalMinutes;
  const step = interval * MINUTE_MS;
  const horizonEnd = horizonStart + intervalCount * step;
  const candidates: ShiftCandidate[] = [];
  const seen = new Set<string>();
  definitions.shiftTypes.forEach((type, typeIndex) => {
    const earliest = parseClockTime(type.startEarliest) ?? 0;
    const latest = parseClockTime(type.startLatest) ?? 0;
    const placements = breakPlacements(type, interval);
    for (let day = startOfDay(horizonStart); day < horizonEnd; day += DAY_MS) {
      for (let minute = earliest; minute <= latest; minute += type.startStepMinutes) {
        const start = day + minute * MINUTE_MS;
        if (start < horizonStart || start >= horizonEnd) continue;
        for (const placement of placements) {
          const off = new Set<number>();
          for (const [b, offset] of placement.entries()) {
            const len = type.breaks?.[b]?.lengthMinutes ?? 0;
            for (let m = offset; m < offset + len; m += interval) off.add(m);
          }
          const covers: number[] = [];
          for (let m = 0; m < type.lengthMinutes; m += interval) {
            const index = Math.round((start + m * MINUTE_MS - horizonStart) / step);
            if (!off.has(m) && index < intervalCount) covers.push(index);
          }
          const dayNumber = Math.floor(day / DAY_MS);
          const key = `${typeIndex}|${dayNumber}|${covers.join(',')}`;
          if (covers.length === 0 || seen.has(key)) continue;
          seen.add(key);
          candidates.push({
            typeIndex,
            day: dayNumber,
            start,
            end: start + type.lengthMinutes * MINUTE_MS,
            breaks: placement.map((offset, b) => ({
              start: start + offset * MINUTE_MS,
              end: start + (offset + (type.breaks?.[b]?.lengthMinutes ?? 0)) * MINUTE_MS,
            })),
            covers,
          });
        }
      }
    }
  });
  return candidates;
}

/** True when `wallMs` lies on the interval grid (used to validate requirement files). */
export function isOnIntervalGrid(wallMs: WallClockMs, intervalMinutes: number): boolean {
  return minuteOfDay(wallMs) % intervalMinutes === 0 && wallMs % MINUTE_MS === 0;
}
