import type {
  TBotContext,
  TBotSettings,
  TBotTryResult,
  TConversation,
  TMessage,
  TSuggestions,
  TUnansweredQuestion,
} from '@peakdesk/contracts';
import { queryRows, sql } from '@peakdesk/db';
import { loadDemoFaq } from '@peakdesk/text';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agentClient,
  api,
  createTenant,
  customerClient,
  login,
  startTestServer,
  startVisitor,
  type Tenant,
  type TestServer,
  waitFor,
} from '../../../test/harness.ts';
import { orgScope } from '../../http/scope.ts';
import { createChatRepository } from '../chat/chat.repository.ts';

let server: TestServer;
let t: Tenant;
let admin: string;
let agentToken: string;

function demoCsv(): string {
  const q = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const rows = loadDemoFaq().map((f) =>
    [f.id, f.category, f.question, f.answer, f.similarQuestions.join('|')].map(q).join(','),
  );
  return ['id,category,question,answer,similar_questions', ...rows].join('\n');
}

beforeAll(async () => {
  server = await startTestServer();
  t = await createTenant(server, { agents: 1 });
  admin = await login(server, t.admin.email);
  agentToken = await login(server, t.agents[0]!.email);
  await server.services.knowledge.importFile(orgScope(t.org.id), Buffer.from(demoCsv()), {
    format: 'csv',
    source: 'demo.csv',
  });
});
afterAll(async () => {
  await server?.stop();
});

async function customerIn(storeId: string) {
  const visitor = await startVisitor(server, storeId);
  const client = customerClient(server, visitor.visitorToken);
  const messages: TMessage[] = [];
  client.on('message', (m) => messages.push(m));
  await waitFor(() => client.connected);
  const conv = await client.openConversation();
  return { client, messages, conv };
}

const facts = (conversationId: string) =>
  queryRows<{ kind: string; data: { faqId: string | null; reason: string | null } }>(
    server.db.db,
    sql`SELECT kind, data FROM facts WHERE conversation_id = ${conversationId} AND kind LIKE 'bot.%' ORDER BY id`,
  );

