import type {
  TDrillRun,
  TPlanDetail,
  TPlanVersion,
  TPromotionDayTemplate,
  TVolumeHistory,
} from '@peakdesk/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login, startTestServer, type TestServer } from '../../test/harness.ts';
import { nextDouble11 } from '../modules/workforce/promotion-template.ts';
import { DEMO_PASSWORD, demoOrg } from './demo-data.ts';
import { seedDemo } from './seed-demo.ts';
import { demoHistoryName } from './seed-demo-workforce.ts';

let server: TestServer;
let admin: string;
let seedMs = 0;
beforeAll(async () => {
  server = await startTestServer();
  await seedDemo(server.services, server.db.db);
  const started = performance.now();
  // A second start of the demo seeds nothing twice.
  await seedDemo(server.services, server.db.db);
  seedMs = performance.now() - started;
  admin = await login(server, demoOrg.users[0]!.email, DEMO_PASSWORD);
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

describe('the demo merchant has a volume history to plan from', () => {
  it('one past year per demo store, with last October and last Double 11, seeded once', async () => {
    const histories = await api<TVolumeHistory[]>(server, 'GET', '/api/workforce/histories', {
      token: admin,
    });
    expect(histories.status).toBe(200);
    expect(histories.body.map((h) => h.name).sort()).toEqual(
      demoOrg.stores.map((s) => demoHistoryName(s.name)).sort(),
    );
    expect(seedMs).toBeLessThan(5000);
  });

  it('forecasts the next 11.11 from the seeded history, no import: forecast → staffing → shifts → roster', async () => {
    const histories = await api<TVolumeHistory[]>(server, 'GET', '/api/workforce/histories', {
      token: admin,
    });
    const history = histories.body[0]!;
    const date = nextDouble11(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10));
    const template = await api<TPromotionDayTemplate>(
      server,
      'GET',
      `/api/workforce/templates/promotion-day?date=${date}`,
      { token: admin },
    );
    expect(template.status).toBe(200);
    const res = await api<TPlanDetail & { version: TPlanVersion }>(server, 'POST', '/api/workforce/plans', {
      token: admin,
      body: {
        name: template.body.name,
        storeId: history.storeId,
        groupId: null,
        settings: { ...template.body.settings, history: { source: 'import', historyId: history.id } },
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const v = res.body.version;
    expect(v.forecastTotal).toBeGreaterThan(1000);
    // The promotion day is learned from the seeded last Double 11, not the bare seed ratio.
    expect(v.forecastBasis?.promotion).toBe('history');
    expect(v.peakRequired).toBeGreaterThan(0);
    expect(v.shiftCount).toBeGreaterThan(0);
    expect(v.roster.assignments.length).toBeGreaterThan(0);
  });
});

describe('the demo merchant has past drills', () => {
  it('two finished drill runs with their results, seeded once', async () => {
    const runs = await api<TDrillRun[]>(server, 'GET', '/api/drills/runs', { token: admin });
    expect(runs.status).toBe(200);
    expect(runs.body).toHaveLength(2);
    for (const r of runs.body) {
      expect(r.status).toBe('finished');
      expect(r.summary!.conversations).toBeGreaterThan(0);
      expect(r.summary!.serviceLevel).toBeGreaterThan(0);
    }
    // More agents, better service level: the second drill's figures differ from the first's.
    expect(runs.body[1]!.summary!.serviceLevel).toBeGreaterThan(runs.body[0]!.summary!.serviceLevel);
  });
});
