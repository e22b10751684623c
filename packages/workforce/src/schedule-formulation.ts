import {
  breakPlacements,
  expandShiftCandidates,
  type ShiftCandidate,
  type ShiftDefinitions,
  type ShiftType,
} from './shift-model.ts';
import { DAY_MS, MINUTE_MS, parseClockTime, startOfDay, type WallClockMs } from './time.ts';

/**
 * `implicit` (default): one integer column per (shift type, start) and one per (type, break rule, break
 * start time) shared by all shifts of that type, linked by Bechtold–Jacobs forward/backward constraints,
 * so break placements do not multiply columns. Types whose break windows could overlap each other fall
 * back to explicit columns. `explicit`: one column per (type, start, placement of every break).
 */
export type Formulation = 'implicit' | 'explicit';

/** HiGHS model data as the worker passes it to `Model.passModel` (CSR rows, minimise). */
export type MipModel = {
  numCols: number;
  numRows: number;
  colCost: number[];
  colLower: number[];
  colUpper: number[];
  rowLower: number[];
  rowUpper: number[];
  integrality: number[];
  matrix: {
    format: 'csr';
    numRows: number;
    numCols: number;
    starts: number[];
    indices: number[];
    values: number[];
  };
};

/** A requirement curve on the definitions' interval grid. */
export type ScheduleGrid = { start: WallClockMs; required: readonly number[] };

/** Chosen shifts of one (type, start, break placement), with the horizon intervals each one works in. */
export type DecodedShift = {
  typeIndex: number;
  start: WallClockMs;
  end: WallClockMs;
  breaks: { start: WallClockMs; end: WallClockMs }[];
  count: number;
  covers: number[];
};

export type ScheduleModel = {
  model: MipModel;
  /** Columns that are shifts (the rest are break placements and under-coverage slack). */
  shiftColumns: number;
  /** Turns a (MIP-feasible) column vector into concrete shifts with breaks. */
  decode(colValue: ArrayLike<number>): DecodedShift[];
  /**
   * The inverse: the column vector of concrete shifts (breaks inside their windows), with running totals
   * and under-coverage slack filled in — a start for HiGHS. Feasible when the shifts respect the caps
   * (and, without slack, cover the requirement).
   */
  encode(shifts: readonly DecodedShift[]): number[];
};

type Entry = [col: number, value: number];
type ColumnRole = 'running-total' | 'slack';

class ModelBuilder {
  readonly colCost: number[] = [];
  readonly colUpper: number[] = [];
  readonly integrality: number[] = [];
  readonly rowLower: number[] = [];
  readonly rowUpper: number[] = [];
  readonly rowStarts: number[] = [];
  readonly indices: number[] = [];
  readonly values: number[] = [];
  /** How `encode` fills a column the shifts do not set: from its defining equality row, or as slack. */
  readonly derived: (ColumnRole | null)[] = [];

  addColumn(cost: number, upper: number, integer: boolean, role: ColumnRole | null = null): number {
    this.colCost.push(cost);
    this.colUpper.push(upper);
    this.integrality.push(integer ? 1 : 0);
    this.derived.push(role);
    return this.colCost.length - 1;
  }

  /**
   * Completes a column vector whose shift and break columns are set: each running total from its row
   * (rows are added in the order the totals depend on each other), each slack to what its row lacks.
   */
  complete(colValue: number[]): number[] {
    const known = this.derived.map((role) => role === null);
    for (let r = 0; r < this.rowLower.length; r++) {
      const from = this.rowStarts[r] as number;
      const to = this.rowStarts[r + 1] ?? this.indices.length;
      let unknown = -1;
      let coefficient = 0;
      let sum = 0;
      for (let k = from; k < to; k++) {
        const col = this.indices[k] as number;
        const value = this.values[k] as number;
        if (known[col]) sum += value * (colValue[col] ?? 0);
        else {
          unknown = col;
          coefficient = value;
        }
      }
      if (unknown < 0) continue;
      const lower = this.rowLower[r] as number;
      colValue[unknown] =
        this.derived[unknown] === 'running-total'
          ? (lower - sum) / coefficient
          : Math.min(this.colUpper[unknown] as number, Math.max(0, (lower - sum) / coefficient));
      known[unknown] = true;
    }
    return colValue;
  }

  addRow(entries: readonly Entry[], lower: number, upper: number): void {
    if (entries.length === 0) return;
    this.rowStarts.push(this.indices.length);
    for (const [col, value] of entries) {
      this.indices.push(col);
      this.values.push(value);
    }
    this.rowLower.push(lower);
    this.rowUpper.push(upper);
  }

