import { generateSyntheticHistory } from '@peakdesk/workforce';
import { previousDouble11 } from '../modules/workforce/promotion-template.ts';
import type { Services } from '../services.ts';

const DAY_MS = 86_400_000;
/** China: the demo stores' clock. */
const OFFSET_MINUTES = 480;
/** Mean consultations on an ordinary day per demo store (the seed formula's "last October" average). */
const DAILY_VOLUME = [1200, 700];
/** Last Double 11 ÷ an ordinary day: docs/workforce.md's default seed ratio. */
const DOUBLE11_UPLIFT = 3;

export const demoHistoryName = (storeName: string) => `${storeName} 近一年咨询量（演示）`;

/**
 * A past year of half-hourly conversation counts per demo store, the shape of
 * examples/volume-history.csv (local time, +08:00), covering last October and last Double 11 with the
 * seeds' day shapes. The planner picks it by default, so forecast → staffing → shifts → roster for the
 * next 11.11 works on first start with no import. Idempotent: a store that has its history is skipped.
 */
export async function seedDemoWorkforce(
  s: Services,
  b: { orgId: string; createdBy: string; stores: { id: string; name: string }[] },
  today: Date = new Date(),
): Promise<void> {
  const todayDate = new Date(today.getTime() + OFFSET_MINUTES * 60_000).toISOString().slice(0, 10);
  const double11 = previousDouble11(todayDate);
  // A year back, and at least from the October before last Double 11.
  const yearBack = new Date(Date.parse(`${todayDate}T00:00:00Z`) - 365 * DAY_MS).toISOString().slice(0, 10);
  const october = `${double11.slice(0, 4)}-10-01`;
  const startDate = yearBack < october ? yearBack : october;
  const days = Math.round(
    (Date.parse(`${todayDate}T00:00:00Z`) - Date.parse(`${startDate}T00:00:00Z`)) / DAY_MS,
  );
  const existing = new Set(
    (await s.workforce.repo.listHistories({ orgId: b.orgId, storeIds: 'all' })).map((h) => h.name),
  );
  for (const [i, store] of b.stores.entries()) {
    const name = demoHistoryName(store.name);
    if (existing.has(name)) continue;
    const points = generateSyntheticHistory({
      startDate,
      days,
      intervalMinutes: 30,
      seed: 1111 + i,
      dailyVolume: DAILY_VOLUME[i % DAILY_VOLUME.length] ?? 1000,
      promotionDates: [double11],
      promotionUplift: DOUBLE11_UPLIFT,
      dailyTrend: 0.0005,
    }).map((p): [number, number] => [p.start, p.count]);
    await s.workforce.repo.insertHistory({
      orgId: b.orgId,
      storeId: store.id,
      groupId: null,
      name,
      fileName: 'demo-volume-history.csv',
      offsetMinutes: OFFSET_MINUTES,
      points,
      pointCount: points.length,
      totalCount: points.reduce((sum, [, c]) => sum + c, 0),
      createdBy: b.createdBy,
    });
  }
}
