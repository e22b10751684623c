import { randomUUID } from 'node:crypto';
import type { TConversation, TDeadLetterBacklog } from '@peakdesk/contracts';
import { openDatabase, queryRows, sql } from '@peakdesk/db';
import { describe, expect, it } from 'vitest';
import {
  createStorage,
  freePort,
  type ServerProcess,
  type Storage,
  spawnServer,
} from '../../../bench/lib/server-process.ts';
import {
  call,
  DEMO_ADMIN,
  login,
  seedLoadTenant,
  setStatus,
  startVisitor,
} from '../../../bench/lib/tenant-api.ts';

import { useCleanups, waitUntil } from './process-helpers.ts';

/**
 * The outbox promise under SIGKILL: an instance dies between a commit and what follows it (the
 * failpoints in `src/failpoints.ts` stop it at an exact place: after the 10th conversation-open
 * commit, before routing; later after the 2nd resolve commit, before the freed seat is filled),
 * while a burst of conversations opens on a human store and a bot-first store. After each restart on
 * the same data, every fact, timer and bot turn must exist exactly once, no queue entry may stay
 * unclassified, and the agent's freed seats are filled. Runs on PGlite (a data folder) or, with
 * DATABASE_URL, on a fresh PostgreSQL database.
 */
const HUMAN_CUSTOMERS = 16;
const BOT_CUSTOMERS = 8;
const CAP = 4;

const cleanup = useCleanups();

async function exited(server: ServerProcess, timeoutMs: number): Promise<string | null> {
  await waitUntil(
    'the failpoint to kill the server',
    () => server.proc.exitCode !== null || server.proc.signalCode !== null,
    timeoutMs,
  );
  return server.proc.signalCode;
}

const ENV = {
  // REST-only clients hold no socket: keep presence from sweeping the agent away meanwhile.
  PEAKDESK_AGENT_GRACE_SECONDS: '3600',
  // A dead process's claims free at the next start anyway; short leases keep the test quick.
  PEAKDESK_WORK_LEASE_MS: '3000',
};

