// Jobs burst benchmark (issue 9: "durable timers run at most 50 a second per instance: 10,000 abandon
// timers took 3.5 minutes and held every max-wait/no-reply timer behind them").
//
//   npm run bench:jobs-burst -- [--abandon 10000] [--max-wait 200]
//   (PGlite in memory by default; DATABASE_URL=postgres://… for a fresh PostgreSQL database)
//
// A promotion burst ends: N queued customers closed the page at once, so N abandon jobs are due now
// (each a real routing abandon: lock the conversation, close it, write the fact, in one transaction).
// While they run, M max-wait jobs of the same queue come due one second later. Reported: how long
// the N abandonments take (jobs/s), and how late each max-wait job ran after its due time (it must
// not wait behind the flood: kinds run in lanes of their own). Baseline in the same run: the same N
// abandon transactions' SQL run directly, 16 at a time, without the job runner.
import { queryRows, sql } from '@peakdesk/db';
import { createTestDatabase } from '@peakdesk/db/testing';
import pino from 'pino';
import { createEventBus } from '../apps/server/src/events/event-bus.ts';
import { createOutbox } from '../apps/server/src/events/outbox.ts';
import { insertJobs } from '../apps/server/src/jobs/jobs.repository.ts';
import { createJobs } from '../apps/server/src/jobs/jobs.ts';
import { createAuditService } from '../apps/server/src/modules/audit/audit.service.ts';
import { createRoutingService } from '../apps/server/src/modules/routing/routing.service.ts';
import { JOB, jobKey } from '../apps/server/src/modules/routing/routing-context.ts';
import { parseFlags, percentile, positiveFlag, round, sleep } from './lib/stats.ts';

const flags = parseFlags(process.argv.slice(2));
const ABANDON = positiveFlag(flags, 'abandon', 10_000);
const MAX_WAIT = positiveFlag(flags, 'max-wait', 200);

