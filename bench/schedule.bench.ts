/**
 * Shift scheduling on a promotion day (15-minute intervals) and a week (30-minute intervals).
 * Reports solve time, objective, HiGHS's proven bound and gap, and — for the day — the gap of the
 * default (0.1%-gap) run to the optimum proven by a second run with gap 0.
 *   npx tsx bench/schedule.bench.ts
 */
import { computeStaffingPlan, type ShiftDefinitions, solveSchedule } from '@peakdesk/workforce';

const DAY_MS = 86_400_000;
const DAY = Date.UTC(2024, 10, 11);
// Seed 000: promotion-day peaks 00–02, 08–10, 15–17, 20–24.
const PROMOTION_HOURLY = [
  3.0, 2.4, 0.8, 0.3, 0.2, 0.2, 0.4, 0.9, 1.8, 1.9, 1.2, 1.1, 1.0, 1.0, 1.1, 1.7, 1.8, 1.2, 1.1, 1.3, 2.2,
  2.5, 2.6, 2.2,
];
const ORDINARY_HOURLY = [
  0.35, 0.2, 0.1, 0.05, 0.04, 0.05, 0.15, 0.4, 0.8, 1.1, 1.25, 1.2, 0.9, 1.0, 1.15, 1.2, 1.15, 1.05, 1.0, 1.2,
  1.5, 1.6, 1.3, 0.8,
];

function requirementsFor(profile: number[], dailyChats: number, intervalMinutes: number, dayStart: number) {
  const perHour = 60 / intervalMinutes;
  const sum = profile.reduce((a, b) => a + b, 0);
  const volumes = Array.from(
    { length: 24 * perHour },
    (_, i) => (dailyChats * (profile[Math.floor(i / perHour)] ?? 0)) / sum / perHour,
  );
  const plan = computeStaffingPlan(volumes, {
    model: 'erlang-c',
    intervalMinutes,
    ahtSeconds: 300,
    targetSeconds: 30,
    serviceLevel: 0.8,
    concurrency: 3,
    maxOccupancy: 0.85,
  });
  return plan.map((p, i) => ({ start: dayStart + i * intervalMinutes * 60_000, required: p.agents }));
}

function definitions(intervalMinutes: number): ShiftDefinitions {
  return {
    intervalMinutes,
    shiftTypes: [
      {
        name: 'full-time',
        lengthMinutes: 540,
        startEarliest: '00:00',
        startLatest: '15:00',
        startStepMinutes: intervalMinutes,
        breaks: [
          { lengthMinutes: 60, earliestAfterStartMinutes: 180, latestAfterStartMinutes: 300 },
          { lengthMinutes: intervalMinutes, earliestAfterStartMinutes: 390, latestAfterStartMinutes: 450 },
        ],
        cost: 9,
      },
      {
        name: 'part-time',
        lengthMinutes: 240,
        startEarliest: '00:00',
        startLatest: '20:00',
        startStepMinutes: intervalMinutes,
        breaks: [
          { lengthMinutes: intervalMinutes, earliestAfterStartMinutes: 90, latestAfterStartMinutes: 150 },
        ],
        cost: 4.4,
      },
    ],
    partTimeTypes: ['part-time'],
    maxPartTimeShare: 0.4,
  };
}

async function run(label: string, request: Parameters<typeof solveSchedule>[0]) {
  const started = performance.now();
  const result = await solveSchedule(request).catch((error: unknown) => {
    console.log(
      `${label}: failed after ${((performance.now() - started) / 1000).toFixed(1)} s: ${String(error)}`,
    );
    return null;
  });
  if (result === null) return null;
  const seconds = (performance.now() - started) / 1000;
  const shifts = result.shifts.reduce((n, s) => n + s.count, 0);
  console.log(
    `${label}: ${seconds.toFixed(2)} s, status ${result.status}, cost ${result.cost.toFixed(1)}, bound ${result.bound?.toFixed(2)}, gap ${((result.gap ?? 0) * 100).toFixed(3)}%, ${shifts} shifts from ${result.candidateCount} candidates`,
  );
  return result;
}

const dayRequirements = requirementsFor(PROMOTION_HOURLY, 60_000, 15, DAY);
console.log(
  `day: peak requirement ${Math.max(...dayRequirements.map((r) => r.required))} agents, 96 intervals`,
);
const fast = await run('day, 15 min, default gap 0.1%, limit 5 s', {
  requirements: dayRequirements,
  definitions: definitions(15),
  timeLimitSeconds: 5,
});
const exact = await run('day, 15 min, gap 0, limit 120 s', {
  requirements: dayRequirements,
  definitions: definitions(15),
  timeLimitSeconds: 120,
  mipRelGap: 0,
});
if (fast && exact?.status === 'optimal') {
  console.log(
    `day: default run is ${(100 * (fast.cost / exact.cost - 1)).toFixed(3)}% above the proven optimum ${exact.cost.toFixed(1)}`,
  );
}

const weekStart = DAY - 4 * DAY_MS;
const weekRequirements = Array.from({ length: 7 }, (_, d) =>
  requirementsFor(
    d === 4 ? PROMOTION_HOURLY : ORDINARY_HOURLY,
    d === 4 ? 60_000 : 15_000,
    30,
    weekStart + d * DAY_MS,
  ),
).flat();
await run('week, 30 min (Double 11 on day 5), limit 60 s', {
  requirements: weekRequirements,
  definitions: definitions(30),
  timeLimitSeconds: 60,
});