  finish(): MipModel {
    const numCols = this.colCost.length;
    const numRows = this.rowLower.length;
    return {
      numCols,
      numRows,
      colCost: this.colCost,
      colLower: new Array<number>(numCols).fill(0),
      colUpper: this.colUpper,
      rowLower: this.rowLower,
      rowUpper: this.rowUpper,
      integrality: this.integrality,
      matrix: {
        format: 'csr',
        numRows,
        numCols,
        starts: [...this.rowStarts, this.indices.length],
        indices: this.indices,
        values: this.values,
      },
    };
  }
}

/** In grid intervals: break rule b may start e..l intervals after the shift start and lasts len. */
type RuleGrid = { e: number; l: number; len: number };

/**
 * Break windows of a type are independent when every break must end before the next one may start:
 * then any placement of break b combines with any placement of break b + 1, breaks never overlap, and
 * each rule can be matched to shifts on its own (the condition for the implicit model to be exact).
 */
export function hasIndependentBreakWindows(type: ShiftType): boolean {
  const rules = type.breaks ?? [];
  return rules.every((rule, b) => {
    const next = rules[b + 1];
    return (
      next === undefined ||
      rule.latestAfterStartMinutes + rule.lengthMinutes <= next.earliestAfterStartMinutes
    );
  });
}

/** Start times of a type inside the horizon, ascending (starts repeat every calendar day). */
export function typeStarts(
  type: ShiftType,
  horizonStart: WallClockMs,
  horizonEnd: WallClockMs,
): WallClockMs[] {
  const earliest = parseClockTime(type.startEarliest) ?? 0;
  const latest = parseClockTime(type.startLatest) ?? 0;
  const starts: WallClockMs[] = [];
  for (let day = startOfDay(horizonStart); day < horizonEnd; day += DAY_MS) {
    for (let minute = earliest; minute <= latest; minute += type.startStepMinutes) {
      const start = day + minute * MINUTE_MS;
      if (start >= horizonStart && start < horizonEnd) starts.push(start);
    }
  }
  return starts;
}

/**
 * Number of distinct shift options (type × start × break placement, merged when they cover the same
 * intervals on the same day) — the column count of the explicit model — without listing them when a
 * shift lies wholly inside the horizon (then every placement covers a different set of intervals).
 */
export function countShiftOptions(
  definitions: ShiftDefinitions,
  horizonStart: WallClockMs,
  intervalCount: number,
): number {
  const interval = definitions.intervalMinutes;
  const horizonEnd = horizonStart + intervalCount * interval * MINUTE_MS;
  let count = 0;
  definitions.shiftTypes.forEach((type) => {
    const placements = breakPlacements(type, interval).length;
    const starts = typeStarts(type, horizonStart, horizonEnd);
    const inside = starts.filter((s) => s + type.lengthMinutes * MINUTE_MS <= horizonEnd).length;
    count += inside * placements;
    if (inside < starts.length) {
      // Shifts running past the end: expand just those (few) starts and merge identical ones.
      const tail = starts[inside] ?? horizonEnd;
      const one: ShiftDefinitions = { ...definitions, shiftTypes: [type] };
      count += expandShiftCandidates(one, horizonStart, intervalCount).filter((c) => c.start >= tail).length;
    }
  });
  return count;
}

/** Break window of the m-th start of a group, as positions in the group's break columns. */
type Window = { from: number; to: number };

/** Bechtold–Jacobs linking rows written out: each forward/backward row lists its whole prefix/suffix. */
function addDenseLinking(builder: ModelBuilder, x: number[], y: number[], windows: Window[]) {
  builder.addRow([...y.map((c): Entry => [c, 1]), ...x.map((c): Entry => [c, -1])], 0, 0);
  windows.forEach((w, m) => {
    if (m < windows.length - 1) {
      builder.addRow(
        [...x.slice(0, m + 1).map((c): Entry => [c, 1]), ...y.slice(0, w.to + 1).map((c): Entry => [c, -1])],
        Number.NEGATIVE_INFINITY,
        0,
      );
    }
    if (m > 0) {
      builder.addRow(
        [...x.slice(m).map((c): Entry => [c, 1]), ...y.slice(w.from).map((c): Entry => [c, -1])],
        Number.NEGATIVE_INFINITY,
        0,
      );
    }
  });
}

/**
 * The same constraints with running totals, so every row is short (the dense rows grow quadratically
 * with the starts of a group: 62k non-zeros for the benchmark week instead of ~8k):
 *   s_m = Σ_{p ≤ to_m} y_p − Σ_{j ≤ m} x_j ≥ 0   (forward; s_last = 0 is the equality)
 *   t_m = Σ_{j < m} x_j − Σ_{p < from_m} y_p ≥ 0  (backward, m ≥ 1; ⇔ the suffix form given the equality)
 * each written as s_m − s_{m−1} = Σ_{to_{m−1} < p ≤ to_m} y_p − x_m, and likewise for t.
 */
