import { randomUUID } from 'node:crypto';
import type { TConversation, TMessage } from '@peakdesk/contracts';
import { type Database, queryRows, sql } from '@peakdesk/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createTenant,
  login,
  startTestServer,
  startVisitor,
  type Tenant,
  type TestServer,
  waitFor,
} from '../../../test/harness.ts';
import { type Fact, InvalidFactError, recordFacts } from './facts.service.ts';

let server: TestServer;
let t: Tenant;
let agent: string;
beforeAll(async () => {
  server = await startTestServer();
  t = await createTenant(server, { agents: 1, cap: 3 });
  agent = (await server.services.accounts.login(t.agents[0]!.email, t.password)).token;
});
afterAll(async () => {
  await server?.stop();
});

type FactRow = {
  id: number;
  kind: string;
  version: number;
  org_id: string;
  store_id: string | null;
  group_id: string | null;
  agent_id: string | null;
  platform: string | null;
  data: Record<string, unknown>;
};
const factsOf = (conversationId: string) =>
  queryRows<FactRow>(
    server.db.db,
    sql`SELECT id, kind, version, org_id, store_id, group_id, agent_id, platform, data FROM facts
        WHERE conversation_id = ${conversationId} ORDER BY id`,
  );
const run = (q: ReturnType<typeof sql>) => queryRows(server.db.db, q);

const conversationDto = (id: string) => server.services.chat.conversationDto(id);

async function say(token: string, conversationId: string, body: string): Promise<TMessage> {
  const res = await api<TMessage>(server, 'POST', `/api/conversations/${conversationId}/messages`, {
    token,
    body: { clientId: randomUUID(), type: 'text', body },
  });
  expect(res.status).toBe(200);
  return res.body;
}
/** Moves a stored message back in time, as if it had been written `s` seconds ago. */
const age = (messageId: string, s: number) =>
  run(sql`UPDATE messages SET created_at = now() - make_interval(secs => ${s}) WHERE id = ${messageId}`);

describe('facts of a conversation', () => {
  it('customer message, agent replies, resolve: message facts with response times, durations, platform and store on every fact', async () => {
    const v = await startVisitor(server, t.store.id);
    const conv = (
      await api<TConversation>(server, 'POST', '/api/widget/conversations', {
        token: v.visitorToken,
        body: {},
      })
    ).body;
    expect(conv.status).toBe('queued'); // nobody online yet

    const m1 = await say(v.visitorToken, conv.id, '在吗');
    await age(m1.id, 40);
    await api(server, 'PUT', '/api/me/status', { token: agent, body: { status: 'online' } });
    await waitFor(async () => (await conversationDto(conv.id)).status === 'assigned');

    const m2 = await say(v.visitorToken, conv.id, '请问有货吗');
    await age(m2.id, 20);
    const r1 = await say(agent, conv.id, '有的亲'); // answers m1 and m2: counted from m1
    const r2 = await say(agent, conv.id, '现在下单今天发'); // nothing pending
    const m3 = await say(v.visitorToken, conv.id, '好的');
    await age(m3.id, 5);
    const r3 = await say(agent, conv.id, '感谢支持');

    // The clocks as if the chat was created 10 min ago, waited 3 min and was served for 7.
    await run(sql`UPDATE conversations SET created_at = now() - interval '600 seconds',
                    queued_at = now() - interval '600 seconds', assigned_at = now() - interval '420 seconds'
                  WHERE id = ${conv.id}`);
    const resolved = await api(server, 'POST', `/api/conversations/${conv.id}/resolve`, { token: agent });
    expect(resolved.status).toBe(200);

    const facts = await factsOf(conv.id);
    expect(facts.map((f) => f.kind)).toEqual([
      'conversation.created',
      'conversation.queued',
      'message.customer',
      'conversation.assigned',
      'message.customer',
      'message.agent',
      'conversation.first_agent_reply',
      'message.agent',
      'message.customer',
      'message.agent',
      'conversation.resolved',
    ]);
    for (const f of facts) {
      expect(f).toMatchObject({
        org_id: t.org.id,
        store_id: t.store.id,
        group_id: t.groups.presale.id,
        platform: 'tmall',
        version: 1,
      });
    }
    const messages = facts.filter((f) => f.kind.startsWith('message.'));
    expect(messages.map((f) => f.data.messageId)).toEqual([m1.id, m2.id, r1.id, r2.id, m3.id, r3.id]);
    expect(messages.map((f) => f.data.seq)).toEqual([m1, m2, r1, r2, m3, r3].map((m) => m.seq));
    const agentId = t.agents[0]!.id;
    expect(messages.map((f) => f.agent_id)).toEqual([null, agentId, agentId, agentId, agentId, agentId]);
    expect(messages[0]!.data).toEqual({
      side: 'customer',
      messageId: m1.id,
      seq: m1.seq,
      type: 'text',
      conversationStatus: 'queued',
    });
    expect(messages[1]!.data.conversationStatus).toBe('assigned');

    const response = messages.filter((f) => f.kind === 'message.agent').map((f) => f.data.responseSeconds);
    expect(response[0]).toBeGreaterThanOrEqual(40);
    expect(response[0]).toBeLessThanOrEqual(42);
    expect(response[1]).toBeNull();
    expect(response[2]).toBeGreaterThanOrEqual(5);
    expect(response[2]).toBeLessThanOrEqual(7);
    expect(messages[2]!.data.side).toBe('agent');

    const first = facts.find((f) => f.kind === 'conversation.first_agent_reply');
    expect(first?.data).toEqual({ messageId: r1.id, seq: r1.seq });

    const done = facts.find((f) => f.kind === 'conversation.resolved');
    expect(done?.agent_id).toBe(agentId);
    expect(done?.data).toMatchObject({ fromStatus: 'assigned', waitedSeconds: 180 });
    expect(done?.data.durationSeconds).toBeGreaterThanOrEqual(600);
    expect(done?.data.durationSeconds).toBeLessThanOrEqual(602);
    expect(done?.data.handleSeconds).toBeGreaterThanOrEqual(420);
    expect(done?.data.handleSeconds).toBeLessThanOrEqual(422);
    await api(server, 'PUT', '/api/me/status', { token: agent, body: { status: 'offline' } });
  });

  it('customer messages to the bot are marked so, and a bot reply answers them', async () => {
    const admin = await login(server, t.admin.email);
    const bot = await api(server, 'PUT', `/api/stores/${t.store.id}/bot-settings`, {
      token: admin,
      body: { mode: 'bot_first' },
    });
    expect(bot.status).toBe(200);
    try {
      const v = await startVisitor(server, t.store.id);
      const conv = (
        await api<TConversation>(server, 'POST', '/api/widget/conversations', {
          token: v.visitorToken,
          body: {},
        })
      ).body;
      expect(conv.status).toBe('bot');
      await api(server, 'PUT', '/api/me/status', { token: agent, body: { status: 'online' } });
      await say(v.visitorToken, conv.id, '转人工');
      await waitFor(async () => (await conversationDto(conv.id)).status === 'assigned');
      await say(agent, conv.id, '您好，请问有什么可以帮您');

      const facts = await factsOf(conv.id);
      const customer = facts.find((f) => f.kind === 'message.customer');
      expect(customer?.data.conversationStatus).toBe('bot');
      expect(facts.map((f) => f.kind)).toContain('bot.handed_off');
      // 转人工 had its answer from the bot: the agent's greeting is not a response to a pending message.
      expect(facts.find((f) => f.kind === 'message.agent')?.data.responseSeconds).toBeNull();
      for (const f of facts) expect(f).toMatchObject({ store_id: t.store.id, platform: 'tmall' });
    } finally {
      await api(server, 'PUT', `/api/stores/${t.store.id}/bot-settings`, {
        token: admin,
        body: { mode: 'human_first' },
      });
      await api(server, 'PUT', '/api/me/status', { token: agent, body: { status: 'offline' } });
    }
  });
});

