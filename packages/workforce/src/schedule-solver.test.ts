import { describe, expect, it } from 'vitest';
import { solveSchedule } from './schedule-solver.ts';
import type { ShiftDefinitions, ShiftType } from './shift-model.ts';

const HOUR = 3_600_000;
const DAY = Date.UTC(2024, 10, 11);

function hourly(fromHour: number, required: number[]) {
  return required.map((r, i) => ({ start: DAY + (fromHour + i) * HOUR, required: r }));
}

const fourHours: ShiftType = {
  name: 'four',
  lengthMinutes: 240,
  startEarliest: '08:00',
  startLatest: '12:00',
  startStepMinutes: 60,
  cost: 4,
};

describe('solveSchedule', () => {
  it('covers a staircase at the proven optimum', async () => {
    // Σr = 14 agent-hours and a shift gives 4, so at least ⌈14/4⌉ = 4 shifts: cost ≥ 16, and 16 is reached.
    const result = await solveSchedule({
      requirements: hourly(8, [1, 2, 3, 3, 2, 1, 1, 1]),
      definitions: { intervalMinutes: 60, shiftTypes: [fourHours] },
    });
    expect(result.status).toBe('optimal');
    expect(result.cost).toBe(16);
    expect(result.gap).toBe(0);
    expect(result.shifts.reduce((n, s) => n + s.count, 0)).toBe(4);
    for (const row of result.coverage) expect(row.scheduled).toBeGreaterThanOrEqual(row.required);
  });

  it('pays more when a part-time share cap binds', async () => {
    // Need [2,2,2,2,1,1,1,1] from 08:00. Part-time 4 h shifts (cost 3) alone: 2×08:00 + 1×12:00 = 9.
    // With part-time ≤ 50% every part-timer needs a full-timer (8 h, cost 8): 1 FT + 1 PT = 11 is optimal
    // (2 FT = 16; 1 FT + 0 PT leaves 08–12 short).
    const definitions: ShiftDefinitions = {
      intervalMinutes: 60,
      shiftTypes: [
        {
          name: 'full',
          lengthMinutes: 480,
          startEarliest: '08:00',
          startLatest: '08:00',
          startStepMinutes: 60,
          cost: 8,
        },
        { ...fourHours, name: 'part', cost: 3 },
      ],
      partTimeTypes: ['part'],
    };
    const requirements = hourly(8, [2, 2, 2, 2, 1, 1, 1, 1]);
    const free = await solveSchedule({ requirements, definitions });
    expect(free.cost).toBe(9);
    const capped = await solveSchedule({
      requirements,
      definitions: { ...definitions, maxPartTimeShare: 0.5 },
    });
    expect(capped.status).toBe('optimal');
    expect(capped.cost).toBe(11);
    expect(capped.shifts.map((s) => [s.type, s.count])).toEqual([
      ['full', 1],
      ['part', 1],
    ]);
  });

  it('reports understaffed when caps make coverage impossible, minimising the shortfall', async () => {
    const result = await solveSchedule({
      requirements: hourly(8, [3, 3, 3, 3]),
      definitions: {
        intervalMinutes: 60,
        shiftTypes: [{ ...fourHours, startLatest: '08:00', maxCount: 2 }],
      },
    });
    expect(result.status).toBe('understaffed');
    expect(result.shortfall).toBe(4);
    expect(result.shifts[0]?.count).toBe(2);
    expect(result.message).toMatch(/impossible/);
  });

  it('does not count breaks as coverage and staggers them', async () => {
    // One start (08:00), a 1 h break starting 1–2 h in: one shift covers only 3 of 4 hours, so 2 shifts
    // are needed, with different breaks.
    const result = await solveSchedule({
      requirements: hourly(8, [1, 1, 1, 1]),
      definitions: {
        intervalMinutes: 60,
        shiftTypes: [
          {
            ...fourHours,
            startLatest: '08:00',
            breaks: [{ lengthMinutes: 60, earliestAfterStartMinutes: 60, latestAfterStartMinutes: 120 }],
          },
        ],
      },
    });
    expect(result.cost).toBe(8);
    const breakStarts = result.shifts.map((s) => s.breaks[0]?.start);
    expect(new Set(breakStarts).size).toBe(2);
  });

  it('repeats starts per day over a multi-day horizon; a shift may run past the end', async () => {
    // Day 1 20:00 → day 2 02:00 needs 1; a 6 h shift from 20:00 covers it once. The 8 h "late" shift from
    // 22:00 on day 2 would run past the end of the 2-day horizon and still cover its last two hours.
    const requirements = [
      ...hourly(20, [1, 1, 1, 1, 1, 1]),
      ...hourly(26, new Array(20).fill(0)),
      ...hourly(46, [1, 1]),
    ];
    const result = await solveSchedule({
      requirements,
      definitions: {
        intervalMinutes: 60,
        shiftTypes: [
          {
            name: 'night',
            lengthMinutes: 360,
            startEarliest: '20:00',
            startLatest: '20:00',
            startStepMinutes: 60,
            cost: 6,
          },
          {
            name: 'late',
            lengthMinutes: 480,
            startEarliest: '22:00',
            startLatest: '22:00',
            startStepMinutes: 60,
            cost: 5,
          },
        ],
      },
    });
    expect(result.status).toBe('optimal');
    expect(result.cost).toBe(11);
    expect(result.shifts.map((s) => [s.type, s.start])).toEqual([
      ['night', DAY + 20 * HOUR],
      ['late', DAY + 46 * HOUR],
    ]);
    expect(result.coverage).toHaveLength(28);
  });

  it('names impossible shift definitions', async () => {
    const bad = (type: Partial<ShiftType>) =>
      solveSchedule({
        requirements: hourly(8, [1]),
        definitions: { intervalMinutes: 60, shiftTypes: [{ ...fourHours, ...type }] },
      });
    await expect(bad({ startLatest: '07:00' })).rejects.toThrow(/shiftTypes\[0\]\.startLatest/);
    await expect(bad({ startStepMinutes: 0 })).rejects.toThrow(/shiftTypes\[0\]\.startStepMinutes/);
    await expect(bad({ lengthMinutes: 250 })).rejects.toThrow(/shiftTypes\[0\]\.lengthMinutes.*multiple/);
    await expect(bad({ startEarliest: '8am' })).rejects.toThrow(/shiftTypes\[0\]\.startEarliest/);
    await expect(
      bad({ breaks: [{ lengthMinutes: 60, earliestAfterStartMinutes: 120, latestAfterStartMinutes: 240 }] }),
    ).rejects.toThrow(/shiftTypes\[0\]\.breaks\[0\]\.latestAfterStartMinutes.*ends after/);
    await expect(
      solveSchedule({
        requirements: hourly(8, [1]),
        definitions: { intervalMinutes: 60, shiftTypes: [fourHours], partTimeTypes: ['nope'] },
      }),
    ).rejects.toThrow(/partTimeTypes\[0\]/);
  });
});
