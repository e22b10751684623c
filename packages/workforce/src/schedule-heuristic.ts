import { type DecodedShift, type ScheduleGrid, typeStarts } from './schedule-formulation.ts';
import type { ShiftDefinitions } from './shift-model.ts';
import { DAY_MS, MINUTE_MS, startOfDay, type WallClockMs } from './time.ts';

/** A plan built without the solver: always exists, respects every cap, may leave intervals short. */
export type HeuristicPlan = {
  shifts: DecodedShift[];
  cost: number;
  /** Σ over intervals of missing agents. */
  shortfall: number;
};

const EPS = 1e-9;
/** Longest stretch the greedy runs before it lets the event loop in (yielding variant). */
const SLICE_MS = 10;

/** One (type, start) the greedy may add; break rules in grid intervals. */
type Option = {
  typeIndex: number;
  start: WallClockMs;
  /** Grid index of the start (≥ 0: starts before the horizon are not generated). */
  index: number;
  length: number;
  day: number;
  cost: number;
  isPartTime: boolean;
  rules: { e: number; len: number; latest: number }[];
};

type Placed = { option: Option; offsets: number[] };

/**
 * A feasible schedule in milliseconds, for HiGHS to start from and to fall back on when the time limit
 * passes before HiGHS has a plan of its own. Greedy: while some interval is short, take the earliest one
 * and add the shift that covers it at the lowest cost per short interval it works, its breaks placed
 * where they lose the fewest short intervals (ties: the most surplus); caps (per type, per day, part-time
 * share) are never broken. An interval no cap-respecting shift can cover stays short. Then shifts whose
 * every worked interval is over-covered are dropped, dearest first.
 */
