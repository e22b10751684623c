import type { ScheduledShift } from './schedule-solver.ts';
import { DAY_MS, MINUTE_MS, type WallClockMs } from './time.ts';
import { WorkforceInputError } from './workforce-error.ts';

export type RosterAgent = {
  name: string;
  /** Windows the agent can work in; a shift must lie inside one. Absent = always available. */
  availability?: readonly { start: WallClockMs; end: WallClockMs }[];
  /** Shift types the agent may work (e.g. part-timers only part-time types). Absent = any. */
  shiftTypes?: readonly string[];
};

export type RosterOptions = {
  /** Minimum rest between the end of one shift and the start of the next (default 11 h). */
  minRestMinutes?: number;
  /** Maximum calendar days worked in a row (default 6). */
  maxConsecutiveDays?: number;
};

export type RosterShift = { type: string; start: WallClockMs; end: WallClockMs };

export type RosterAssignment = RosterShift & { agent: string };

export type RosterResult = {
  assignments: RosterAssignment[];
  /** Shifts no agent could take without breaking availability, rest or consecutive-day rules. */
  unassigned: RosterShift[];
};

type AgentState = { agent: RosterAgent; shifts: RosterShift[] };

const dayOf = (ms: number) => Math.floor(ms / DAY_MS);

function consecutiveRun(days: ReadonlySet<number>, day: number): number {
  let run = 1;
  for (let d = day - 1; days.has(d); d--) run++;
  for (let d = day + 1; days.has(d); d++) run++;
  return run;
}

function canTake(state: AgentState, shift: RosterShift, restMs: number, maxDays: number): boolean {
  const { agent } = state;
  if (agent.shiftTypes && !agent.shiftTypes.includes(shift.type)) return false;
  if (agent.availability && !agent.availability.some((w) => w.start <= shift.start && shift.end <= w.end)) {
    return false;
  }
  for (const other of state.shifts) {
    if (other.end <= shift.start) {
      if (shift.start - other.end < restMs) return false;
    } else if (shift.end <= other.start) {
      if (other.start - shift.end < restMs) return false;
    } else return false;
  }
  const days = new Set(state.shifts.map((s) => dayOf(s.start)));
  if (days.has(dayOf(shift.start))) return false;
  return consecutiveRun(days, dayOf(shift.start)) <= maxDays;
}

const workedMinutes = (state: AgentState) => state.shifts.reduce((sum, s) => sum + (s.end - s.start), 0);

/**
 * Assigns scheduled shifts (expanded by count) to named agents. A greedy pass takes shifts in start order
 * and gives each to the eligible agent with the fewest hours so far (balances load); a repair pass then
 * tries, for each shift left over, to free an agent by moving one of their shifts to another agent.
 * This is a heuristic: it never breaks a rule, but it can leave shifts unassigned when an exact roster
 * (a matching/MIP over all agents and days) would have found room. Unassigned shifts are reported.
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
  const names = new Set<string>();
  for (const agent of agents) {
    if (names.has(agent.name)) {
      throw new WorkforceInputError(`field "agents": "${agent.name}" appears twice`, { field: 'agents' });
    }
    names.add(agent.name);
  }
  const states: AgentState[] = agents.map((agent) => ({ agent, shifts: [] }));
  const queue: RosterShift[] = shifts
    .flatMap((s) => Array.from({ length: s.count }, () => ({ type: s.type, start: s.start, end: s.end })))
    .sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start));
  const leftOver: RosterShift[] = [];
  for (const shift of queue) {
    const eligible = states.filter((s) => canTake(s, shift, restMs, maxDays));
    eligible.sort((a, b) => workedMinutes(a) - workedMinutes(b) || a.agent.name.localeCompare(b.agent.name));
    const chosen = eligible[0];
    if (chosen) chosen.shifts.push(shift);
    else leftOver.push(shift);
  }
  const unassigned: RosterShift[] = [];
  for (const shift of leftOver) {
    if (!repair(states, shift, restMs, maxDays)) unassigned.push(shift);
  }
  const assignments = states
    .flatMap((s) => s.shifts.map((shift) => ({ agent: s.agent.name, ...shift })))
    .sort((a, b) => a.start - b.start || a.agent.localeCompare(b.agent));
  return { assignments, unassigned };
}

/** One-swap repair: agent A gives a blocking shift to agent B, then A takes `shift`. */
function repair(states: AgentState[], shift: RosterShift, restMs: number, maxDays: number): boolean {
  for (const a of states) {
    for (const blocking of [...a.shifts]) {
      const without: AgentState = { agent: a.agent, shifts: a.shifts.filter((s) => s !== blocking) };
      if (!canTake(without, shift, restMs, maxDays)) continue;
      const b = states.find((other) => other !== a && canTake(other, blocking, restMs, maxDays));
      if (!b) continue;
      a.shifts = [...without.shifts, shift];
      b.shifts.push(blocking);
      return true;
    }
  }
  return false;
}
