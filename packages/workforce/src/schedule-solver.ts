import { splitIntoBlocks } from './schedule-decomposition.ts';
import {
  buildScheduleModel,
  countShiftOptions,
  type DecodedShift,
  type Formulation,
  type MipModel,
} from './schedule-formulation.ts';
import { greedyScheduleYielding, type HeuristicPlan } from './schedule-heuristic.ts';
import { type HighsOptionValue, type SolveJob, solveInWorker } from './schedule-solver-pool.ts';
import { isOnIntervalGrid, type ShiftDefinitions, validateShiftDefinitions } from './shift-model.ts';
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
 * time-limit-heuristic: the time limit passed before HiGHS found a plan better than the greedy one it
 *   was started from (for a block, or at all), so that part is the greedy plan; `gap` is against HiGHS's
 *   bound when it has one, and `shortfall` says whether the greedy plan covers everything.
 * There is always a plan: the greedy one exists before HiGHS starts.
 */
export type ScheduleStatus = 'optimal' | 'time-limit' | 'understaffed' | 'time-limit-heuristic';

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

/**
 * Penalty per missing agent-interval, as a multiple of the dearest shift's cost: large enough that the
 * solver never saves money by leaving an interval short when a cap-respecting shift could cover it.
 */
const UNDERSTAFFING_PENALTY_FACTOR = 1000;

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

function relativeGap(objective: number, bound: number | null): number | null {
  if (bound === null || !Number.isFinite(bound)) return null;
  const gap = (objective - bound) / Math.max(Math.abs(objective), 1e-9);
  return Math.max(0, gap);
}

/** Engine knobs for benchmarks and tests; not part of the public API. */
export type SolverTuning = {
  formulation?: Formulation;
  linking?: 'chain' | 'dense';
  /** Extra HiGHS options, e.g. `{ mip_heuristic_effort: 0.3 }`. */
  highsOptions?: Record<string, HighsOptionValue>;
  /** Solve independent blocks (e.g. days no shift links) separately (default true). */
  decompose?: boolean;
  /** Hand HiGHS the greedy plan as its first incumbent (default true; tests switch it off). */
  warmStart?: boolean;
  /** Write HiGHS's log to stderr. */
  log?: boolean;
};

/** Solver facts for benchmarks: model size and HiGHS's own figures. */
export type SolveDiagnostics = {
  columns: number;
  rows: number;
  /** Independent blocks solved one after the other. */
  blocks: number;
  nodes: number | null;
  highsSeconds: number;
  /** The greedy plan: its cost, shortfall and build time, and whether HiGHS took it as a start. */
  heuristic: { cost: number; shortfall: number; seconds: number };
  startAccepted: boolean | null;
  /** Blocks whose plan is the greedy one because HiGHS had none at its time limit. */
  heuristicBlocks: number;
};

type SolvedAnswer = {
  status: string;
  hasSolution: boolean;
  objective: number | null;
  dualBound: number | null;
  colValue: number[];
  seconds: number;
  nodes: number | null;
  blocks: number;
  heuristicBlocks: number;
  startAccepted: boolean | null;
};

type BlockSolveOptions = Omit<SolveJob, 'model'> & { decompose: boolean };

/**
 * Solves the model block by block (see `splitIntoBlocks`), one HiGHS run per block in the pooled worker,
 * sharing the time limit in proportion to block size (time a block leaves unused passes on). The
 * objective and bound are sums over blocks; the whole is optimal when every block is. With a `start`
 * (a feasible column vector), a block HiGHS has no plan for at its limit keeps the start's values.
 */
