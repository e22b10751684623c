import { ChatClient } from '@peakdesk/chat-client';
import type { TConversation, TMessage } from '@peakdesk/contracts';
import { type DatabaseHandle, openDatabase, queryRows, sql } from '@peakdesk/db';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createStorage,
  freePort,
  type ServerProcess,
  type Storage,
  spawnServer,
} from '../../../bench/lib/server-process.ts';
import { call, seedLoadTenant, setStatus, startVisitor } from '../../../bench/lib/tenant-api.ts';
import { createChatRepository } from '../src/modules/chat/chat.repository.ts';

import { useCleanups, waitUntil } from './process-helpers.ts';

/**
 * Two `peakdesk start` processes on one PostgreSQL database and one Redis: a customer on instance A
 * and an agent on instance B must see each other's messages, typing and read state, routing must
 * see the agent's state whichever instance set it, and concurrent arrivals on both instances must
 * never push an agent past the cap or assign a conversation twice.
 */
const DATABASE_URL = process.env.DATABASE_URL;
/**
 * A Redis database of its own (1–15) per run, as the test gets its own PostgreSQL database: the
 * login rate limit counts in Redis, and back-to-back runs from 127.0.0.1 would otherwise share it.
 */
const REDIS_URL = process.env.REDIS_URL
  ? (() => {
      const u = new URL(process.env.REDIS_URL);
      u.pathname = `/${1 + Math.floor(Math.random() * 15)}`;
      return u.toString();
    })()
  : undefined;
const skipReason = 'needs DATABASE_URL and REDIS_URL (several instances share PostgreSQL + Redis)';

const cleanup = useCleanups();

function connect(url: string, auth: { visitorToken?: string; token?: string }): ChatClient {
  const c = new ChatClient({ url, auth });
  cleanup(() => c.close());
  return c;
}

