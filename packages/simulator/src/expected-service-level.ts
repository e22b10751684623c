import { erlangC } from '@peakdesk/workforce';

/** The service level queueing theory expects of a drill's staffing (Erlang C), and its inputs. */
export type ExpectedServiceLevel = {
  /** Chat slots: agents × chats per agent (each slot serves one conversation at a time). */
  servers: number;
  /** Hand-offs to a human per simulated hour, as the run saw them. */
  arrivalsPerHour: number;
  /** Mean simulated handle time (lognormal median × e^{σ²/2}). */
  ahtSeconds: number;
  targetSeconds: number;
  /** The run's own transport delay in simulated seconds, added to every first reply (see below). */
  latencySeconds: number;
  /** Erlang C probability that the first agent reply comes within the target. */
  serviceLevel: number;
  /** Lowest service level a healthy run should reach (the CI drill's floor). */
  floor: number;
};

/** σ of the simulator's lognormal handle and response times (run-simulation.ts). */
const HANDLE_SIGMA = 0.4;
const RESPONSE_SIGMA = 0.5;
/** The steady-state formula against a short run with a cold start and Poisson noise. */
const BAND = 0.15;

/** Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e−9). */
function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const poly = (k: number[], x: number) => k.reduce((acc, v) => acc * x + v, 0);
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (p > 1 - 0.02425) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -poly(c, q) / (poly(d, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}

/**
 * Erlang C for the drill: `agents × concurrency` slots, the observed hand-off rate, the mean handle
 * time. A simulated agent greets a new chat after a lognormal response delay, so the first reply
 * comes at queue wait W + greeting G + transport L: P(W + G + L ≤ T) = E_G[1 − C·e^{−(N−A)(T−G−L)/AHT}]
 * over G ≤ T − L, averaged over 200 quantiles of G. L is real time scaled by the run's speed (at
 * 120×, 50 ms of sockets and database are 6 simulated seconds): 1.5 × the median send→ack time,
 * for the hops between the hand-off and the greeting reaching the customer.
 */
export function expectServiceLevel(input: {
  agents: number;
  concurrency: number;
  handedOff: number;
  windowMinutes: number;
  handleMinutes: number;
  responseSeconds: number;
  targetSeconds: number;
  latencySeconds?: number;
}): ExpectedServiceLevel {
  const latency = input.latencySeconds ?? 0;
  const servers = input.agents * input.concurrency;
  const lambda = input.handedOff / (input.windowMinutes * 60);
  const aht = input.handleMinutes * 60 * Math.exp((HANDLE_SIGMA * HANDLE_SIGMA) / 2);
  const traffic = lambda * aht;
  const c = erlangC(servers, traffic);
  const steps = 200;
  let sum = 0;
  for (let i = 0; i < steps; i++) {
    const g = input.responseSeconds * Math.exp(RESPONSE_SIGMA * normalQuantile((i + 0.5) / steps));
    const t = input.targetSeconds - g - latency;
    if (t < 0) continue;
    sum += servers > traffic ? 1 - c * Math.exp((-(servers - traffic) * t) / aht) : 0;
  }
  const serviceLevel = sum / steps;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    servers,
    arrivalsPerHour: Math.round(lambda * 3600 * 10) / 10,
    ahtSeconds: Math.round(aht),
    targetSeconds: input.targetSeconds,
    latencySeconds: Math.round(latency * 10) / 10,
    serviceLevel: round(serviceLevel),
    floor: round(Math.max(0, serviceLevel - BAND)),
  };
}
