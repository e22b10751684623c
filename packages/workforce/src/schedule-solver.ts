import { Worker } from 'node:worker_threads';
import {
  expandShiftCandidates,
  isOnIntervalGrid,
  type ShiftCandidate,
  type ShiftDefinitions,
  validateShiftDefinitions,
} from './shift-model.ts';
import { formatIsoTimestamp, MINUTE_MS, type WallClockMs } from './time.ts';
import { WorkforceInputError } from './workforce-error.ts';

export type Requirement = { start: WallClockMs; required: number };

export type ScheduleRequest = {
  requirements: readonly Requirement[];
  definitions: ShiftDefinitions;
  /** Wall-clock limit for each HiGHS solve, seconds (default 30). */
  timeLimitSeconds?: number;
  /** Stop when (incumbent − bound)/incumbent falls below this (default 0.001 = 0.1%). */
  mipRelGap?: number;
};

/**
 * optimal: coverage met, cost proven within `mipRelGap` of the optimum.
 * time-limit: coverage met, but the time limit stopped the proof; see `gap`.
 * understaffed: the caps make full coverage impossible; the plan minimises under-coverage first.
 * no-solution: the time limit passed before any schedule was found.
 */
export type ScheduleStatus = 'optimal' | 'time-limit' | 'understaffed' | 'no-solution';

export type ScheduledShift = {
  type: string;
  start: WallClockMs;
  end: WallClockMs;
  breaks: { start: WallClockMs; end: WallClockMs }[];
  count: number;
};

export type CoverageRow = { start: WallClockMs; required: number; scheduled: number };

export type ScheduleResult = {
  status: ScheduleStatus;
  message: string;
  /** Total shift cost (under-coverage penalties excluded). */
  cost: number;
  /** Relative gap between the objective and HiGHS's proven bound (0 = proven optimal); null if unknown. */
  gap: number | null;
  /** Proven lower bound on the objective (including penalties when understaffed). */
  bound: number | null;
  shifts: ScheduledShift[];
  coverage: CoverageRow[];
  /** Σ over intervals of missing agents (0 unless understaffed). */
  shortfall: number;
  solveSeconds: number;
  candidateCount: number;
};

/** HiGHS model data as the worker passes it to `Model.passModel` (CSR rows, minimise). */
type MipModel = {
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

type SolvedAnswer = Extract<WorkerAnswer, { ok: true }>;

/**
 * Penalty per missing agent-interval, as a multiple of the dearest shift's cost: large enough that the
 * solver never saves money by leaving an interval short when a cap-respecting shift could cover it.
 */
const UNDERSTAFFING_PENALTY_FACTOR = 1000;

type WorkerAnswer =
  | {
      ok: true;
      status: string;
      hasSolution: boolean;
      objective: number | null;
      dualBound: number | null;
      colValue: number[];
      seconds: number;
    }
  | { ok: false; message: string };

const WORKER_URL = new URL('./schedule-solver.worker.mjs', import.meta.url);

/** Solves one MIP in a worker thread, so a long solve never blocks the caller's event loop. */
function solveInWorker(model: MipModel, timeLimitSeconds: number, mipRelGap: number): Promise<WorkerAnswer> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL);
    // HiGHS honours time_limit itself; the watchdog only catches a wedged worker.
    const watchdog = setTimeout(
      () => {
        void worker.terminate();
        reject(new Error(`schedule solver did not answer within ${timeLimitSeconds + 30} s`));
      },
      (timeLimitSeconds + 30) * 1000,
    );
    const finish = () => {
      clearTimeout(watchdog);
      void worker.terminate();
    };
    worker.once('message', (answer: WorkerAnswer) => {
      finish();
      resolve(answer);
    });
    worker.once('error', (error) => {
      finish();
      reject(error);
    });
    worker.postMessage({ model, timeLimitSeconds, mipRelGap });
  });
}

type Grid = { start: WallClockMs; required: number[] };

function buildGrid(requirements: readonly Requirement[], intervalMinutes: number): Grid {
  if (requirements.length === 0)
    throw new WorkforceInputError('requirements are empty', { field: 'requirements' });
  const step = intervalMinutes * MINUTE_MS;
  const sorted = [...requirements].sort((a, b) => a.start - b.start);
  const first = sorted[0] as Requirement;
  const last = sorted[sorted.length - 1] as Requirement;
  const required = new Array<number>(Math.round((last.start - first.start) / step) + 1).fill(0);
  const seen = new Set<number>();
  for (const r of sorted) {
    if (!isOnIntervalGrid(r.start, intervalMinutes)) {
      throw new WorkforceInputError(
        `field "interval_start": ${formatIsoTimestamp(r.start, null)} is not on the ${intervalMinutes}-minute grid`,
        { field: 'interval_start' },
      );
    }
    if (!Number.isFinite(r.required) || r.required < 0) {
      throw new WorkforceInputError(`field "required": ${r.required} must be a non-negative number`, {
        field: 'required',
      });
    }
    const index = Math.round((r.start - first.start) / step);
    if (seen.has(index)) {
      throw new WorkforceInputError(
        `field "interval_start": ${formatIsoTimestamp(r.start, null)} appears twice`,
        {
          field: 'interval_start',
        },
      );
    }
    seen.add(index);
    required[index] = r.required;
  }
  return { start: first.start, required };
}

