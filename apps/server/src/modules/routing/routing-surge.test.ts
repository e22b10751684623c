import type { TConversation, TGroupRouting, TRoutingRule, TWallSnapshot } from '@peakdesk/contracts';
import { queryRows, sql } from '@peakdesk/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createTenant,
  customerClient,
  factsOf,
  signVisitorToken,
  startTestServer,
  startVisitor,
  type Tenant,
  type TestServer,
  userCaller,
  waitFor,
} from '../../../test/harness.ts';
import type { CustomerCaller } from '../../http/caller.ts';
import { orgScope } from '../../http/scope.ts';
import { estimateHandleSeconds } from './queue-estimate.ts';

let server: TestServer;
beforeAll(async () => {
  // Timers are run by the tests (runDue) so every step is deterministic; presence is swept by hand.
  server = await startTestServer({ PEAKDESK_TIMER_POLL_MS: '60000', PEAKDESK_AGENT_GRACE_SECONDS: '3600' });
});
afterAll(async () => {
  await server?.stop();
});

const db = () => server.db.db;
const admin = (t: Tenant) => userCaller(t, t.admin);

async function tenant(opts: { agents?: number; cap?: number } = {}) {
  const label = Math.random().toString(36).slice(2, 10);
  return { t: await createTenant(server, { ...opts, label }), secret: `secret-${label}` };
}
async function visitor(t: Tenant, buyer?: { buyerId: string; secret: string }): Promise<CustomerCaller> {
  const v = await startVisitor(server, t.store.id, buyer);
  return { kind: 'customer', customerId: v.customerId, storeId: t.store.id, orgId: t.org.id };
}
async function open(
  t: Tenant,
  o: { entry?: string; text?: string; buyer?: { buyerId: string; secret: string } } = {},
) {
  const v = await visitor(t, o.buyer);
  const c = await server.services.chat.openConversation(v, o.entry ?? 'store_page', o.text);
  if (o.text)
    await server.services.chat.sendMessage(v, {
      conversationId: c.id,
      clientId: `c-${Math.random()}`,
      type: 'text',
      body: o.text,
    });
  return { v, c: await conv(c.id) };
}
const conv = (id: string): Promise<TConversation> => server.services.chat.conversationDto(id);
async function setStatus(t: Tenant, u: Tenant['agents'][number], status: 'online' | 'paused' | 'offline') {
  await server.services.accounts.setStatus(userCaller(t, u), status);
  // The status listener drains asynchronously; wait until it has run.
  await new Promise((r) => setTimeout(r, 50));
  await server.services.routing.drainForAgent(u.id);
}
async function settings(t: Tenant, groupId: string, patch: Partial<TGroupRouting>) {
  const { groupId: _g, name: _n, ...rest } = { groupId, name: '', ...patch };
  return server.services.routing.updateGroupSettings(admin(t), groupId, rest);
}
const facts = (conversationId: string) => factsOf(server, conversationId);
async function agentReply(t: Tenant, u: Tenant['agents'][number], conversationId: string) {
  await server.services.chat.sendMessage(userCaller(t, u), {
    conversationId,
    clientId: `a-${Math.random()}`,
    type: 'text',
    body: '亲，在的',
  });
}
/** Makes a routing job (timer) due now and runs every due job. */
async function fire(key: string) {
  await db().execute(sql`UPDATE jobs SET run_at = now() - interval '1 second' WHERE key = ${key}`);
  await server.services.jobs.runDue();
}

