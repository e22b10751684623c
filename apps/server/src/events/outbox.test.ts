import { randomUUID } from 'node:crypto';
import { type DatabaseHandle, openDatabase, queryRows, sql } from '@peakdesk/db';
import { createTestDatabase } from '@peakdesk/db/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutbox, type OutboxEvent, writeEvents } from './outbox.ts';

/**
 * The outbox on a real database (PGlite, or PostgreSQL with DATABASE_URL): events written in a
 * transaction reach every durable listener at least once, a failing listener dead-letters its
 * event after N attempts without delaying the others, replay delivers it, and two dispatchers on
 * one database hand each event to each listener once.
 */
let handle: Awaited<ReturnType<typeof createTestDatabase>>;
let second: DatabaseHandle | undefined;
const logger = pino({ level: 'silent' });
const orgId = randomUUID();

beforeAll(async () => {
  handle = await createTestDatabase();
  if (handle.url) second = await openDatabase({ url: handle.url, poolSize: 5, migrate: false });
});
afterAll(async () => {
  await second?.close();
  await handle.close();
});

const statusEvent = () =>
  ({ name: 'agent.status_changed', payload: { orgId, userId: randomUUID(), status: 'online' } }) as const;

async function writeBatch(n: number) {
  const events = Array.from({ length: n }, statusEvent);
  await handle.db.transaction(async (tx) => writeEvents(tx as never, events));
  return events.map((e) => e.payload.userId);
}

