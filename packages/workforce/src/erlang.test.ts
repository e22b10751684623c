import { describe, expect, it } from 'vitest';
import { erlangAMetrics, erlangB, erlangC, erlangCMetrics } from './erlang.ts';

/** Independent Erlang B: Σ A^k/k! in log space (lgamma by summing logs), no recursion shared with erlangB. */
function erlangBBySums(servers: number, traffic: number): number {
  const logTerms: number[] = [];
  let logFactorial = 0;
  for (let k = 0; k <= servers; k++) {
    if (k > 0) logFactorial += Math.log(k);
    logTerms.push(k * Math.log(traffic) - logFactorial);
  }
  const max = Math.max(...logTerms);
  const sum = logTerms.reduce((acc, t) => acc + Math.exp(t - max), 0);
  return Math.exp((logTerms[servers] ?? 0) - max) / sum;
}

type Chain = {
  waitProbability: number;
  abandonRate: number;
  meanWait: number;
  occupancy: number;
  pi: number[];
};

/**
 * M/M/N+M solved directly as a birth–death chain truncated at N + 4000 waiting (mass beyond is < 1e-300
 * for these loads): π_{k+1} = π_k·λ / (min(k+1, N)·μ + max(k+1−N, 0)·θ).
 */
function solveBirthDeath(agents: number, lambda: number, aht: number, patience: number): Chain {
  const mu = 1 / aht;
  const theta = 1 / patience;
  const states = agents + 4000;
  const logPi: number[] = [0];
  for (let k = 0; k < states; k++) {
    const death = Math.min(k + 1, agents) * mu + Math.max(k + 1 - agents, 0) * theta;
    logPi.push((logPi[k] ?? 0) + Math.log(lambda) - Math.log(death));
  }
  const max = Math.max(...logPi);
  const raw = logPi.map((l) => Math.exp(l - max));
  const total = raw.reduce((a, b) => a + b, 0);
  const pi = raw.map((p) => p / total);
  let waitProbability = 0;
  let queueLength = 0;
  let busy = 0;
  pi.forEach((p, k) => {
    if (k >= agents) waitProbability += p;
    queueLength += Math.max(k - agents, 0) * p;
    busy += Math.min(k, agents) * p;
  });
  return {
    waitProbability,
    abandonRate: (theta * queueLength) / lambda,
    meanWait: queueLength / lambda,
    occupancy: busy / agents,
    pi,
  };
}

/**
 * P(answered within T) by integrating the tagged customer's Markov chain (state = customers ahead;
 * served at rate Nμ from state 0, moves down at Nμ + iθ, abandons at θ) with RK4 — an ODE, not the
 * incomplete-gamma closed form the engine uses.
 */
function serviceLevelByOde(
  agents: number,
  lambda: number,
  aht: number,
  patience: number,
  target: number,
): number {
  const chain = solveBirthDeath(agents, lambda, aht, patience);
  const mu = 1 / aht;
  const theta = 1 / patience;
  const ahead = 1500;
  let q = Array.from({ length: ahead }, (_, i) => chain.pi[agents + i] ?? 0);
  const answeredAtOnce = chain.pi.slice(0, agents).reduce((a, b) => a + b, 0);
  let served = 0;
  const derivative = (v: number[]) => {
    const dq = v.map((x, i) => -x * (agents * mu + i * theta + theta));
    for (let i = 1; i < v.length; i++) dq[i - 1] = (dq[i - 1] ?? 0) + (v[i] ?? 0) * (agents * mu + i * theta);
    return { dq, ds: (v[0] ?? 0) * agents * mu };
  };
  const steps = 4000;
  const h = target / steps;
  for (let s = 0; s < steps; s++) {
    const k1 = derivative(q);
    const k2 = derivative(q.map((x, i) => x + (h / 2) * (k1.dq[i] ?? 0)));
    const k3 = derivative(q.map((x, i) => x + (h / 2) * (k2.dq[i] ?? 0)));
    const k4 = derivative(q.map((x, i) => x + h * (k3.dq[i] ?? 0)));
    q = q.map(
      (x, i) => x + (h / 6) * ((k1.dq[i] ?? 0) + 2 * (k2.dq[i] ?? 0) + 2 * (k3.dq[i] ?? 0) + (k4.dq[i] ?? 0)),
    );
    served += (h / 6) * (k1.ds + 2 * k2.ds + 2 * k3.ds + k4.ds);
  }
  return answeredAtOnce + served;
}