async function solveBlocks(model: MipModel, options: BlockSolveOptions): Promise<SolvedAnswer> {
  const { decompose, ...job } = options;
  const blocks = decompose
    ? splitIntoBlocks(model)
    : [{ cols: model.colCost.map((_, c) => c), rows: [], model }];
  const started = performance.now();
  const colValue = new Array<number>(model.numCols).fill(0);
  const merged: SolvedAnswer = {
    status: 'optimal',
    hasSolution: true,
    objective: 0,
    dualBound: 0,
    colValue,
    seconds: 0,
    nodes: 0,
    blocks: blocks.length,
    heuristicBlocks: 0,
    startAccepted: null,
  };
  let sizeLeft = blocks.reduce((sum, b) => sum + b.cols.length, 0);
  for (const block of blocks) {
    const remaining = job.timeLimitSeconds - (performance.now() - started) / 1000;
    const share = Math.max(0.1, (remaining * block.cols.length) / Math.max(1, sizeLeft));
    sizeLeft -= block.cols.length;
    const start = job.start ? block.cols.map((c) => job.start?.[c] ?? 0) : undefined;
    const answer = await solveInWorker({
      ...job,
      model: block.model,
      timeLimitSeconds: share,
      ...(start ? { start } : {}),
    });
    if (!answer.ok) throw new Error(`schedule solver failed: ${answer.message}`);
    if (job.log) for (const line of answer.log) process.stderr.write(`${line}\n`);
    merged.seconds += answer.seconds;
    merged.nodes = merged.nodes === null || answer.nodes === null ? null : merged.nodes + answer.nodes;
    if (answer.startAccepted !== null) {
      merged.startAccepted = (merged.startAccepted ?? true) && answer.startAccepted;
    }
    let colValue = answer.colValue;
    let objective = answer.objective ?? 0;
    const startObjective = start?.reduce((sum, v, i) => sum + v * (block.model.colCost[i] ?? 0), 0);
    if (!answer.hasSolution) {
      // The start is feasible, so only a limit (time, in practice) leaves HiGHS without a plan.
      if (!start || startObjective === undefined || answer.status === 'infeasible') {
        return { ...merged, status: answer.status, hasSolution: false, objective: null, colValue: [] };
      }
      colValue = start;
      objective = startObjective;
      merged.heuristicBlocks++;
    } else if (
      startObjective !== undefined &&
      answer.status !== 'optimal' &&
      objective >= startObjective - 1e-6
    ) {
      // Stopped holding only the start it was given: the plan is still the greedy one.
      merged.heuristicBlocks++;
    }
    // A block without integer columns is an LP: HiGHS reports no MIP bound, its optimum is the bound.
    const bound = answer.dualBound ?? (answer.status === 'optimal' ? objective : null);
    merged.objective = (merged.objective ?? 0) + objective;
    merged.dualBound = merged.dualBound === null || bound === null ? null : merged.dualBound + bound;
    if (answer.status !== 'optimal') merged.status = answer.status;
    block.cols.forEach((c, i) => {
      merged.colValue[c] = colValue[i] ?? 0;
    });
  }
  return merged;
}

/**
 * Chooses shifts covering a requirement curve at least cost (an integer program solved by HiGHS in a
 * worker thread). If head-count caps make full coverage impossible it re-solves with slack on every
 * interval, penalised far above any shift cost, and returns status `understaffed`.
 */
export async function solveSchedule(request: ScheduleRequest): Promise<ScheduleResult> {
  return (await solveScheduleWith(request, {})).result;
}

