import { type TPromotionDayTemplate, ZPlanSettings } from '@peakdesk/contracts';

/** The seeds' promotion-day peaks: 00–02 (midnight sale), 08–10, 15–17, 20–24. */
export const PROMOTION_PEAK_WINDOWS = [
  { start: '00:00', end: '02:00' },
  { start: '08:00', end: '10:00' },
  { start: '15:00', end: '17:00' },
  { start: '20:00', end: '24:00' },
] as const;

/** The next 11 November on or after `today` (YYYY-MM-DD). */
export function nextDouble11(today: string): string {
  const year = Number(today.slice(0, 4));
  const thisYear = `${year}-11-11`;
  return today <= thisYear ? thisYear : `${year + 1}-11-11`;
}

/** The 11 November before `date` (YYYY-MM-DD). */
export function previousDouble11(date: string): string {
  const year = Number(date.slice(0, 4));
  return date > `${year}-11-11` ? `${year}-11-11` : `${year - 1}-11-11`;
}

/**
 * A promotion-day starting point: three overlapping shifts that together cover the four peaks —
 * early 早班 (08–10 and 15–17), late 晚班 (15–17 and the evening peak to midnight) and the low-traffic
 * duty 值班 from midnight (the 00–02 sale and the quiet early morning). Night hours cost more. Every
 * number is a setting the planner edits.
 */
export function promotionDayTemplate(date: string): TPromotionDayTemplate {
  return {
    name: `${date} 大促排班`,
    settings: ZPlanSettings.parse({
      intervalMinutes: 30,
      utcOffsetMinutes: 480,
      dates: [date],
      history: { source: 'facts', weeks: 8 },
      // Last year's Double 11 is flagged too: the forecast learns its uplift (or the seed ratio) from it.
      forecast: {
        method: 'auto',
        promotionDates: [previousDouble11(date), date],
        upliftFactor: 1,
        seedRatio: 3,
      },
      staffing: {
        model: 'erlang-c',
        ahtSeconds: 300,
        targetSeconds: 30,
        serviceLevel: 0.8,
        concurrency: 3,
        maxOccupancy: 0.85,
        shrinkage: 0.2,
        capacityPerAgentHour: 360,
      },
      shifts: {
        shiftTypes: [
          {
            name: '早班',
            lengthMinutes: 540,
            startEarliest: '07:00',
            startLatest: '09:00',
            startStepMinutes: 60,
            breaks: [{ lengthMinutes: 60, earliestAfterStartMinutes: 240, latestAfterStartMinutes: 300 }],
            cost: 9,
          },
          {
            name: '晚班',
            lengthMinutes: 540,
            startEarliest: '14:00',
            startLatest: '15:00',
            startStepMinutes: 60,
            breaks: [{ lengthMinutes: 60, earliestAfterStartMinutes: 180, latestAfterStartMinutes: 240 }],
            cost: 10,
          },
          {
            name: '值班',
            lengthMinutes: 480,
            startEarliest: '00:00',
            startLatest: '00:00',
            startStepMinutes: 60,
            breaks: [{ lengthMinutes: 30, earliestAfterStartMinutes: 180, latestAfterStartMinutes: 270 }],
            cost: 10,
          },
        ],
      },
      peakWindows: PROMOTION_PEAK_WINDOWS.map((w) => ({ ...w })),
    }),
  };
}
