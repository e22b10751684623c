/**
 * Queueing formulas for one interval in steady state. Times are in seconds, rates per second.
 * Erlang B/C use the iterative Erlang B recursion (no factorials), stable for thousands of agents.
 * Erlang A (M/M/N+M, Palm's model) follows Garnett, Mandelbaum & Reiman (2002) and Mandelbaum & Zeltyn,
 * "The Palm/Erlang-A queue, with applications to call centers" (2007), written with scaled series for
 * the incomplete gamma function so it neither overflows nor cancels at large traffic.
 */

export type QueueMetrics = {
  agents: number;
  /** Fraction of all arrivals answered within the target time (abandoned ones count as misses). */
  serviceLevel: number;
  /** Mean time in queue over all arrivals, seconds (Erlang C: Average Speed of Answer). */
  asa: number;
  /** Probability that an arrival has to wait at all. */
  waitProbability: number;
  /** Busy fraction of agent time: served traffic / agents. */
  occupancy: number;
  /** Fraction of arrivals that abandon (null for Erlang C, where nobody abandons). */
  abandonRate: number | null;
};

export type ErlangCInput = {
  agents: number;
  arrivalRatePerSecond: number;
  ahtSeconds: number;
  targetSeconds: number;
};

export type ErlangAInput = ErlangCInput & { patienceSeconds: number };

/** Erlang B blocking probability via B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1)). */
export function erlangB(servers: number, traffic: number): number {
  let b = 1;
  for (let n = 1; n <= servers; n++) b = (traffic * b) / (n + traffic * b);
  return b;
}

/** Erlang C probability of waiting, C = N·B / (N − A·(1 − B)); 1 when the queue is unstable (N ≤ A). */
export function erlangC(servers: number, traffic: number): number {
  if (traffic <= 0) return 0;
  if (servers <= traffic) return 1;
  const b = erlangB(servers, traffic);
  return (servers * b) / (servers - traffic * (1 - b));
}

export function erlangCMetrics(input: ErlangCInput): QueueMetrics {
  const { agents, arrivalRatePerSecond: lambda, ahtSeconds: aht, targetSeconds } = input;
  const traffic = lambda * aht;
  if (traffic <= 0) {
    return { agents, serviceLevel: 1, asa: 0, waitProbability: 0, occupancy: 0, abandonRate: null };
  }
  if (agents <= traffic) {
    return {
      agents,
      serviceLevel: 0,
      asa: Number.POSITIVE_INFINITY,
      waitProbability: 1,
      occupancy: 1,
      abandonRate: null,
    };
  }
  const c = erlangC(agents, traffic);
  return {
    agents,
    serviceLevel: Math.max(0, 1 - c * Math.exp((-(agents - traffic) * targetSeconds) / aht)),
    asa: (c * aht) / (agents - traffic),
    waitProbability: c,
    occupancy: traffic / agents,
    abandonRate: null,
  };
}

const LN_SCALE = 250 * Math.LN10;

/**
 * log M(s, z) with M(s, z) = Σ_{j≥0} z^j / (s(s+1)…(s+j)), so that the lower incomplete gamma function is
 * γ(s, z) = z^s e^{−z} M(s, z). Terms are summed with periodic rescaling (no overflow when z ≫ s) and
 * stop once they fall below 1e−17 of the sum after the peak at j ≈ z − s.
 */
function logM(s: number, z: number): number {
  let term = 1;
  let sum = 1;
  let logScale = 0;
  for (let j = 1; j < 10_000_000; j++) {
    term *= z / (s + j);
    sum += term;
    if (sum > 1e250) {
      term /= 1e250;
      sum /= 1e250;
      logScale += LN_SCALE;
    }
    if (s + j > z && term < sum * 1e-17) break;
  }
  return Math.log(sum) + logScale - Math.log(s);
}

/**
 * Erlang A (M/M/N+M) with exponential patience θ = 1/patience, x = Nμ/θ, y = λ/θ, ρ = λ/(Nμ):
 *   A(x, y)      = x·e^y·y^{−x}·γ(x, y) = x·M(x, y)
 *   P(W > 0)     = A·E_B / (1 + (A − 1)·E_B),  E_B = Erlang B(N, λ/μ)
 *   P(Ab | W>0)  = 1/(ρA) + 1 − 1/ρ
 *   E[W]         = P(Ab)/θ  (Little's law on the abandonment flow)
 *   P(V > t | V > 0) = γ(x, y·e^{−θt}) / γ(x, y)  for the offered wait V, so the probability of being
 *   answered within T given a wait is [γ(x+1, y) − γ(x+1, y·e^{−θT})] / (y·γ(x, y)).
 */
export function erlangAMetrics(input: ErlangAInput): QueueMetrics {
  const { agents, arrivalRatePerSecond: lambda, ahtSeconds: aht, targetSeconds, patienceSeconds } = input;
  if (lambda <= 0) {
    return { agents, serviceLevel: 1, asa: 0, waitProbability: 0, occupancy: 0, abandonRate: 0 };
  }
  if (agents <= 0) {
    return {
      agents,
      serviceLevel: 0,
      asa: patienceSeconds,
      waitProbability: 1,
      occupancy: 0,
      abandonRate: 1,
    };
  }
  const x = (agents * patienceSeconds) / aht;
  const y = lambda * patienceSeconds;
  const rho = (lambda * aht) / agents;
  const logMxy = logM(x, y);
  const bigA = Math.exp(Math.log(x) + logMxy);
  const blocking = erlangB(agents, lambda * aht);
  // 1 / (1 + (1 − B)/(A·B)) is the same as A·B/(1 + (A−1)·B) but stays finite when A overflows.
  const waitProbability = blocking === 0 ? 0 : 1 / (1 + (1 - blocking) / (bigA * blocking));
  const abandonGivenWait = Math.min(1, Math.max(0, 1 / (rho * bigA) + 1 - 1 / rho));
  const abandonRate = waitProbability * abandonGivenWait;
  const thetaT = targetSeconds / patienceSeconds;
  const z = y * Math.exp(-thetaT);
  const answeredEver = Math.exp(logM(x + 1, y) - logMxy);
  const answeredAfterT = Math.exp(-thetaT * (x + 1) + (y - z) + logM(x + 1, z) - logMxy);
  const answeredWithinGivenWait = Math.min(1, Math.max(0, answeredEver - answeredAfterT));
  return {
    agents,
    serviceLevel: 1 - waitProbability + waitProbability * answeredWithinGivenWait,
    asa: abandonRate * patienceSeconds,
    waitProbability,
    occupancy: (lambda * (1 - abandonRate) * aht) / agents,
    abandonRate,
  };
}