describe('entry rules and lanes', () => {
  it('order page → 售后, keywords → risk lane, VIP list → vip lane, open ticket and risk flag hooks', async () => {
    const { t, secret } = await tenant({ agents: 0 });
    const create = (body: Record<string, unknown>) =>
      server.services.routing.createRule(
        admin(t),
        {
          storeId: t.store.id,
          position: 0,
          enabled: true,
          conditions: {},
          groupId: null,
          lane: 'normal',
          name: 'r',
          ...body,
        } as Parameters<typeof server.services.routing.createRule>[1],
        async () => true,
      );
    await create({ position: 1, name: '投诉', conditions: { keywords: ['投诉', '12315'] }, lane: 'risk' });
    await create({ position: 2, name: 'VIP', conditions: { buyerIds: ['vip-001'] }, lane: 'vip' });
    await create({
      position: 3,
      name: '订单页',
      conditions: { entries: ['order_page'] },
      groupId: t.groups.aftersale.id,
    });
    await create({
      position: 4,
      name: '有工单',
      conditions: { hasOpenTicket: true },
      groupId: t.groups.aftersale.id,
    });

    const plain = await open(t, { text: '这款空调有货吗' });
    expect(plain.c).toMatchObject({ status: 'queued', groupId: t.groups.presale.id, priority: 0 });
    const complaint = await open(t, { text: '再不处理我就打12315投诉' });
    expect(complaint.c.priority).toBe(20);
    const vip = await open(t, { buyer: { buyerId: 'vip-001', secret } });
    expect(vip.c.priority).toBe(10);
    const order = await open(t, { entry: 'order_page' });
    expect(order.c.groupId).toBe(t.groups.aftersale.id);

    // The open-ticket hook: a real placeholder row for this buyer makes the rule match.
    const buyer = { buyerId: 'has-ticket', secret };
    const first = await visitor(t, buyer);
    await db().execute(
      sql`INSERT INTO ticket_placeholders (org_id, store_id, customer_id) VALUES (${t.org.id}, ${t.store.id}, ${first.customerId})`,
    );
    const ticketed = await open(t, { buyer });
    expect(ticketed.c.groupId).toBe(t.groups.aftersale.id);

    // The risk-flag hook (quality inspection will set it) raises a waiting chat to the risk lane.
    const flagged = await open(t, { text: '咨询一下' });
    const res = await server.services.routing.setCustomerFlags(admin(t), flagged.c.customerId, {
      riskFlag: true,
    });
    expect(res.riskFlag).toBe(true);
    expect((await conv(flagged.c.id)).priority).toBe(20);

    const queued = (await facts(complaint.c.id)).find((f) => f.kind === 'conversation.queued');
    expect(queued?.data).toMatchObject({ lane: 'risk' });
  });

  it('serves lanes in order (risk, VIP, normal) and FIFO inside a lane', async () => {
    const { t } = await tenant({ agents: 1, cap: 1 });
    await settings(t, t.groups.presale.id, { strategy: 'least_busy' });
    const n1 = await open(t);
    const n2 = await open(t);
    const flagged = await open(t);
    await server.services.routing.setCustomerFlags(admin(t), flagged.c.customerId, { tier: 'vip' });
    const n3 = await open(t);
    const order: string[] = [];
    const agent = t.agents[0]!;
    await setStatus(t, agent, 'online');
    for (let i = 0; i < 4; i++) {
      const mine = (
        await queryRows<{ id: string }>(
          db(),
          sql`SELECT id FROM conversations WHERE assignee_id = ${agent.id} AND status = 'assigned'`,
        )
      )[0];
      expect(mine).toBeDefined();
      order.push(mine!.id);
      await server.services.chat.resolve(userCaller(t, agent), mine!.id);
    }
    expect(order).toEqual([flagged.c.id, n1.c.id, n2.c.id, n3.c.id]);
  });
});