function addChainLinking(builder: ModelBuilder, x: number[], y: number[], windows: Window[]) {
  let previous: number | null = null;
  windows.forEach((w, m) => {
    const entries: Entry[] = [[x[m] as number, -1]];
    for (let p = m === 0 ? 0 : (windows[m - 1] as Window).to + 1; p <= w.to; p++)
      entries.push([y[p] as number, 1]);
    if (previous !== null) entries.push([previous, 1]);
    if (m < windows.length - 1) {
      previous = builder.addColumn(0, Number.POSITIVE_INFINITY, false, 'running-total');
      entries.push([previous, -1]);
    }
    builder.addRow(entries, 0, 0);
  });
  previous = null;
  windows.forEach((w, m) => {
    if (m === 0) return;
    const before = windows[m - 1] as Window;
    const t = builder.addColumn(0, Number.POSITIVE_INFINITY, false, 'running-total');
    const entries: Entry[] = [
      [t, 1],
      [x[m - 1] as number, -1],
    ];
    if (previous !== null) entries.push([previous, -1]);
    for (let p = before.from; p < w.from; p++) entries.push([y[p] as number, 1]);
    builder.addRow(entries, 0, 0);
    previous = t;
  });
}

export type ModelOptions = {
  formulation?: Formulation;
  /** How the implicit model's forward/backward constraints are written (same feasible set). */
  linking?: 'chain' | 'dense';
};

/**
 * Builds the covering integer program (minimise Σ cost·x, + penalty·Σ slack when `penalty` is set):
 *   coverage   Σ_{shifts working t} − Σ_{breaks taken at t} (+ u_t) ≥ r_t   for every interval with r_t > 0
 *   maxCount   Σ_{shifts of type k starting on day d} ≤ maxCount_k
 *   headcount  Σ_{shifts starting on day d} ≤ maxShiftsPerDay
 *   part-time  Σ_{PT, day d} (1 − s)·x − Σ_{FT, day d} s·x ≤ 0          (PT share ≤ s)
 * plus, in the implicit formulation, for each type k, break rule b and group G of starts whose break
 * windows [a_i, b_i] chain-overlap (Bechtold & Jacobs 1990):
 *   Σ_{p ∈ G's windows} y_p = Σ_{i ∈ G} x_i                         every shift gets exactly one break b
 *   Σ_{j ≤ i} x_j ≤ Σ_{p ≤ b_i} y_p     (forward, i ∈ G)            early shifts find early enough breaks
 *   Σ_{j ≥ i} x_j ≤ Σ_{p ≥ a_i} y_p     (backward, i ∈ G)           late shifts find late enough breaks
 * Windows move with the start, so both ends are non-decreasing in i; Hall's condition for this convex
 * bipartite graph then reduces to these contiguous ranges, and the integral transport (decode) exists.
 */
