import { describe, expect, it } from 'vitest';
import {
  formatIsoTimestamp,
  parseDurationMinutes,
  parseIsoTimestamp,
  toWallClock,
  weekdayOf,
} from './time.ts';

describe('time helpers', () => {
  it('parses ISO 8601 with and without offsets and formats back alike', () => {
    const parsed = parseIsoTimestamp('2024-11-11T00:30:00+08:00');
    expect(parsed).toEqual({ wallMs: Date.UTC(2024, 10, 11, 0, 30), offsetMinutes: 480 });
    expect(formatIsoTimestamp(Date.UTC(2024, 10, 11, 0, 30), 480)).toBe('2024-11-11T00:30:00+08:00');
    expect(formatIsoTimestamp(Date.UTC(2024, 10, 11), 0)).toBe('2024-11-11T00:00:00Z');
    expect(formatIsoTimestamp(Date.UTC(2024, 10, 11), null)).toBe('2024-11-11T00:00:00');
    expect(parseIsoTimestamp('2024-11-11 08:00')?.offsetMinutes).toBeNull();
  });

  it('rejects impossible dates instead of rolling them over', () => {
    expect(parseIsoTimestamp('2024-02-31T00:00:00Z')).toBeNull();
    expect(parseIsoTimestamp('2024-11-11T24:00:00Z')).toBeNull();
    expect(parseIsoTimestamp('yesterday')).toBeNull();
  });

  it('moves other offsets onto the first row wall clock', () => {
    const utc = parseIsoTimestamp('2024-11-10T16:00:00Z');
    expect(utc && toWallClock(utc, 480)).toBe(Date.UTC(2024, 10, 11, 0, 0));
  });

  it('uses Monday = 0 and parses durations', () => {
    expect(weekdayOf(Date.UTC(2024, 10, 11))).toBe(0);
    expect(parseDurationMinutes('30m')).toBe(30);
    expect(parseDurationMinutes('1h')).toBe(60);
    expect(parseDurationMinutes('7d')).toBe(7 * 1440);
    expect(parseDurationMinutes('abc')).toBeNull();
    expect(parseDurationMinutes('0m')).toBeNull();
  });
});