describe('agent states and strategies', () => {
  it('least busy with ties to the longest idle; caps never exceeded; paused keeps chats, takes none', async () => {
    const { t } = await tenant({ agents: 2, cap: 2 });
    const [a1, a2] = t.agents as [Tenant['agents'][number], Tenant['agents'][number]];
    await setStatus(t, a1, 'online');
    await setStatus(t, a2, 'online');
    const c1 = await open(t);
    const c2 = await open(t);
    expect(new Set([c1.c.assigneeId, c2.c.assigneeId])).toEqual(new Set([a1.id, a2.id]));
    // Both have one chat: the tie goes to whoever was assigned longest ago (the first one).
    const c3 = await open(t);
    expect(c3.c.assigneeId).toBe(c1.c.assigneeId);
    const c4 = await open(t);
    expect(c4.c.assigneeId).toBe(c2.c.assigneeId);
    const c5 = await open(t);
    expect(c5.c.status).toBe('queued'); // both at cap = busy
    const wall = await server.services.routing.wall(orgScope(t.org.id));
    expect(wall.agents.filter((a) => a.state === 'busy')).toHaveLength(2);

    await setStatus(t, a1, 'paused');
    const kept = await queryRows<{ n: number }>(
      db(),
      sql`SELECT count(*)::int AS n FROM conversations WHERE assignee_id = ${a1.id} AND status = 'assigned'`,
    );
    expect(kept[0]!.n).toBe(2); // 挂起 keeps current chats
    const a1Chat = c1.c.assigneeId === a1.id ? c1.c.id : c2.c.id;
    await server.services.chat.resolve(userCaller(t, a1), a1Chat);
    expect((await conv(c5.c.id)).status).toBe('queued'); // ... and takes none
    await setStatus(t, a1, 'online');
    expect((await conv(c5.c.id)).assigneeId).toBe(a1.id);
  });

  it('round robin rotates over members regardless of load', async () => {
    const { t } = await tenant({ agents: 3, cap: 5 });
    await settings(t, t.groups.presale.id, { strategy: 'round_robin' });
    for (const a of t.agents) await setStatus(t, a, 'online');
    const got: string[] = [];
    for (let i = 0; i < 6; i++) got.push((await open(t)).c.assigneeId!);
    expect(got.slice(0, 3).sort()).toEqual(t.agents.map((a) => a.id).sort());
    expect(got.slice(3)).toEqual(got.slice(0, 3));
  });

  it('sticky returns a buyer to their last agent within N days if online with capacity, else falls back', async () => {
    const { t, secret } = await tenant({ agents: 2, cap: 3 });
    await settings(t, t.groups.presale.id, { strategy: 'sticky', stickyDays: 3 });
    const [a1, a2] = t.agents as [Tenant['agents'][number], Tenant['agents'][number]];
    await setStatus(t, a1, 'online');
    const buyer = { buyerId: 'sticky-1', secret };
    const first = await open(t, { buyer });
    expect(first.c.assigneeId).toBe(a1.id);
    await server.services.chat.resolve(userCaller(t, a1), first.c.id);
    await setStatus(t, a2, 'online');
    await open(t); // a2 is now less busy than a1? both 0 → tie → a2 (never assigned) would win least-busy
    const again = await open(t, { buyer });
    expect(again.c.assigneeId).toBe(a1.id);
    await server.services.chat.resolve(userCaller(t, a1), again.c.id);
    // Last agent paused → fall back to least busy.
    await setStatus(t, a1, 'paused');
    const third = await open(t, { buyer });
    expect(third.c.assigneeId).toBe(a2.id);
    expect((await facts(third.c.id)).find((f) => f.kind === 'conversation.assigned')?.data).toMatchObject({
      strategy: 'least_busy',
    });
  });

  it('a disconnected agent becomes away after the grace period and their chats are requeued', async () => {
    const { t } = await tenant({ agents: 2, cap: 2 });
    const [a1, a2] = t.agents as [Tenant['agents'][number], Tenant['agents'][number]];
    await setStatus(t, a1, 'online');
    const token = (await server.services.accounts.login(a1.email, t.password)).token;
    const { agentClient } = await import('../../../test/harness.ts');
    const socket = agentClient(server, token);
    await waitFor(() => socket.connected);
    await waitFor(
      async () =>
        (await queryRows(db(), sql`SELECT 1 FROM agent_presence WHERE user_id = ${a1.id}`)).length > 0,
    );
    const c = await open(t, { text: '在吗' });
    expect(c.c.assigneeId).toBe(a1.id);
    socket.close();
    await new Promise((r) => setTimeout(r, 100));
    await server.services.routing.heartbeat();
    expect((await conv(c.c.id)).assigneeId).toBe(a1.id); // within the grace period nothing happens
    await db().execute(
      sql`UPDATE agent_presence SET last_seen_at = now() - interval '2 hours' WHERE user_id = ${a1.id}`,
    );
    await setStatus(t, a2, 'online');
    expect(await server.services.routing.sweepAway()).toBe(1);
    const user = await server.services.accounts.repo.getUser(t.org.id, a1.id);
    expect(user?.status).toBe('away');
    expect((await conv(c.c.id)).assigneeId).toBe(a2.id);
    expect((await facts(c.c.id)).map((f) => f.kind)).toContain('conversation.reassigned');
    // Reconnecting restores the status they had.
    const back = agentClient(server, token);
    await waitFor(
      async () => (await server.services.accounts.repo.getUser(t.org.id, a1.id))?.status === 'online',
    );
    back.close();
  });
});

