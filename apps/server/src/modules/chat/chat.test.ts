import type { TMessage } from '@peakdesk/contracts';
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

let server: TestServer;
let t: Tenant;
beforeAll(async () => {
  server = await startTestServer();
  t = await createTenant(server, { agents: 1 });
});
afterAll(async () => {
  await server?.stop();
});

describe('chat end to end over sockets', () => {
  it('customer message reaches the online agent and the reply reaches the customer', async () => {
    const agentToken = await login(server, t.agents[0]!.email);
    expect(
      (await api(server, 'PUT', '/api/me/status', { token: agentToken, body: { status: 'online' } })).status,
    ).toBe(200);
    const agent = agentClient(server, agentToken);
    const agentMsgs: TMessage[] = [];
    agent.on('message', (m) => agentMsgs.push(m));

    const visitor = await startVisitor(server, t.store.id);
    const customer = customerClient(server, visitor.visitorToken);
    const customerMsgs: TMessage[] = [];
    customer.on('message', (m) => customerMsgs.push(m));
    await waitFor(() => customer.connected && agent.connected);

    const conv = await customer.openConversation();
    const sent = await customer.send({
      conversationId: conv.id,
      type: 'text',
      body: '你好，我的订单什么时候发货？',
    });
    expect(sent.seq).toBeGreaterThan(0);
    const seen = await waitFor(() => agentMsgs.find((m) => m.body === '你好，我的订单什么时候发货？'));
    expect(seen.senderType).toBe('customer');

    const reply = await agent.send({ conversationId: conv.id, type: 'text', body: '亲，48小时内发货哦～' });
    expect(reply.senderName).toBe(t.agents[0]!.name);
    await waitFor(() => customerMsgs.find((m) => m.body === '亲，48小时内发货哦～'));
    // Customer sees messages in seq order with no duplicates (system assignment notice included).
    const seqs = customerMsgs.map((m) => m.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    customer.close();
    agent.close();
  });
});
