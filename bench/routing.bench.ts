// Routing benchmark. Run: npm run bench:routing   (PGlite by default; DATABASE_URL=postgres://… for PostgreSQL)
// 1. Routing decision latency with 500 online agents (cap 10, all at cap) and 5,000 queued
//    conversations: (a) a new arrival that must wait (classify + try the head), (b) a freed slot that
//    is filled from the head of the queue (group lock, head with SKIP LOCKED, agent pick, recount,
//    assign, fact). p50/p99 over many decisions.
// 2. Queue-estimate error on a simulated promotion burst (discrete-event simulation of the same
//    estimator the server uses): mean / median / p90 absolute error and bias against the actual wait,
//    for the handle-time estimate used before (finished chats only) and now (running chats included),
//    on the same arrivals; then the mean over 40 bursts. ESTIMATE_ONLY=1 skips part 1.
import { queryRows, sql } from '@peakdesk/db';
import { createTestDatabase } from '@peakdesk/db/testing';
import pino from 'pino';
import { createEventBus } from '../apps/server/src/events/event-bus.ts';
import { createOutbox } from '../apps/server/src/events/outbox.ts';
import { createJobs } from '../apps/server/src/jobs/jobs.ts';
import { createAuditService } from '../apps/server/src/modules/audit/audit.service.ts';
import {
  DEFAULT_AHT_SECONDS,
  estimateHandleSeconds,
  estimateWaitSeconds,
  type HandleTimeBucket,
  handleTimeBucketOf,
} from '../apps/server/src/modules/routing/queue-estimate.ts';
import { createRoutingService } from '../apps/server/src/modules/routing/routing.service.ts';

const AGENTS = 500;
const CAP = 10;
const QUEUED = 5_000;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? 0;
};
const ms = (x: number) => Math.round(x * 100) / 100;

