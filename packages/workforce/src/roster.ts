import type { Requirement, ScheduledShift } from './schedule-solver.ts';
import { DAY_MS, MINUTE_MS, minuteOfDay, parseClockTime, type WallClockMs } from './time.ts';
import { WorkforceInputError } from './workforce-error.ts';

export type RosterAgent = {
  name: string;
  /** Windows the agent can work in; a shift must lie inside one. Absent = always available. */
  availability?: readonly { start: WallClockMs; end: WallClockMs }[];
  /**
   * Shift types the agent is skilled for (e.g. only trained people on the night duty, part-timers only
   * part-time types): a hard rule. Absent = any.
   */
  shiftTypes?: readonly string[];
  /** Shift types the agent prefers: among agents who may take a shift, those preferring it come first. */
  preferredShiftTypes?: readonly string[];
  /** This agent's own cap on shifts in the roster (overrides `maxShiftsPerAgent`). */
  maxShifts?: number;
  /** This agent's own cap on paid minutes (shift lengths) in the roster (overrides `maxMinutesPerAgent`). */
  maxMinutes?: number;
};

export type RosterOptions = {
  /** Minimum rest between the end of one shift and the start of the next (default 11 h). */
  minRestMinutes?: number;
  /** Maximum calendar days worked in a row (default 6). */
  maxConsecutiveDays?: number;
  /** At most this many shifts per agent over the roster. Absent = no cap beyond one a day. */
  maxShiftsPerAgent?: number;
  /** At most this many minutes (shift lengths, breaks included) per agent over the roster. */
  maxMinutesPerAgent?: number;
  /**
   * Staff required per interval (the requirement the schedule was solved for), on the `intervalMinutes`
   * grid. It decides which shifts are filled first and is what the gap is measured against. Absent = the
   * shifts' own coverage (every shift is wanted, and the gap is what the unfilled shifts would have covered).
   */
  requirements?: readonly Requirement[];
  /** The requirement grid (default 30, or 15 when there are no requirements). */
  intervalMinutes?: number;
  /**
   * Time-of-day windows ("HH:MM"–"HH:MM", end may be "24:00") whose intervals are filled before the rest
   * (e.g. a promotion day's 00–02, 08–10, 15–17, 20–24). Absent = every interval counts alike.
   */
  peakWindows?: readonly { start: string; end: string }[];
};

export type RosterShift = { type: string; start: WallClockMs; end: WallClockMs };

export type RosterAssignment = RosterShift & { agent: string };

/** A run of consecutive intervals where the rostered staff fall short of the requirement. */
export type RosterGapWindow = {
  start: WallClockMs;
  end: WallClockMs;
  /** The largest shortfall in the window: this many more people would cover all of it. */
  people: number;
  /** Σ over the window's intervals of shortfall × interval length, in hours. */
  staffHours: number;
};

export type RosterGap = {
  /** The largest shortfall anywhere: "need N more people" for the reserve team. */
  people: number;
  windows: RosterGapWindow[];
};

export type RosterResult = {
  assignments: RosterAssignment[];
  /** Shifts no agent could take without breaking skills, availability, rest or cap rules. */
  unassigned: RosterShift[];
  /** Where the rostered staff fall short of the requirement, merged into windows, for the reserve team. */
  gap: RosterGap;
};

type Slot = RosterShift & { order: number; works: number[] };
type AgentState = { agent: RosterAgent; shifts: Slot[] };
type Limits = { restMs: number; maxDays: number; maxShifts?: number; maxMinutes?: number };

const dayOf = (ms: number) => Math.floor(ms / DAY_MS);

function consecutiveRun(days: ReadonlySet<number>, day: number): number {
  let run = 1;
  for (let d = day - 1; days.has(d); d--) run++;
  for (let d = day + 1; days.has(d); d++) run++;
  return run;
}

const workedMinutes = (state: AgentState) =>
  state.shifts.reduce((sum, s) => sum + (s.end - s.start) / MINUTE_MS, 0);

function canTake(state: AgentState, shift: RosterShift, limits: Limits): boolean {
  const { agent } = state;
  if (agent.shiftTypes && !agent.shiftTypes.includes(shift.type)) return false;
  if (agent.availability && !agent.availability.some((w) => w.start <= shift.start && shift.end <= w.end)) {
    return false;
  }
  const maxShifts = agent.maxShifts ?? limits.maxShifts;
  if (maxShifts !== undefined && state.shifts.length + 1 > maxShifts) return false;
  const maxMinutes = agent.maxMinutes ?? limits.maxMinutes;
  if (maxMinutes !== undefined && workedMinutes(state) + (shift.end - shift.start) / MINUTE_MS > maxMinutes) {
    return false;
  }
  for (const other of state.shifts) {
    if (other.end <= shift.start) {
      if (shift.start - other.end < limits.restMs) return false;
    } else if (shift.end <= other.start) {
      if (other.start - shift.end < limits.restMs) return false;
    } else return false;
  }
  const days = new Set(state.shifts.map((s) => dayOf(s.start)));
  if (days.has(dayOf(shift.start))) return false;
  return consecutiveRun(days, dayOf(shift.start)) <= limits.maxDays;
}

