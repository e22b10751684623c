import { WorkforceInputError } from './workforce-error.ts';

/**
 * Times inside the engine are "wall-clock milliseconds": the merchant's local clock time encoded as if
 * it were UTC. Weekday and time-of-day slots then come straight from the UTC getters, and promotion
 * dates (`YYYY-MM-DD`) mean the merchant's calendar day, whatever time zone the input was written in.
 */
export type WallClockMs = number;

export type ParsedTimestamp = {
  wallMs: WallClockMs;
  /** Offset of the written time in minutes east of UTC; null when the input had no offset. */
  offsetMinutes: number | null;
};

export const MINUTE_MS = 60_000;
export const DAY_MINUTES = 1440;
export const DAY_MS = DAY_MINUTES * MINUTE_MS;

const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Parses ISO 8601 date-times (`2024-11-11T00:30:00+08:00`, `…Z`, or without offset); null if invalid. */
export function parseIsoTimestamp(text: string): ParsedTimestamp | null {
  const match = ISO_PATTERN.exec(text.trim());
  if (!match) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;
  const ms = Math.round(Number(`0.${frac}`) * 1000);
  const wallMs = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC rolls 31 February over into March; reject instead of silently shifting.
  if (new Date(wallMs).getUTCDate() !== day) return null;
  let offsetMinutes: number | null = null;
  if (zone !== undefined) {
    if (zone === 'Z' || zone === 'z') offsetMinutes = 0;
    else {
      const sign = zone.startsWith('-') ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      const oh = Number(digits.slice(0, 2));
      const om = digits.length > 2 ? Number(digits.slice(2)) : 0;
      if (oh > 14 || om > 59) return null;
      offsetMinutes = sign * (oh * 60 + om);
    }
  }
  return { wallMs, offsetMinutes };
}

/** Formats wall-clock ms back to ISO 8601 with the given offset (null → no offset, 0 → `Z`). */
export function formatIsoTimestamp(wallMs: WallClockMs, offsetMinutes: number | null): string {
  const iso = new Date(wallMs).toISOString().slice(0, 19);
  if (offsetMinutes === null) return iso;
  if (offsetMinutes === 0) return `${iso}Z`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${iso}${sign}${hh}:${mm}`;
}

/** Moves a parsed timestamp onto the wall clock of `targetOffset` (a file may mix offsets). */
export function toWallClock(parsed: ParsedTimestamp, targetOffset: number | null): WallClockMs {
  if (parsed.offsetMinutes === null || targetOffset === null) return parsed.wallMs;
  return parsed.wallMs + (targetOffset - parsed.offsetMinutes) * MINUTE_MS;
}

/** Wall-clock ms of a `YYYY-MM-DD` date's midnight; throws a WorkforceInputError naming `field`. */
export function parseDate(text: string, field: string): WallClockMs {
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(text) ? parseIsoTimestamp(text) : null;
  if (!parsed) throw new WorkforceInputError(`field "${field}": "${text}" is not a date (YYYY-MM-DD)`);
  return parsed.wallMs;
}

export function startOfDay(wallMs: WallClockMs): WallClockMs {
  return Math.floor(wallMs / DAY_MS) * DAY_MS;
}

/** Minutes since local midnight. */
export function minuteOfDay(wallMs: WallClockMs): number {
  return Math.floor((wallMs - startOfDay(wallMs)) / MINUTE_MS);
}

/** Day of week with Monday = 0 (1970-01-01 was a Thursday). */
export function weekdayOf(wallMs: WallClockMs): number {
  return (Math.floor(wallMs / DAY_MS) + 3) % 7;
}

/** Parses "HH:MM" into minutes after midnight; null if invalid. */
export function parseClockTime(text: string): number | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 23 || minutes > 59) return null;
  return hours * 60 + minutes;
}

/**
 * Parses a duration such as `30m`, `1h`, `7d`, `90` (minutes) into minutes; null if invalid.
 * Used for `--interval` and `--horizon`.
 */
export function parseDurationMinutes(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*(m|min|h|d)?$/i.exec(text.trim());
  if (!match) return null;
  const value = Number(match[1]);
  const unit = (match[2] ?? 'm').toLowerCase();
  const minutes = unit === 'd' ? value * DAY_MINUTES : unit === 'h' ? value * 60 : value;
  if (!Number.isInteger(minutes) || minutes <= 0) return null;
  return minutes;
}