type RowBuilder = { lower: number[]; upper: number[]; starts: number[]; indices: number[]; values: number[] };

function addRow(rows: RowBuilder, entries: [number, number][], lower: number, upper: number) {
  if (entries.length === 0) return;
  rows.starts.push(rows.indices.length);
  for (const [col, value] of entries) {
    rows.indices.push(col);
    rows.values.push(value);
  }
  rows.lower.push(lower);
  rows.upper.push(upper);
}

/**
 * Covering model: x_c ∈ ℤ≥0 shifts of candidate c;  min Σ cost·x (+ penalty·Σ u when `withSlack`)
 *   coverage   Σ_{c covers t} x_c (+ u_t) ≥ r_t          for every interval with r_t > 0
 *   maxCount   Σ_{c of type k, day d} x_c ≤ maxCount_k
 *   headcount  Σ_{c on day d} x_c ≤ maxShiftsPerDay
 *   part-time  Σ_{PT, day d} (1 − s)·x_c − Σ_{FT, day d} s·x_c ≤ 0   (PT share ≤ s)
 */
function buildModel(
  definitions: ShiftDefinitions,
  candidates: readonly ShiftCandidate[],
  required: readonly number[],
  penalty: number | null,
): { model: MipModel } {
  const rows: RowBuilder = { lower: [], upper: [], starts: [], indices: [], values: [] };
  const coveredBy: number[][] = required.map(() => []);
  candidates.forEach((c, col) => {
    for (const t of c.covers) coveredBy[t]?.push(col);
  });
  const colCost = candidates.map((c) => definitions.shiftTypes[c.typeIndex]?.cost ?? 0);
  const colUpper = candidates.map(
    (c) => definitions.shiftTypes[c.typeIndex]?.maxCount ?? Number.POSITIVE_INFINITY,
  );
  const integrality: number[] = candidates.map(() => 1);
  required.forEach((r, t) => {
    if (r <= 0) return;
    const entries: [number, number][] = (coveredBy[t] ?? []).map((col) => [col, 1]);
    if (penalty !== null) {
      const slack = colCost.length;
      colCost.push(penalty);
      colUpper.push(r);
      integrality.push(0);
      entries.push([slack, 1]);
    }
    // An uncovered interval without slack: keep the row so HiGHS reports the model infeasible.
    if (entries.length === 0) entries.push([0, 0]);
    addRow(rows, entries, r, Number.POSITIVE_INFINITY);
  });
  const days = [...new Set(candidates.map((c) => c.day))];
  const partTime = new Set(definitions.partTimeTypes ?? []);
  const share = definitions.maxPartTimeShare;
  for (const day of days) {
    const onDay = candidates.map((c, col) => ({ c, col })).filter(({ c }) => c.day === day);
    definitions.shiftTypes.forEach((type, typeIndex) => {
      if (type.maxCount === undefined) return;
      const entries: [number, number][] = onDay
        .filter(({ c }) => c.typeIndex === typeIndex)
        .map(({ col }) => [col, 1]);
      addRow(rows, entries, Number.NEGATIVE_INFINITY, type.maxCount);
    });
    if (definitions.maxShiftsPerDay !== undefined) {
      addRow(
        rows,
        onDay.map(({ col }) => [col, 1]),
        Number.NEGATIVE_INFINITY,
        definitions.maxShiftsPerDay,
      );
    }
    if (share !== undefined && share < 1 && partTime.size > 0) {
      const entries: [number, number][] = onDay.map(({ c, col }) => [
        col,
        partTime.has(definitions.shiftTypes[c.typeIndex]?.name ?? '') ? 1 - share : -share,
      ]);
      addRow(rows, entries, Number.NEGATIVE_INFINITY, 0);
    }
  }
  rows.starts.push(rows.indices.length);
  const numCols = colCost.length;
  const numRows = rows.lower.length;
  return {
    model: {
      numCols,
      numRows,
      colCost,
      colLower: new Array<number>(numCols).fill(0),
      colUpper,
      rowLower: rows.lower,
      rowUpper: rows.upper,
      integrality,
      matrix: {
        format: 'csr',
        numRows,
        numCols,
        starts: rows.starts,
        indices: rows.indices,
        values: rows.values,
      },
    },
  };
}