function checkCap(value: number | undefined, field: string): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= 0)) {
    throw new WorkforceInputError(`field "${field}": ${value} must be a whole number ≥ 0`, { field });
  }
}

function peakMinutes(windows: RosterOptions['peakWindows']): [number, number][] | null {
  if (!windows || windows.length === 0) return null;
  return windows.map((w, i) => {
    const start = parseClockTime(w.start);
    const end = w.end === '24:00' ? 24 * 60 : parseClockTime(w.end);
    if (start === null || end === null || end <= start) {
      throw new WorkforceInputError(
        `field "peakWindows[${i}]": ${w.start}–${w.end} is not a window of the day`,
        {
          field: `peakWindows[${i}]`,
        },
      );
    }
    return [start, end];
  });
}

/**
 * Assigns scheduled shifts (expanded by count) to named agents, the shifts that matter most first: each
 * step fills the open shift that works in the most under-covered interval (uncovered share of the
 * requirement, peak-window intervals before the others), ties going to the shift covering the most
 * uncovered share in total; shares are re-evaluated after every assignment, so a few agents spread over
 * all peaks instead of piling onto the earliest shift. The shift goes to the eligible agent who prefers
 * its type, then has the fewest minutes so far. A one-swap repair then tries each shift left over.
 * Rules are never broken (skills = allowed types, availability, rest, consecutive days, caps); what
 * stays uncovered is returned as the gap. A heuristic: an exact roster (a MIP over agents and days)
 * can do better when the rules are tight.
 */