async function setup(db: Awaited<ReturnType<typeof createTestDatabase>>['db'], n: number, tag: string) {
  const [org] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO organizations (name) VALUES (${`bench-${tag}`}) RETURNING id`,
  );
  const orgId = org!.id;
  const [group] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO skill_groups (org_id, name, max_wait_seconds) VALUES (${orgId}, ${`售前-${tag}`}, 600) RETURNING id`,
  );
  const [store] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO stores (org_id, name, platform, default_group_id, identity_secret)
        VALUES (${orgId}, 'bench store', 'tmall', ${group!.id}, 'x') RETURNING id`,
  );
  await db.execute(
    sql`INSERT INTO customers (org_id, store_id, name) SELECT ${orgId}, ${store!.id}, '买家' || g FROM generate_series(1, ${n}) g`,
  );
  const rows = await queryRows<{ id: string; customer_id: string }>(
    db,
    sql`INSERT INTO conversations (org_id, store_id, customer_id, group_id, status, queued_at, routed_for)
        SELECT ${orgId}, ${store!.id}, id, ${group!.id}, 'queued', now(), now() FROM customers WHERE org_id = ${orgId}
        RETURNING id, customer_id`,
  );
  return { orgId, groupId: group!.id, rows };
}

async function main() {
  const handle = await createTestDatabase();
  const db = handle.db;
  const logger = pino({ level: 'silent' });
  const jobs = createJobs({ db, logger, pollMs: 1000 });
  const routing = createRoutingService({
    db,
    bus: createEventBus(() => {}),
    jobs,
    outbox: createOutbox({ db, logger, pollMs: 60_000 }),
    audit: createAuditService(db),
    logger,
    config: { agentGraceSeconds: 3600, abandonGraceSeconds: 3600, heartbeatMs: 60_000 },
    notify: () => ({ systemMessage: async () => null, conversationChanged: async () => null }),
  });

  // Baseline: the abandon transaction's statements, 16 at a time, no runner.
  const base = await setup(db, ABANDON, 'baseline');
  let next = 0;
  const b0 = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let i = next++; i < base.rows.length; i = next++) {
        const row = base.rows[i]!;
        await db.transaction(async (tx) => {
          await tx.execute(sql`SELECT id FROM conversations WHERE id = ${row.id} FOR UPDATE`);
          await tx.execute(sql`UPDATE conversations SET status = 'closed' WHERE id = ${row.id}`);
          await tx.execute(sql`INSERT INTO facts (org_id, kind, conversation_id, data)
            VALUES (${base.orgId}, 'conversation.abandoned', ${row.id}, '{}'::jsonb)`);
        });
      }
    }),
  );
  const baselineMs = performance.now() - b0;

  // The burst through the job runner.
  const burst = await setup(db, ABANDON + MAX_WAIT, 'burst');
  const abandonRows = burst.rows.slice(0, ABANDON);
  const waitRows = burst.rows.slice(ABANDON);
  const now = Date.now();
  for (let i = 0; i < abandonRows.length; i += 1000)
    await insertJobs(
      db,
      abandonRows.slice(i, i + 1000).map((r) => ({
        key: jobKey(JOB.abandon, r.customer_id),
        kind: JOB.abandon.id,
        version: JOB.abandon.version,
        orgId: burst.orgId,
        runAt: new Date(now),
        payload: { customerId: r.customer_id },
      })),
    );
  const maxWaitDue = now + 1000;
  await insertJobs(
    db,
    waitRows.map((r) => ({
      key: jobKey(JOB.maxWait, r.id),
      kind: JOB.maxWait.id,
      version: JOB.maxWait.version,
      orgId: burst.orgId,
      runAt: new Date(maxWaitDue),
      payload: { conversationId: r.id, groupId: burst.groupId },
    })),
  );
  const t0 = performance.now();
  jobs.start();
  const waitDone = new Map<string, number>();
  let abandonMs = 0;
  for (;;) {
    const left = await queryRows<{ kind: string; key: string }>(
      db,
      sql`SELECT kind, key FROM jobs WHERE kind IN (${JOB.abandon.id}, ${JOB.maxWait.id}) AND status <> 'dead'`,
    );
    const waitLeft = new Set(left.filter((j) => j.kind === JOB.maxWait.id).map((j) => j.key));
    if (Date.now() >= maxWaitDue)
      for (const r of waitRows) {
        const k = jobKey(JOB.maxWait, r.id);
        if (!waitLeft.has(k) && !waitDone.has(k)) waitDone.set(k, Date.now() - maxWaitDue);
      }
    if (!abandonMs && !left.some((j) => j.kind === JOB.abandon.id)) abandonMs = performance.now() - t0;
    if (abandonMs && waitDone.size === waitRows.length) break;
    if (performance.now() - t0 > 600_000) throw new Error('jobs did not finish in 10 minutes');
    await sleep(20);
  }
  const [closed] = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM conversations WHERE org_id = ${burst.orgId} AND status = 'closed'`,
  );
  const [facts] = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM facts WHERE org_id = ${burst.orgId} AND kind = 'conversation.abandoned'`,
  );
  const [dead] = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM jobs WHERE status = 'dead'`,
  );
  await jobs.stop();
  routing.stop();
  await handle.close();
  const late = [...waitDone.values()];
  const result = {
    db: handle.kind,
    abandon: ABANDON,
    abandonSeconds: round(abandonMs / 1000, 2),
    abandonPerSecond: Math.round(ABANDON / (abandonMs / 1000)),
    baselinePerSecond: Math.round(ABANDON / (baselineMs / 1000)),
    runnerShareOfBaseline: round(baselineMs / abandonMs, 2),
    closed: closed!.n,
    abandonedFacts: facts!.n,
    deadJobs: dead!.n,
    maxWait: {
      n: late.length,
      lateP50Ms: Math.round(percentile(late, 50)),
      lateP99Ms: Math.round(percentile(late, 99)),
      lateMaxMs: Math.round(Math.max(...late)),
    },
  };
  console.log(JSON.stringify(result));
  if (closed!.n !== ABANDON || facts!.n !== ABANDON || dead!.n !== 0) {
    console.error('FAIL: every abandon job must close its conversation once, with one fact, none dead');
    process.exit(1);
  }
}

await main();
