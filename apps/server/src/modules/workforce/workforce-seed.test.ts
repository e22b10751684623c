import type {
  TErrorBody,
  TPlanDetail,
  TPlanSettingsInput,
  TPlanVersion,
  TPromotionDayTemplate,
  TVolumeHistory,
} from '@peakdesk/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTenant, login, startTestServer, type TestServer } from '../../../test/harness.ts';

let server: TestServer;
let supervisor: string;

const DAY_MS = 86_400_000;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** `days` days of half-hourly history up to `endDate` 00:00 +08:00; `spikes` days carry × their factor. */
function historyCsv(endDate: string, days: number, spikes: Record<string, number> = {}): string {
  const lines = ['timestamp,count'];
  const start = Date.parse(`${endDate}T00:00:00Z`) - days * DAY_MS;
  for (let d = 0; d < days; d++) {
    const date = new Date(start + d * DAY_MS).toISOString().slice(0, 10);
    for (let slot = 0; slot < 48; slot++) {
      const wall = new Date(start + d * DAY_MS + slot * 1_800_000).toISOString().slice(0, 19);
      const hour = slot / 2;
      const base = hour < 7 ? 4 : 40;
      // A past promotion day with its midnight sale.
      const count = spikes[date] ? (hour < 2 ? 200 : base * spikes[date]) : base;
      lines.push(`${wall}+08:00,${Math.round(count)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

async function template(date?: string): Promise<TPromotionDayTemplate> {
  const res = await api<TPromotionDayTemplate>(
    server,
    'GET',
    `/api/workforce/templates/promotion-day${date ? `?date=${date}` : ''}`,
    { token: supervisor },
  );
  expect(res.status).toBe(200);
  return res.body;
}

const createPlan = (settings: TPlanSettingsInput) =>
  api<TPlanDetail & { version: TPlanVersion } & Partial<TErrorBody>>(server, 'POST', '/api/workforce/plans', {
    token: supervisor,
    body: { name: '双11', settings },
  });

beforeAll(async () => {
  server = await startTestServer();
  const t = await createTenant(server, { agents: 2 });
  supervisor = await login(server, t.supervisor.email);
});
afterAll(async () => {
  await server?.stop();
});

describe('planning with the defaults', () => {
  it('with no history, the facts default says how to go on (import or the seed formula), naming the field', async () => {
    const { settings } = await template();
    const res = await createPlan(settings);
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('settings.history');
    expect(res.body.message).toContain('seed');
  });

  it('with no history, the seed formula plans the default date: daily average × ratio over the peak shape', async () => {
    const { settings } = await template();
    const res = await createPlan({
      ...settings,
      history: { source: 'seed', dailyAverage: 2000 },
      forecast: { ...settings.forecast, seedRatio: 3.5 },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const v = res.body.version;
    expect(v.forecastMethod).toBe('seed-formula');
    expect(v.forecastBasis).toMatchObject({
      kind: 'seed',
      promotion: 'seed',
      ratio: 3.5,
      dailyAverage: 2000,
    });
    const forecast = v.intervals.map((i) => i.forecast);
    expect(sum(forecast)).toBeCloseTo(7000, 0);
    // 00–02 is a peak, 04:00 the trough.
    expect(forecast[0]).toBeGreaterThan(3 * (forecast[8] ?? 0));
    expect(v.schedule.shifts.length).toBeGreaterThan(0);
  });

  it('after importing a history, plans the default next 11.11 far past its end with the seed ratio, and says so', async () => {
    const { settings } = await template();
    const planDate = settings.dates[0]!;
    const lastD11 = `${Number(planDate.slice(0, 4)) - 1}-11-11`;
    // 60 days up to the end of last November, with last Double 11 at 5× an ordinary day.
    const endDate = `${lastD11.slice(0, 4)}-12-01`;
    const imported = await api<TVolumeHistory>(
      server,
      'POST',
      '/api/workforce/histories/import?format=csv&filename=history.csv',
      {
        token: supervisor,
        raw: Buffer.from(historyCsv(endDate, 60, { [lastD11]: 5 })),
        headers: { 'content-type': 'text/csv' },
      },
    );
    expect(imported.status).toBe(201);
    const res = await createPlan({ ...settings, history: { source: 'import', historyId: imported.body.id } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const b = res.body.version.forecastBasis!;
    expect(b.kind).toBe('far-ahead');
    expect(b.promotion).toBe('history');
    expect(b.daysAfterHistory).toBeGreaterThan(b.maxSeriesDays);
    // The ordinary day: 14 night slots × 4 + 34 day slots × 40 = 1416; last 11.11 ≈ 4 × 200 + 44 × 200.
    expect(b.dailyAverage).toBeCloseTo(1416, 0);
    expect(b.ratio).toBeGreaterThan(5);
    const total = sum(res.body.version.intervals.map((i) => i.forecast));
    expect(total).toBeCloseTo(1416 * b.ratio!, -1);
  });
});
