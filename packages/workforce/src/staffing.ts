import { erlangAMetrics, erlangCMetrics, type QueueMetrics } from './erlang.ts';
import { WorkforceInputError } from './workforce-error.ts';

export type StaffingModel = 'simple' | 'erlang-c' | 'erlang-a';

export const STAFFING_MODELS: readonly StaffingModel[] = ['simple', 'erlang-c', 'erlang-a'];

/** Seed 002: one agent handles at most 360 questions an hour. */
export const DEFAULT_CAPACITY_PER_AGENT_HOUR = 360;

/**
 * Throughput of one agent serving K chats at once, relative to serving one (index K − 1). Chats interleave
 * (the customer types while the agent answers another), so throughput grows with K but with diminishing
 * returns: the agent's attention is shared and each chat lasts longer. These defaults are conservative
 * planning figures for e-commerce pre-/after-sales chat; replace them with factors measured from your own
 * data (chats closed per agent-hour at concurrency K ÷ at concurrency 1).
 */
export const DEFAULT_CONCURRENCY_FACTORS: readonly number[] = [1.0, 1.8, 2.4, 2.8, 3.0, 3.1];

export type StaffingRequest = {
  model: StaffingModel;
  /** Arrivals (chats, calls, questions) in the interval. */
  volume: number;
  intervalMinutes: number;
  /** Handle time of one contact handled on its own, seconds (not used by the simple model). */
  ahtSeconds?: number;
  /** Service-level target: this fraction answered within `targetSeconds` (not used by the simple model). */
  serviceLevel?: number;
  targetSeconds?: number;
  /** Mean customer patience, seconds (Erlang A only). */
  patienceSeconds?: number;
  /** Chats one agent serves at once (K). */
  concurrency?: number;
  concurrencyFactors?: readonly number[];
  /** Upper bound on occupancy, e.g. 0.85, so agents are not planned to be busy all the time. */
  maxOccupancy?: number;
  /** Share of paid time not available for contacts (breaks, training, absence), in [0, 1). */
  shrinkage?: number;
  /** Simple model only: contacts one agent handles per hour. */
  capacityPerAgentHour?: number;
};

export type StaffingResult = {
  model: StaffingModel;
  /** Agents needed on the floor. */
  agents: number;
  /** Scheduled positions: ceil(agents / (1 − shrinkage)). */
  positions: number;
  serviceLevel: number | null;
  /** Mean wait in seconds (null for the simple model). */
  asa: number | null;
  waitProbability: number | null;
  occupancy: number | null;
  abandonRate: number | null;
  /** Offered load in Erlangs with the effective (concurrency-adjusted) handle time; null for simple. */
  traffic: number | null;
  /** Agent time per contact after concurrency: aht / factor(K); null for simple. */
  effectiveAhtSeconds: number | null;
};

function invalid(field: string, detail: string): never {
  throw new WorkforceInputError(`field "${field}": ${detail}`, { field });
}

function requireNumber(
  value: number | undefined,
  field: string,
  check: (v: number) => boolean,
  rule: string,
) {
  if (value === undefined || !Number.isFinite(value) || !check(value)) {
    invalid(field, `${value === undefined ? 'is required' : `${value} is invalid`} (${rule})`);
  }
  return value;
}

/** Capacity factor of an agent serving K chats; beyond the table the last factor holds. */
export function concurrencyFactor(
  concurrency: number,
  factors: readonly number[] = DEFAULT_CONCURRENCY_FACTORS,
) {
  if (!Number.isInteger(concurrency) || concurrency < 1)
    invalid('concurrency', `${concurrency} must be a whole number ≥ 1`);
  if (factors.length === 0 || factors.some((f) => !Number.isFinite(f) || f <= 0)) {
    invalid('concurrencyFactors', 'must be a non-empty list of positive numbers');
  }
  return factors[Math.min(concurrency, factors.length) - 1] as number;
}

export function positionsFor(agents: number, shrinkage = 0): number {
  requireNumber(shrinkage, 'shrinkage', (v) => v >= 0 && v < 1, 'a fraction in [0, 1)');
  // Round before ceil so 0.7/(1−0.3) style float noise does not add a position.
  return Math.ceil(Number((agents / (1 - shrinkage)).toFixed(9)));
}

function simpleStaffing(request: StaffingRequest, maxOccupancy: number, shrinkage: number): StaffingResult {
  const capacity = request.capacityPerAgentHour ?? DEFAULT_CAPACITY_PER_AGENT_HOUR;
  requireNumber(capacity, 'capacityPerAgentHour', (v) => v > 0, 'must be positive');
  const perAgent = (capacity * request.intervalMinutes) / 60;
  const agents = Math.ceil(Number((request.volume / (perAgent * maxOccupancy)).toFixed(9)));
  return {
    model: 'simple',
    agents,
    positions: positionsFor(agents, shrinkage),
    serviceLevel: null,
    asa: null,
    waitProbability: null,
    occupancy: agents > 0 ? request.volume / (agents * perAgent) : 0,
    abandonRate: null,
    traffic: null,
    effectiveAhtSeconds: null,
  };
}