describe('outbox', () => {
  it('writes nothing when the transaction rolls back, and names the field of a bad payload', async () => {
    await expect(
      handle.db.transaction(async (tx) => {
        await writeEvents(tx as never, [statusEvent()]);
        throw new Error('change failed');
      }),
    ).rejects.toThrow('change failed');
    const [row] = await queryRows<{ n: number }>(handle.db, sql`SELECT count(*)::int AS n FROM outbox`);
    expect(row?.n).toBe(0);
    await expect(
      writeEvents(handle.db, [
        { name: 'agent.status_changed', payload: { orgId, userId: 'nope', status: 'online' } },
      ]),
    ).rejects.toThrow(/userId/);
  });

  it('dead-letters after N failures, replays, and never delays the other listeners', async () => {
    const outbox = createOutbox({ db: handle.db, logger, pollMs: 60_000, backoffMs: 5, maxBackoffMs: 20 });
    let isBroken = true;
    const failing: number[] = [];
    const healthy: { userId: string; attempt: number; at: number }[] = [];
    let releaseSlow!: () => void;
    const slowGate = new Promise<void>((r) => {
      releaseSlow = r;
    });
    const slow: string[] = [];
    outbox.listen({
      name: 'test.failing',
      events: ['agent.status_changed'],
      maxAttempts: 3,
      async handle(e) {
        failing.push(e.attempt);
        if (isBroken) throw new Error(`boom on attempt ${e.attempt}`);
      },
    });
    outbox.listen({
      name: 'test.healthy',
      events: ['agent.status_changed'],
      async handle(e) {
        healthy.push({ userId: e.payload.userId, attempt: e.attempt, at: Date.now() });
      },
    });
    outbox.listen({
      name: 'test.slow',
      events: ['agent.status_changed'],
      async handle(e) {
        await slowGate;
        slow.push(e.payload.userId);
      },
    });

    const started = Date.now();
    const userIds = await writeBatch(20);
    outbox.nudge();
    // The healthy listener gets every event at once, while the slow one is stuck and the failing one retries.
    for (let i = 0; i < 200 && healthy.length < 20; i++) await new Promise((r) => setTimeout(r, 10));
    expect(healthy.map((h) => h.userId).sort()).toEqual([...userIds].sort());
    expect(healthy.every((h) => h.attempt === 1)).toBe(true);
    expect(Math.max(...healthy.map((h) => h.at)) - started).toBeLessThan(1500);
    expect(slow).toEqual([]);

    // Retries with backoff until the third attempt, then dead.
    for (let i = 0; i < 200; i++) {
      const dead = await outbox.repo.listDead(orgId, 100);
      if (dead.filter((d) => d.listener === 'test.failing').length === 20) break;
      await new Promise((r) => setTimeout(r, 20));
      await Promise.race([outbox.drain(), new Promise((r) => setTimeout(r, 50))]);
    }
    const dead = (await outbox.repo.listDead(orgId, 100)).filter((d) => d.listener === 'test.failing');
    expect(dead).toHaveLength(20);
    expect(dead.every((d) => d.attempts === 3 && d.last_error === 'boom on attempt 3')).toBe(true);
    expect(failing.length).toBe(60);

    releaseSlow();
    await outbox.drain();
    expect(slow.sort()).toEqual([...userIds].sort());

    // Replay one: delivered once more, then gone from the list; another organisation cannot replay it.
    isBroken = false;
    const target = dead[0]!;
    expect(await outbox.repo.replay(randomUUID(), 'test.failing', Number(target.id))).toBe(false);
    expect(await outbox.repo.replay(orgId, 'test.failing', Number(target.id))).toBe(true);
    await outbox.drain();
    expect(failing.length).toBe(61);
    const left = (await outbox.repo.listDead(orgId, 100)).filter((d) => d.listener === 'test.failing');
    expect(left).toHaveLength(19);
    expect(healthy).toHaveLength(20);
    await outbox.stop();
    await handle.db.execute(sql`DELETE FROM outbox_deliveries`);
  });

  it('once(): the effect commits with the processed marker, a redelivery is skipped', async () => {
    const outbox = createOutbox({ db: handle.db, logger, pollMs: 60_000 });
    let calls = 0;
    outbox.listen({
      name: 'test.once',
      events: ['agent.status_changed'],
      async handle(e, ctx) {
        calls++;
        await ctx.once(async (tx) => {
          await tx.execute(sql`INSERT INTO settings (key, value) VALUES (${`once:${e.id}`}, 'x')`);
        });
      },
    });
    await writeBatch(1);
    await outbox.drain();
    expect(calls).toBe(1);
    const [done] = await queryRows<{ event_id: number }>(
      handle.db,
      sql`SELECT event_id FROM outbox_processed WHERE listener = 'test.once'`,
    );
    // The same delivery arrives again (a lease ran out on a slow instance): the marker skips it.
    await handle.db.execute(
      sql`INSERT INTO outbox_deliveries (listener, event_id, org_id, name, version, payload, created_at)
          VALUES ('test.once', ${done!.event_id}, ${orgId}, 'agent.status_changed', 1,
            ${JSON.stringify(statusEvent().payload)}::jsonb, now())`,
    );
    await outbox.drain();
    expect(calls).toBe(1);
    const rows = await queryRows<{ key: string }>(
      handle.db,
      sql`SELECT key FROM settings WHERE key LIKE 'once:%'`,
    );
    expect(rows).toHaveLength(1);
    const [pending] = await queryRows<{ n: number }>(
      handle.db,
      sql`SELECT count(*)::int AS n FROM outbox_deliveries WHERE listener = 'test.once'`,
    );
    expect(pending?.n).toBe(0);
  });

  it("releaseLeases frees a dead process's claimed delivery: it is handled now, once", async () => {
    const outbox = createOutbox({ db: handle.db, logger, pollMs: 60_000 });
    const seen: string[] = [];
    outbox.listen({
      name: 'test.leased',
      events: ['agent.status_changed'],
      async handle(e) {
        seen.push(e.payload.userId);
      },
    });
    const payload = statusEvent().payload;
    // What a process killed mid-delivery leaves: the delivery, claimed for another hour.
    await handle.db.execute(
      sql`INSERT INTO outbox_deliveries (listener, event_id, org_id, name, version, payload, created_at, locked_until)
          VALUES ('test.leased', 987654321, ${orgId}, 'agent.status_changed', 1,
            ${JSON.stringify(payload)}::jsonb, now(), now() + interval '1 hour')`,
    );
    await outbox.drain();
    expect(seen).toEqual([]);
    expect(await outbox.releaseLeases()).toBeGreaterThanOrEqual(1);
    await outbox.drain();
    expect(seen).toEqual([payload.userId]);
  });

  it('two instances on one database: each event is handled once per listener', async () => {
    const seen = new Map<string, { id: number; instance: string }[]>();
    const make = (instance: string, db: DatabaseHandle['db']) => {
      const outbox = createOutbox({ db, logger, pollMs: 60_000, batchSize: 25 });
      for (const name of ['test.multi.a', 'test.multi.b'])
        outbox.listen({
          name,
          events: ['agent.status_changed'],
          concurrency: 4,
          async handle(e: OutboxEvent<'agent.status_changed'>) {
            await new Promise((r) => setTimeout(r, 1));
            seen.set(name, [...(seen.get(name) ?? []), { id: e.id, instance }]);
          },
        });
      return outbox;
    };
    const a = make('a', handle.db);
    const b = make('b', (second ?? handle).db);
    const writes = Array.from({ length: 10 }, () => writeBatch(30));
    const drains = [a.drain(), b.drain(), a.drain(), b.drain()];
    await Promise.all(writes);
    await Promise.all(drains);
    await Promise.all([a.drain(), b.drain()]);
    for (const name of ['test.multi.a', 'test.multi.b']) {
      const ids = (seen.get(name) ?? []).map((s) => s.id);
      expect(ids).toHaveLength(300);
      expect(new Set(ids).size).toBe(300);
    }
    const instances = new Set([...seen.values()].flat().map((s) => s.instance));
    expect(instances.size).toBe(2);
  });
});
