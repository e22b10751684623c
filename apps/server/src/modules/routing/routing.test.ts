import { randomUUID } from 'node:crypto';
import type { TConversation } from '@peakdesk/contracts';
import { schema } from '@peakdesk/db';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createTenant,
  startTestServer,
  startVisitor,
  type Tenant,
  type TestServer,
  waitFor,
} from '../../../test/harness.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

/** Sessions straight from the accounts service: the login route's per-address limit is not under test here. */
async function sessionsOf(t: Tenant) {
  return Promise.all(
    t.agents.map(async (a) => (await server.services.accounts.login(a.email, t.password)).token),
  );
}

async function setStatus(token: string, status: 'online' | 'paused' | 'offline') {
  const res = await api(server, 'PUT', '/api/me/status', { token, body: { status } });
  expect(res.status).toBe(200);
}

async function newConversation(storeId: string): Promise<TConversation> {
  const v = await startVisitor(server, storeId);
  const res = await api<TConversation>(server, 'POST', '/api/widget/conversations', {
    token: v.visitorToken,
    body: {},
  });
  expect(res.status).toBe(200);
  return res.body;
}

async function conversation(id: string): Promise<TConversation> {
  const row = await server.services.chat.conversationDto(id);
  return row;
}

async function waitAssigned(id: string): Promise<TConversation> {
  return waitFor(async () => {
    const c = await conversation(id);
    return c.status === 'assigned' ? c : undefined;
  });
}

const resolve = (token: string, id: string) =>
  api<TConversation>(server, 'POST', `/api/conversations/${id}/resolve`, { token });

describe('least-busy routing', () => {
  it('gives each new conversation to the online agent with the fewest chats', async () => {
    const t = await createTenant(server, { agents: 2, cap: 3 });
    const [a1, a2] = t.agents as [Tenant['agents'][number], Tenant['agents'][number]];
    const [s1, s2] = (await sessionsOf(t)) as [string, string];
    await setStatus(s1, 'online');
    const c1 = await newConversation(t.store.id);
    const c2 = await newConversation(t.store.id);
    expect([c1.assigneeId, c2.assigneeId]).toEqual([a1.id, a1.id]);

    await setStatus(s2, 'online');
    const c3 = await newConversation(t.store.id);
    const c4 = await newConversation(t.store.id);
    expect([c3.assigneeId, c4.assigneeId]).toEqual([a2.id, a2.id]);
    // 2 and 2: the tie goes to whoever was assigned longest ago.
    const c5 = await newConversation(t.store.id);
    expect(c5.assigneeId).toBe(a1.id);
    const c6 = await newConversation(t.store.id);
    expect(c6.assigneeId).toBe(a2.id);
  });
});

describe('concurrency cap and queue', () => {
  it('a conversation waits when every agent is at the cap, and resolving drains the queue in FIFO order', async () => {
    const t = await createTenant(server, { agents: 1, cap: 2 });
    const [s1] = (await sessionsOf(t)) as [string];
    await setStatus(s1, 'online');
    const c1 = await newConversation(t.store.id);
    const c2 = await newConversation(t.store.id);
    expect(c1.status).toBe('assigned');
    expect(c2.status).toBe('assigned');
    const c3 = await newConversation(t.store.id);
    const c4 = await newConversation(t.store.id);
    expect(c3.status).toBe('queued');
    expect(c3.assigneeId).toBeNull();
    expect(c4.status).toBe('queued');
    const queued = await api<TConversation[]>(server, 'GET', '/api/conversations?scope=queued', {
      token: s1,
    });
    expect(queued.body.map((c) => c.id).sort()).toEqual([c3.id, c4.id].sort());

    expect((await resolve(s1, c1.id)).status).toBe(200);
    const next = await waitAssigned(c3.id);
    expect(next.assigneeId).toBe(t.agents[0]!.id);
    expect((await conversation(c4.id)).status).toBe('queued');

    expect((await resolve(s1, c2.id)).status).toBe(200);
    await waitAssigned(c4.id);
    const mine = await api<TConversation[]>(server, 'GET', '/api/conversations?scope=mine', { token: s1 });
    expect(mine.body.map((c) => c.id).sort()).toEqual([c3.id, c4.id].sort());
  });

  it('a personal cap overrides the group default', async () => {
    const t = await createTenant(server, { agents: 1, cap: 5 });
    await server.services.accounts.repo.updateUser(t.org.id, t.agents[0]!.id, { maxConcurrency: 1 });
    const [s1] = (await sessionsOf(t)) as [string];
    await setStatus(s1, 'online');
    expect((await newConversation(t.store.id)).status).toBe('assigned');
    expect((await newConversation(t.store.id)).status).toBe('queued');
  });

  it('an agent coming online takes the oldest waiting conversations up to the cap', async () => {
    const t = await createTenant(server, { agents: 1, cap: 2 });
    const [s1] = (await sessionsOf(t)) as [string];
    const waiting = [];
    for (let i = 0; i < 3; i++) waiting.push(await newConversation(t.store.id));
    expect(waiting.map((c) => c.status)).toEqual(['queued', 'queued', 'queued']);

    await setStatus(s1, 'online');
    await waitAssigned(waiting[0]!.id);
    await waitAssigned(waiting[1]!.id);
    expect((await conversation(waiting[2]!.id)).status).toBe('queued');
  });
});

