import { expect } from 'vitest';
import type { MipModel } from './schedule-formulation.ts';
import type { ScheduleRequest, ScheduleResult } from './schedule-solver.ts';
import type { ShiftType } from './shift-model.ts';

const MINUTE = 60_000;
const DAY_MS = 86_400_000;

/**
 * Checks a plan independently of the solver (test support): breaks inside their windows and in order,
 * every cap kept, coverage, shortfall and cost recomputed, and full coverage unless the result says
 * it is short.
 */
export function checkPlan(request: ScheduleRequest, result: ScheduleResult) {
  const { definitions } = request;
  const step = definitions.intervalMinutes * MINUTE;
  const first = Math.min(...request.requirements.map((r) => r.start));
  const scheduled = new Map<number, number>();
  const perTypeDay = new Map<string, number>();
  const perDay = new Map<number, number>();
  const partTimePerDay = new Map<number, number>();
  const partTime = new Set(definitions.partTimeTypes ?? []);
  let cost = 0;
  for (const shift of result.shifts) {
    const type = definitions.shiftTypes.find((t) => t.name === shift.type) as ShiftType;
    expect(shift.end - shift.start).toBe(type.lengthMinutes * MINUTE);
    expect(shift.count).toBeGreaterThan(0);
    const rules = type.breaks ?? [];
    expect(shift.breaks).toHaveLength(rules.length);
    shift.breaks.forEach((b, i) => {
      const rule = rules[i] as NonNullable<ShiftType['breaks']>[number];
      const offset = (b.start - shift.start) / MINUTE;
      expect(offset).toBeGreaterThanOrEqual(rule.earliestAfterStartMinutes);
      expect(offset).toBeLessThanOrEqual(rule.latestAfterStartMinutes);
      expect(b.end - b.start).toBe(rule.lengthMinutes * MINUTE);
      if (i > 0) expect(b.start).toBeGreaterThanOrEqual((shift.breaks[i - 1] as { end: number }).end);
    });
    for (let t = shift.start; t < shift.end; t += step) {
      if (shift.breaks.some((b) => t >= b.start && t < b.end)) continue;
      scheduled.set(t, (scheduled.get(t) ?? 0) + shift.count);
    }
    cost += type.cost * shift.count;
    const day = Math.floor(shift.start / DAY_MS);
    perTypeDay.set(`${type.name}|${day}`, (perTypeDay.get(`${type.name}|${day}`) ?? 0) + shift.count);
    perDay.set(day, (perDay.get(day) ?? 0) + shift.count);
    if (partTime.has(type.name)) partTimePerDay.set(day, (partTimePerDay.get(day) ?? 0) + shift.count);
  }
  expect(cost).toBeCloseTo(result.cost, 9);
  for (const [key, count] of perTypeDay) {
    const max = definitions.shiftTypes.find((t) => t.name === key.split('|')[0])?.maxCount;
    if (max !== undefined) expect(count).toBeLessThanOrEqual(max);
  }
  for (const [day, count] of perDay) {
    if (definitions.maxShiftsPerDay !== undefined)
      expect(count).toBeLessThanOrEqual(definitions.maxShiftsPerDay);
    if (definitions.maxPartTimeShare !== undefined) {
      expect(partTimePerDay.get(day) ?? 0).toBeLessThanOrEqual(definitions.maxPartTimeShare * count + 1e-9);
    }
  }
  let shortfall = 0;
  for (const row of result.coverage) {
    expect(row.scheduled).toBe(scheduled.get(row.start) ?? 0);
    shortfall += Math.max(0, row.required - row.scheduled);
  }
  expect(result.shortfall).toBeCloseTo(shortfall, 9);
  const mayBeShort =
    result.status === 'understaffed' || (result.status === 'time-limit-heuristic' && result.shortfall > 0);
  if (!mayBeShort) expect(shortfall).toBe(0);
  expect(result.coverage[0]?.start).toBe(first);
}

/** Every column inside its bounds (integers where required) and every row inside its range. */
export function expectFeasible(model: MipModel, x: readonly number[]) {
  expect(x).toHaveLength(model.numCols);
  x.forEach((v, c) => {
    expect(v).toBeGreaterThanOrEqual((model.colLower[c] ?? 0) - 1e-9);
    expect(v).toBeLessThanOrEqual((model.colUpper[c] ?? 0) + 1e-9);
    if (model.integrality[c]) expect(Number.isInteger(v)).toBe(true);
  });
  for (let r = 0; r < model.numRows; r++) {
    let activity = 0;
    for (let k = model.matrix.starts[r] as number; k < (model.matrix.starts[r + 1] as number); k++) {
      activity += (model.matrix.values[k] as number) * (x[model.matrix.indices[k] as number] as number);
    }
    expect(activity).toBeGreaterThanOrEqual((model.rowLower[r] as number) - 1e-6);
    expect(activity).toBeLessThanOrEqual((model.rowUpper[r] as number) + 1e-6);
  }
}

export const objectiveOf = (model: MipModel, x: readonly number[]) =>
  x.reduce((sum, v, c) => sum + v * (model.colCost[c] ?? 0), 0);
