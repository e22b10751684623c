import { type DatabaseHandle, openDatabase, queryRows, sql } from '@peakdesk/db';
import { createTestDatabase } from '@peakdesk/db/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startVisitor, type Tenant, userCaller } from '../../../test/harness.ts';
import { parseConfig } from '../../config.ts';
import type { CustomerCaller } from '../../http/caller.ts';
import { type RunningServer, startServer } from '../../main.ts';

/**
 * Two server instances in one process, each with its own connection pool, on one PostgreSQL
 * database: concurrent arrivals and concurrent slot releases on both must never exceed a cap,
 * never assign a conversation twice, and keep lanes and FIFO order within a lane.
 */
const DATABASE_URL = process.env.DATABASE_URL;

describe.skipIf(!DATABASE_URL)('routing with two instances on one PostgreSQL (needs DATABASE_URL)', () => {
  let a: RunningServer;
  let b: RunningServer;
  let second: DatabaseHandle;
  let t: Tenant;
  const AGENTS = 8;
  const CAP = 3;

  beforeAll(async () => {
    const database = await createTestDatabase();
    second = await openDatabase({ url: database.url, poolSize: 10 });
    const config = (id: string) =>
      parseConfig(
        { PEAKDESK_RATE_LIMIT_PER_MINUTE: '100000', PEAKDESK_INSTANCE_ID: id },
        { port: 0, host: '127.0.0.1', databaseUrl: database.url },
      );
    const logger = pino({ level: 'silent' });
    a = await startServer(config('a'), { database, logger });
    b = await startServer(config('b'), { database: second, logger });
    t = await createTenant(a, { agents: AGENTS, cap: CAP });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const agentCaller = (u: Tenant['agents'][number]) => userCaller(t, u, [t.groups.presale.id]);

  const maxLoad = async () =>
    queryRows<{ assignee_id: string; n: number }>(
      a.db.db,
      sql`SELECT assignee_id, count(*)::int AS n FROM conversations WHERE org_id = ${t.org.id} AND status = 'assigned'
          GROUP BY assignee_id ORDER BY n DESC`,
    );
  const assignedTwice = async () =>
    queryRows<{ conversation_id: string }>(
      a.db.db,
      sql`SELECT conversation_id FROM facts WHERE org_id = ${t.org.id} AND kind = 'conversation.assigned'
          GROUP BY conversation_id HAVING count(*) > 1`,
    );

  it('concurrent arrivals on both instances: caps hold and nothing is assigned twice', async () => {
    for (const agent of t.agents) await a.services.accounts.setStatus(agentCaller(agent), 'online');
    const visitors: CustomerCaller[] = [];
    for (let i = 0; i < 60; i++) {
      const v = await startVisitor(i % 2 ? a : b, t.store.id);
      visitors.push({ kind: 'customer', customerId: v.customerId, storeId: t.store.id, orgId: t.org.id });
    }
    // All at once, alternating instances.
    await Promise.all(visitors.map((v, i) => (i % 2 ? a : b).services.chat.openConversation(v)));
    const loads = await maxLoad();
    expect(loads.reduce((s, l) => s + l.n, 0)).toBe(AGENTS * CAP);
    expect(loads[0]!.n).toBeLessThanOrEqual(CAP);
    expect(await assignedTwice()).toEqual([]);
    const queued = await queryRows<{ n: number }>(
      a.db.db,
      sql`SELECT count(*)::int AS n FROM conversations WHERE org_id = ${t.org.id} AND status = 'queued'`,
    );
    expect(queued[0]!.n).toBe(60 - AGENTS * CAP);
  });

  it('concurrent releases drain the queue lane by lane, FIFO inside each lane, on both instances', async () => {
    // Raise a few waiting buyers to VIP: they must be served before every normal one.
    const waiting = await queryRows<{ id: string; customer_id: string }>(
      a.db.db,
      sql`SELECT id, customer_id FROM conversations WHERE org_id = ${t.org.id} AND status = 'queued'
          ORDER BY queued_at, id`,
    );
    const admin = userCaller(t, t.admin, [t.groups.presale.id]);
    const vips = [waiting[5]!, waiting[20]!, waiting[30]!];
    for (const v of vips) await b.services.routing.setCustomerFlags(admin, v.customer_id, { tier: 'vip' });
    const expected = [...vips, ...waiting.filter((w) => !vips.includes(w))].map((w) => w.id);

    const active = await queryRows<{ id: string; assignee_id: string }>(
      a.db.db,
      sql`SELECT id, assignee_id FROM conversations WHERE org_id = ${t.org.id} AND status = 'assigned'`,
    );
    await Promise.all(
      active.map((c, i) => {
        const agent = t.agents.find((x) => x.id === c.assignee_id)!;
        return (i % 2 ? a : b).services.chat.resolve(agentCaller(agent), c.id);
      }),
    );
    const served = await queryRows<{ id: string }>(
      a.db.db,
      sql`SELECT id FROM conversations WHERE org_id = ${t.org.id} AND status = 'assigned' ORDER BY assigned_at, id`,
    );
    // Exactly the first AGENTS × CAP of the lane order were served (as a set: assignments overlap in time).
    expect(new Set(served.map((s) => s.id))).toEqual(new Set(expected.slice(0, AGENTS * CAP)));
    expect((await maxLoad())[0]!.n).toBeLessThanOrEqual(CAP);
    expect(await assignedTwice()).toEqual([]);
    // The trigger-kept counters the router reads agree with the rows, after all that concurrency.
    const drift = await queryRows<{ id: string }>(
      a.db.db,
      sql`SELECT u.id FROM users u WHERE u.org_id = ${t.org.id} AND u.active_chats <>
            (SELECT count(*) FROM conversations c WHERE c.assignee_id = u.id AND c.status = 'assigned')`,
    );
    expect(drift).toEqual([]);
  });
});
