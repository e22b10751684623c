import { describe, expect, it } from 'vitest';
import { buildRoster } from './roster.ts';
import type { Requirement, ScheduledShift } from './schedule-solver.ts';

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

const H = (day: number, hour: number) => DAY0 + day * 24 * HOUR + hour * HOUR;
const slot = (
  type: string,
  day: number,
  from: number,
  to: number,
  breakAt: number,
  breakHours: number,
  count: number,
): ScheduledShift => ({
  type,
  start: H(day, from),
  end: H(day, to),
  breaks: [{ start: H(day, breakAt), end: H(day, breakAt + breakHours) }],
  count,
});

/** Half-hour requirement for a day from [fromHour, toHour, required] bands. */
function requirementFor(day: number, bands: [number, number, number][]): Requirement[] {
  const out: Requirement[] = [];
  for (let h = 0; h < 24; h += 0.5) {
    const band = bands.find(([a, b]) => a <= h && h < b);
    out.push({ start: H(day, h), required: band?.[2] ?? 0 });
  }
  return out;
}

const PEAKS = [
  { start: '00:00', end: '02:00' },
  { start: '08:00', end: '10:00' },
  { start: '15:00', end: '17:00' },
  { start: '20:00', end: '24:00' },
];

/** Rostered staff per requirement interval (breaks excluded), recomputed from the assignments. */
function coverageOf(
  result: ReturnType<typeof buildRoster>,
  shifts: readonly ScheduledShift[],
  requirements: readonly Requirement[],
): number[] {
  return requirements.map(
    (r) =>
      result.assignments.filter((a) => {
        if (!(a.start <= r.start && r.start < a.end)) return false;
        const source = shifts.find((s) => s.type === a.type && s.start === a.start && s.end === a.end);
        return !source?.breaks.some((b) => b.start <= r.start && r.start < b.end);
      }).length,
  );
}

