import type { TIntradayView, TPlanInterval } from '@peakdesk/contracts';

export type IntradayInput = {
  /** The day's plan intervals with their wall-clock starts. */
  intervals: (TPlanInterval & { wallMs: number })[];
  intervalMinutes: number;
  /** Actual arrivals per interval start (wall-clock ms). */
  actuals: ReadonlyMap<number, number>;
  asOfWall: number;
  signedInAgents: number;
  shrinkage: number;
  /** Floor agents needed for a volume (the plan's staffing settings). */
  agentsFor: (volume: number) => number;
  /** How far ahead the alert looks, in intervals (current one included). */
  lookahead: number;
};

type IntradayCore = Pick<TIntradayView, 'ratio' | 'intervals' | 'alert'>;

/**
 * Actual vs forecast for one day: elapsed intervals show actuals; the rest is reforecast as
 * forecast × (Σ actual ÷ Σ forecast over the elapsed intervals). Requirement is re-derived from the
 * reforecast and compared with who is there: signed-in agents now, the schedule (after shrinkage) later.
 * A shortfall in the look-ahead window raises an alert with how many reserve agents to call in.
 */
export function computeIntraday(input: IntradayInput): IntradayCore {
  const step = input.intervalMinutes * 60_000;
  let actualSum = 0;
  let forecastSum = 0;
  for (const i of input.intervals) {
    if (i.wallMs + step <= input.asOfWall) {
      actualSum += input.actuals.get(i.wallMs) ?? 0;
      forecastSum += i.forecast;
    }
  }
  const ratio = forecastSum > 0 ? actualSum / forecastSum : 1;
  const intervals = input.intervals.map((i) => {
    const isPast = i.wallMs + step <= input.asOfWall;
    const isCurrent = !isPast && i.wallMs <= input.asOfWall;
    const actual = isPast || isCurrent ? (input.actuals.get(i.wallMs) ?? 0) : null;
    const reforecast = isPast ? (actual ?? 0) : Math.round(i.forecast * ratio * 100) / 100;
    const requiredReforecast = input.agentsFor(reforecast);
    const available = isCurrent
      ? input.signedInAgents
      : Math.floor(i.scheduled * (1 - input.shrinkage) + 1e-9);
    return {
      start: i.start,
      forecast: i.forecast,
      actual,
      reforecast,
      required: i.agents,
      requiredReforecast,
      scheduled: i.scheduled,
      shortfall: isPast ? 0 : Math.max(0, requiredReforecast - available),
      isPast,
      isCurrent,
    };
  });
  const firstOpen = intervals.findIndex((i) => !i.isPast);
  const window = firstOpen < 0 ? [] : intervals.slice(firstOpen, firstOpen + input.lookahead);
  const short = window.filter((i) => i.shortfall > 0);
  let alert: IntradayCore['alert'] = null;
  if (short.length > 0) {
    const reserveAgents = Math.max(...short.map((i) => i.shortfall));
    const peakRequired = Math.max(...short.map((i) => i.requiredReforecast));
    alert = {
      level: reserveAgents >= Math.max(3, Math.ceil(peakRequired * 0.2)) ? 'critical' : 'warning',
      reserveAgents,
      intervals: short.map((i) => ({ start: i.start, shortfall: i.shortfall })),
      message: `short by up to ${reserveAgents} agent(s) in ${short.length} of the next ${window.length} interval(s): call in ${reserveAgents} reserve agent(s)`,
    };
  }
  return { ratio: Math.round(ratio * 1000) / 1000, intervals, alert };
}