export function buildRoster(
  shifts: readonly ScheduledShift[],
  agents: readonly RosterAgent[],
  options: RosterOptions = {},
): RosterResult {
  const restMs = (options.minRestMinutes ?? 660) * MINUTE_MS;
  const maxDays = options.maxConsecutiveDays ?? 6;
  if (!Number.isInteger(maxDays) || maxDays < 1) {
    throw new WorkforceInputError(`field "maxConsecutiveDays": ${maxDays} must be a whole number ≥ 1`, {
      field: 'maxConsecutiveDays',
    });
  }
  checkCap(options.maxShiftsPerAgent, 'maxShiftsPerAgent');
  checkCap(options.maxMinutesPerAgent, 'maxMinutesPerAgent');
  const names = new Set<string>();
  for (const agent of agents) {
    if (names.has(agent.name)) {
      throw new WorkforceInputError(`field "agents": "${agent.name}" appears twice`, { field: 'agents' });
    }
    names.add(agent.name);
  }
  const limits: Limits = {
    restMs,
    maxDays,
    ...(options.maxShiftsPerAgent !== undefined ? { maxShifts: options.maxShiftsPerAgent } : {}),
    ...(options.maxMinutesPerAgent !== undefined ? { maxMinutes: options.maxMinutesPerAgent } : {}),
  };
  const step = (options.intervalMinutes ?? (options.requirements ? 30 : 15)) * MINUTE_MS;
  const peaks = peakMinutes(options.peakWindows);

  // The interval grid: the requirement's starts, or every grid interval a shift works in.
  const index = new Map<number, number>();
  const starts: number[] = [];
  const required: number[] = [];
  const at = (start: number) => {
    let i = index.get(start);
    if (i === undefined) {
      i = starts.length;
      index.set(start, i);
      starts.push(start);
      required.push(0);
    }
    return i;
  };
  for (const r of options.requirements ?? []) required[at(r.start)] = Math.max(0, r.required);

  const slots: Slot[] = [];
  for (const s of shifts) {
    const works: number[] = [];
    for (let t = Math.ceil(s.start / step) * step; t < s.end; t += step) {
      if (s.breaks.some((b) => b.start <= t && t < b.end)) continue;
      if (options.requirements) {
        const i = index.get(t);
        if (i !== undefined) works.push(i);
      } else works.push(at(t));
    }
    for (let c = 0; c < s.count; c++) {
      slots.push({ type: s.type, start: s.start, end: s.end, order: slots.length, works });
      if (!options.requirements) for (const i of works) required[i] = (required[i] ?? 0) + 1;
    }
  }
  const isPeak = starts.map((t) => {
    if (!peaks) return true;
    const m = minuteOfDay(t);
    return peaks.some(([a, b]) => a <= m && m < b);
  });
  const covered = starts.map(() => 0);
  const share = (i: number) => {
    const r = required[i] ?? 0;
    return r > 0 ? Math.max(0, r - (covered[i] ?? 0)) / r : 0;
  };

  const states: AgentState[] = agents.map((agent) => ({ agent, shifts: [] }));
  const pickAgent = (slot: Slot): AgentState | undefined => {
    const eligible = states.filter((s) => canTake(s, slot, limits));
    const prefers = (s: AgentState) => (s.agent.preferredShiftTypes?.includes(slot.type) ? 0 : 1);
    eligible.sort(
      (a, b) =>
        prefers(a) - prefers(b) ||
        workedMinutes(a) - workedMinutes(b) ||
        a.agent.name.localeCompare(b.agent.name),
    );
    return eligible[0];
  };
  type Key = [number, number, number, number];
  const keyOf = (slot: Slot): Key => {
    let maxPeak = 0;
    let sumPeak = 0;
    let maxAll = 0;
    let sumAll = 0;
    for (const i of slot.works) {
      const u = share(i);
      if (isPeak[i]) {
        maxPeak = Math.max(maxPeak, u);
        sumPeak += u;
      }
      maxAll = Math.max(maxAll, u);
      sumAll += u;
    }
    return [maxPeak, sumPeak, maxAll, sumAll];
  };
  const EPS = 1e-9;
  const compareKeys = (a: Key, b: Key) => {
    for (let k = 0; k < a.length; k++) {
      const d = (b[k] ?? 0) - (a[k] ?? 0);
      if (Math.abs(d) > EPS) return d;
    }
    return 0;
  };

  let open = [...slots];
  const leftOver: Slot[] = [];
  while (open.length > 0) {
    const ranked = open
      .map((slot) => ({ slot, key: keyOf(slot) }))
      .sort(
        (a, b) =>
          compareKeys(a.key, b.key) ||
          a.slot.start - b.slot.start ||
          b.slot.end - a.slot.end ||
          a.slot.order - b.slot.order,
      );
    let placed: Slot | undefined;
    for (const { slot } of ranked) {
      const agent = pickAgent(slot);
      if (!agent) continue;
      agent.shifts.push(slot);
      for (const i of slot.works) covered[i] = (covered[i] ?? 0) + 1;
      placed = slot;
      break;
    }
    if (!placed) {
      leftOver.push(...open);
      break;
    }
    open = open.filter((s) => s !== placed);
  }

  const unassigned: RosterShift[] = [];
  for (const slot of leftOver.sort((a, b) => a.start - b.start || a.order - b.order)) {
    if (repair(states, slot, limits)) for (const i of slot.works) covered[i] = (covered[i] ?? 0) + 1;
    else unassigned.push({ type: slot.type, start: slot.start, end: slot.end });
  }
  const assignments = states
    .flatMap((s) => s.shifts.map(({ type, start, end }) => ({ agent: s.agent.name, type, start, end })))
    .sort((a, b) => a.start - b.start || a.agent.localeCompare(b.agent));
  return { assignments, unassigned, gap: gapOf(starts, required, covered, step) };
}

/** Shortfall per interval (requirement − rostered), merged into windows of consecutive intervals. */
function gapOf(starts: number[], required: number[], covered: number[], step: number): RosterGap {
  const order = starts.map((_, i) => i).sort((a, b) => (starts[a] ?? 0) - (starts[b] ?? 0));
  const windows: RosterGapWindow[] = [];
  let current: RosterGapWindow | null = null;
  for (const i of order) {
    const start = starts[i] ?? 0;
    const short = Math.max(0, Math.ceil((required[i] ?? 0) - (covered[i] ?? 0) - 1e-9));
    if (short === 0) {
      current = null;
      continue;
    }
    if (!current || current.end !== start) {
      current = { start, end: start, people: 0, staffHours: 0 };
      windows.push(current);
    }
    current.end = start + step;
    current.people = Math.max(current.people, short);
    current.staffHours += (short * step) / (60 * MINUTE_MS);
  }
  return { people: Math.max(0, ...windows.map((w) => w.people)), windows };
}

/** One-swap repair: agent A gives a blocking shift to agent B, then A takes `shift`. */
function repair(states: AgentState[], shift: Slot, limits: Limits): boolean {
  for (const a of states) {
    for (const blocking of [...a.shifts]) {
      const without: AgentState = { agent: a.agent, shifts: a.shifts.filter((s) => s !== blocking) };
      if (!canTake(without, shift, limits)) continue;
      const b = states.find((other) => other !== a && canTake(other, blocking, limits));
      if (!b) continue;
      a.shifts = [...without.shifts, shift];
      b.shifts.push(blocking);
      return true;
    }
  }
  return false;
}
