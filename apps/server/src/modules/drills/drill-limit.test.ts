import type { TDrillOrganization, TErrorBody } from '@peakdesk/contracts';
import { queryRows, sql } from '@peakdesk/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createTenant,
  login,
  startTestServer,
  type Tenant,
  type TestServer,
} from '../../../test/harness.ts';

/**
 * One organisation may have at most PEAKDESK_DRILL_ORGS_PER_ORG live drill organisations: each one
 * is a tenant of its own (stores, agents with hashed passwords, a loaded FAQ bot), so creating them
 * without end fills the database. Live: its drill runs, or it has no run and is under 24 h old.
 */
let server: TestServer;
let t: Tenant;
let other: Tenant;
let admin: string;
let otherAdmin: string;

beforeAll(async () => {
  server = await startTestServer({ PEAKDESK_DRILL_ORGS_PER_ORG: '2' });
  [t, other] = [await createTenant(server), await createTenant(server)];
  [admin, otherAdmin] = [await login(server, t.admin.email), await login(server, other.admin.email)];
});
afterAll(async () => {
  await server?.stop();
});

const create = (token: string) =>
  api<TDrillOrganization & TErrorBody>(server, 'POST', '/api/drills/organizations', {
    token,
    body: { agents: 1, stores: 1 },
  });
const drillOrgsOf = async (orgId: string) =>
  (
    await queryRows<{ n: number }>(
      server.db.db,
      sql`SELECT count(*)::int AS n FROM organizations WHERE parent_org_id = ${orgId}`,
    )
  )[0]!.n;

describe('drill organisations per organisation', () => {
  it('refuses the one past the limit with 409 drill_limit_reached naming the limit, creating nothing', async () => {
    expect((await create(admin)).status).toBe(201);
    expect((await create(admin)).status).toBe(201);
    const refused = await create(admin);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('drill_limit_reached');
    expect(refused.body.message).toContain('PEAKDESK_DRILL_ORGS_PER_ORG=2');
    expect(await drillOrgsOf(t.org.id)).toBe(2);
    // The limit is per organisation: another one still creates its own.
    expect((await create(otherAdmin)).status).toBe(201);
  });

  it('a drill organisation stops counting once its drill ended or it is a day old', async () => {
    const [oldest, newest] = await queryRows<{ id: string }>(
      server.db.db,
      sql`SELECT id FROM organizations WHERE parent_org_id = ${t.org.id} ORDER BY created_at`,
    );
    // One is a day old: it no longer counts, so one more may be created.
    await queryRows(
      server.db.db,
      sql`UPDATE organizations SET created_at = now() - interval '25 hours' WHERE id = ${oldest!.id}`,
    );
    expect((await create(admin)).status).toBe(201);
    expect((await create(admin)).status).toBe(409);
    // One whose drill finished no longer counts; one whose drill is running does.
    const run = (drillOrgId: string, status: string) =>
      queryRows(
        server.db.db,
        sql`INSERT INTO drill_runs (org_id, drill_org_id, status, instance_id, supervisor_email, settings)
            VALUES (${t.org.id}, ${drillOrgId}, ${status}, 'test', 'x@drill.peakdesk.local', '{}')`,
      );
    await run(newest!.id, 'finished');
    expect((await create(admin)).status).toBe(201);
    expect((await create(admin)).status).toBe(409);
    await run(oldest!.id, 'running');
    await queryRows(
      server.db.db,
      sql`UPDATE organizations SET created_at = now() - interval '25 hours' WHERE parent_org_id = ${t.org.id}`,
    );
    // Everything is a day old now; only the running drill's organisation counts.
    expect((await create(admin)).status).toBe(201);
    expect((await create(admin)).status).toBe(409);
  });

  it('requests at once cannot both take the last place', async () => {
    const before = await drillOrgsOf(other.org.id);
    const answers = await Promise.all([create(otherAdmin), create(otherAdmin), create(otherAdmin)]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409]);
    expect(await drillOrgsOf(other.org.id)).toBe(before + 1);
  });
});