describe('no-reply reassignment, overflow, abandonment', () => {
  it('reassigns a chat whose customer waits past the limit and pauses the agent after K misses', async () => {
    const { t } = await tenant({ agents: 2, cap: 3 });
    await settings(t, t.groups.presale.id, { noReplySeconds: 30, pauseAfterMisses: 2 });
    const [a1, a2] = t.agents as [Tenant['agents'][number], Tenant['agents'][number]];
    await setStatus(t, a1, 'online');
    const c = await open(t, { text: '有人吗' });
    expect(c.c.assigneeId).toBe(a1.id);
    // Not due yet: the timer re-arms for when the reply is due.
    await fire(`routing.no_reply:${c.c.id}`);
    expect((await conv(c.c.id)).assigneeId).toBe(a1.id);
    await setStatus(t, a2, 'online');
    await db().execute(
      sql`UPDATE conversations SET awaiting_agent_since = now() - interval '31 seconds' WHERE id = ${c.c.id}`,
    );
    await fire(`routing.no_reply:${c.c.id}`);
    expect((await conv(c.c.id)).assigneeId).toBe(a2.id);
    const kinds = (await facts(c.c.id)).map((f) => f.kind);
    expect(kinds).toEqual(expect.arrayContaining(['conversation.reassigned']));
    // An agent reply stops the clock.
    await agentReply(t, a2, c.c.id);
    await fire(`routing.no_reply:${c.c.id}`);
    expect((await conv(c.c.id)).assigneeId).toBe(a2.id);

    // Second miss for a1 → paused.
    await setStatus(t, a2, 'paused');
    const d = await open(t, { text: '再问一下' });
    expect(d.c.assigneeId).toBe(a1.id);
    await db().execute(
      sql`UPDATE conversations SET awaiting_agent_since = now() - interval '31 seconds' WHERE id = ${d.c.id}`,
    );
    await fire(`routing.no_reply:${d.c.id}`);
    expect((await server.services.accounts.repo.getUser(t.org.id, a1.id))?.status).toBe('paused');
    expect((await conv(d.c.id)).status).toBe('queued');
  });

  it('max wait overflows to the reserve group (预备队) or back to the bot', async () => {
    const { t } = await tenant({ agents: 1, cap: 1 });
    const reserve = await server.services.accounts.repo.createGroup({
      orgId: t.org.id,
      name: '预备队',
      defaultMaxConcurrency: 2,
    });
    await settings(t, t.groups.presale.id, {
      maxWaitSeconds: 60,
      overflowAction: 'reserve_group',
      overflowGroupId: reserve.id,
    });
    const c = await open(t);
    await fire(`routing.max_wait:${c.c.id}`);
    expect((await conv(c.c.id)).groupId).toBe(reserve.id);
    expect((await facts(c.c.id)).find((f) => f.kind === 'conversation.overflowed')?.data).toMatchObject({
      action: 'reserve_group',
    });

    await settings(t, t.groups.presale.id, { overflowAction: 'bot' });
    const e = await open(t);
    await fire(`routing.max_wait:${e.c.id}`);
    expect((await conv(e.c.id)).status).toBe('bot');
  });

  it('max wait offers leave-a-message: live and after a reload; the customer keeps their place or leaves one', async () => {
    const { t } = await tenant({ agents: 0 });
    await settings(t, t.groups.presale.id, { maxWaitSeconds: 60, overflowAction: 'leave_message' });
    const a = await open(t, { text: '在吗' });
    const b = await open(t, { text: '发票抬头开错了' });
    const tokenA = signVisitorToken(server.services.secret, a.v.customerId, a.v.storeId);
    const tokenB = signVisitorToken(server.services.secret, b.v.customerId, b.v.storeId);
    const live = customerClient(server, tokenB);
    const pushed: { position: number; leaveMessageOffered: boolean }[] = [];
    const said: string[] = [];
    live.socket.on('queue:position', (p) => pushed.push(p));
    live.on('message', (m) => said.push(m.body));
    await waitFor(() => live.connected);
    await live.watch(b.c.id, (await conv(b.c.id)).lastSeq);
    const wall = async () =>
      (await server.services.routing.wall(orgScope(t.org.id))).groups.find(
        (g) => g.groupId === t.groups.presale.id,
      )!;

    // Max wait passed: offered, not applied. Still queued in the same place, nothing written yet.
    await fire(`routing.max_wait:${a.c.id}`);
    await fire(`routing.max_wait:${b.c.id}`);
    expect((await conv(a.c.id)).status).toBe('queued');
    expect((await conv(b.c.id)).status).toBe('queued');
    const offer = '当前咨询人数较多，您可以留言，客服会尽快联系您；也可以继续排队等待。';
    await waitFor(() => said.includes(offer) && pushed.some((p) => p.leaveMessageOffered));
    expect(pushed.findLast((p) => p.leaveMessageOffered)?.position).toBe(2);
    expect((await facts(b.c.id)).find((f) => f.kind === 'conversation.overflowed')?.data).toMatchObject({
      action: 'leave_message',
      offered: true,
    });
    expect(await server.services.routing.listLeaveMessages(admin(t))).toEqual([]);
    expect((await wall()).queueLength).toBe(2);
    // A reload reads it from the stored state.
    const queueOf = (id: string, token: string) =>
      api<{ position: number; leaveMessageOffered: boolean }>(
        server,
        'GET',
        `/api/widget/conversations/${id}/queue`,
        { token },
      );
    expect((await queueOf(a.c.id, tokenA)).body).toMatchObject({ position: 1, leaveMessageOffered: true });
    expect((await queueOf(b.c.id, tokenB)).body).toMatchObject({ position: 2, leaveMessageOffered: true });

    // Someone else's conversation: 404, whatever the body.
    const leave = (id: string, token: string, body: unknown) =>
      api<{ code: string; field?: string; id?: string }>(
        server,
        'POST',
        `/api/widget/conversations/${id}/leave-message`,
        { token, body },
      );
    expect((await leave(a.c.id, tokenB, { message: '替他留言' })).status).toBe(404);
    const keepWaiting = (id: string, token: string) =>
      api<{ position: number; leaveMessageOffered: boolean; code?: string }>(
        server,
        'POST',
        `/api/widget/conversations/${id}/keep-waiting`,
        { token },
      );
    expect((await keepWaiting(a.c.id, tokenB)).status).toBe(404);
    // Bad input: 400 naming the field.
    for (const [body, field] of [
      [{}, 'message'],
      [{ message: '   ' }, 'message'],
      [{ message: 'x'.repeat(2001) }, 'message'],
      [{ message: '请回电', contact: '12ab' }, 'contact'],
      [{ message: '请回电', contact: '123' }, 'contact'],
      [{ message: '请回电', contact: 'a@b' }, 'contact'],
    ] as const) {
      const res = await leave(b.c.id, tokenB, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.field).toBe(field);
    }
    expect((await conv(b.c.id)).status).toBe('queued');

    // A keeps waiting: same place, the offer is gone (also after a reload), the choice is a fact.
    const queuedAtOf = (id: string) =>
      queryRows<{ queued_at: unknown }>(db(), sql`SELECT queued_at FROM conversations WHERE id = ${id}`);
    const queuedAt = await queuedAtOf(a.c.id);
    const kept = await keepWaiting(a.c.id, tokenA);
    expect(kept.status).toBe(200);
    expect(kept.body).toMatchObject({ position: 1, leaveMessageOffered: false });
    expect((await queueOf(a.c.id, tokenA)).body).toMatchObject({ position: 1, leaveMessageOffered: false });
    expect(await queuedAtOf(a.c.id)).toEqual(queuedAt);
    expect((await facts(a.c.id)).map((f) => f.kind)).toContain('conversation.kept_waiting');
    expect((await queueOf(b.c.id, tokenB)).body).toMatchObject({ position: 2, leaveMessageOffered: true });

    // B leaves a message with a phone number: placeholder with the text, conversation closed, fact.
    const left = await leave(b.c.id, tokenB, {
      message: '  发票抬头请改成：山海科技有限公司  ',
      contact: '138 0013 8000',
    });
    expect(left.status).toBe(200);
    const [row] = await queryRows<{ id: string; message: string; contact: string | null; status: string }>(
      db(),
      sql`SELECT id, message, contact, status FROM ticket_placeholders WHERE conversation_id = ${b.c.id}`,
    );
    expect(row).toEqual({
      id: left.body.id,
      message: '发票抬头请改成：山海科技有限公司',
      contact: '138 0013 8000',
      status: 'open',
    });
    expect((await conv(b.c.id)).status).toBe('closed');
    expect((await facts(b.c.id)).find((f) => f.kind === 'conversation.left_message')?.data).toMatchObject({
      placeholderId: row!.id,
      hasContact: true,
    });
    await waitFor(() => said.some((m) => m.startsWith('已收到您的留言')));
    expect((await server.services.routing.listLeaveMessages(admin(t)))[0]).toMatchObject({
      conversationId: b.c.id,
      message: '发票抬头请改成：山海科技有限公司',
      contact: '138 0013 8000',
    });
    // The wall counts one waiting customer now; a second submit finds nothing waiting.
    expect((await wall()).queueLength).toBe(1);
    expect((await leave(b.c.id, tokenB, { message: '再留一次' })).status).toBe(409);
    expect((await keepWaiting(b.c.id, tokenB)).status).toBe(409);
    // Without a contact it is kept as none.
    const c = await open(t);
    await fire(`routing.max_wait:${c.c.id}`);
    const tokenC = signVisitorToken(server.services.secret, c.v.customerId, c.v.storeId);
    expect((await leave(c.c.id, tokenC, { message: '没有急事', contact: '' })).status).toBe(200);
    expect(
      (await server.services.routing.listLeaveMessages(admin(t))).find((l) => l.conversationId === c.c.id),
    ).toMatchObject({ message: '没有急事', contact: null });
    live.close();
  });

  it('records abandonment when the customer leaves or stays disconnected while waiting', async () => {
    const { t } = await tenant({ agents: 0 });
    const c = await open(t);
    const token = signVisitorToken(server.services.secret, c.v.customerId, c.v.storeId);
    const res = await api(server, 'POST', `/api/widget/conversations/${c.c.id}/leave`, { token });
    expect(res.status).toBe(200);
    expect((await conv(c.c.id)).status).toBe('closed');
    expect((await facts(c.c.id)).map((f) => f.kind)).toContain('conversation.abandoned');

    const v = await startVisitor(server, t.store.id);
    const client = customerClient(server, v.visitorToken);
    await waitFor(() => client.connected);
    const d = await client.openConversation();
    client.close();
    await waitFor(async () => Boolean(await server.services.jobs.get(`routing.abandon:${v.customerId}`)));
    await fire(`routing.abandon:${v.customerId}`);
    expect((await conv(d.id)).status).toBe('closed');
  });
});