function relativeGap(objective: number, bound: number | null): number | null {
  if (bound === null || !Number.isFinite(bound)) return null;
  const gap = (objective - bound) / Math.max(Math.abs(objective), 1e-9);
  return Math.max(0, gap);
}

/**
 * Chooses shifts covering a requirement curve at least cost (an integer program solved by HiGHS in a
 * worker thread). If head-count caps make full coverage impossible it re-solves with slack on every
 * interval, penalised far above any shift cost, and returns status `understaffed`.
 */
export async function solveSchedule(request: ScheduleRequest): Promise<ScheduleResult> {
  const definitions = validateShiftDefinitions(request.definitions);
  const timeLimit = request.timeLimitSeconds ?? 30;
  const gapTarget = request.mipRelGap ?? 0.001;
  if (!(timeLimit > 0))
    throw new WorkforceInputError('field "timeLimitSeconds": must be positive', {
      field: 'timeLimitSeconds',
    });
  if (!(gapTarget >= 0))
    throw new WorkforceInputError('field "mipRelGap": must be ≥ 0', { field: 'mipRelGap' });
  const grid = buildGrid(request.requirements, definitions.intervalMinutes);
  const candidates = expandShiftCandidates(definitions, grid.start, grid.required.length);
  const started = performance.now();

  const attempt = async (penalty: number | null): Promise<SolvedAnswer> => {
    const { model } = buildModel(definitions, candidates, grid.required, penalty);
    const answer = await solveInWorker(model, timeLimit, gapTarget);
    if (!answer.ok) throw new Error(`schedule solver failed: ${answer.message}`);
    return answer;
  };

  let understaffed = false;
  let answer: SolvedAnswer;
  if (candidates.length === 0) {
    // No shift can work inside the horizon: the empty plan is the only one (understaffed if r > 0).
    answer = {
      ok: true,
      status: 'optimal',
      hasSolution: true,
      objective: 0,
      dualBound: 0,
      colValue: [],
      seconds: 0,
    };
  } else {
    answer = await attempt(null);
    if (!answer.hasSolution && answer.status !== 'time-limit') {
      const maxCost = Math.max(1, ...definitions.shiftTypes.map((t) => t.cost));
      answer = await attempt(UNDERSTAFFING_PENALTY_FACTOR * maxCost);
      understaffed = true;
    }
  }
  const solveSeconds = (performance.now() - started) / 1000;
  const counts = candidates.map((_, col) => Math.round(answer.colValue[col] ?? 0));
  const scheduledAt = grid.required.map(() => 0);
  candidates.forEach((c, col) => {
    const count = counts[col] ?? 0;
    if (count > 0) for (const t of c.covers) scheduledAt[t] = (scheduledAt[t] ?? 0) + count;
  });
  const step = definitions.intervalMinutes * MINUTE_MS;
  const coverage = grid.required.map((required, t) => ({
    start: grid.start + t * step,
    required,
    scheduled: scheduledAt[t] ?? 0,
  }));
  const shortfall = coverage.reduce((sum, row) => sum + Math.max(0, row.required - row.scheduled), 0);
  const cost = candidates.reduce(
    (sum, c, col) => sum + (counts[col] ?? 0) * (definitions.shiftTypes[c.typeIndex]?.cost ?? 0),
    0,
  );
  const shifts: ScheduledShift[] = candidates
    .map((c, col) => ({
      type: definitions.shiftTypes[c.typeIndex]?.name ?? '',
      start: c.start,
      end: c.end,
      breaks: c.breaks,
      count: counts[col] ?? 0,
    }))
    .filter((s) => s.count > 0)
    .sort((a, b) => a.start - b.start || a.type.localeCompare(b.type));
  const objective = answer.objective ?? 0;
  const gap = answer.hasSolution ? relativeGap(objective, answer.dualBound) : null;
  const status: ScheduleStatus = !answer.hasSolution
    ? 'no-solution'
    : understaffed || shortfall > 1e-6
      ? 'understaffed'
      : answer.status === 'optimal'
        ? 'optimal'
        : 'time-limit';
  const message =
    status === 'understaffed'
      ? `caps make full coverage impossible: ${round(shortfall)} agent-intervals short; plan minimises the shortfall first`
      : status === 'no-solution'
        ? `no schedule found within ${timeLimit} s`
        : status === 'time-limit'
          ? `time limit reached; best plan is within ${round(100 * (gap ?? 1))}% of the optimum`
          : 'optimal';
  return {
    status,
    message,
    cost,
    gap,
    bound: answer.dualBound,
    shifts,
    coverage,
    shortfall,
    solveSeconds,
    candidateCount: candidates.length,
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