describe('buildRoster: most-uncovered-first', () => {
  // A Double 11 at half-hour intervals from the promotion-day template: duty 值班 00–08, early 早班
  // 08–17 and late 晚班 15–24, 44 shifts in all, and only 5 agents.
  const day: ScheduledShift[] = [
    slot('值班', 0, 0, 8, 3, 0.5, 10),
    slot('早班', 0, 8, 17, 12, 1, 8),
    slot('早班', 0, 8, 17, 13, 1, 6),
    slot('晚班', 0, 15, 24, 18, 1, 10),
    slot('晚班', 0, 15, 24, 19, 1, 10),
  ];
  const requirements = requirementFor(0, [
    [0, 2, 10],
    [2, 8, 6],
    [8, 10, 14],
    [10, 15, 10],
    [15, 17, 30],
    [17, 20, 15],
    [20, 24, 20],
  ]);
  const five = ['A', 'B', 'C', 'D', 'E'].map((name) => ({ name }));

  it('spreads 5 agents over the four peaks instead of piling them onto the 00:00 duty shift', () => {
    expect(day.reduce((s, x) => s + x.count, 0)).toBe(44);
    const result = buildRoster(day, five, { requirements, intervalMinutes: 30, peakWindows: PEAKS });
    expect(result.assignments).toHaveLength(5);
    expect(result.unassigned).toHaveLength(39);
    const byType = new Map<string, number>();
    for (const a of result.assignments) byType.set(a.type, (byType.get(a.type) ?? 0) + 1);
    // Each peak is worked by someone: 00–02 only by the duty shift, 08–10 only by the early one,
    // 20–24 only by the late one; the fifth agent goes where the uncovered share is then largest.
    expect(byType.get('值班')).toBe(1);
    expect(byType.get('早班')).toBe(2);
    expect(byType.get('晚班')).toBe(2);
    const coverage = coverageOf(result, day, requirements);
    requirements.forEach((r, i) => {
      const hour = (r.start - DAY0) / HOUR;
      const peak =
        (hour >= 0 && hour < 2) || (hour >= 8 && hour < 10) || (hour >= 15 && hour < 17) || hour >= 20;
      if (peak) expect(coverage[i], `peak interval ${hour}h`).toBeGreaterThanOrEqual(1);
    });
  });

  it('returns the gap against the requirement: merged windows and the people still needed', () => {
    const result = buildRoster(day, five, { requirements, intervalMinutes: 30, peakWindows: PEAKS });
    const coverage = coverageOf(result, day, requirements);
    const short = requirements.map((r, i) => Math.max(0, r.required - (coverage[i] ?? 0)));
    expect(result.gap.people).toBe(Math.max(...short));
    // 15–17 needs 30 and has at most 4 rostered (2 early + 2 late).
    expect(result.gap.people).toBe(26);
    const hours = result.gap.windows.reduce((s, w) => s + w.staffHours, 0);
    expect(hours).toBeCloseTo(short.reduce((s, x) => s + x, 0) / 2, 6);
    // Every interval is short here (5 people for a day needing 6–30): one window, the whole day.
    expect(result.gap.windows).toHaveLength(1);
    expect(result.gap.windows[0]).toMatchObject({ start: H(0, 0), end: H(0, 24), people: 26 });
  });

  it('merges consecutive short intervals into windows and leaves covered ones out', () => {
    const shifts = [shift('day', 0, 9, 8), shift('mid', 0, 12, 2)];
    const requirements = requirementFor(0, [
      [9, 12, 1],
      [12, 13, 3],
      [13, 14, 2],
      [14, 17, 1],
      [20, 22, 1],
    ]);
    const result = buildRoster(shifts, [{ name: 'A' }], { requirements, intervalMinutes: 30 });
    // The day shift works in the most intervals; one agent, one shift a day: "mid" stays open.
    expect(result.assignments.map((a) => a.type)).toEqual(['day']);
    expect(result.unassigned.map((u) => u.type)).toEqual(['mid']);
    expect(result.gap).toEqual({
      people: 2,
      windows: [
        { start: H(0, 12), end: H(0, 14), people: 2, staffHours: 3 },
        { start: H(0, 20), end: H(0, 22), people: 1, staffHours: 2 },
      ],
    });
  });

  it('keeps rest, consecutive-day and cap rules over a multi-day peak roster', () => {
    const days = [0, 1, 2, 3].flatMap((d) => [
      slot('值班', d, 0, 8, 3, 0.5, 3),
      slot('早班', d, 8, 17, 12, 1, 3),
      slot('晚班', d, 15, 24, 18, 1, 3),
    ]);
    const requirements = [0, 1, 2, 3].flatMap((d) =>
      requirementFor(d, [
        [0, 2, 3],
        [2, 8, 1],
        [8, 10, 3],
        [10, 15, 2],
        [15, 17, 4],
        [17, 20, 2],
        [20, 24, 3],
      ]),
    );
    const agents = ['A', 'B', 'C', 'D', 'E'].map((name) => ({ name }));
    const options = {
      requirements,
      intervalMinutes: 30,
      peakWindows: PEAKS,
      minRestMinutes: 12 * 60,
      maxConsecutiveDays: 3,
      maxShiftsPerAgent: 3,
      maxMinutesPerAgent: 26 * 60,
    };
    const result = buildRoster(days, agents, options);
    expect(result.assignments.length).toBeGreaterThan(0);
    for (const { name } of agents) {
      const mine = result.assignments.filter((a) => a.agent === name).sort((a, b) => a.start - b.start);
      expect(mine.length).toBeLessThanOrEqual(3);
      expect(mine.reduce((s, a) => s + (a.end - a.start), 0)).toBeLessThanOrEqual(26 * HOUR);
      for (let i = 1; i < mine.length; i++) {
        expect(mine[i]!.start - mine[i - 1]!.end).toBeGreaterThanOrEqual(12 * HOUR);
      }
      const worked = new Set(mine.map((a) => Math.floor((a.start - DAY0) / (24 * HOUR))));
      expect([0, 1, 2, 3].every((d) => worked.has(d))).toBe(false);
    }
    // Every shift is assigned or reported, never both.
    expect(result.assignments.length + result.unassigned.length).toBe(36);
  });

  it('honours skills (allowed shift types) and prefers agents who prefer the type', () => {
    const shifts = [slot('值班', 0, 0, 8, 3, 0.5, 1), slot('早班', 0, 8, 17, 12, 1, 1)];
    const requirements = requirementFor(0, [[0, 17, 1]]);
    const result = buildRoster(
      shifts,
      [{ name: 'A', shiftTypes: ['早班'] }, { name: 'B', preferredShiftTypes: ['值班'] }, { name: 'C' }],
      { requirements, intervalMinutes: 30 },
    );
    expect(result.unassigned).toEqual([]);
    expect(result.assignments.find((a) => a.type === '值班')?.agent).toBe('B');
    const early = result.assignments.find((a) => a.type === '早班')?.agent;
    expect(['A', 'C']).toContain(early);
    const onlyEarly = buildRoster([slot('值班', 0, 0, 8, 3, 0.5, 1)], [{ name: 'A', shiftTypes: ['早班'] }], {
      requirements,
      intervalMinutes: 30,
    });
    expect(onlyEarly.assignments).toEqual([]);
    expect(onlyEarly.gap.windows[0]).toMatchObject({ start: H(0, 0), end: H(0, 17), people: 1 });
  });

  it('rejects a bad cap or peak window', () => {
    expect(() => buildRoster([], [], { maxShiftsPerAgent: -1 })).toThrow(/maxShiftsPerAgent/);
    expect(() => buildRoster([], [], { peakWindows: [{ start: '10:00', end: '09:00' }] })).toThrow(
      /peakWindows\[0\]/,
    );
  });
});
