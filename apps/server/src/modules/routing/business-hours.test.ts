import { describe, expect, it } from 'vitest';
import { describeWeeklyHours, isOpenAt, localTime } from './business-hours.ts';

// 2025-11-11 is a Tuesday; 2025-11-08 a Saturday. Times are Beijing time (UTC+8).
const at = (local: string) => new Date(`${local}+08:00`);
const hours = {
  weekly: {
    '2': [
      { start: '09:00', end: '12:00' },
      { start: '13:30', end: '18:00' },
    ],
    '6': [{ start: '10:00', end: '16:00' }],
  },
  holidays: ['2025-11-15'],
  specialDays: [{ date: '2025-11-11', periods: [{ start: '00:00', end: '24:00' }] }],
};

describe('business hours', () => {
  it.each([
    ['2025-11-04T08:59:00', false, 'before the first period'],
    ['2025-11-04T09:00:00', true, 'first minute of the morning period'],
    ['2025-11-04T12:30:00', false, 'lunch break between two periods'],
    ['2025-11-04T17:59:00', true, 'last minute of the afternoon'],
    ['2025-11-04T18:00:00', false, 'end is exclusive'],
    ['2025-11-05T10:00:00', false, 'a weekday with no periods is closed'],
    ['2025-11-08T10:00:00', true, 'Saturday periods'],
    ['2025-11-11T03:00:00', true, 'promotion day special: 24 hours'],
    ['2025-11-11T23:59:00', true, 'promotion day until midnight'],
    ['2025-11-15T11:00:00', false, 'holiday (a Saturday that would be open)'],
  ])('%s → %s (%s)', (local, open) => {
    expect(isOpenAt(hours, 'Asia/Shanghai', at(local))).toBe(open);
  });

  it('null hours are always open; the time zone decides the local day', () => {
    expect(isOpenAt(null, 'Asia/Shanghai', new Date())).toBe(true);
    // 2025-11-04 02:00 UTC is 10:00 in Shanghai (open) but 2025-11-03 21:00 in New York (Monday).
    const instant = new Date('2025-11-04T02:00:00Z');
    expect(localTime(instant, 'Asia/Shanghai')).toMatchObject({
      date: '2025-11-04',
      weekday: 2,
      minute: 600,
    });
    expect(localTime(instant, 'America/New_York').weekday).toBe(1);
  });
});

describe('weekly hours in words', () => {
  it('joins days with the same periods, Monday first', () => {
    const nine = [{ start: '09:00', end: '18:00' }];
    expect(describeWeeklyHours(hours)).toBe('周二 09:00-12:00、13:30-18:00；周六 10:00-16:00');
    expect(
      describeWeeklyHours({
        weekly: {
          '1': nine,
          '2': nine,
          '3': nine,
          '4': nine,
          '5': nine,
          '6': [{ start: '10:00', end: '16:00' }],
        },
        holidays: [],
        specialDays: [],
      }),
    ).toBe('周一至周五 09:00-18:00；周六 10:00-16:00');
    const all = Object.fromEntries(['0', '1', '2', '3', '4', '5', '6'].map((d) => [d, nine]));
    expect(describeWeeklyHours({ weekly: all, holidays: [], specialDays: [] })).toBe('每天 09:00-18:00');
    expect(describeWeeklyHours({ weekly: {}, holidays: [], specialDays: [] })).toBeNull();
    expect(describeWeeklyHours(null)).toBeNull();
  });
});
