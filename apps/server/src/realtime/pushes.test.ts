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
} from '../../test/harness.ts';

/**
 * What each socket is pushed: the sending socket has its message in the ack and is not pushed it
 * again, the sender's other tabs are; an agent's messages of one server turn come as one frame.
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

/** Every frame a raw socket is pushed: `message:new` as one message, `message:batch` as several. */
function recordFrames(socket: ReturnType<typeof customerClient>['socket']) {
  const frames: TMessage[][] = [];
  socket.on('message:new', (m) => frames.push([m]));
  socket.on('message:batch', (ms) => frames.push(ms));
  return frames;
}

describe('realtime pushes', () => {
  it('skips the socket a message came from, but reaches the same customer in another tab', async () => {
    const visitor = await startVisitor(server, t.store.id);
    const tabA = customerClient(server, visitor.visitorToken);
    const tabB = customerClient(server, visitor.visitorToken);
    const agent = agentClient(server, agentToken);
    try {
      const framesA = recordFrames(tabA.socket);
      const framesB = recordFrames(tabB.socket);
      const framesAgent = recordFrames(agent.socket);
      await waitFor(() => tabA.connected && tabB.connected && agent.connected);
      const conv = await tabA.openConversation();
      const sent = await tabA.send({ conversationId: conv.id, type: 'text', body: '在吗？这件卫衣有XL吗' });
      const inB = await waitFor(() => framesB.flat().find((m) => m.id === sent.id));
      expect(inB.body).toBe('在吗？这件卫衣有XL吗');
      await waitFor(() => framesAgent.flat().find((m) => m.id === sent.id));
      // The agent's reply reaches both tabs; by then anything pushed for the first message has arrived.
      const reply = await agent.send({ conversationId: conv.id, type: 'text', body: '亲，XL有货的哦' });
      await waitFor(() => framesA.flat().find((m) => m.id === reply.id));
      await waitFor(() => framesB.flat().find((m) => m.id === reply.id));
      expect(framesA.flat().filter((m) => m.id === sent.id)).toEqual([]);
      // Nor is the agent's own socket pushed its reply again.
      expect(framesAgent.flat().filter((m) => m.id === reply.id)).toEqual([]);
    } finally {
      tabA.close();
      tabB.close();
      agent.close();
    }
  });

  it('sends an agent the messages of one turn as one frame, each exactly once and in order', async () => {
    const agent = agentClient(server, agentToken);
    const customers: { client: ReturnType<typeof customerClient>; conversationId: string }[] = [];
    try {
      const frames = recordFrames(agent.socket);
      await waitFor(() => agent.connected);
      for (let i = 0; i < 10; i++) {
        const v = await startVisitor(server, t.store.id);
        const client = customerClient(server, v.visitorToken);
        await waitFor(() => client.connected);
        const conv = await client.openConversation();
        expect(conv.assigneeId).toBe(t.agents[0]!.id);
        customers.push({ client, conversationId: conv.id });
      }
      const before = frames.length;
      // Ten customers write three messages each at the same moment.
      const sent = await Promise.all(
        customers.flatMap(({ client, conversationId }) =>
          [1, 2, 3].map((k) =>
            client.send({ conversationId, type: 'text', body: `第${k}个问题：什么时候发货？` }),
          ),
        ),
      );
      const ids = new Set(sent.map((m) => m.id));
      await waitFor(
        () =>
          frames
            .slice(before)
            .flat()
            .filter((m) => ids.has(m.id)).length >= ids.size,
      );
      const got = frames
        .slice(before)
        .flat()
        .filter((m) => ids.has(m.id));
      expect(got.length).toBe(30);
      expect(new Set(got.map((m) => m.id)).size).toBe(30);
      for (const { conversationId } of customers) {
        const seqs = got.filter((m) => m.conversationId === conversationId).map((m) => m.seq);
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      }
      const framesUsed = frames.slice(before).filter((f) => f.some((m) => ids.has(m.id))).length;
      expect(framesUsed).toBeLessThan(30);
      // The chat client unpacks batches: the agent's listener sees each message once.
      const seen = new Map<string, number>();
      agent.on('message', (m) => seen.set(m.id, (seen.get(m.id) ?? 0) + 1));
      const last = await customers[0]!.client.send({
        conversationId: customers[0]!.conversationId,
        type: 'text',
        body: '好的谢谢',
      });
      await waitFor(() => seen.get(last.id) === 1);
    } finally {
      agent.close();
      for (const c of customers) c.client.close();
    }
  });
});
