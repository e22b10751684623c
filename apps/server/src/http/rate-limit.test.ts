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

/** A session made directly (the address's REST budget is spent by the test that needs this). */
async function signedInAgent() {
  const { token } = await server.services.accounts.login(t.agents[0]!.email, t.password);
  return token;
}

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

describe('REST rate limit keys', () => {
  it('keys only verified credentials: made-up bearer tokens and cookies share the address budget', async () => {
    // Each made-up credential is refused and spends the address's budget (5 a minute, part of it
    // spent by the widget sessions above): a fresh token per request never buys a fresh bucket.
    const made = (i: number) =>
      i % 2
        ? api<TErrorBody>(server, 'GET', '/api/auth/me', { token: `pdk_made-up-${i}` })
        : api<TErrorBody>(server, 'GET', '/api/auth/me', {
            headers: { cookie: `pd_session=pds_forged-${i}` },
          });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await made(i)).status);
    expect(statuses).toContain(429);
    expect(statuses.every((x) => x === 401 || x === 429)).toBe(true);
    const refused = await made(99);
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('rate_limited');
    // A verified caller from the same address still has a budget of its own.
    const token = await signedInAgent();
    expect((await api(server, 'GET', '/api/auth/me', { token })).status).toBe(200);
  });
});

describe('widget session limits', () => {
  it('limits new widget sessions (visitor tokens) per address and per store', async () => {
    const proxied = await startTestServer({
      PEAKDESK_TRUST_PROXY: '127.0.0.1',
      PEAKDESK_WIDGET_SESSIONS_PER_MINUTE: '3',
      PEAKDESK_WIDGET_SESSIONS_PER_STORE_PER_MINUTE: '5',
    });
    try {
      const a = await createTenant(proxied, { agents: 0 });
      const b = await createTenant(proxied, { agents: 0 });
      const session = (storeId: string, ip: string) =>
        fetch(`${proxied.url}/api/widget/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
          body: JSON.stringify({ storeId }),
        });
      for (let i = 0; i < 3; i++) expect((await session(a.store.id, '198.51.100.1')).status).toBe(200);
      const perAddress = await session(a.store.id, '198.51.100.1');
      expect(perAddress.status).toBe(429);
      expect(Number(perAddress.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await perAddress.json()) as TErrorBody).message).toMatch(
        /3 widget sessions a minute from this address; retry in \d+ s/,
      );
      // Many addresses for one store: the store's own limit (5 a minute) holds.
      expect((await session(a.store.id, '198.51.100.2')).status).toBe(200);
      expect((await session(a.store.id, '198.51.100.3')).status).toBe(200);
      const perStore = await session(a.store.id, '198.51.100.4');
      expect(perStore.status).toBe(429);
      expect(((await perStore.json()) as TErrorBody).message).toMatch(
        /5 widget sessions a minute for this store/,
      );
      // Another store is not affected.
      expect((await session(b.store.id, '198.51.100.5')).status).toBe(200);
    } finally {
      await proxied.stop();
    }
  });
});