/**
 * Smallest agent count meeting the service-level target and the occupancy cap, for a predicate that is
 * monotone in the number of agents: gallop up from `low` to find a feasible count, then bisect.
 */
function smallestFeasible(low: number, isFeasible: (agents: number) => boolean): number {
  if (isFeasible(low)) return low;
  let lastInfeasible = low;
  let step = Math.max(1, Math.ceil(low * 0.05));
  let candidate = low + step;
  while (!isFeasible(candidate)) {
    lastInfeasible = candidate;
    step *= 2;
    candidate = low + step;
    if (candidate > 10_000_000) invalid('volume', 'needs more than 10 million agents');
  }
  let hi = candidate;
  while (hi - lastInfeasible > 1) {
    const mid = Math.floor((hi + lastInfeasible) / 2);
    if (isFeasible(mid)) hi = mid;
    else lastInfeasible = mid;
  }
  return hi;
}

/** Metrics for a given number of agents (exposed so callers can show "what if we had N agents"). */
export function queueMetricsFor(request: StaffingRequest, agents: number): QueueMetrics {
  const aht = requireNumber(request.ahtSeconds, 'ahtSeconds', (v) => v > 0, 'must be positive');
  const target = requireNumber(request.targetSeconds, 'targetSeconds', (v) => v >= 0, 'must be ≥ 0');
  const effectiveAht = aht / concurrencyFactor(request.concurrency ?? 1, request.concurrencyFactors);
  const arrivalRatePerSecond = request.volume / (request.intervalMinutes * 60);
  if (request.model === 'erlang-a') {
    const patience = requireNumber(
      request.patienceSeconds,
      'patienceSeconds',
      (v) => v > 0,
      'must be positive',
    );
    return erlangAMetrics({
      agents,
      arrivalRatePerSecond,
      ahtSeconds: effectiveAht,
      targetSeconds: target,
      patienceSeconds: patience,
    });
  }
  return erlangCMetrics({ agents, arrivalRatePerSecond, ahtSeconds: effectiveAht, targetSeconds: target });
}

/**
 * Agents and scheduled positions for one interval. Erlang models find the fewest agents whose service
 * level reaches the target and whose occupancy stays under `maxOccupancy`.
 */
export function computeStaffing(request: StaffingRequest): StaffingResult {
  if (!STAFFING_MODELS.includes(request.model)) {
    invalid('model', `"${String(request.model)}" is not one of ${STAFFING_MODELS.join(', ')}`);
  }
  requireNumber(request.volume, 'volume', (v) => v >= 0, 'must be ≥ 0');
  requireNumber(request.intervalMinutes, 'intervalMinutes', (v) => v > 0, 'must be positive');
  const maxOccupancy = requireNumber(
    request.maxOccupancy ?? 1,
    'maxOccupancy',
    (v) => v > 0 && v <= 1,
    'in (0, 1]',
  );
  const shrinkage = requireNumber(request.shrinkage ?? 0, 'shrinkage', (v) => v >= 0 && v < 1, 'in [0, 1)');
  if (request.model === 'simple') return simpleStaffing(request, maxOccupancy, shrinkage);
  const slTarget = requireNumber(request.serviceLevel, 'serviceLevel', (v) => v > 0 && v < 1, 'in (0, 1)');
  const aht = requireNumber(request.ahtSeconds, 'ahtSeconds', (v) => v > 0, 'must be positive');
  const effectiveAht = aht / concurrencyFactor(request.concurrency ?? 1, request.concurrencyFactors);
  const traffic = (request.volume / (request.intervalMinutes * 60)) * effectiveAht;
  const isFeasible = (agents: number) => {
    const m = queueMetricsFor(request, agents);
    return m.serviceLevel >= slTarget - 1e-12 && m.occupancy <= maxOccupancy + 1e-12;
  };
  // Erlang C needs N > A to be stable and N ≥ A/maxOccupancy; Erlang A is stable for any N (callers
  // abandon), so it has no such bound and the search starts from one agent.
  const low =
    request.volume === 0
      ? 0
      : request.model === 'erlang-c'
        ? Math.max(Math.floor(traffic) + 1, Math.ceil(traffic / maxOccupancy - 1e-9))
        : 1;
  const agents = smallestFeasible(low, isFeasible);
  const metrics = queueMetricsFor(request, agents);
  return {
    model: request.model,
    agents,
    positions: positionsFor(agents, shrinkage),
    serviceLevel: metrics.serviceLevel,
    asa: metrics.asa,
    waitProbability: metrics.waitProbability,
    occupancy: Math.min(1, metrics.occupancy),
    abandonRate: metrics.abandonRate,
    traffic,
    effectiveAhtSeconds: effectiveAht,
  };
}

/** Staffing for a day (or any run) of intervals: one request per interval, same settings. */
export function computeStaffingPlan(
  volumes: readonly number[],
  settings: Omit<StaffingRequest, 'volume'>,
): StaffingResult[] {
  return volumes.map((volume) => computeStaffing({ ...settings, volume }));
}