describe.skipIf(!DATABASE_URL || !REDIS_URL)(`two instances on PostgreSQL + Redis (${skipReason})`, () => {
  let storage: Storage;
  let a: ServerProcess;
  let b: ServerProcess;
  let db: DatabaseHandle;

  beforeAll(async () => {
    storage = await createStorage(DATABASE_URL);
    cleanup(() => storage.dispose());
    a = await spawnServer({
      port: await freePort(),
      storage,
      demo: true,
      redisUrl: REDIS_URL,
      instanceId: 'A',
    });
    cleanup(() => a.stop('SIGKILL'));
    b = await spawnServer({ port: await freePort(), storage, redisUrl: REDIS_URL, instanceId: 'B' });
    cleanup(() => b.stop('SIGKILL'));
    db = await openDatabase({ url: storage.databaseUrl, poolSize: 2, migrate: false });
    cleanup(() => db.close());
  }, 80_000);
  it('customer on A and agent on B: routing, messages, typing and read cross instances', async () => {
    const t = await seedLoadTenant(a.url, { agents: 1, cap: 3 });
    const agentUser = t.agents[0]!;

    // The customer arrives while the agent is offline: the conversation waits in the queue.
    const v = await startVisitor(a.url, t.storeId);
    const customer = connect(a.url, { visitorToken: v.visitorToken });
    const customerGot: TMessage[] = [];
    const customerConvs: TConversation[] = [];
    const customerTyping: { senderType: string; isTyping: boolean }[] = [];
    const customerReads: { readerType: string; seq: number }[] = [];
    customer.on('message', (m) => customerGot.push(m));
    customer.on('conversation', (c) => customerConvs.push(c));
    customer.on('typing', (e) => customerTyping.push(e));
    customer.on('read', (e) => customerReads.push(e));
    await waitUntil('customer connected', () => customer.connected);
    const conv = await customer.openConversation();
    expect(conv.status).toBe('queued');

    // The agent comes online through instance B and connects there; B's routing takes the queue.
    const agent = connect(b.url, { token: agentUser.token });
    const agentGot: TMessage[] = [];
    const agentTyping: { senderType: string; isTyping: boolean }[] = [];
    const agentReads: { readerType: string; seq: number }[] = [];
    agent.on('message', (m) => agentGot.push(m));
    agent.on('typing', (e) => agentTyping.push(e));
    agent.on('read', (e) => agentReads.push(e));
    await waitUntil('agent connected', () => agent.connected);
    await setStatus(b.url, agentUser.token, 'online');
    // Instance A pushes the assignment (made on B) to the customer through Redis.
    const assigned = await waitUntil('customer sees the assignment', () =>
      customerConvs.some((c) => c.id === conv.id && c.assigneeId === agentUser.id),
    ).then(() => customerConvs.find((c) => c.assigneeId === agentUser.id)!);
    expect(assigned.status).toBe('assigned');
    await agent.watch(conv.id);

    const N = 15;
    const sends: Promise<TMessage>[] = [];
    for (let k = 0; k < N; k++) {
      sends.push(
        customer.send({ conversationId: conv.id, type: 'text', body: `在吗？第${k}问`, clientId: `c-${k}` }),
      );
      sends.push(
        agent.send({ conversationId: conv.id, type: 'text', body: `亲，在的～第${k}答`, clientId: `a-${k}` }),
      );
    }
    const stored = await Promise.all(sends);
    const lastSeq = Math.max(...stored.map((m) => m.seq));
    await waitUntil(
      'both sides caught up',
      () => (customerGot.at(-1)?.seq ?? 0) >= lastSeq && (agentGot.at(-1)?.seq ?? 0) >= lastSeq,
    );
    const ofSender = (got: TMessage[], prefix: string) =>
      got.filter((m) => m.clientId.startsWith(prefix)).map((m) => m.clientId);
    const expectedOf = (prefix: string) => Array.from({ length: N }, (_, k) => `${prefix}${k}`);
    // Each side got every message of the other exactly once and in the order written…
    expect(ofSender(agentGot, 'c-')).toEqual(expectedOf('c-'));
    expect(ofSender(customerGot, 'a-')).toEqual(expectedOf('a-'));
    // …and both saw the same gapless sequence (assignment notice included).
    expect(customerGot.map((m) => m.seq)).toEqual(customerGot.map((_, i) => i + 1));
    expect(agentGot.map((m) => m.id)).toEqual(customerGot.map((m) => m.id));

    customer.typing(conv.id, true);
    await waitUntil('agent on B sees the customer typing', () =>
      agentTyping.some((e) => e.senderType === 'customer' && e.isTyping),
    );
    agent.typing(conv.id, true);
    await waitUntil('customer on A sees the agent typing', () =>
      customerTyping.some((e) => e.senderType === 'agent' && e.isTyping),
    );
    agent.markRead(conv.id, lastSeq);
    await waitUntil('customer on A sees the agent read', () =>
      customerReads.some((e) => e.readerType === 'agent' && e.seq === lastSeq),
    );
    customer.markRead(conv.id, lastSeq);
    await waitUntil('agent on B sees the customer read', () =>
      agentReads.some((e) => e.readerType === 'customer' && e.seq === lastSeq),
    );
    customer.close();
    agent.close();
  }, 60_000);

  it('a resend of a message stored but never pushed reaches the agent on the other instance', async () => {
    const t = await seedLoadTenant(a.url, { agents: 1, cap: 3 });
    const agentUser = t.agents[0]!;
    const agent = connect(b.url, { token: agentUser.token });
    const agentGot: TMessage[] = [];
    agent.on('message', (m) => agentGot.push(m));
    await waitUntil('agent connected', () => agent.connected);
    await setStatus(b.url, agentUser.token, 'online');
    const v = await startVisitor(a.url, t.storeId);
    const customer = connect(a.url, { visitorToken: v.visitorToken });
    await waitUntil('customer connected', () => customer.connected);
    const conv = await customer.openConversation();
    await waitUntil('assigned', async () => {
      const [r] = await queryRows<{ assignee_id: string | null }>(
        db.db,
        sql`SELECT assignee_id FROM conversations WHERE id = ${conv.id}`,
      );
      return r?.assignee_id === agentUser.id;
    });
    await agent.watch(conv.id);
    // What an instance killed between its commit and its push leaves behind: the row, no push.
    const [org] = await queryRows<{ org_id: string }>(
      db.db,
      sql`SELECT org_id FROM conversations WHERE id = ${conv.id}`,
    );
    const [stored] = await createChatRepository(db.db).insertMessages([
      {
        orgId: org!.org_id,
        conversationId: conv.id,
        senderType: 'customer',
        senderId: null,
        clientId: 'w-killed-1',
        type: 'text',
        body: '付款了，什么时候发货？',
        attachmentId: null,
      },
    ]);
    await new Promise((r) => setTimeout(r, 300));
    expect(agentGot.some((m) => m.id === stored!.id)).toBe(false);
    // The customer's client resends it to instance A (no ack came back from the dead one).
    const ack = await customer.send({
      conversationId: conv.id,
      type: 'text',
      body: '付款了，什么时候发货？',
      clientId: 'w-killed-1',
    });
    expect(ack.id).toBe(stored!.id);
    // A publishes it again; Redis carries it to B, where the agent is (no resync timer on this client).
    await waitUntil(
      'agent on B got the resent message',
      () => agentGot.some((m) => m.id === stored!.id),
      5_000,
    );
    expect(agentGot.filter((m) => m.id === stored!.id)).toHaveLength(1);
    customer.close();
    agent.close();
  }, 60_000);

  it('concurrent arrivals on both instances never exceed a cap nor assign twice', async () => {
    const CAP = 3;
    const ARRIVALS = 16;
    const t = await seedLoadTenant(a.url, { agents: 2, cap: CAP });
    await setStatus(a.url, t.agents[0]!.token, 'online');
    await setStatus(b.url, t.agents[1]!.token, 'online');

    const customers = await Promise.all(
      Array.from({ length: ARRIVALS }, async (_, i) => {
        const url = i % 2 === 0 ? a.url : b.url;
        const v = await startVisitor(url, t.storeId);
        const c = connect(url, { visitorToken: v.visitorToken });
        await waitUntil('customer connected', () => c.connected);
        return c;
      }),
    );
    // All arrive at once, half on each instance.
    const convs = await Promise.all(customers.map((c) => c.openConversation()));
    expect(new Set(convs.map((c) => c.id)).size).toBe(ARRIVALS);

    const storeConvs = sql`SELECT id FROM conversations WHERE store_id = ${t.storeId}`;
    const capacity = CAP * t.agents.length;
    // Liveness: every free seat is taken even though arrivals raced for the same agents.
    await waitUntil('all seats filled', async () => {
      const [r] = await queryRows<{ n: number }>(
        db.db,
        sql`SELECT count(*)::int AS n FROM conversations WHERE store_id = ${t.storeId} AND status = 'assigned'`,
      );
      return r?.n === capacity;
    });
    const perAgent = await queryRows<{ assignee_id: string; n: number }>(
      db.db,
      sql`SELECT assignee_id, count(*)::int AS n FROM conversations
          WHERE store_id = ${t.storeId} AND status = 'assigned' GROUP BY assignee_id ORDER BY assignee_id`,
    );
    expect(perAgent.map((r) => r.n)).toEqual([CAP, CAP]);
    // Assignments ever made (facts), per agent and per conversation: never past the cap, never twice.
    const factsPerAgent = await queryRows<{ agent_id: string; n: number }>(
      db.db,
      sql`SELECT agent_id, count(*)::int AS n FROM facts
          WHERE kind = 'conversation.assigned' AND conversation_id IN (${storeConvs}) GROUP BY agent_id`,
    );
    for (const r of factsPerAgent) expect(r.n).toBeLessThanOrEqual(CAP);
    const twice = await queryRows<{ conversation_id: string; n: number }>(
      db.db,
      sql`SELECT conversation_id, count(*)::int AS n FROM facts
          WHERE kind = 'conversation.assigned' AND conversation_id IN (${storeConvs})
          GROUP BY conversation_id HAVING count(*) > 1`,
    );
    expect(twice).toEqual([]);
    const notices = await queryRows<{ conversation_id: string; n: number }>(
      db.db,
      sql`SELECT conversation_id, count(*)::int AS n FROM messages
          WHERE sender_type = 'system' AND conversation_id IN (${storeConvs}) GROUP BY conversation_id HAVING count(*) > 1`,
    );
    expect(notices).toEqual([]);
    const [queued] = await queryRows<{ n: number }>(
      db.db,
      sql`SELECT count(*)::int AS n FROM conversations WHERE store_id = ${t.storeId} AND status = 'queued'`,
    );
    expect(queued?.n).toBe(ARRIVALS - capacity);
    for (const c of customers) c.close();
  }, 60_000);
  it('an agent in two groups: arrivals racing in both groups fill the seats, never past the cap', async () => {
    const CAP = 4;
    const t = await seedLoadTenant(a.url, { agents: 1, cap: CAP });
    const agentUser = t.agents[0]!;
    // A second store whose queue is a second group; the same agent serves both.
    const group2 = await call<{ id: string }>(a.url, 'POST', '/api/groups', {
      token: t.adminToken,
      body: { name: `售后-${t.groupId.slice(0, 6)}`, defaultMaxConcurrency: CAP },
    });
    const store2 = await call<{ id: string }>(a.url, 'POST', '/api/stores', {
      token: t.adminToken,
      body: { name: `第二店铺-${t.groupId.slice(0, 6)}`, platform: 'jd', defaultGroupId: group2.id },
    });
    await call(a.url, 'PATCH', `/api/users/${agentUser.id}`, {
      token: t.adminToken,
      body: { storeIds: [t.storeId, store2.id], groupIds: [t.groupId, group2.id] },
    });
    await setStatus(b.url, agentUser.token, 'online');

    const customers = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const url = i % 2 === 0 ? a.url : b.url;
        const v = await startVisitor(url, i % 4 < 2 ? t.storeId : store2.id);
        const c = connect(url, { visitorToken: v.visitorToken });
        await waitUntil('customer connected', () => c.connected);
        return c;
      }),
    );
    await Promise.all(customers.map((c) => c.openConversation()));
    const assigned = async () =>
      (
        await queryRows<{ n: number }>(
          db.db,
          sql`SELECT count(*)::int AS n FROM conversations WHERE assignee_id = ${agentUser.id} AND status = 'assigned'`,
        )
      )[0]?.n ?? 0;
    await waitUntil('all seats filled', async () => (await assigned()) >= CAP);
    await new Promise((r) => setTimeout(r, 500));
    expect(await assigned()).toBe(CAP);
    for (const c of customers) c.close();
  }, 60_000);
});
