import { describe, expect, it } from 'vitest';
import { buildRoster } from './roster.ts';
import type { ScheduledShift } from './schedule-solver.ts';

const HOUR = 3_600_000;
const DAY0 = Date.UTC(2024, 10, 4);

function shift(type: string, day: number, fromHour: number, hours: number, count = 1): ScheduledShift {
  const start = DAY0 + day * 24 * HOUR + fromHour * HOUR;
  return { type, start, end: start + hours * HOUR, breaks: [], count };
}

describe('buildRoster', () => {
  it('keeps 11 hours of rest between shifts', () => {
    // Late 14–22 then early 06–14 next day leaves 8 h: one agent can only take one of them.
    const shifts = [shift('late', 0, 14, 8), shift('early', 1, 6, 8)];
    const alone = buildRoster(shifts, [{ name: 'A' }]);
    expect(alone.assignments).toHaveLength(1);
    expect(alone.unassigned).toHaveLength(1);
    const pair = buildRoster(shifts, [{ name: 'A' }, { name: 'B' }]);
    expect(pair.unassigned).toHaveLength(0);
    expect(new Set(pair.assignments.map((a) => a.agent)).size).toBe(2);
  });

  it('limits consecutive working days', () => {
    const week = Array.from({ length: 7 }, (_, d) => shift('day', d, 9, 8));
    const result = buildRoster(week, [{ name: 'A' }], { maxConsecutiveDays: 6 });
    expect(result.assignments).toHaveLength(6);
    expect(result.unassigned).toHaveLength(1);
  });

  it('respects availability and balances hours', () => {
    const shifts = [shift('day', 0, 9, 8, 2), shift('day', 1, 9, 8, 2)];
    const result = buildRoster(shifts, [
      { name: 'A' },
      { name: 'B', availability: [{ start: DAY0 + 24 * HOUR, end: DAY0 + 48 * HOUR }] },
      { name: 'C' },
    ]);
    expect(result.unassigned).toHaveLength(0);
    for (const a of result.assignments.filter((x) => x.agent === 'B')) {
      expect(a.start).toBeGreaterThanOrEqual(DAY0 + 24 * HOUR);
    }
    const perAgent = new Map<string, number>();
    for (const a of result.assignments) perAgent.set(a.agent, (perAgent.get(a.agent) ?? 0) + 1);
    expect(Math.max(...perAgent.values())).toBeLessThanOrEqual(2);
  });

  it('repairs a greedy dead end by moving a shift to another agent', () => {
    // Greedy gives the ordinary shift to A (alphabetical tie-break); only A may work "special" at the
    // same time, so repair hands the ordinary shift to B and gives "special" to A.
    const shifts = [shift('day', 0, 9, 8), { ...shift('special', 0, 9, 8), end: DAY0 + 16 * HOUR }];
    const result = buildRoster(shifts, [{ name: 'A' }, { name: 'B', shiftTypes: ['day'] }]);
    expect(result.unassigned).toHaveLength(0);
    expect(result.assignments.find((a) => a.type === 'special')?.agent).toBe('A');
    expect(result.assignments.find((a) => a.type === 'day')?.agent).toBe('B');
  });
});