export function buildScheduleModel(
  definitions: ShiftDefinitions,
  grid: ScheduleGrid,
  penalty: number | null,
  { formulation = 'implicit', linking = 'chain' }: ModelOptions = {},
): ScheduleModel {
  const interval = definitions.intervalMinutes;
  const step = interval * MINUTE_MS;
  const intervalCount = grid.required.length;
  const horizonEnd = grid.start + intervalCount * step;
  const builder = new ModelBuilder();
  const coverage: Entry[][] = grid.required.map(() => []);
  const shiftCols: { col: number; typeIndex: number; day: number }[] = [];
  const decoders: ((colValue: ArrayLike<number>, out: DecodedShift[]) => void)[] = [];
  // Per type: adds a concrete shift's counts to its shift and break columns.
  const encoders = new Map<number, (shift: DecodedShift, colValue: number[]) => void>();
  const addTo = (colValue: number[], col: number | undefined, count: number, what: string) => {
    if (col === undefined) throw new Error(`schedule solver: ${what} is not a column of the model`);
    colValue[col] = (colValue[col] ?? 0) + count;
  };
  const implicitTypes = new Set<number>();
  if (formulation === 'implicit') {
    definitions.shiftTypes.forEach((type, k) => {
      if (hasIndependentBreakWindows(type)) implicitTypes.add(k);
    });
  }

  // Explicit columns: every (start, break placement) of the remaining types.
  const explicitIndex = definitions.shiftTypes.map((_, k) => k).filter((k) => !implicitTypes.has(k));
  if (explicitIndex.length > 0) {
    const sub: ShiftDefinitions = {
      ...definitions,
      shiftTypes: explicitIndex.map((k) => definitions.shiftTypes[k] as ShiftType),
    };
    const candidates: ShiftCandidate[] = expandShiftCandidates(sub, grid.start, intervalCount).map((c) => ({
      ...c,
      typeIndex: explicitIndex[c.typeIndex] ?? c.typeIndex,
    }));
    const cols = candidates.map((c) => {
      const type = definitions.shiftTypes[c.typeIndex] as ShiftType;
      const col = builder.addColumn(type.cost, type.maxCount ?? Number.POSITIVE_INFINITY, true);
      for (const t of c.covers) coverage[t]?.push([col, 1]);
      shiftCols.push({ col, typeIndex: c.typeIndex, day: c.day });
      return col;
    });
    const byCovers = new Map(candidates.map((c, i) => [`${c.typeIndex}|${c.day}|${c.covers}`, cols[i]]));
    for (const k of explicitIndex) {
      encoders.set(k, (shift, colValue) => {
        const day = Math.floor(startOfDay(shift.start) / DAY_MS);
        addTo(colValue, byCovers.get(`${k}|${day}|${shift.covers}`), shift.count, 'a shift option');
      });
    }
    decoders.push((colValue, out) => {
      candidates.forEach((c, i) => {
        const count = Math.round(colValue[cols[i] ?? -1] ?? 0);
        if (count > 0) out.push({ ...c, count, covers: c.covers });
      });
    });
  }

  // Implicit columns: shift starts, plus one break column per (rule, start time) shared by the type.
  for (const k of implicitTypes) {
    const type = definitions.shiftTypes[k] as ShiftType;
    const length = type.lengthMinutes / interval;
    const starts = typeStarts(type, grid.start, horizonEnd).map((start) => {
      const index = Math.round((start - grid.start) / step);
      const col = builder.addColumn(type.cost, type.maxCount ?? Number.POSITIVE_INFINITY, true);
      for (let t = index; t < Math.min(index + length, intervalCount); t++) coverage[t]?.push([col, 1]);
      shiftCols.push({ col, typeIndex: k, day: Math.floor(startOfDay(start) / DAY_MS) });
      return { start, index, col };
    });
    const rules: RuleGrid[] = (type.breaks ?? []).map((r) => ({
      e: r.earliestAfterStartMinutes / interval,
      l: r.latestAfterStartMinutes / interval,
      len: r.lengthMinutes / interval,
    }));
    // breakCols[b]: grid index of a break start → its column (runs of one rule never share a time).
    const breakCols = rules.map(() => new Map<number, number>());
    // groups[b] = chain-overlapping runs of starts with the break columns of their windows.
    const groups = rules.map((rule, b) => {
      const runs: { members: number[]; first: number; cols: number[] }[] = [];
      starts.forEach((s, i) => {
        const last = runs[runs.length - 1];
        const prev = starts[i - 1];
        if (last !== undefined && prev !== undefined && s.index + rule.e <= prev.index + rule.l) {
          last.members.push(i);
        } else {
          runs.push({ members: [i], first: s.index + rule.e, cols: [] });
        }
      });
      for (const run of runs) {
        const lastStart = starts[run.members[run.members.length - 1] ?? 0] as { index: number };
        for (let p = run.first; p <= lastStart.index + rule.l; p++) {
          const col = builder.addColumn(0, Number.POSITIVE_INFINITY, true);
          for (let t = p; t < Math.min(p + rule.len, intervalCount); t++) coverage[t]?.push([col, -1]);
          run.cols.push(col);
          breakCols[b]?.set(p, col);
        }
        const x = run.members.map((i) => (starts[i] as { col: number }).col);
        const windows = run.members.map((i) => {
          const s = starts[i] as { index: number };
          return { from: s.index + rule.e - run.first, to: s.index + rule.l - run.first };
        });
        if (linking === 'chain') addChainLinking(builder, x, run.cols, windows);
        else addDenseLinking(builder, x, run.cols, windows);
      }
      return runs;
    });
    const startCols = new Map(starts.map((s) => [s.start, s.col]));
    encoders.set(k, (shift, colValue) => {
      addTo(colValue, startCols.get(shift.start), shift.count, `a ${type.name} start`);
      shift.breaks.forEach((br, b) => {
        const p = Math.round((br.start - grid.start) / step);
        addTo(colValue, breakCols[b]?.get(p), shift.count, `a ${type.name} break time`);
      });
    });
    decoders.push((colValue, out) => {
      const counts = starts.map((s) => Math.round(colValue[s.col] ?? 0));
      // breakAt[b][i] = grid indices of break b's start for each of the counts[i] shifts from start i.
      const breakAt = groups.map((runs, b) => {
        const rule = rules[b] as RuleGrid;
        const assigned: number[][] = starts.map(() => []);
        for (const run of runs) {
          const left = run.cols.map((c) => Math.round(colValue[c] ?? 0));
          // Earliest-deadline-first: starts in order (windows non-decreasing at both ends), each shift
          // takes the earliest break time still free in its window. Hall's condition guarantees success.
          for (const i of run.members) {
            const s = starts[i] as { index: number };
            for (let n = 0; n < (counts[i] ?? 0); n++) {
              let q = s.index + rule.e - run.first;
              while (q < left.length && (left[q] ?? 0) <= 0) q++;
              if (q > s.index + rule.l - run.first) {
                throw new Error(`schedule solver: break ${b} of a ${type.name} shift cannot be placed`);
              }
              left[q] = (left[q] ?? 0) - 1;
              assigned[i]?.push(run.first + q);
            }
          }
        }
        return assigned;
      });
      starts.forEach((s, i) => {
        const groupsByPlacement = new Map<string, { at: number[]; count: number }>();
        for (let n = 0; n < (counts[i] ?? 0); n++) {
          const at = breakAt.map((perStart) => perStart[i]?.[n] ?? 0);
          const key = at.join(',');
          const entry = groupsByPlacement.get(key);
          if (entry) entry.count++;
          else groupsByPlacement.set(key, { at, count: 1 });
        }
        for (const { at, count } of groupsByPlacement.values()) {
          const off = new Set<number>();
          at.forEach((p, b) => {
            for (let t = p; t < p + (rules[b]?.len ?? 0); t++) off.add(t);
          });
          const covers: number[] = [];
          for (let t = s.index; t < Math.min(s.index + length, intervalCount); t++) {
            if (!off.has(t)) covers.push(t);
          }
          out.push({
            typeIndex: k,
            start: s.start,
            end: s.start + type.lengthMinutes * MINUTE_MS,
            breaks: at.map((p, b) => ({
              start: grid.start + p * step,
              end: grid.start + (p + (rules[b]?.len ?? 0)) * step,
            })),
            count,
            covers,
          });
        }
      });
    });
  }
  const shiftColumns = shiftCols.length;

  grid.required.forEach((r, t) => {
    if (r <= 0) return;
    const entries = coverage[t] ?? [];
    if (penalty !== null) entries.push([builder.addColumn(penalty, r, false, 'slack'), 1]);
    // An interval no shift can cover, without slack: keep the row so HiGHS reports the model infeasible.
    if (entries.length === 0) entries.push([0, 0]);
    builder.addRow(entries, r, Number.POSITIVE_INFINITY);
  });

  const partTime = new Set(definitions.partTimeTypes ?? []);
  const share = definitions.maxPartTimeShare;
  const days = [...new Set(shiftCols.map((c) => c.day))];
  for (const day of days) {
    const onDay = shiftCols.filter((c) => c.day === day);
    definitions.shiftTypes.forEach((type, typeIndex) => {
      if (type.maxCount === undefined) return;
      builder.addRow(
        onDay.filter((c) => c.typeIndex === typeIndex).map(({ col }): Entry => [col, 1]),
        Number.NEGATIVE_INFINITY,
        type.maxCount,
      );
    });
    if (definitions.maxShiftsPerDay !== undefined) {
      builder.addRow(
        onDay.map(({ col }): Entry => [col, 1]),
        Number.NEGATIVE_INFINITY,
        definitions.maxShiftsPerDay,
      );
    }
    if (share !== undefined && share < 1 && partTime.size > 0) {
      builder.addRow(
        onDay.map(
          ({ col, typeIndex }): Entry => [
            col,
            partTime.has(definitions.shiftTypes[typeIndex]?.name ?? '') ? 1 - share : -share,
          ],
        ),
        Number.NEGATIVE_INFINITY,
        0,
      );
    }
  }

  return {
    model: builder.finish(),
    shiftColumns,
    decode(colValue) {
      const out: DecodedShift[] = [];
      for (const decode of decoders) decode(colValue, out);
      return out;
    },
    encode(shifts) {
      const colValue = new Array<number>(builder.colCost.length).fill(0);
      for (const shift of shifts) {
        const encodeShift = encoders.get(shift.typeIndex);
        if (!encodeShift) throw new Error(`schedule solver: no shift type ${shift.typeIndex}`);
        encodeShift(shift, colValue);
      }
      return builder.complete(colValue);
    },
  };
}