describe('recordFacts', () => {
  const base = { orgId: '', storeId: null as string | null };
  beforeAll(() => {
    base.orgId = t.org.id;
    base.storeId = t.store.id;
  });
  const countOf = async (kind: string) =>
    (
      await queryRows<{ n: number }>(
        server.db.db,
        sql`SELECT count(*)::int AS n FROM facts WHERE org_id = ${t.org.id} AND kind = ${kind}`,
      )
    )[0]!.n;

  it('writes the store platform with the fact, and none without a store', async () => {
    const agentId = t.agents[0]!.id;
    await recordFacts(server.db.db, [
      {
        orgId: t.org.id,
        kind: 'agent.status_changed',
        agentId,
        data: { status: 'paused', from: 'online', reason: 'manual' },
      },
    ]);
    const rows = await queryRows<{ platform: string | null; data: unknown }>(
      server.db.db,
      sql`SELECT platform, data FROM facts WHERE agent_id = ${agentId} AND kind = 'agent.status_changed'
          ORDER BY id DESC LIMIT 1`,
    );
    expect(rows[0]).toEqual({ platform: null, data: { status: 'paused', from: 'online', reason: 'manual' } });
  });

  it('rejects an ill-typed fact, naming the kind and the field, and its change rolls back', async () => {
    const before = await countOf('conversation.reopened');
    const bad = {
      ...base,
      kind: 'message.agent',
      data: { side: 'agent', messageId: randomUUID(), seq: 3, type: 'text', responseSeconds: 'soon' },
    } as unknown as Fact;
    const attempt = server.db.db.transaction(async (tx) => {
      await recordFacts(tx as unknown as Database, [{ ...base, kind: 'conversation.reopened', data: {} }]);
      await recordFacts(tx as unknown as Database, [bad]);
    });
    await expect(attempt).rejects.toThrow(InvalidFactError);
    await expect(recordFacts(server.db.db, [bad])).rejects.toThrow(
      /^fact message\.agent: data\.responseSeconds: .*number/,
    );
    expect(await countOf('conversation.reopened')).toBe(before);

    const extra = { ...base, kind: 'conversation.reopened', data: { because: 'x' } } as unknown as Fact;
    await expect(recordFacts(server.db.db, [extra])).rejects.toThrow(
      'fact conversation.reopened: data: unknown field(s) because',
    );
    const unknown = { ...base, kind: 'conversation.exploded', data: {} } as unknown as Fact;
    await expect(recordFacts(server.db.db, [unknown])).rejects.toThrow(
      'fact conversation.exploded: unknown fact kind',
    );
  });
});
