/**
 * Rolling-origin backtest of every forecast method on deterministic synthetic history (seeded RNG):
 * weekly + daily seasonality, slow growth, Poisson noise, closed night hours Monday–Thursday, and five
 * past promotion days with a 4× uplift and their own intraday shape.
 *
 *   npx tsx packages/workforce/scripts/backtest.ts
 */
import { aggregateToIntervals, backtestForecast, chooseForecastMethod } from '../src/index.ts';
import { generateSyntheticHistory } from '../src/synthetic-history.ts';

const promotionDates = ['2024-06-18', '2024-07-18', '2024-08-08', '2024-09-09', '2024-10-10', '2024-11-01'];

const scenarios = [
  { name: '30-minute intervals, 22 weeks, 8 weekly folds', intervalMinutes: 30, seed: 42 },
  { name: '15-minute intervals, 22 weeks, 8 weekly folds', intervalMinutes: 15, seed: 7 },
];

let failed = false;
for (const scenario of scenarios) {
  const points = generateSyntheticHistory({
    startDate: '2024-06-03',
    days: 7 * 22,
    intervalMinutes: scenario.intervalMinutes,
    seed: scenario.seed,
    dailyVolume: 4000,
    promotionDates,
    closedNightWeekdays: [0, 1, 2, 3],
  });
  const history = aggregateToIntervals(points, scenario.intervalMinutes);
  const started = performance.now();
  const scores = backtestForecast(history, {
    horizonIntervals: (7 * 1440) / scenario.intervalMinutes,
    folds: 8,
    promotionDates,
  });
  const seconds = (performance.now() - started) / 1000;
  const chosen = chooseForecastMethod(scores);
  console.log(`\n${scenario.name} (backtest ${seconds.toFixed(2)} s)`);
  console.log('| method | MAPE % | WAPE % |');
  console.log('|---|---:|---:|');
  for (const s of scores) {
    const mark = s.method === chosen ? ' ← auto' : '';
    console.log(`| ${s.method}${mark} | ${s.mape?.toFixed(2) ?? '-'} | ${s.wape?.toFixed(2) ?? '-'} |`);
  }
  const naive = scores.find((s) => s.method === 'seasonal-naive')?.wape ?? 0;
  const best = scores.find((s) => s.method === chosen)?.wape ?? Number.POSITIVE_INFINITY;
  if (!(best < naive)) failed = true;
}
if (failed) {
  console.error('auto did not beat seasonal naive');
  process.exit(1);
}