describe('queue position, transfers, supervision, business hours, API', () => {
  it('the customer sees their position and expected wait, pushed live', async () => {
    const { t } = await tenant({ agents: 1, cap: 1 });
    await setStatus(t, t.agents[0]!, 'online');
    await open(t); // takes the only slot
    const v = await startVisitor(server, t.store.id);
    const client = customerClient(server, v.visitorToken);
    const seen: { position: number; etaSeconds: number | null }[] = [];
    client.socket.on('queue:position', (p) => seen.push(p));
    await waitFor(() => client.connected);
    const c = await client.openConversation();
    const p = await waitFor(() => seen.at(-1));
    expect(p.position).toBe(1);
    expect(p.etaSeconds).toBeGreaterThan(0);
    const rest = await api<{ position: number }>(server, 'GET', `/api/widget/conversations/${c.id}/queue`, {
      token: v.visitorToken,
    });
    expect(rest.body.position).toBe(1);
    client.close();
  });

  it('the wait estimate counts the chats still running, not only the finished ones', async () => {
    const { t } = await tenant({ agents: 1, cap: 1 });
    await setStatus(t, t.agents[0]!, 'online');
    // The agent's current chat has been running for 15 minutes; twelve quick chats (100 s each) finished
    // in the last hour (written directly: routing them would read the estimate before the test is set).
    const running = await open(t);
    expect(running.c.assigneeId).toBe(t.agents[0]!.id);
    await db().execute(
      sql`UPDATE conversations SET assigned_at = now() - interval '900 seconds' WHERE id = ${running.c.id}`,
    );
    await db().execute(sql`INSERT INTO conversations (org_id, store_id, customer_id, group_id, assignee_id, status,
        queued_at, assigned_at, resolved_at)
      SELECT ${t.org.id}, ${t.store.id}, ${running.v.customerId}, ${t.groups.presale.id}, ${t.agents[0]!.id}, 'resolved',
        now() - interval '31 minutes', now() - interval '30 minutes', now() - interval '30 minutes' + interval '100 seconds'
      FROM generate_series(1, 12)`);
    const waiting = await open(t);
    const p = await server.services.routing.queuePosition(waiting.v, waiting.c.id);
    // Finished chats only: mean 100 s, the one in line waits half a slot interval = 50 s. With the
    // running chat in the life table the handle time is far longer.
    const expected = estimateHandleSeconds([
      { bucket: 1, chats: 12, finished: 12, seconds: 1200, finishedSeconds: 1200 },
      { bucket: 5, chats: 1, finished: 0, seconds: 900, finishedSeconds: 0 },
    ])!;
    expect(expected).toBeGreaterThan(200);
    expect(p?.position).toBe(1);
    expect(Math.abs(p!.etaSeconds! - Math.round(expected / 2))).toBeLessThanOrEqual(2);
  });

  it('transfers to an agent or a group with a note; a supervisor takes over', async () => {
    const { t } = await tenant({ agents: 2, cap: 2 });
    const [a1, a2] = t.agents as [Tenant['agents'][number], Tenant['agents'][number]];
    await setStatus(t, a1, 'online');
    const c = await open(t, { text: '我要退货' });
    expect(c.c.assigneeId).toBe(a1.id);
    await setStatus(t, a2, 'online');
    await server.services.routing.transfer(userCaller(t, a1), c.c.id, {
      toAgentId: a2.id,
      note: '退货问题，麻烦跟进',
    });
    expect((await conv(c.c.id)).assigneeId).toBe(a2.id);
    const f = (await facts(c.c.id)).find((x) => x.kind === 'conversation.transferred');
    expect(f?.data).toMatchObject({ kind: 'to_agent', note: '退货问题，麻烦跟进' });
    // a1 is no longer the assignee: may not transfer it again.
    await expect(
      server.services.routing.transfer(userCaller(t, a1), c.c.id, {
        toGroupId: t.groups.aftersale.id,
        note: '',
      }),
    ).rejects.toThrow(/assigned agent or a supervisor/);
    await server.services.routing.transfer(userCaller(t, a2), c.c.id, {
      toGroupId: t.groups.aftersale.id,
      note: '售后',
    });
    expect(await conv(c.c.id)).toMatchObject({ status: 'queued', groupId: t.groups.aftersale.id });
    await server.services.routing.takeOver(userCaller(t, t.supervisor), c.c.id);
    expect((await conv(c.c.id)).assigneeId).toBe(t.supervisor.id);
  });

  it('business hours: closed → fallback group or leave-a-message; a special day (promotion 24h) opens', async () => {
    const { t } = await tenant({ agents: 0 });
    const closedAllWeek = { weekly: {}, holidays: [], specialDays: [] };
    await settings(t, t.groups.presale.id, {
      businessHours: closedAllWeek,
      afterHoursAction: 'group',
      afterHoursGroupId: t.groups.aftersale.id,
    });
    expect((await open(t)).c.groupId).toBe(t.groups.aftersale.id);
    await settings(t, t.groups.presale.id, { afterHoursAction: 'leave_message' });
    // Offered, not applied (next test): still active, held out of the queue.
    expect((await open(t)).c).toMatchObject({ status: 'queued', groupId: t.groups.presale.id });
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    await settings(t, t.groups.presale.id, {
      businessHours: {
        weekly: {},
        holidays: [],
        specialDays: [{ date: today, periods: [{ start: '00:00', end: '24:00' }] }],
      },
    });
    expect((await open(t)).c).toMatchObject({ status: 'queued', groupId: t.groups.presale.id });
  });

  it('after hours leave-a-message is offered with the hours: held out of the queue, one placeholder with text', async () => {
    const { t } = await tenant({ agents: 1, cap: 2 });
    const [agent] = t.agents;
    await setStatus(t, agent!, 'online');
    const nine = [{ start: '09:00', end: '18:00' }];
    // Open Monday to Friday only, closed today (today is a holiday), so the agent online is not used.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    await settings(t, t.groups.presale.id, {
      businessHours: {
        weekly: { '1': nine, '2': nine, '3': nine, '4': nine, '5': nine },
        holidays: [today],
        specialDays: [],
      },
      afterHoursAction: 'leave_message',
      alertQueueLength: 1,
    });
    const before = await queryRows<{ n: number }>(
      db(),
      sql`SELECT count(*)::int AS n FROM ticket_placeholders WHERE org_id = ${t.org.id}`,
    );
    expect(Number(before[0]!.n)).toBe(0);
    const a = await open(t, { text: '你好，明天能发货吗？' });
    const b = await open(t, { text: '在吗' });
    const tokenA = signVisitorToken(server.services.secret, a.v.customerId, a.v.storeId);
    const tokenB = signVisitorToken(server.services.secret, b.v.customerId, b.v.storeId);
    // Active, not assigned although an agent is free, not in the queue; nothing recorded yet.
    expect(a.c).toMatchObject({ status: 'queued', assigneeId: null });
    const history = async (id: string) =>
      (await server.services.chat.history(a.v, id, { limit: 50 })).messages.map((m) => m.body);
    const offer =
      '现在是非服务时间（服务时间：周一至周五 09:00-18:00），您可以留言，客服上班后会尽快联系您。';
    await waitFor(async () => (await history(a.c.id)).includes(offer));
    const queueOf = (id: string, token: string) =>
      api<Record<string, unknown>>(server, 'GET', `/api/widget/conversations/${id}/queue`, { token });
    expect((await queueOf(a.c.id, tokenA)).body).toEqual({
      conversationId: a.c.id,
      position: 0,
      queueLength: 0,
      etaSeconds: null,
      leaveMessageOffered: true,
      afterHours: { serviceHours: '周一至周五 09:00-18:00' },
    });
    const queuedFact = (await facts(a.c.id)).find((f) => f.kind === 'conversation.queued');
    expect(queuedFact?.data).toMatchObject({ afterHours: true, outcome: 'leave_message_offered' });
    expect((await facts(a.c.id)).find((f) => f.kind === 'conversation.overflowed')?.data).toMatchObject({
      action: 'leave_message',
      offered: true,
      reason: 'after_hours',
    });
    const wall = await server.services.routing.wall(orgScope(t.org.id));
    expect(wall.groups.find((g) => g.groupId === t.groups.presale.id)).toMatchObject({
      queueLength: 0,
      isOpen: false,
      afterHoursOffers: 2,
      alerts: [],
    });
    expect(wall.openLeaveMessages).toBe(0);
    // Nor do agents see them among the chats waiting for an agent.
    const waiting = await server.services.chat.listConversations(
      userCaller(t, agent!, [t.groups.presale.id]),
      { scope: 'queued', limit: 50 },
    );
    expect(waiting.map((c) => c.id)).not.toContain(a.c.id);
    expect(waiting.map((c) => c.id)).not.toContain(b.c.id);
    // No max-wait job for a held chat.
    const timersOf = await queryRows<{ key: string }>(
      db(),
      sql`SELECT key FROM jobs WHERE key = ${`routing.max_wait:${a.c.id}`}`,
    );
    expect(timersOf).toEqual([]);

    // Writing again: same conversation, no new one, no placeholder.
    for (const body of ['有人吗', '我想改地址'])
      await server.services.chat.sendMessage(a.v, {
        conversationId: a.c.id,
        clientId: `c-${Math.random()}`,
        type: 'text',
        body,
      });
    await server.services.routing.drainForAgent(agent!.id);
    expect((await server.services.chat.listCustomerConversations(a.v)).map((c) => c.id)).toEqual([a.c.id]);
    expect((await conv(a.c.id)).status).toBe('queued');
    expect(await server.services.routing.listLeaveMessages(admin(t))).toEqual([]);

    // Another customer's conversation: 404; bad input: 400 naming the field; keep-waiting: 409.
    const leave = (id: string, token: string, body: unknown) =>
      api<{ code: string; field?: string; id?: string }>(
        server,
        'POST',
        `/api/widget/conversations/${id}/leave-message`,
        { token, body },
      );
    expect((await leave(a.c.id, tokenB, { message: '替他留言' })).status).toBe(404);
    for (const [body, field] of [
      [{ message: '' }, 'message'],
      [{ message: '改地址', contact: 'not a contact!' }, 'contact'],
    ] as const) {
      const res = await leave(a.c.id, tokenA, body);
      expect(res.status).toBe(400);
      expect(res.body.field).toBe(field);
    }
    const keep = await api<{ code: string }>(
      server,
      'POST',
      `/api/widget/conversations/${a.c.id}/keep-waiting`,
      { token: tokenA },
    );
    expect(keep.status).toBe(409);
    expect(keep.body.code).toBe('after_hours');

    // Accept: one placeholder with the text, conversation closed, fact with the reason.
    const left = await leave(a.c.id, tokenA, {
      message: '地址改成杭州市西湖区文三路 1 号',
      contact: 'wx_shanhai01',
    });
    expect(left.status).toBe(200);
    const rows = await queryRows<{ message: string; contact: string; note: string }>(
      db(),
      sql`SELECT message, contact, note FROM ticket_placeholders WHERE org_id = ${t.org.id}`,
    );
    expect(rows).toEqual([
      { message: '地址改成杭州市西湖区文三路 1 号', contact: 'wx_shanhai01', note: 'after_hours' },
    ]);
    expect((await conv(a.c.id)).status).toBe('closed');
    expect((await facts(a.c.id)).find((f) => f.kind === 'conversation.left_message')?.data).toMatchObject({
      reason: 'after_hours',
      hasContact: true,
    });
    expect((await leave(a.c.id, tokenA, { message: '再留一次' })).status).toBe(409);
    const [listed] = await server.services.routing.listLeaveMessages(admin(t));
    expect(listed).toMatchObject({ reason: 'after_hours', status: 'open', storeName: t.store.name });
    const after = await server.services.routing.wall(orgScope(t.org.id));
    expect(after.openLeaveMessages).toBe(1);
    expect(after.groups.find((g) => g.groupId === t.groups.presale.id)?.afterHoursOffers).toBe(1);
    // B leaves the page: abandoned, still no placeholder of its own; SL leaves held chats out.
    const gone = await api(server, 'POST', `/api/widget/conversations/${b.c.id}/leave`, { token: tokenB });
    expect(gone.status).toBe(200);
    expect((await conv(b.c.id)).status).toBe('closed');
    const count = await queryRows<{ n: number }>(
      db(),
      sql`SELECT count(*)::int AS n FROM ticket_placeholders WHERE org_id = ${t.org.id}`,
    );
    expect(Number(count[0]!.n)).toBe(1);
    expect(after.groups.find((g) => g.groupId === t.groups.presale.id)?.serviceLevel15).toBeNull();
  });

  it('configuration API validates and names the field; the wall reports queues, agents, SL', async () => {
    const { t } = await tenant({ agents: 1, cap: 1 });
    const token = (await server.services.accounts.login(t.admin.email, t.password)).token;
    const bad = await api<{ field: string }>(server, 'PATCH', `/api/routing/groups/${t.groups.presale.id}`, {
      token,
      body: { overflowAction: 'reserve_group' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('overflowGroupId');
    const badTz = await api<{ field: string }>(
      server,
      'PATCH',
      `/api/routing/groups/${t.groups.presale.id}`,
      {
        token,
        body: { timezone: 'Mars/Olympus' },
      },
    );
    expect(badTz.body.field).toBe('timezone');
    const badHours = await api<{ field: string }>(
      server,
      'PATCH',
      `/api/routing/groups/${t.groups.presale.id}`,
      {
        token,
        body: { businessHours: { weekly: { '1': [{ start: '18:00', end: '09:00' }] } } },
      },
    );
    expect(badHours.body.field).toBe('businessHours.weekly.1.0.end');
    const badRule = await api<{ field: string }>(server, 'POST', '/api/routing/rules', {
      token,
      body: { storeId: t.store.id, name: 'x', conditions: { keywords: [] } },
    });
    expect(badRule.body.field).toBe('conditions.keywords');
    const rule = await api<TRoutingRule>(server, 'POST', '/api/routing/rules', {
      token,
      body: { storeId: t.store.id, name: '大促VIP', conditions: { tiers: ['vip'] }, lane: 'vip' },
    });
    expect(rule.status).toBe(201);
    const ok = await api<TGroupRouting>(server, 'PATCH', `/api/routing/groups/${t.groups.presale.id}`, {
      token,
      body: { alertQueueLength: 1, serviceLevelSeconds: 20 },
    });
    expect(ok.body.alertQueueLength).toBe(1);

    await setStatus(t, t.agents[0]!, 'online');
    await open(t, { text: '你好' });
    await open(t, { text: '在吗' });
    const wall = await api<TWallSnapshot>(server, 'GET', '/api/routing/wall', { token });
    const g = wall.body.groups.find((x) => x.groupId === t.groups.presale.id)!;
    expect(g).toMatchObject({ queueLength: 1, agentsOnline: 1, freeSlots: 0, alerts: ['queue_length'] });
    expect(wall.body.waitingForReply).toHaveLength(1);
    expect(wall.body.agents[0]).toMatchObject({ state: 'busy', active: 1, cap: 1 });
    const agentToken = (await server.services.accounts.login(t.agents[0]!.email, t.password)).token;
    expect((await api(server, 'GET', '/api/routing/wall', { token: agentToken })).status).toBe(403);
  });
});

describe('load counters', () => {
  it('every agent’s trigger-kept active_chats equals their assigned conversations after all of the above', async () => {
    const drift = await queryRows<{ id: string }>(
      db(),
      sql`SELECT u.id FROM users u WHERE u.active_chats <>
            (SELECT count(*) FROM conversations c WHERE c.assignee_id = u.id AND c.status = 'assigned')`,
    );
    expect(drift).toEqual([]);
  });
});