describe('agent states and store access', () => {
  it('paused and offline agents get nothing; back online they get the queue', async () => {
    const t = await createTenant(server, { agents: 1, cap: 3 });
    const [s1] = (await sessionsOf(t)) as [string];
    await setStatus(s1, 'paused');
    const c1 = await newConversation(t.store.id);
    expect(c1.status).toBe('queued');
    await setStatus(s1, 'offline');
    const c2 = await newConversation(t.store.id);
    expect(c2.status).toBe('queued');
    await setStatus(s1, 'online');
    await waitAssigned(c1.id);
    await waitAssigned(c2.id);
    // Pausing keeps the chats already taken but takes no new ones.
    await setStatus(s1, 'paused');
    expect((await newConversation(t.store.id)).status).toBe('queued');
    expect((await conversation(c1.id)).status).toBe('assigned');
  });

  it('agents without access to the store are not assigned, and its waiting chats do not block others', async () => {
    const t = await createTenant(server, { agents: 1, cap: 3 });
    const otherStore = await server.services.accounts.repo.createStore({
      orgId: t.org.id,
      name: `无权限店铺 ${randomUUID().slice(0, 4)}`,
      platform: 'pdd',
      defaultGroupId: t.groups.presale.id,
      identitySecret: randomUUID(),
    });
    const [s1] = (await sessionsOf(t)) as [string];
    await setStatus(s1, 'online');
    const foreign = await newConversation(otherStore.id);
    expect(foreign.status).toBe('queued');

    await setStatus(s1, 'offline');
    // Queued behind the foreign one, in the same group.
    const own = await newConversation(t.store.id);
    expect(own.status).toBe('queued');
    await setStatus(s1, 'online');
    const assigned = await waitAssigned(own.id);
    expect(assigned.assigneeId).toBe(t.agents[0]!.id);
    expect((await conversation(foreign.id)).status).toBe('queued');
  });

  it('agents of another skill group are not assigned', async () => {
    const t = await createTenant(server, { agents: 1, cap: 3 });
    await server.services.accounts.repo.updateUser(t.org.id, t.agents[0]!.id, {}, undefined, [
      t.groups.aftersale.id,
    ]);
    const [s1] = (await sessionsOf(t)) as [string];
    await setStatus(s1, 'online');
    expect((await newConversation(t.store.id)).status).toBe('queued');
  });
});

describe('facts', () => {
  it('writes created, queued, assigned, first reply and resolved facts as they happen', async () => {
    const t = await createTenant(server, { agents: 1, cap: 3 });
    const [s1] = (await sessionsOf(t)) as [string];
    const v = await startVisitor(server, t.store.id);
    const conv = (
      await api<TConversation>(server, 'POST', '/api/widget/conversations', {
        token: v.visitorToken,
        body: {},
      })
    ).body;
    const factsOf = () =>
      server.db.db
        .select()
        .from(schema.facts)
        .where(eq(schema.facts.conversationId, conv.id))
        .orderBy(asc(schema.facts.id));
    expect((await factsOf()).map((f) => f.kind)).toEqual(['conversation.created', 'conversation.queued']);

    await setStatus(s1, 'online');
    await waitAssigned(conv.id);
    const say = (token: string, body: string) =>
      api(server, 'POST', `/api/conversations/${conv.id}/messages`, {
        token,
        body: { clientId: randomUUID(), type: 'text', body },
      });
    await say(v.visitorToken, '请问有货吗');
    await say(s1, '有的亲');
    await say(s1, '现在下单今天发');
    expect((await resolve(s1, conv.id)).status).toBe(200);

    // Message facts (one per customer / agent message) are checked in facts.test.ts.
    const facts = (await factsOf()).filter((f) => f.kind.startsWith('conversation.'));
    expect(facts.map((f) => f.kind)).toEqual([
      'conversation.created',
      'conversation.queued',
      'conversation.assigned',
      'conversation.first_agent_reply',
      'conversation.resolved',
    ]);
    for (const f of facts) {
      expect(f.orgId).toBe(t.org.id);
      expect(f.storeId).toBe(t.store.id);
      expect(f.groupId).toBe(t.groups.presale.id);
    }
    const byKind = new Map(facts.map((f) => [f.kind, f]));
    expect(byKind.get('conversation.assigned')?.agentId).toBe(t.agents[0]!.id);
    expect(byKind.get('conversation.assigned')?.data).toMatchObject({ strategy: 'least_busy' });
    expect(byKind.get('conversation.first_agent_reply')?.agentId).toBe(t.agents[0]!.id);
    expect(byKind.get('conversation.resolved')?.agentId).toBe(t.agents[0]!.id);

    // Reopening is a fact too, followed by a new queue entry.
    await say(v.visitorToken, '还有个问题');
    await waitAssigned(conv.id);
    const after = (await factsOf())
      .map((f) => f.kind)
      .filter((k) => k.startsWith('conversation.'))
      .slice(5);
    expect(after).toEqual(['conversation.reopened', 'conversation.queued', 'conversation.assigned']);
  });
});