describe('bot runtime', () => {
  it('human-first stores (the default) queue new conversations as before', async () => {
    const { client, conv } = await customerIn(t.store.id);
    expect(conv.status).toBe('queued');
    client.close();
  });

  it('bot-first: answers an FAQ, then hands off on 转人工 with the transcript and topic', async () => {
    const settings = await api<TBotSettings>(server, 'PUT', `/api/stores/${t.store.id}/bot-settings`, {
      token: admin,
      body: { mode: 'bot_first' },
    });
    expect(settings.body.mode).toBe('bot_first');
    await api(server, 'PUT', '/api/me/status', { token: agentToken, body: { status: 'online' } });
    const agent = agentClient(server, agentToken);
    const { client, messages, conv } = await customerIn(t.store.id);
    expect(conv.status).toBe('bot');

    await client.send({ conversationId: conv.id, type: 'text', body: '亲，保价吗' });
    const answer = await waitFor(() => messages.find((m) => m.senderType === 'bot'));
    expect(answer.body).toContain('价保');

    await client.send({ conversationId: conv.id, type: 'text', body: '转人工' });
    const assigned = await waitFor(async () => {
      const c = await api<TConversation>(server, 'GET', `/api/conversations/${conv.id}`, { token: admin });
      return c.body.status === 'assigned' ? c.body : undefined;
    });
    expect(assigned.assigneeId).toBe(t.agents[0]!.id);
    const history = await api<{ messages: TMessage[] }>(
      server,
      'GET',
      `/api/conversations/${conv.id}/messages`,
      {
        token: agentToken,
      },
    );
    const bodies = history.body.messages.map((m) => `${m.senderType}:${m.body}`);
    expect(bodies[0]).toBe('customer:亲，保价吗');
    expect(bodies.some((b) => b.startsWith('bot:') && b.includes('价保'))).toBe(true);
    expect(bodies).toContain('customer:转人工');
    const context = await api<TBotContext>(server, 'GET', `/api/conversations/${conv.id}/bot-context`, {
      token: agentToken,
    });
    expect(context.body).toMatchObject({ turns: 2, answered: 1, handoffReason: 'customer_request' });
    expect(context.body.topic).toContain('保价');
    expect((await facts(conv.id)).map((f) => f.kind)).toEqual(['bot.answered', 'bot.handed_off']);
    // 转人工 matches no FAQ; assist suggests for the question the bot recognised as the topic.
    const afterHandoff = await api<TSuggestions>(server, 'GET', `/api/conversations/${conv.id}/suggestions`, {
      token: agentToken,
    });
    expect(afterHandoff.body.query).toBe('亲，保价吗');
    expect(afterHandoff.body.items[0]).toMatchObject({ kind: 'faq', id: context.body.topicFaqId });

    // After the hand-off the bot is silent: the agent owns the conversation.
    await client.send({ conversationId: conv.id, type: 'text', body: '你们发什么快递' });
    await server.services.bot.idle();
    expect(messages.filter((m) => m.senderType === 'bot')).toHaveLength(2);

    const suggestions = await api<TSuggestions>(server, 'GET', `/api/conversations/${conv.id}/suggestions`, {
      token: agentToken,
    });
    expect(suggestions.body.query).toBe('你们发什么快递');
    expect(suggestions.body.items[0]).toMatchObject({ kind: 'faq', id: 'f03' });
    client.close();
    agent.close();
  });

  it('hands off after N unanswered questions and lists them for admins', async () => {
    const { client, messages, conv } = await customerIn(t.store.id);
    await client.send({ conversationId: conv.id, type: 'text', body: '你们老板今年多大了' });
    await waitFor(() => messages.find((m) => m.senderType === 'bot'));
    expect(messages.find((m) => m.senderType === 'bot')?.body).toContain('转人工');
    await client.send({ conversationId: conv.id, type: 'text', body: '火星上能收到快递吗外星人' });
    await waitFor(async () => {
      const c = await api<TConversation>(server, 'GET', `/api/conversations/${conv.id}`, { token: admin });
      return c.body.status !== 'bot';
    });
    expect((await facts(conv.id)).map((f) => [f.kind, f.data.reason])).toEqual([
      ['bot.abstained', null],
      ['bot.handed_off', 'unanswered'],
    ]);
    const unanswered = await api<TUnansweredQuestion[]>(server, 'GET', '/api/bot/unanswered', {
      token: admin,
    });
    expect(unanswered.body.map((u) => u.question)).toEqual(
      expect.arrayContaining(['你们老板今年多大了', '火星上能收到快递吗外星人']),
    );
    const first = unanswered.body[0]!;
    await api(server, 'POST', `/api/bot/unanswered/${first.id}/close`, {
      token: admin,
      body: { status: 'dismissed' },
    });
    const after = await api<TUnansweredQuestion[]>(server, 'GET', '/api/bot/unanswered', { token: admin });
    expect(after.body.some((u) => u.id === first.id)).toBe(false);
    expect((await api(server, 'GET', '/api/bot/unanswered', { token: agentToken })).status).toBe(403);
    client.close();
  });

  it('hands off at once on complaint risk and for VIP buyers', async () => {
    const risky = await customerIn(t.store.id);
    await risky.client.send({
      conversationId: risky.conv.id,
      type: 'text',
      body: '保价不给退我就去12315投诉你们',
    });
    await waitFor(async () => (await facts(risky.conv.id)).length > 0);
    expect((await facts(risky.conv.id))[0]).toMatchObject({
      kind: 'bot.handed_off',
      data: { reason: 'risk' },
    });
    risky.client.close();

    const visitor = await startVisitor(server, t.store.id);
    const flagged = await api(server, 'PATCH', `/api/customers/${visitor.customerId}/routing`, {
      token: admin,
      body: { tier: 'vip' },
    });
    expect(flagged.status).toBe(200);
    const client = customerClient(server, visitor.visitorToken);
    await waitFor(() => client.connected);
    const conv = await client.openConversation();
    await client.send({ conversationId: conv.id, type: 'text', body: '保价吗' });
    await waitFor(async () => (await facts(conv.id)).length > 0);
    expect((await facts(conv.id))[0]).toMatchObject({ kind: 'bot.handed_off', data: { reason: 'vip' } });
    client.close();
  });

  it('try-the-bot console explains the decision', async () => {
    const res = await api<TBotTryResult>(server, 'POST', '/api/bot/try', {
      token: admin,
      body: { text: '亲，保价吗', storeId: t.store.id },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: 'answered', handoff: false });
    expect(res.body.faqId).not.toBeNull();
    expect(res.body.score).toBeGreaterThanOrEqual(res.body.why.threshold);
    expect(res.body.why.features.length).toBeGreaterThan(0);
    const human = await api<TBotTryResult>(server, 'POST', '/api/bot/try', {
      token: admin,
      body: { text: '我要找真人客服' },
    });
    expect(human.body).toMatchObject({
      outcome: 'handoff',
      reason: 'customer_request',
      faqId: null,
      handoff: true,
    });
  });

  it('a stored customer message gets its bot turn even when nothing was pushed; a redelivery answers nothing', async () => {
    await server.services.bot.setMode(t.org.id, t.store.id, 'bot_first');
    const { client, conv } = await customerIn(t.store.id);
    expect(conv.status).toBe('bot');
    client.close();
    // As if the instance died right after the commit: the message (and its outbox event) are
    // stored, but no in-process publish ever happened and the outbox was not nudged.
    const [stored] = await createChatRepository(server.db.db).insertMessages([
      {
        orgId: t.org.id,
        conversationId: conv.id,
        senderType: 'customer',
        senderId: null,
        clientId: `crash-${conv.id}`,
        type: 'text',
        body: '亲，保价吗',
        attachmentId: null,
      },
    ]);
    const [event] = await queryRows<{ id: number; payload: unknown; created_at: Date | string }>(
      server.db.db,
      sql`SELECT id, payload, created_at FROM outbox WHERE name = 'message.created'
            AND payload->'message'->>'id' = ${stored!.id}`,
    );
    expect(event).toBeTruthy();
    await server.services.bot.idle();
    const botReplies = () =>
      queryRows<{ n: number }>(
        server.db.db,
        sql`SELECT count(*)::int AS n FROM messages WHERE conversation_id = ${conv.id} AND sender_type = 'bot'`,
      );
    expect((await botReplies())[0]?.n).toBe(1);
    expect((await facts(conv.id)).map((f) => f.kind)).toEqual(['bot.answered']);
    // The same event delivered again (lease ran out on a slow instance, or an admin replay).
    await server.db.db.execute(
      sql`INSERT INTO outbox_deliveries (listener, event_id, org_id, name, version, payload, created_at)
          VALUES ('bot.turn', ${event!.id}, ${t.org.id}, 'message.created', 1, ${JSON.stringify(event!.payload)}::jsonb,
            ${new Date(event!.created_at).toISOString()}::timestamptz)`,
    );
    await server.services.bot.idle();
    expect((await botReplies())[0]?.n).toBe(1);
    expect(await facts(conv.id)).toHaveLength(1);
  });
});