describe('erlangB / erlangC', () => {
  it('matches an independent factorial-sum evaluation to 1e-12', () => {
    for (const [n, a] of [
      [1, 0.5],
      [10, 8],
      [55, 48],
      [300, 280],
      [1200, 1150],
    ] as const) {
      expect(Math.abs(erlangB(n, a) - erlangBBySums(n, a))).toBeLessThan(1e-12);
    }
  });

  it('reproduces the Call Centre Helper worked example (100 calls / 30 min, AHT 180 s, 80% in 20 s)', () => {
    // callcentrehelper.com "Erlang C Formula – Made Simple": traffic 10 Erlangs; with 11 agents the
    // probability of waiting is 68.21% and ASA 122.8 s; 14 agents reach 80/20, 20 with 30% shrinkage.
    const eleven = erlangCMetrics({
      agents: 11,
      arrivalRatePerSecond: 100 / 1800,
      ahtSeconds: 180,
      targetSeconds: 20,
    });
    expect(eleven.waitProbability).toBeCloseTo(0.6821, 4);
    expect(eleven.asa).toBeCloseTo(122.8, 1);
    // SL = 1 − C·e^{−(N−A)·t/AHT} = 1 − 0.6821·e^{−20/180}
    expect(eleven.serviceLevel).toBeCloseTo(1 - 0.6821182 * Math.exp(-20 / 180), 6);
    const thirteen = erlangCMetrics({
      agents: 13,
      arrivalRatePerSecond: 100 / 1800,
      ahtSeconds: 180,
      targetSeconds: 20,
    });
    const fourteen = erlangCMetrics({
      agents: 14,
      arrivalRatePerSecond: 100 / 1800,
      ahtSeconds: 180,
      targetSeconds: 20,
    });
    expect(thirteen.serviceLevel).toBeLessThan(0.8);
    expect(fourteen.serviceLevel).toBeGreaterThanOrEqual(0.8);
    expect(fourteen.occupancy).toBeCloseTo(10 / 14, 12);
  });

  it('agrees with the M/M/N chain for the Westbay example (360 calls / 30 min, 4 min, 55 agents)', () => {
    // westbay.ndirect.co.uk "The Erlang-C formula" uses this example; A = 48 Erlangs.
    const lambda = 360 / 1800;
    const metrics = erlangCMetrics({
      agents: 55,
      arrivalRatePerSecond: lambda,
      ahtSeconds: 240,
      targetSeconds: 15,
    });
    const chain = solveBirthDeath(55, lambda, 240, 1e12);
    expect(Math.abs(metrics.waitProbability - chain.waitProbability)).toBeLessThan(1e-4);
    expect(Math.abs(metrics.asa - chain.meanWait)).toBeLessThan(1e-3);
    expect(metrics.occupancy).toBeCloseTo(48 / 55, 12);
  });

  it('stays finite and within [0, 1] for hundreds of agents and traffic in the thousands', () => {
    for (const [n, a] of [
      [500, 480],
      [2100, 2000],
      [5000, 4990],
    ] as const) {
      const c = erlangC(n, a);
      expect(Number.isFinite(c)).toBe(true);
      expect(c).toBeGreaterThan(0);
      expect(c).toBeLessThan(1);
    }
    expect(erlangC(100, 100)).toBe(1);
  });
});

describe('erlangAMetrics', () => {
  const cases = [
    { agents: 13, volume: 100, aht: 180, patience: 120, target: 20 },
    { agents: 9, volume: 100, aht: 180, patience: 60, target: 20 },
    { agents: 48, volume: 400, aht: 240, patience: 300, target: 30 },
    { agents: 120, volume: 1500, aht: 150, patience: 90, target: 15 },
  ];

  it.each(cases)('matches the birth–death chain within 1e-4 ($agents agents, $volume per 30 min)', (c) => {
    const lambda = c.volume / 1800;
    const metrics = erlangAMetrics({
      agents: c.agents,
      arrivalRatePerSecond: lambda,
      ahtSeconds: c.aht,
      patienceSeconds: c.patience,
      targetSeconds: c.target,
    });
    const chain = solveBirthDeath(c.agents, lambda, c.aht, c.patience);
    expect(Math.abs(metrics.waitProbability - chain.waitProbability)).toBeLessThan(1e-4);
    expect(Math.abs((metrics.abandonRate ?? -1) - chain.abandonRate)).toBeLessThan(1e-4);
    expect(Math.abs(metrics.asa - chain.meanWait)).toBeLessThan(1e-3);
    expect(Math.abs(metrics.occupancy - chain.occupancy)).toBeLessThan(1e-4);
    const sl = serviceLevelByOde(c.agents, lambda, c.aht, c.patience, c.target);
    expect(Math.abs(metrics.serviceLevel - sl)).toBeLessThan(1e-4);
  });

  it('tends to Erlang C as patience grows', () => {
    const input = { agents: 13, arrivalRatePerSecond: 100 / 1800, ahtSeconds: 180, targetSeconds: 20 };
    const a = erlangAMetrics({ ...input, patienceSeconds: 1e9 });
    const c = erlangCMetrics(input);
    expect(Math.abs(a.serviceLevel - c.serviceLevel)).toBeLessThan(1e-6);
    expect(Math.abs(a.waitProbability - c.waitProbability)).toBeLessThan(1e-6);
  });

  it('handles overload with thousands of Erlangs: about (A − N)/A of callers abandon', () => {
    // 5 arrivals/s × 200 s = 1000 Erlangs against 900 agents: the fluid limit says 10% abandon.
    const m = erlangAMetrics({
      agents: 900,
      arrivalRatePerSecond: 5,
      ahtSeconds: 200,
      patienceSeconds: 300,
      targetSeconds: 20,
    });
    expect(m.abandonRate ?? 0).toBeGreaterThan(0.099);
    expect(m.abandonRate ?? 1).toBeLessThan(0.102);
    expect(m.serviceLevel).toBeGreaterThanOrEqual(0);
    expect(m.serviceLevel).toBeLessThan(0.2);
  });
});
