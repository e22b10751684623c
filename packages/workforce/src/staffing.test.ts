import { describe, expect, it } from 'vitest';
import {
  computeStaffing,
  computeStaffingPlan,
  concurrencyFactor,
  positionsFor,
  queueMetricsFor,
} from './staffing.ts';
import { WorkforceInputError } from './workforce-error.ts';

const callCentreHelper = {
  model: 'erlang-c' as const,
  volume: 100,
  intervalMinutes: 30,
  ahtSeconds: 180,
  targetSeconds: 20,
  serviceLevel: 0.8,
};

describe('computeStaffing', () => {
  it('applies the seed rule: volume ÷ 360 questions per agent-hour', () => {
    // Seed 002: one agent handles at most 360 questions an hour; 1000 in 30 min → 1000/180 → 6 agents.
    const result = computeStaffing({ model: 'simple', volume: 1000, intervalMinutes: 30 });
    expect(result.agents).toBe(6);
    expect(result.occupancy).toBeCloseTo(1000 / (6 * 180), 12);
    expect(result.serviceLevel).toBeNull();
    expect(result.abandonRate).toBeNull();
  });

  it('finds 14 agents and 20 positions for the Call Centre Helper example with 30% shrinkage', () => {
    const result = computeStaffing({ ...callCentreHelper, shrinkage: 0.3 });
    expect(result.agents).toBe(14);
    expect(result.positions).toBe(20);
    expect(result.serviceLevel).toBeGreaterThanOrEqual(0.8);
    expect(result.abandonRate).toBeNull();
  });

  it('returns the minimum: one agent fewer misses the target', () => {
    for (const model of ['erlang-c', 'erlang-a'] as const) {
      const request = { ...callCentreHelper, model, volume: 730, patienceSeconds: 90 };
      const result = computeStaffing(request);
      expect(result.serviceLevel).toBeGreaterThanOrEqual(0.8);
      expect(queueMetricsFor(request, result.agents - 1).serviceLevel).toBeLessThan(0.8);
    }
  });

  it('needs fewer agents under Erlang A because impatient customers leave', () => {
    const c = computeStaffing(callCentreHelper);
    const a = computeStaffing({ ...callCentreHelper, model: 'erlang-a', patienceSeconds: 120 });
    expect(a.agents).toBeLessThan(c.agents);
    expect(a.abandonRate).toBeGreaterThan(0);
  });

  it('caps occupancy', () => {
    const loose = computeStaffing({ ...callCentreHelper, volume: 3000, serviceLevel: 0.5 });
    const capped = computeStaffing({
      ...callCentreHelper,
      volume: 3000,
      serviceLevel: 0.5,
      maxOccupancy: 0.85,
    });
    expect(loose.occupancy).toBeGreaterThan(0.85);
    expect(capped.occupancy).toBeLessThanOrEqual(0.85);
    expect(capped.agents).toBe(Math.ceil(300 / 0.85));
  });

  it('divides handle time by the concurrency factor (K = 3 → 2.4)', () => {
    expect(concurrencyFactor(1)).toBe(1);
    expect(concurrencyFactor(3)).toBe(2.4);
    expect(concurrencyFactor(99)).toBe(3.1);
    const chat = computeStaffing({ ...callCentreHelper, concurrency: 3 });
    expect(chat.effectiveAhtSeconds).toBeCloseTo(75, 12);
    expect(chat.traffic).toBeCloseTo((100 / 1800) * 75, 12);
    expect(chat.agents).toBeLessThan(computeStaffing(callCentreHelper).agents);
  });

  it('needs no agents for no volume', () => {
    const result = computeStaffing({ ...callCentreHelper, volume: 0 });
    expect(result.agents).toBe(0);
    expect(result.serviceLevel).toBe(1);
  });

  it('rounds positions up from agents / (1 − shrinkage) without float noise', () => {
    expect(positionsFor(7, 0.3)).toBe(10);
    expect(positionsFor(14, 0.3)).toBe(20);
    expect(positionsFor(3, 0)).toBe(3);
  });

  it('staffs a 96-interval day and handles thousands of Erlangs', () => {
    const volumes = Array.from({ length: 96 }, (_, i) => 100 + 4000 * Math.abs(Math.sin(i / 20)));
    const plan = computeStaffingPlan(volumes, {
      ...callCentreHelper,
      model: 'erlang-a',
      intervalMinutes: 15,
      patienceSeconds: 180,
    });
    expect(plan).toHaveLength(96);
    for (const interval of plan) expect(interval.serviceLevel).toBeGreaterThanOrEqual(0.8);
    const peak = computeStaffing({ ...callCentreHelper, volume: 40_000 });
    expect(peak.agents).toBeGreaterThan(4000);
  });

  it('names the bad field', () => {
    expect(() => computeStaffing({ ...callCentreHelper, serviceLevel: 1.5 })).toThrow(/field "serviceLevel"/);
    expect(() => computeStaffing({ ...callCentreHelper, volume: -1 })).toThrow(WorkforceInputError);
    expect(() => computeStaffing({ ...callCentreHelper, model: 'erlang-a' })).toThrow(
      /field "patienceSeconds"/,
    );
    expect(() => computeStaffing({ ...callCentreHelper, shrinkage: 1 })).toThrow(/field "shrinkage"/);
    expect(() => computeStaffing({ ...callCentreHelper, concurrency: 0 })).toThrow(/field "concurrency"/);
  });
});
