import type { TErrorBody } from '@peakdesk/contracts';
import { queryRows, sql } from '@peakdesk/db';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createTenant,
  login,
  signVisitorToken,
  startTestServer,
  startVisitor,
  type Tenant,
  type TestServer,
  waitFor,
} from '../../../test/harness.ts';
import { parseConfig } from '../../config.ts';
import { hmacHex } from '../accounts/secrets.ts';

/**
 * Visitor tokens (the widget's credential) expire PEAKDESK_VISITOR_TOKEN_TTL_DAYS after they were
 * minted and can be revoked (widget sign-out, staff); refused with 401 visitor_token_expired /
 * visitor_token_revoked on REST and at the socket handshake, and open sockets are disconnected.
 */
const DAY = 86_400_000;
let server: TestServer;
let t: Tenant;
let supervisor: string;
let agent: string;

beforeAll(async () => {
  server = await startTestServer();
  t = await createTenant(server, { agents: 1 });
  [supervisor, agent] = [await login(server, t.supervisor.email), await login(server, t.agents[0]!.email)];
});
afterAll(async () => {
  await server?.stop();
});

const conversations = (token: string) =>
  api<TErrorBody>(server, 'GET', '/api/widget/conversations', { token });
const tokenAt = (customerId: string, issuedAt: number) =>
  signVisitorToken(server.services.secret, customerId, t.store.id, issuedAt);

type Watched = { socket: Socket; disconnects: string[]; errors: { message: string; code: unknown }[] };
/** A visitor socket that reports its disconnects and refused handshakes (reconnects on its own). */
function visitorSocket(visitorToken: string): Watched {
  const socket = io(server.url, {
    path: '/socket.io',
    transports: ['websocket'],
    auth: { visitorToken },
    reconnectionDelay: 100,
    reconnectionDelayMax: 200,
  });
  const w: Watched = { socket, disconnects: [], errors: [] };
  socket.on('disconnect', (reason) => {
    w.disconnects.push(reason);
    // Like the chat client: the server ended it, try once more (the handshake then says why).
    if (reason === 'io server disconnect') setTimeout(() => socket.connect(), 100);
  });
  socket.on('connect_error', (e: Error & { data?: { code?: unknown } }) =>
    w.errors.push({ message: e.message, code: e.data?.code }),
  );
  return w;
}
const refusedWith = (w: Watched, code: string) =>
  w.errors.some((e) => e.message === 'unauthenticated' && e.code === code);

describe('visitor token expiry', () => {
  it('a token minted now works; one minted longer ago than the TTL (30 days) is 401 visitor_token_expired', async () => {
    const v = await startVisitor(server, t.store.id);
    expect((await conversations(v.visitorToken)).status).toBe(200);
    expect((await conversations(tokenAt(v.customerId, Date.now() - 29 * DAY))).status).toBe(200);
    const expired = await conversations(tokenAt(v.customerId, Date.now() - 30 * DAY - 1000));
    expect(expired.status).toBe(401);
    expect(expired.body.code).toBe('visitor_token_expired');
    expect(expired.body.message).toMatch(/expired at \d{4}-\d\d-\d\dT/);
    // Also where a visitor token is one bearer among others (a message send).
    const send = await api<TErrorBody>(server, 'POST', '/api/widget/conversations', {
      token: tokenAt(v.customerId, Date.now() - 31 * DAY),
      body: {},
    });
    expect(send.body.code).toBe('visitor_token_expired');
  });

  it('a token of the format before expiry (no mint time) counts as expired', async () => {
    const v = await startVisitor(server, t.store.id);
    const body = `vt1.${v.customerId}.${t.store.id}`;
    const legacy = `${body}.${hmacHex(server.services.secret, body)}`;
    const res = await conversations(legacy);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('visitor_token_expired');
    // A forged one is still just unknown.
    expect((await conversations(`${body}.${'0'.repeat(64)}`)).body.code).toBe('unauthenticated');
  });

  it('an expired token neither opens a socket nor renews itself into the same customer', async () => {
    const v = await startVisitor(server, t.store.id);
    const old = tokenAt(v.customerId, Date.now() - 40 * DAY);
    const w = visitorSocket(old);
    try {
      await waitFor(() => refusedWith(w, 'visitor_token_expired'));
      expect(w.socket.connected).toBe(false);
    } finally {
      w.socket.close();
    }
    const renewed = await api<{ customerId: string }>(server, 'POST', '/api/widget/session', {
      body: { storeId: t.store.id, visitorToken: old },
    });
    expect(renewed.body.customerId).not.toBe(v.customerId);
    // A valid one does continue the visitor.
    const again = await api<{ customerId: string }>(server, 'POST', '/api/widget/session', {
      body: { storeId: t.store.id, visitorToken: v.visitorToken },
    });
    expect(again.body.customerId).toBe(v.customerId);
  });

  it('an open socket is disconnected when its token expires, and cannot reconnect with it', async () => {
    const v = await startVisitor(server, t.store.id);
    const w = visitorSocket(tokenAt(v.customerId, Date.now() - 30 * DAY + 1500));
    try {
      await waitFor(() => w.socket.connected);
      await waitFor(() => w.disconnects.includes('io server disconnect'), 5000);
      await waitFor(() => refusedWith(w, 'visitor_token_expired'));
    } finally {
      w.socket.close();
    }
  });

  it('the TTL is configurable in days', () => {
    expect(parseConfig({}).visitorTokenTtlMs).toBe(30 * DAY);
    expect(parseConfig({ PEAKDESK_VISITOR_TOKEN_TTL_DAYS: '0.5' }).visitorTokenTtlMs).toBe(DAY / 2);
    expect(() => parseConfig({ PEAKDESK_VISITOR_TOKEN_TTL_DAYS: '0' })).toThrow(
      /PEAKDESK_VISITOR_TOKEN_TTL_DAYS/,
    );
  });
});

