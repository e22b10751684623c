import type { TDrillRun, TErrorBody, TWallSnapshot } from '@peakdesk/contracts';
import { schema } from '@peakdesk/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createTenant,
  login,
  startTestServer,
  type Tenant,
  type TestServer,
  waitFor,
} from '../../../test/harness.ts';

/**
 * Drill runs on a real database with the real simulator child process: the run, its progress,
 * summary and report are stored; one running drill per organisation; a run whose instance went
 * quiet is reported as interrupted; other organisations and agents cannot see runs.
 */
let server: TestServer;
let t: Tenant;
let other: Tenant;
let supervisor: string;
let otherSupervisor: string;
let agent: string;

// At 30× a simulated 30 s target is 1 s real, well above the transport delay between the
// simulator's clock and the server's, so the two service levels can be compared.
const short = { speed: 30, from: '00:00', to: '00:06', dailyVolume: 6000, agents: 3, concurrency: 4 };

beforeAll(async () => {
  server = await startTestServer();
  t = await createTenant(server);
  other = await createTenant(server);
  supervisor = await login(server, t.supervisor.email);
  otherSupervisor = await login(server, other.supervisor.email);
  agent = await login(server, t.agents[0]!.email);
});
afterAll(async () => {
  await server?.stop();
});

const runsOf = async (token: string) =>
  (await api<TDrillRun[]>(server, 'GET', '/api/drills/runs', { token })).body;

describe('drill runs', () => {
  it('runs the simulator, stores summary and report, and allows one running drill at a time', async () => {
    const started = await api<TDrillRun>(server, 'POST', '/api/drills/runs', {
      token: supervisor,
      body: short,
    });
    expect(started.status).toBe(201);
    expect(started.body.status).toBe('running');
    // The drill supervisor's password is in the start answer only.
    expect(started.body.supervisor.password).toMatch(/.{8,}/);

    const second = await api<TErrorBody>(server, 'POST', '/api/drills/runs', {
      token: supervisor,
      body: short,
    });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('drill_running');

    const listed = (await runsOf(supervisor)).find((r) => r.id === started.body.id)!;
    expect(listed.supervisor).toEqual({ email: started.body.supervisor.email, password: null });
    const [row] = await server.db.db
      .select()
      .from(schema.drillRuns)
      .where(eq(schema.drillRuns.id, started.body.id));
    expect(JSON.stringify(row)).not.toContain(started.body.supervisor.password!);

    // The wall watching the drill organisation says so, with the run's own figures.
    const wallOf = async () =>
      (
        await api<TWallSnapshot>(server, 'GET', `/api/routing/wall?orgId=${started.body.drillOrgId}`, {
          token: supervisor,
        })
      ).body;
    const live = await wallOf();
    expect(live.drill).toMatchObject({
      runId: started.body.id,
      status: 'running',
      speed: 30,
      targetSeconds: 30,
    });
    expect((await wallOf()).drill?.name).toBe('大促演练');

    const done = await waitFor(async () => {
      const r = await api<TDrillRun>(server, 'GET', `/api/drills/runs/${started.body.id}`, {
        token: supervisor,
      });
      return r.body.status !== 'running' && r.body;
    }, 120_000);
    expect(done.error).toBeNull();
    expect(done.status).toBe('finished');
    expect(done.summary!.conversations).toBeGreaterThan(0);
    expect(done.summary!.lost).toBe(0);
    expect(done.summary!.duplicated).toBe(0);
    expect(done.finishedAt).not.toBeNull();

    // One definition: the wall's drill service level (server clock) is the summary's (simulator's
    // clock) up to the transport delay between them; the queue the wall shows is the summary's.
    const after = await wallOf();
    expect(after.drill!.status).toBe('finished');
    expect(after.drill!.queued).toBeGreaterThanOrEqual(done.summary!.handedOff * 0.9);
    expect(Math.abs(after.drill!.serviceLevel! - done.summary!.serviceLevel)).toBeLessThanOrEqual(0.15);
    expect(after.groups.reduce((n, g) => n + g.queueLength, 0)).toBe(done.summary!.queuedAtEnd);
    // The wall of the caller's own organisation is not a drill's.
    expect(
      (await api<TWallSnapshot>(server, 'GET', '/api/routing/wall', { token: supervisor })).body.drill,
    ).toBeNull();

    const report = await api<string>(server, 'GET', `/api/drills/runs/${started.body.id}/report`, {
      token: supervisor,
    });
    expect(report.status).toBe(200);
    expect(report.body).toContain('echarts');
    // …and the report's figure is the summary's.
    expect(report.body).toContain(`${(done.summary!.serviceLevel * 100).toFixed(1)}%`);
    // Stored in the database, not in a file of this instance.
    const [stored] = await server.db.db
      .select({ html: schema.drillRuns.reportHtml })
      .from(schema.drillRuns)
      .where(eq(schema.drillRuns.id, started.body.id));
    expect(stored!.html).toBe(report.body);
  }, 150_000);

  it('reports a run whose instance went quiet as interrupted, and lets the organisation start again', async () => {
    const [drillOrg] = await server.db.db
      .insert(schema.organizations)
      .values({ name: '演练（已中断）', isDrill: true, parentOrgId: other.org.id })
      .returning();
    const [row] = await server.db.db
      .insert(schema.drillRuns)
      .values({
        orgId: other.org.id,
        drillOrgId: drillOrg!.id,
        status: 'running',
        instanceId: 'pd-gone',
        heartbeatAt: new Date(Date.now() - 60_000),
        supervisorEmail: 'drill@test.local',
        settings: { ...short, name: '演练', profile: 'double11' },
      })
      .returning();
    const seen = (await runsOf(otherSupervisor)).find((r) => r.id === row!.id)!;
    expect(seen.status).toBe('failed');
    expect(seen.error).toMatch(/interrupted/);
    const report = await api(server, 'GET', `/api/drills/runs/${row!.id}/report`, { token: otherSupervisor });
    expect(report.status).toBe(404);
  });

  it('keeps runs to their organisation and to supervisors', async () => {
    const mine = await runsOf(supervisor);
    expect(mine.length).toBeGreaterThan(0);
    const theirs = await runsOf(otherSupervisor);
    expect(theirs.some((r) => mine.some((m) => m.id === r.id))).toBe(false);
    const foreign = await api(server, 'GET', `/api/drills/runs/${mine[0]!.id}`, { token: otherSupervisor });
    expect(foreign.status).toBe(404);
    const foreignReport = await api(server, 'GET', `/api/drills/runs/${mine[0]!.id}/report`, {
      token: otherSupervisor,
    });
    expect(foreignReport.status).toBe(404);
    const byAgent = await api(server, 'GET', '/api/drills/runs', { token: agent });
    expect(byAgent.status).toBe(403);
  });

  it('names the field of a bad request', async () => {
    const bad = await api<TErrorBody>(server, 'POST', '/api/drills/runs', {
      token: supervisor,
      body: { ...short, speed: 0 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.field ?? bad.body.message).toMatch(/speed/);
    const backwards = await api<TErrorBody>(server, 'POST', '/api/drills/runs', {
      token: supervisor,
      body: { ...short, from: '01:00', to: '00:30' },
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.field ?? backwards.body.message).toMatch(/to/);
  });
});