describe('SIGKILL between commits and their listeners', () => {
  it('after restarts every fact, timer and bot turn exists exactly once and no entry stays unrouted', async () => {
    const storage: Storage = await createStorage(process.env.DATABASE_URL);
    cleanup(() => storage.dispose());
    const port = await freePort();
    const start = async (failpoints?: string) => {
      const s = await spawnServer({
        port,
        storage,
        demo: true,
        readyTimeoutMs: 90_000,
        env: { ...ENV, ...(failpoints ? { PEAKDESK_FAILPOINTS: failpoints } : {}) },
      });
      cleanup(() => s.stop('SIGKILL'));
      return s;
    };

    // Seeded on a clean instance: one agent (cap 4), a group with max wait and no-reply timers, a
    // human-first store and a bot-first store in that group.
    let server = await start();
    const url = server.url;
    const tenant = await seedLoadTenant(url, { agents: 1, cap: CAP });
    const adminToken = await login(url, DEMO_ADMIN.email, DEMO_ADMIN.password);
    await call(url, 'PATCH', `/api/routing/groups/${tenant.groupId}`, {
      token: adminToken,
      body: { maxWaitSeconds: 3600, noReplySeconds: 3600 },
    });
    const botStore = await call<{ id: string }>(url, 'POST', '/api/stores', {
      token: adminToken,
      body: {
        name: `机器人旗舰店-${randomUUID().slice(0, 6)}`,
        platform: 'jd',
        defaultGroupId: tenant.groupId,
      },
    });
    await call(url, 'PUT', `/api/stores/${botStore.id}/bot-settings`, {
      token: adminToken,
      body: { mode: 'bot_first' },
    });
    const agent = tenant.agents[0]!;
    await setStatus(url, agent.token, 'online');
    const humans = await Promise.all(
      Array.from({ length: HUMAN_CUSTOMERS }, () => startVisitor(url, tenant.storeId)),
    );
    const bots = await Promise.all(
      Array.from({ length: BOT_CUSTOMERS }, () => startVisitor(url, botStore.id)),
    );
    await server.stop('SIGTERM');

    // 1. The burst of opens; the 10th open commit kills the instance before routing runs.
    server = await start('chat.opened.committed=kill@10');
    const open = (token: string) =>
      call<TConversation>(url, 'POST', '/api/widget/conversations', { token, body: {} });
    const ask = (token: string, conversationId: string, clientId: string) =>
      call(url, 'POST', `/api/conversations/${conversationId}/messages`, {
        token,
        body: { clientId, type: 'text', body: '请问双11的优惠券什么时候可以领？' },
      });
    await Promise.allSettled([
      ...humans.map((v) => open(v.visitorToken)),
      ...bots.map(async (v) => {
        const c = await open(v.visitorToken);
        await ask(v.visitorToken, c.id, `ask-${v.customerId}`);
      }),
    ]);
    expect(await exited(server, 30_000)).toBe('SIGKILL');

    // 2. Restart (it dies again after the 2nd resolve commit). Clients retry what had no answer:
    // opening returns the customer's active conversation, a resent message is stored once.
    server = await start('chat.resolved.committed=kill@2');
    const convOf = new Map<string, string>();
    for (const v of [...humans, ...bots]) convOf.set(v.customerId, (await open(v.visitorToken)).id);
    for (const v of bots) await ask(v.visitorToken, convOf.get(v.customerId)!, `ask-${v.customerId}`);
    const backlog = () =>
      call<TDeadLetterBacklog>(url, 'GET', '/api/dead-letters/backlog', { token: adminToken });
    const quiet = async () => {
      const b = await backlog();
      return b.outbox === 0 && b.listeners.every((l) => l.pending === 0 && l.dead === 0);
    };
    const mine = () =>
      call<TConversation[]>(url, 'GET', '/api/conversations?scope=mine&status=assigned', {
        token: agent.token,
      });
    await waitUntil(
      'the agent to hold a full set of chats',
      async () => (await mine()).length === CAP,
      30_000,
    );
    await waitUntil('the outbox to drain after the first restart', quiet, 30_000);

    // 3. The agent resolves their chats at once; the 2nd resolve commit kills the instance.
    const first = await mine();
    await Promise.allSettled(
      first.map((c) => call(url, 'POST', `/api/conversations/${c.id}/resolve`, { token: agent.token })),
    );
    expect(await exited(server, 30_000)).toBe('SIGKILL');
    server = await start();
    // A resolve that had no answer is retried; one that committed answers 409 (already resolved).
    for (const c of first) {
      const res = await fetch(`${url}/api/conversations/${c.id}/resolve`, {
        method: 'POST',
        headers: { authorization: `Bearer ${agent.token}` },
      });
      expect([200, 409]).toContain(res.status);
    }
    // The freed seats are filled again, whether or not the drain after each resolve ran.
    await waitUntil(
      'the freed seats to be filled',
      async () => (await mine()).filter((c) => !first.some((f) => f.id === c.id)).length === CAP,
      30_000,
    );
    await waitUntil('the outbox to drain after the second restart', quiet, 30_000);
    await server.stop('SIGTERM');

    // 4. The database, read after a clean stop.
    const db = await openDatabase({ url: storage.databaseUrl, dataDir: storage.dataDir });
    try {
      const ids = [...convOf.values()];
      const inIds = sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      );
      const convs = await queryRows<{
        id: string;
        store_id: string;
        status: string;
        classified: boolean;
      }>(
        db.db,
        sql`SELECT id, store_id, status, routed_for IS NOT DISTINCT FROM queued_at AS classified FROM conversations WHERE id::text IN (${inIds})`,
      );
      expect(convs).toHaveLength(HUMAN_CUSTOMERS + BOT_CUSTOMERS);
      const factCount = async (kind: string) =>
        new Map(
          (
            await queryRows<{ conversation_id: string; n: number }>(
              db.db,
              sql`SELECT conversation_id, count(*)::int AS n FROM facts
                  WHERE kind = ${kind} AND conversation_id::text IN (${inIds}) GROUP BY conversation_id`,
            )
          ).map((r) => [r.conversation_id, r.n]),
        );
      const created = await factCount('conversation.created');
      const queuedFacts = await factCount('conversation.queued');
      const assigned = await factCount('conversation.assigned');
      const resolved = await factCount('conversation.resolved');
      const jobs = new Set(
        (
          await queryRows<{ key: string }>(
            db.db,
            sql`SELECT key FROM jobs WHERE status = 'pending' AND kind IN ('routing.max_wait', 'routing.no_reply')`,
          )
        ).map((r) => r.key),
      );
      const humanConvs = convs.filter((c) => c.store_id === tenant.storeId);
      for (const c of convs)
        expect({ id: c.id, created: created.get(c.id) }).toEqual({ id: c.id, created: 1 });
      for (const c of humanConvs) {
        // Classified exactly once (the entry rules, lane and queued fact), whatever the kill interrupted.
        expect({ id: c.id, queued: queuedFacts.get(c.id) }).toEqual({ id: c.id, queued: 1 });
        expect({ id: c.id, classified: c.classified }).toEqual({ id: c.id, classified: true });
        const wasAssigned = c.status === 'assigned' || c.status === 'resolved';
        expect({ id: c.id, assigned: assigned.get(c.id) ?? 0 }).toEqual({
          id: c.id,
          assigned: wasAssigned ? 1 : 0,
        });
        expect({ id: c.id, resolved: resolved.get(c.id) ?? 0 }).toEqual({
          id: c.id,
          resolved: c.status === 'resolved' ? 1 : 0,
        });
        // Its timer: the max wait while it waits, the no-reply deadline once an agent has it.
        if (c.status === 'queued') expect(jobs.has(`routing.max_wait:${c.id}`)).toBe(true);
        if (c.status === 'assigned') expect(jobs.has(`routing.no_reply:${c.id}`)).toBe(true);
      }
      expect(humanConvs.filter((c) => c.status === 'resolved')).toHaveLength(CAP);
      expect(humanConvs.filter((c) => c.status === 'assigned')).toHaveLength(CAP);

      // Bot turns: each customer message of the bot store answered exactly once, with one bot fact.
      const turns = await queryRows<{ id: string; asked: number; replies: number; facts: number }>(
        db.db,
        sql`SELECT c.id,
              (SELECT count(*)::int FROM messages m WHERE m.conversation_id = c.id AND m.sender_type = 'customer') AS asked,
              (SELECT count(*)::int FROM messages m WHERE m.conversation_id = c.id AND m.sender_type = 'bot') AS replies,
              (SELECT count(*)::int FROM facts f WHERE f.conversation_id = c.id AND f.kind LIKE 'bot.%') AS facts
            FROM conversations c WHERE c.store_id = ${botStore.id} AND c.id::text IN (${inIds})`,
      );
      expect(turns).toHaveLength(BOT_CUSTOMERS);
      for (const t of turns) expect(t).toEqual({ id: t.id, asked: 1, replies: 1, facts: 1 });
    } finally {
      await db.close();
    }
  }, 420_000);
});
