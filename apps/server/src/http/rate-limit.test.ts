import type { TAck, TErrorBody, THistoryPage, TMessage } from '@peakdesk/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createTenant,
  customerClient,
  startTestServer,
  startVisitor,
  type Tenant,
  type TestServer,
  waitFor,
} from '../../test/harness.ts';

// Small limits: 5 REST requests a minute per caller, 2 socket messages a second (bursts of 4).
let server: TestServer;
let t: Tenant;
beforeAll(async () => {
  server = await startTestServer({
    PEAKDESK_SOCKET_MSGS_PER_SECOND: '2',
    PEAKDESK_RATE_LIMIT_PER_MINUTE: '5',
  });
  t = await createTenant(server, { agents: 1 });
});
afterAll(async () => {
  await server?.stop();
});

describe('REST rate limit', () => {
  it('answers the request over the limit with a 429 JSON rate_limited, per caller', async () => {
    const v = await startVisitor(server, t.store.id);
    for (let i = 0; i < 5; i++)
      expect((await api(server, 'GET', '/api/widget/conversations', { token: v.visitorToken })).status).toBe(
        200,
      );
    const res = await fetch(`${server.url}/api/widget/conversations`, {
      headers: { authorization: `Bearer ${v.visitorToken}` },
    });
    expect(res.status).toBe(429);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await res.json()) as TErrorBody;
    expect(body.code).toBe('rate_limited');
    expect(body.message).toMatch(/5 requests per minute/);

    // Another caller has their own budget; health and readiness probes are never limited.
    const other = await startVisitor(server, t.store.id);
    expect(
      (await api(server, 'GET', '/api/widget/conversations', { token: other.visitorToken })).status,
    ).toBe(200);
    for (let i = 0; i < 8; i++) {
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
      expect((await fetch(`${server.url}/ready`)).status).toBe(200);
    }
  });
});

describe('socket rate limit', () => {
  it('a burst gets rate_limited acks; slowing down delivers every message exactly once', async () => {
    const v = await startVisitor(server, t.store.id);
    const client = customerClient(server, v.visitorToken);
    const second = customerClient(server, v.visitorToken);
    try {
      await waitFor(() => client.connected && second.connected);
      const conv = await client.openConversation();
      const payload = (i: number) => ({
        conversationId: conv.id,
        clientId: `burst-${i}`,
        type: 'text',
        body: `连发 ${i}`,
      });
      // The burst is split over two sockets of the same visitor: they share one budget.
      const acks = (await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 ? second : client).socket.timeout(5000).emitWithAck('message:send', payload(i)),
        ),
      )) as TAck<TMessage>[];
      const limited = acks.flatMap((a, i) => (a.ok ? [] : [i]));
      for (const i of limited) {
        const a = acks[i]!;
        if (!a.ok) expect(a.error.code).toBe('rate_limited');
      }
      expect(limited.length).toBeGreaterThanOrEqual(5);
      expect(acks.length - limited.length).toBeGreaterThan(0);

      // Slow down: resend each refused message (same client id) until it is accepted.
      for (const i of limited) {
        await waitFor(async () => {
          const a = (await client.socket
            .timeout(5000)
            .emitWithAck('message:send', payload(i))) as TAck<TMessage>;
          if (!a.ok) expect(a.error.code).toBe('rate_limited');
          return a.ok;
        });
      }
      // The shared client's outbox does the same on its own: every send resolves, in order.
      const sent = [];
      for (let i = 0; i < 4; i++)
        sent.push(client.send({ conversationId: conv.id, type: 'text', body: `排队 ${i}` }));
      const stored = await Promise.all(sent);
      expect(stored.map((m) => m.seq)).toEqual([...stored.map((m) => m.seq)].sort((x, y) => x - y));
      expect(client.stats.resent).toBeGreaterThan(0);

      const page = await api<THistoryPage>(
        server,
        'GET',
        `/api/conversations/${conv.id}/messages?limit=200`,
        {
          token: v.visitorToken,
        },
      );
      const bodies = page.body.messages.filter((m) => m.senderType === 'customer').map((m) => m.body);
      expect(bodies.filter((b) => b.startsWith('连发')).sort()).toEqual(
        Array.from({ length: 10 }, (_, i) => `连发 ${i}`).sort(),
      );
      expect(bodies.filter((b) => b.startsWith('排队'))).toEqual(['排队 0', '排队 1', '排队 2', '排队 3']);
      expect(new Set(bodies).size).toBe(bodies.length);
    } finally {
      client.close();
      second.close();
    }
  });
});