export function greedySchedule(definitions: ShiftDefinitions, grid: ScheduleGrid): HeuristicPlan {
  const steps = greedySteps(definitions, grid);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * `greedySchedule` that lets the event loop run every ~10 ms: a fortnight at 15-minute intervals takes
 * a few hundred milliseconds, which a server handling chats must not spend in one block.
 */
export async function greedyScheduleYielding(
  definitions: ShiftDefinitions,
  grid: ScheduleGrid,
): Promise<HeuristicPlan> {
  const steps = greedySteps(definitions, grid);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** The greedy as a generator that yields whenever it has run for a slice. */
function* greedySteps(definitions: ShiftDefinitions, grid: ScheduleGrid): Generator<void, HeuristicPlan> {
  const interval = definitions.intervalMinutes;
  const step = interval * MINUTE_MS;
  const n = grid.required.length;
  const horizonEnd = grid.start + n * step;
  const partTime = new Set(definitions.partTimeTypes ?? []);
  const share = definitions.maxPartTimeShare;
  const hasShareCap = share !== undefined && share < 1 && partTime.size > 0;

  // Options bucketed by start index, so the ones covering an interval are found without a full scan.
  const byStart: Option[][] = grid.required.map(() => []);
  let maxLength = 0;
  definitions.shiftTypes.forEach((type, typeIndex) => {
    const length = type.lengthMinutes / interval;
    maxLength = Math.max(maxLength, length);
    const rules = (type.breaks ?? []).map((r) => ({
      e: r.earliestAfterStartMinutes / interval,
      len: r.lengthMinutes / interval,
      latest: r.latestAfterStartMinutes / interval,
    }));
    // Latest offset of each break that still leaves room for the later ones (breaks in listed order).
    for (let b = rules.length - 2; b >= 0; b--) {
      const rule = rules[b] as Option['rules'][number];
      const next = rules[b + 1] as Option['rules'][number];
      rule.latest = Math.min(rule.latest, next.latest - rule.len);
    }
    for (const start of typeStarts(type, grid.start, horizonEnd)) {
      const index = Math.round((start - grid.start) / step);
      byStart[index]?.push({
        typeIndex,
        start,
        index,
        length,
        day: Math.floor(startOfDay(start) / DAY_MS),
        cost: type.cost,
        isPartTime: partTime.has(type.name),
        rules,
      });
    }
  });

  const covered = new Float64Array(n);
  const deficit = (t: number) => (grid.required[t] ?? 0) - (covered[t] ?? 0);
  const perTypeDay = new Map<string, number>();
  const perDay = new Map<number, number>();
  const partTimeDay = new Map<number, number>();
  const countOf = (map: Map<string | number, number>, key: string | number) => map.get(key) ?? 0;

  const fitsCaps = (o: Option) => {
    const max = definitions.shiftTypes[o.typeIndex]?.maxCount;
    if (max !== undefined && countOf(perTypeDay, `${o.typeIndex}|${o.day}`) + 1 > max) return false;
    if (
      definitions.maxShiftsPerDay !== undefined &&
      countOf(perDay, o.day) + 1 > definitions.maxShiftsPerDay
    ) {
      return false;
    }
    if (hasShareCap && o.isPartTime && share !== undefined) {
      const pt = countOf(partTimeDay, o.day) + 1;
      const ft = countOf(perDay, o.day) + 1 - pt;
      if ((1 - share) * pt - share * ft > EPS) return false;
    }
    return true;
  };

  /** Break offsets for an option that keep `target` worked; null if none does. */
  const placeBreaks = (o: Option, target: number): number[] | null => {
    const offsets: number[] = [];
    let notBefore = 0;
    for (const rule of o.rules) {
      let best = -1;
      let bestLost = Number.POSITIVE_INFINITY;
      let bestSurplus = Number.NEGATIVE_INFINITY;
      for (let off = Math.max(rule.e, notBefore); off <= rule.latest; off++) {
        let lost = 0;
        let surplus = 0;
        for (let q = off; q < off + rule.len; q++) {
          const t = o.index + q;
          if (t === target) lost = Number.POSITIVE_INFINITY;
          else if (t < n) {
            const d = deficit(t);
            if (d > EPS) lost++;
            else surplus -= d;
          }
        }
        if (lost < bestLost || (lost === bestLost && surplus > bestSurplus)) {
          best = off;
          bestLost = lost;
          bestSurplus = surplus;
        }
      }
      if (best < 0 || bestLost === Number.POSITIVE_INFINITY) return null;
      offsets.push(best);
      notBefore = best + rule.len;
    }
    return offsets;
  };

  const isOnBreak = (o: Option, offsets: readonly number[], q: number) => {
    for (let b = 0; b < offsets.length; b++) {
      const off = offsets[b] as number;
      if (q >= off && q < off + (o.rules[b]?.len ?? 0)) return true;
    }
    return false;
  };
  const worked = (o: Option, offsets: readonly number[]) => {
    const out: number[] = [];
    for (let q = 0; q < o.length && o.index + q < n; q++) {
      if (!isOnBreak(o, offsets, q)) out.push(o.index + q);
    }
    return out;
  };

  const placed: Placed[] = [];
  const add = (p: Placed, sign: 1 | -1) => {
    for (const t of worked(p.option, p.offsets)) covered[t] = (covered[t] ?? 0) + sign;
    const { typeIndex, day, isPartTime } = p.option;
    perTypeDay.set(`${typeIndex}|${day}`, countOf(perTypeDay, `${typeIndex}|${day}`) + sign);
    perDay.set(day, countOf(perDay, day) + sign);
    if (isPartTime) partTimeDay.set(day, countOf(partTimeDay, day) + sign);
  };

  /** The best shift covering interval `target`, or null if no cap-respecting shift can. */
  const bestFor = (target: number): Placed | null => {
    let best: Placed | null = null;
    let bestScore = Number.POSITIVE_INFINITY;
    let bestWaste = Number.POSITIVE_INFINITY;
    for (let index = Math.max(0, target - maxLength + 1); index <= target; index++) {
      for (const option of byStart[index] ?? []) {
        if (option.index + option.length <= target || !fitsCaps(option)) continue;
        const offsets = placeBreaks(option, target);
        if (!offsets) continue;
        let useful = 0;
        let waste = 0;
        for (let q = 0; q < option.length && option.index + q < n; q++) {
          if (isOnBreak(option, offsets, q)) continue;
          if (deficit(option.index + q) > EPS) useful++;
          else waste++;
        }
        const score = option.cost / useful;
        if (score < bestScore - EPS || (Math.abs(score - bestScore) <= EPS && waste < bestWaste)) {
          best = { option, offsets };
          bestScore = score;
          bestWaste = waste;
        }
      }
    }
    return best;
  };

  // Passes until nothing changes: a full-time shift added late can make room for a part-time one
  // an earlier interval was refused under the part-time share.
  let sliceStart = performance.now();
  for (let changed = true; changed; ) {
    changed = false;
    for (let t = 0; t < n; t++) {
      while (deficit(t) > EPS) {
        const choice = bestFor(t);
        if (!choice) break;
        add(choice, 1);
        placed.push(choice);
        changed = true;
        if (performance.now() - sliceStart > SLICE_MS) {
          yield;
          sliceStart = performance.now();
        }
      }
    }
  }

  // Drop shifts that only add surplus, dearest first (later additions first among equals).
  const order = placed
    .map((_, i) => i)
    .sort((a, b) => (placed[b]?.option.cost ?? 0) - (placed[a]?.option.cost ?? 0) || b - a);
  const kept = new Array<boolean>(placed.length).fill(true);
  for (const i of order) {
    const p = placed[i] as Placed;
    if (!worked(p.option, p.offsets).every((t) => deficit(t) <= -1 + EPS)) continue;
    add(p, -1);
    if (hasShareCap && share !== undefined && !p.option.isPartTime) {
      const pt = countOf(partTimeDay, p.option.day);
      const ft = countOf(perDay, p.option.day) - pt;
      if ((1 - share) * pt - share * ft > EPS) {
        add(p, 1);
        continue;
      }
    }
    kept[i] = false;
  }

  const merged = new Map<string, DecodedShift>();
  placed.forEach((p, i) => {
    if (!kept[i]) return;
    const key = `${p.option.typeIndex}|${p.option.start}|${p.offsets.join(',')}`;
    const existing = merged.get(key);
    if (existing) {
      existing.count++;
      return;
    }
    const type = definitions.shiftTypes[p.option.typeIndex];
    merged.set(key, {
      typeIndex: p.option.typeIndex,
      start: p.option.start,
      end: p.option.start + (type?.lengthMinutes ?? 0) * MINUTE_MS,
      breaks: p.offsets.map((off, b) => ({
        start: p.option.start + off * step,
        end: p.option.start + (off + (p.option.rules[b]?.len ?? 0)) * step,
      })),
      count: 1,
      covers: worked(p.option, p.offsets),
    });
  });
  const shifts = [...merged.values()];
  let shortfall = 0;
  for (let t = 0; t < n; t++) shortfall += Math.max(0, deficit(t));
  const cost = shifts.reduce((sum, s) => sum + s.count * (definitions.shiftTypes[s.typeIndex]?.cost ?? 0), 0);
  return { shifts, cost, shortfall };
}
