import { ChatClient } from '@peakdesk/chat-client';
import type { TConversationHead, TMessage } from '@peakdesk/contracts';
import { queryRows, sql } from '@peakdesk/db';
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
} from '../../test/harness.ts';
import { createChatRepository } from '../modules/chat/chat.repository.ts';

/**
 * A message can be stored and never pushed: the instance that stored it dies between its commit and
 * its push (kill -9). Two things heal that: the customer's resend, which hits the stored message and
 * must push it again, and the agent client's periodic resync, which needs no resend and no reconnect.
 * "Stored, never pushed" is made here by writing through the repository, which publishes nothing.
 */
let server: TestServer;
let t: Tenant;
let agentToken: string;
beforeAll(async () => {
  server = await startTestServer();
  t = await createTenant(server, { agents: 1, cap: 20 });
  agentToken = await login(server, t.agents[0]!.email);
  await api(server, 'PUT', '/api/me/status', { token: agentToken, body: { status: 'online' } });
});
afterAll(async () => {
  await server?.stop();
});

/** A customer with an open conversation assigned to the tenant's agent. */
async function assignedCustomer() {
  const v = await startVisitor(server, t.store.id);
  const customer = customerClient(server, v.visitorToken);
  await waitFor(() => customer.connected);
  const conv = await customer.openConversation();
  expect(conv.assigneeId).toBe(t.agents[0]!.id);
  return { customer, conv };
}

/** Stores a customer message the way an instance does, without the push that normally follows. */
async function storeWithoutPush(conversationId: string, clientId: string, body: string) {
  const [rec] = await createChatRepository(server.db.db).insertMessages([
    {
      orgId: t.org.id,
      conversationId,
      senderType: 'customer',
      senderId: null,
      clientId,
      type: 'text',
      body,
      attachmentId: null,
    },
  ]);
  expect(rec).toBeTruthy();
  return rec!;
}

describe('a stored message that was never pushed', () => {
  it('reaches the agent when the customer resends it, stored once', async () => {
    const { customer, conv } = await assignedCustomer();
    const agent = agentClient(server, agentToken);
    try {
      const got: TMessage[] = [];
      agent.on('message', (m) => got.push(m));
      await waitFor(() => agent.connected);
      await agent.watch(conv.id);
      const stored = await storeWithoutPush(conv.id, 'w-lost-1', '我的快递到哪了？');
      // The resend (same client id) answers with the stored original…
      const ack = await customer.send({
        conversationId: conv.id,
        type: 'text',
        body: '我的快递到哪了？',
        clientId: 'w-lost-1',
      });
      expect(ack.id).toBe(stored.id);
      expect(ack.seq).toBe(Number(stored.seq));
      // …and pushes it again, so the agent (no resync timer on this client) gets it at once.
      const delivered = await waitFor(() => got.find((m) => m.id === stored.id), 3_000);
      expect(delivered.body).toBe('我的快递到哪了？');
      const rows = await queryRows<{ n: number }>(
        server.db.db,
        sql`SELECT count(*)::int AS n FROM messages WHERE conversation_id = ${conv.id} AND client_id = 'w-lost-1'`,
      );
      expect(rows[0]?.n).toBe(1);
      // A second resend pushes again; the client drops the duplicate by seq.
      await customer.send({
        conversationId: conv.id,
        type: 'text',
        body: '我的快递到哪了？',
        clientId: 'w-lost-1',
      });
      await waitFor(() => agent.stats.duplicatesDropped > 0, 3_000);
      expect(got.filter((m) => m.id === stored.id)).toHaveLength(1);
    } finally {
      customer.close();
      agent.close();
    }
  });

  it('reaches an agent with a resync interval, without a resend or a reconnect', async () => {
    const { customer, conv } = await assignedCustomer();
    const agent = new ChatClient({ url: server.url, auth: { token: agentToken }, resyncIntervalMs: 200 });
    try {
      const got: TMessage[] = [];
      const connections: string[] = [];
      agent.on('message', (m) => got.push(m));
      agent.on('connection', (s) => connections.push(s));
      await waitFor(() => agent.connected);
      await agent.watch(conv.id);
      const syncsBefore = agent.stats.syncs;
      const stored = await storeWithoutPush(conv.id, 'w-lost-2', '亲，还在吗？');
      const delivered = await waitFor(() => got.find((m) => m.id === stored.id), 5_000);
      expect(delivered.seq).toBe(Number(stored.seq));
      expect(agent.stats.headChecks).toBeGreaterThan(0);
      expect(agent.stats.syncs).toBe(syncsBefore + 1);
      expect(connections).toEqual(['connected']);
      // Quiet conversations cost a head check each round, never a history sync.
      await new Promise((r) => setTimeout(r, 600));
      expect(agent.stats.syncs).toBe(syncsBefore + 1);
      expect(got.filter((m) => m.id === stored.id)).toHaveLength(1);
    } finally {
      customer.close();
      agent.close();
    }
  });

  it('answers head checks only for conversations the caller may read', async () => {
    const { customer, conv } = await assignedCustomer();
    const other = await createTenant(server, { agents: 1 });
    const otherToken = await login(server, other.agents[0]!.email);
    const stranger = agentClient(server, otherToken);
    try {
      await waitFor(() => stranger.connected && customer.connected);
      const ask = (c: ChatClient, ids: string[]) =>
        c.socket.emitWithAck('sync:heads', { conversationIds: ids }) as Promise<
          { ok: true; data: TConversationHead[] } | { ok: false; error: { code: string } }
        >;
      const own = await ask(customer, [conv.id]);
      expect(own).toEqual({ ok: true, data: [{ conversationId: conv.id, lastSeq: expect.any(Number) }] });
      expect(await ask(stranger, [conv.id])).toEqual({ ok: true, data: [] });
      const bad = await ask(stranger, ['not-an-id']);
      expect(bad.ok).toBe(false);
      if (!bad.ok) expect(bad.error.code).toBe('invalid_input');
    } finally {
      customer.close();
      stranger.close();
    }
  });
});