async function decisionBench() {
  // A fresh database: in-memory PGlite, or a new PostgreSQL database dropped afterwards.
  const handle = await createTestDatabase();
  const db = handle.db;
  const logger = pino({ level: 'silent' });
  const bus = createEventBus(() => {});
  const jobs = createJobs({ db, logger, pollMs: 60_000 });
  const outbox = createOutbox({ db, logger, pollMs: 60_000 });
  const routing = createRoutingService({
    db,
    bus,
    jobs,
    outbox,
    audit: createAuditService(db),
    logger,
    config: { agentGraceSeconds: 3600, abandonGraceSeconds: 3600, heartbeatMs: 60_000 },
    notify: () => ({ systemMessage: async () => null, conversationChanged: async () => null }),
  });

  const t0 = performance.now();
  const [org] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO organizations (name) VALUES ('bench') RETURNING id`,
  );
  const orgId = org!.id;
  const [group] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO skill_groups (org_id, name, default_max_concurrency) VALUES (${orgId}, ${`售前-${Date.now()}`}, ${CAP}) RETURNING id`,
  );
  const groupId = group!.id;
  const [store] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO stores (org_id, name, platform, default_group_id, identity_secret)
        VALUES (${orgId}, 'bench store', 'tmall', ${groupId}, 'x') RETURNING id`,
  );
  const storeId = store!.id;
  const tag = Date.now().toString(36);
  await db.execute(sql`INSERT INTO users (org_id, email, name, role, password_hash, status)
    SELECT ${orgId}, 'a' || g || '-' || ${tag} || '@bench.local', '客服' || g, 'agent', 'x', 'online' FROM generate_series(1, ${AGENTS}) g`);
  await db.execute(
    sql`INSERT INTO group_members (group_id, user_id) SELECT ${groupId}, id FROM users WHERE org_id = ${orgId}`,
  );
  await db.execute(
    sql`INSERT INTO user_stores (user_id, store_id) SELECT id, ${storeId} FROM users WHERE org_id = ${orgId}`,
  );
  const total = AGENTS * CAP + QUEUED;
  await db.execute(
    sql`INSERT INTO customers (org_id, store_id, name) SELECT ${orgId}, ${storeId}, '买家' || g FROM generate_series(1, ${total}) g`,
  );
  // Every agent at cap (10 assigned chats each), then 5,000 queued in two lanes.
  await db.execute(sql`
    WITH a AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS i FROM users WHERE org_id = ${orgId}),
         c AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS i FROM customers WHERE org_id = ${orgId})
    INSERT INTO conversations (org_id, store_id, customer_id, group_id, assignee_id, status, priority, queued_at, routed_for, assigned_at)
    SELECT ${orgId}, ${storeId}, c.id, ${groupId},
      CASE WHEN c.i < ${AGENTS * CAP} THEN (SELECT a.id FROM a WHERE a.i = c.i % ${AGENTS}) END,
      CASE WHEN c.i < ${AGENTS * CAP} THEN 'assigned' ELSE 'queued' END,
      CASE WHEN c.i >= ${AGENTS * CAP} AND c.i % 10 = 0 THEN 10 ELSE 0 END,
      now() - (${total} - c.i) * interval '10 milliseconds',
      now() - (${total} - c.i) * interval '10 milliseconds',
      CASE WHEN c.i < ${AGENTS * CAP} THEN now() - interval '1 minute' END
    FROM c`);
  await db.execute(sql`ANALYZE`);
  console.log(
    `setup: ${AGENTS} agents, ${AGENTS * CAP} assigned, ${QUEUED} queued in ${Math.round(performance.now() - t0)} ms (${handle.kind})`,
  );

  // (a) New arrivals while every agent is at cap: classify, then find nobody free for the head.
  const arrivals: number[] = [];
  const extra = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO customers (org_id, store_id, name) SELECT ${orgId}, ${storeId}, 'new' || g FROM generate_series(1, 300) g RETURNING id`,
  );
  for (const c of extra) {
    const [conv] = await queryRows<{ id: string }>(
      db,
      sql`INSERT INTO conversations (org_id, store_id, customer_id, group_id, status, queued_at)
          VALUES (${orgId}, ${storeId}, ${c.id}, ${groupId}, 'queued', now()) RETURNING id`,
    );
    const s = performance.now();
    await routing.routeConversation(conv!.id);
    arrivals.push(performance.now() - s);
  }

  // (b) A slot frees (a chat resolved): the drain fills it from the head of the queue.
  const fills: number[] = [];
  let assigned = 0;
  for (let i = 0; i < 500; i++) {
    await db.execute(sql`UPDATE conversations SET status = 'resolved', resolved_at = now()
      WHERE id = (SELECT id FROM conversations WHERE org_id = ${orgId} AND status = 'assigned' ORDER BY assigned_at LIMIT 1)`);
    const s = performance.now();
    assigned += (await routing.drainGroups([groupId])).length;
    fills.push(performance.now() - s);
  }
  const over = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM (SELECT assignee_id FROM conversations WHERE org_id = ${orgId} AND status = 'assigned'
        GROUP BY assignee_id HAVING count(*) > ${CAP}) x`,
  );
  routing.stop();
  await handle.close();
  return {
    db: handle.kind,
    arrival: { n: arrivals.length, p50: ms(pct(arrivals, 50)), p99: ms(pct(arrivals, 99)) },
    fill: { n: fills.length, assigned, p50: ms(pct(fills, 50)), p99: ms(pct(fills, 99)) },
    agentsOverCap: over[0]!.n,
  };
}

/** Deterministic PRNG so runs are comparable. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

type Chat = { start: number; end: number };
/** Handle time the server used before: mean of the chats that finished in the last hour. */
function finishedMeanSeconds(chats: readonly Chat[], from: number, now: number) {
  let sum = 0;
  let n = 0;
  for (let i = from; i < chats.length; i++) {
    const c = chats[i]!;
    if (c.end <= now && c.end > now - 3600) {
      sum += c.end - c.start;
      n++;
    }
  }
  return n >= 3 ? sum / n : DEFAULT_AHT_SECONDS;
}
/** Handle time the server uses now: the cohort assigned in the last hour, running chats included. */
function cohortSeconds(chats: readonly Chat[], from: number, now: number) {
  const buckets = new Map<number, HandleTimeBucket>();
  for (let i = from; i < chats.length; i++) {
    const c = chats[i]!;
    if (c.start <= now - 3600) continue;
    const isFinished = c.end <= now;
    const d = (isFinished ? c.end : now) - c.start;
    const bucket = handleTimeBucketOf(d);
    const b = buckets.get(bucket) ?? { bucket, chats: 0, finished: 0, seconds: 0, finishedSeconds: 0 };
    b.chats++;
    b.seconds += d;
    if (isFinished) {
      b.finished++;
      b.finishedSeconds += d;
    }
    buckets.set(bucket, b);
  }
  return estimateHandleSeconds([...buckets.values()]) ?? DEFAULT_AHT_SECONDS;
}

const errorsOf = (samples: { estimate: number | null; actual: number }[]) => {
  const waited = samples
    .filter((s): s is { estimate: number; actual: number } => s.estimate !== null)
    .filter((s) => s.actual > 0 || s.estimate > 0);
  const abs = waited.map((s) => Math.abs(s.estimate - s.actual));
  const bias = waited.reduce((s, x) => s + (x.estimate - x.actual), 0) / Math.max(1, waited.length);
  const rel = waited.filter((s) => s.actual >= 60).map((s) => Math.abs(s.estimate - s.actual) / s.actual);
  return {
    waited: waited.length,
    maeSeconds: ms(abs.reduce((s, x) => s + x, 0) / Math.max(1, abs.length)),
    medianAbsSeconds: ms(pct(abs, 50)),
    p90AbsSeconds: ms(pct(abs, 90)),
    biasSeconds: ms(bias),
    relativeErrorMedianForWaitsOver60s: ms(pct(rel, 50)),
  };
};

/**
 * A promotion burst: 20 agents × 3 slots; arrivals at 0.2/s for 10 min, 1.0/s (5×) for 30 min, then
 * 0.2/s; handle times log-normal with mean 180 s. At each arrival both estimators see what the server
 * would (its place, total and free slots, the group's chats) — the old one the mean handle time of
 * chats finished in the last hour, the new one the cohort assigned in the last hour with the chats
 * still running — and are judged against the same actual wait; so is the same formula given the true
 * mean handle time, the floor no estimate of the mean can beat.
 */
function estimateBench(seed = 11) {
  const rand = rng(seed);
  const slots = 60;
  const rate = (t: number) => (t < 600 || t >= 2400 ? 0.2 : 1.0);
  const handle = () => {
    const u1 = Math.max(rand(), 1e-9);
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rand());
    return Math.exp(Math.log(180) - 0.5 * 0.6 ** 2 + 0.6 * z); // mean 180 s
  };
  const busyUntil: number[] = []; // end times of chats in service
  const chats: Chat[] = []; // every chat, in order of assignment
  let longest = 0;
  const queue: { arrival: number; old: number | null; cohort: number | null; known: number | null }[] = [];
  const old: { estimate: number | null; actual: number }[] = [];
  const cohort: { estimate: number | null; actual: number }[] = [];
  const known: { estimate: number | null; actual: number }[] = [];
  let t = 0;
  let nextArrival = -Math.log(rand()) / rate(0);
  const serveWhileFree = (now: number) => {
    busyUntil.sort((a, b) => a - b);
    while (busyUntil.length && busyUntil[0]! <= now) busyUntil.shift();
    while (busyUntil.length < slots && queue.length) {
      const q = queue.shift()!;
      const h = handle();
      longest = Math.max(longest, h);
      busyUntil.push(now + h);
      chats.push({ start: now, end: now + h });
      old.push({ estimate: q.old, actual: now - q.arrival });
      cohort.push({ estimate: q.cohort, actual: now - q.arrival });
      known.push({ estimate: q.known, actual: now - q.arrival });
    }
  };
  let from = 0; // chats assigned before this one cannot matter any more (ended over an hour ago)
  while (t < 4 * 3600) {
    busyUntil.sort((a, b) => a - b);
    const nextFree = busyUntil[0] ?? Number.POSITIVE_INFINITY;
    if (nextArrival <= nextFree) {
      t = nextArrival;
      serveWhileFree(t);
      while (from < chats.length && chats[from]!.start < t - 3600 - longest) from++;
      const at = (ahtSeconds: number) =>
        estimateWaitSeconds({
          position: queue.length + 1,
          totalSlots: slots,
          freeSlots: slots - busyUntil.length,
          ahtSeconds,
        });
      queue.push({
        arrival: t,
        old: at(finishedMeanSeconds(chats, from, t)),
        cohort: at(cohortSeconds(chats, from, t)),
        known: at(180),
      });
      serveWhileFree(t);
      nextArrival = t + -Math.log(rand()) / rate(t);
    } else {
      t = nextFree;
      serveWhileFree(t);
    }
  }
  return {
    seed,
    conversations: old.length,
    maxWaitSeconds: Math.round(Math.max(...old.map((s) => s.actual))),
    before: errorsOf(old),
    after: errorsOf(cohort),
    // The same formula told the true mean (180 s): what is left is the luck of the handle times drawn.
    trueMean: errorsOf(known),
  };
}

/** One burst is noisy (the realised handle times of a few hundred chats decide a long wait): many seeds. */
function estimateSeeds(seeds: number) {
  const runs = Array.from({ length: seeds }, (_, i) => estimateBench(100 + i));
  const summary = (k: 'before' | 'after' | 'trueMean') => {
    const bias = runs.map((r) => r[k].biasSeconds);
    const mean = bias.reduce((s, x) => s + x, 0) / seeds;
    const sd = Math.sqrt(bias.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, seeds - 1));
    return {
      maeSeconds: ms(runs.reduce((s, r) => s + r[k].maeSeconds, 0) / seeds),
      biasSeconds: ms(mean),
      biasStandardError: ms(sd / Math.sqrt(seeds)),
    };
  };
  return { seeds, before: summary('before'), after: summary('after'), trueMean: summary('trueMean') };
}

if (!process.env.ESTIMATE_ONLY) {
  const decision = await decisionBench();
  console.log('routing decision (ms):', JSON.stringify(decision));
}
console.log('queue estimate on a 5× burst (seed 11):', JSON.stringify(estimateBench(11)));
console.log('queue estimate, mean over 40 bursts:', JSON.stringify(estimateSeeds(40)));