describe('visitor token revocation', () => {
  it('widget sign-out ends every token of the customer and its sockets; a new session works', async () => {
    const buyer = { buyerId: `buyer-${Date.now()}`, secret: t.store.identitySecret };
    const v = await startVisitor(server, t.store.id, buyer);
    const otherDevice = await startVisitor(server, t.store.id, buyer);
    expect(otherDevice.customerId).toBe(v.customerId);
    const w = visitorSocket(otherDevice.visitorToken);
    try {
      await waitFor(() => w.socket.connected);
      expect((await api(server, 'POST', '/api/widget/logout', { token: v.visitorToken })).status).toBe(200);
      for (const token of [v.visitorToken, otherDevice.visitorToken]) {
        const res = await conversations(token);
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('visitor_token_revoked');
      }
      await waitFor(() => w.disconnects.includes('io server disconnect'));
      await waitFor(() => refusedWith(w, 'visitor_token_revoked'));
    } finally {
      w.socket.close();
    }
    // Signing in again (the buyer's signature) mints a token after the revocation: it works.
    const back = await startVisitor(server, t.store.id, buyer);
    expect(back.customerId).toBe(v.customerId);
    expect((await conversations(back.visitorToken)).status).toBe(200);
    // The revoked token does not renew into the customer either.
    const renewed = await api<{ customerId: string }>(server, 'POST', '/api/widget/session', {
      body: { storeId: t.store.id, visitorToken: v.visitorToken },
    });
    expect(renewed.body.customerId).not.toBe(v.customerId);
  });

  it("a supervisor revokes a customer's tokens (audited); an agent may not", async () => {
    const v = await startVisitor(server, t.store.id);
    const path = `/api/customers/${v.customerId}/revoke-visitor-tokens`;
    const w = visitorSocket(v.visitorToken);
    try {
      await waitFor(() => w.socket.connected);
      const byAgent = await api<TErrorBody>(server, 'POST', path, { token: agent });
      expect(byAgent.status).toBe(403);
      expect((await conversations(v.visitorToken)).status).toBe(200);
      expect(w.socket.connected).toBe(true);

      expect((await api(server, 'POST', path, { token: supervisor })).status).toBe(200);
      expect((await conversations(v.visitorToken)).body.code).toBe('visitor_token_revoked');
      await waitFor(() => refusedWith(w, 'visitor_token_revoked'));
    } finally {
      w.socket.close();
    }
    const audit = await queryRows<{ action: string }>(
      server.db.db,
      sql`SELECT action FROM audit_log WHERE target_id = ${v.customerId}`,
    );
    expect(audit.map((a) => a.action)).toEqual(['customer.revoke_visitor_tokens']);
    // Another customer's tokens are untouched.
    const other = await startVisitor(server, t.store.id);
    expect((await conversations(other.visitorToken)).status).toBe(200);
  });
});