/** `solveSchedule` with engine knobs, also returning model size (benchmarks and equivalence tests). */
export async function solveScheduleWith(
  request: ScheduleRequest,
  tuning: SolverTuning,
): Promise<{ result: ScheduleResult; diagnostics: SolveDiagnostics }> {
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
  const candidateCount = countShiftOptions(definitions, grid.start, grid.required.length);
  const started = performance.now();
  // The greedy plan first (milliseconds): HiGHS starts from it, and it stands in for HiGHS when the time
  // limit passes before HiGHS has a plan (a cold worker on a loaded machine can spend the limit on setup).
  const heuristic: HeuristicPlan = await greedyScheduleYielding(definitions, grid);
  const warmStart = tuning.warmStart ?? true;
  const diagnostics: SolveDiagnostics = {
    columns: 0,
    rows: 0,
    blocks: 0,
    nodes: null,
    highsSeconds: 0,
    heuristic: {
      cost: heuristic.cost,
      shortfall: heuristic.shortfall,
      seconds: (performance.now() - started) / 1000,
    },
    startAccepted: null,
    heuristicBlocks: 0,
  };

  const attempt = async (penalty: number | null) => {
    const built = buildScheduleModel(definitions, grid, penalty, {
      formulation: tuning.formulation ?? 'implicit',
      linking: tuning.linking ?? 'chain',
    });
    diagnostics.columns = built.model.numCols;
    diagnostics.rows = built.model.numRows;
    // Without slack the greedy plan is a feasible start only when it covers everything.
    const start =
      warmStart && (penalty !== null || heuristic.shortfall <= 1e-9)
        ? built.encode(heuristic.shifts)
        : undefined;
    const answer = await solveBlocks(built.model, {
      timeLimitSeconds: Math.max(0.1, timeLimit - (performance.now() - started) / 1000),
      mipRelGap: gapTarget,
      decompose: tuning.decompose ?? true,
      ...(start ? { start } : {}),
      ...(tuning.highsOptions ? { options: tuning.highsOptions } : {}),
      ...(tuning.log ? { log: true } : {}),
    });
    diagnostics.nodes = answer.nodes;
    diagnostics.blocks = answer.blocks;
    diagnostics.highsSeconds += answer.seconds;
    diagnostics.startAccepted = answer.startAccepted;
    diagnostics.heuristicBlocks = answer.heuristicBlocks;
    return { answer, built };
  };

  let understaffed = false;
  let answer: SolvedAnswer;
  let decoded: DecodedShift[] = [];
  if (candidateCount === 0) {
    // No shift can work inside the horizon: the empty plan is the only one (understaffed if r > 0).
    answer = {
      status: 'optimal',
      hasSolution: true,
      objective: 0,
      dualBound: 0,
      colValue: [],
      seconds: 0,
      nodes: 0,
      blocks: 0,
      heuristicBlocks: 0,
      startAccepted: null,
    };
  } else {
    let solved = await attempt(null);
    if (!solved.answer.hasSolution && solved.answer.status !== 'time-limit') {
      const maxCost = Math.max(1, ...definitions.shiftTypes.map((t) => t.cost));
      solved = await attempt(UNDERSTAFFING_PENALTY_FACTOR * maxCost);
      understaffed = true;
    }
    answer = solved.answer;
    if (answer.hasSolution) {
      decoded = solved.built.decode(answer.colValue);
    } else {
      // Only reachable without a start: the greedy plan leaves intervals short (caps, or greedy's own
      // weakness) and HiGHS ran out of time before a plan or an infeasibility proof. No bound applies
      // to a plan that does not cover the requirement.
      decoded = heuristic.shifts;
      answer = { ...answer, objective: heuristic.cost, dualBound: null, heuristicBlocks: answer.blocks };
    }
  }
  const solveSeconds = (performance.now() - started) / 1000;
  const scheduledAt = grid.required.map(() => 0);
  for (const shift of decoded) {
    for (const t of shift.covers) scheduledAt[t] = (scheduledAt[t] ?? 0) + shift.count;
  }
  const step = definitions.intervalMinutes * MINUTE_MS;
  const coverage = grid.required.map((required, t) => ({
    start: grid.start + t * step,
    required,
    scheduled: scheduledAt[t] ?? 0,
  }));
  const shortfall = coverage.reduce((sum, row) => sum + Math.max(0, row.required - row.scheduled), 0);
  const cost = decoded.reduce(
    (sum, s) => sum + s.count * (definitions.shiftTypes[s.typeIndex]?.cost ?? 0),
    0,
  );
  const shifts: ScheduledShift[] = decoded
    .map((s) => ({
      type: definitions.shiftTypes[s.typeIndex]?.name ?? '',
      start: s.start,
      end: s.end,
      breaks: s.breaks,
      count: s.count,
    }))
    .sort((a, b) => a.start - b.start || a.type.localeCompare(b.type) || compareBreaks(a.breaks, b.breaks));
  const objective = answer.objective ?? 0;
  const gap = relativeGap(objective, answer.dualBound);
  const isHeuristic = answer.heuristicBlocks > 0 || !answer.hasSolution;
  const status: ScheduleStatus = isHeuristic
    ? 'time-limit-heuristic'
    : understaffed || shortfall > 1e-6
      ? 'understaffed'
      : answer.status === 'optimal'
        ? 'optimal'
        : 'time-limit';
  const short = `${round(shortfall)} agent-intervals short`;
  const message =
    status === 'understaffed'
      ? `caps make full coverage impossible: ${short}; plan minimises the shortfall first`
      : status === 'time-limit-heuristic'
        ? [
            `time limit of ${timeLimit} s reached before the solver found a better plan than the greedy one`,
            answer.heuristicBlocks < answer.blocks ? ' for part of the horizon' : '',
            '; showing it',
            gap === null ? '' : ` (within ${round(100 * gap)}% of the solver's bound)`,
            shortfall > 1e-6
              ? understaffed
                ? `; caps make full coverage impossible and it leaves ${short} (not proven minimal)`
                : `; it leaves ${short}`
              : '',
            '; a larger time limit lets the solver improve it',
          ].join('')
        : status === 'time-limit'
          ? `time limit reached; best plan is within ${gap === null ? '(unknown)' : `${round(100 * gap)}%`} of the optimum`
          : 'optimal';
  return {
    result: {
      status,
      message,
      cost,
      gap,
      bound: answer.dualBound !== null && Number.isFinite(answer.dualBound) ? answer.dualBound : null,
      shifts,
      coverage,
      shortfall,
      solveSeconds,
      candidateCount,
    },
    diagnostics,
  };
}

function compareBreaks(a: readonly { start: number }[], b: readonly { start: number }[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = (a[i]?.start ?? 0) - (b[i]?.start ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
