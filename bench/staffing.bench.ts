/**
 * Staffing a 96-interval (15-minute) promotion day with Erlang C and Erlang A: median and p99 over many
 * runs.   npx tsx bench/staffing.bench.ts
 */
import { computeStaffingPlan, type StaffingModel } from '@peakdesk/workforce';

const PROMOTION_HOURLY = [
  3.0, 2.4, 0.8, 0.3, 0.2, 0.2, 0.4, 0.9, 1.8, 1.9, 1.2, 1.1, 1.0, 1.0, 1.1, 1.7, 1.8, 1.2, 1.1, 1.3, 2.2,
  2.5, 2.6, 2.2,
];
const DAILY_CHATS = 60_000;
const hourlySum = PROMOTION_HOURLY.reduce((a, b) => a + b, 0);
const volumes = Array.from(
  { length: 96 },
  (_, i) => (DAILY_CHATS * (PROMOTION_HOURLY[Math.floor(i / 4)] ?? 0)) / hourlySum / 4,
);

const settings = {
  intervalMinutes: 15,
  ahtSeconds: 300,
  targetSeconds: 30,
  serviceLevel: 0.8,
  patienceSeconds: 180,
  concurrency: 3,
  maxOccupancy: 0.85,
  shrinkage: 0.3,
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

for (const model of ['erlang-c', 'erlang-a'] as StaffingModel[]) {
  for (let i = 0; i < 20; i++) computeStaffingPlan(volumes, { ...settings, model });
  const times: number[] = [];
  let peak = 0;
  for (let run = 0; run < 500; run++) {
    const started = performance.now();
    const plan = computeStaffingPlan(volumes, { ...settings, model });
    times.push(performance.now() - started);
    peak = Math.max(...plan.map((p) => p.agents));
  }
  times.sort((a, b) => a - b);
  console.log(
    `${model}: 96 intervals, peak ${peak} agents — median ${percentile(times, 0.5).toFixed(2)} ms, p99 ${percentile(times, 0.99).toFixed(2)} ms (500 runs)`,
  );
}
