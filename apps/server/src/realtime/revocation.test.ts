import type { TMessage } from '@peakdesk/contracts';
import { createTestDatabase } from '@peakdesk/db/testing';
import pino from 'pino';
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
import { parseConfig } from '../config.ts';
import { type RunningServer, startServer } from '../main.ts';

/**
 * Open sockets do not outlive the access they were opened with: logout, a password change, a
 * disabled user, a changed role, stores or groups disconnect them (on every instance, through the
 * Redis adapter), and an ended session cannot open a new one.
 */
type Client = ReturnType<typeof agentClient>;
function watch(client: Client) {
  const reasons: string[] = [];
  const errors: string[] = [];
  client.socket.on('disconnect', (r) => reasons.push(r));
  client.socket.on('connect_error', (e) => errors.push(e.message));
  return { reasons, errors };
}
const serverDropped = (w: { reasons: string[] }) => w.reasons.includes('io server disconnect');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('socket revocation (one instance)', () => {
  let server: TestServer;
  let t: Tenant;
  let adminToken: string;
  beforeAll(async () => {
    server = await startTestServer();
    t = await createTenant(server, { agents: 4 });
    adminToken = await login(server, t.admin.email);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('logout ends that session and its sockets only; the ended session cannot reconnect', async () => {
    const [first, second] = [
      await login(server, t.agents[0]!.email),
      await login(server, t.agents[0]!.email),
    ];
    const a = agentClient(server, first);
    const b = agentClient(server, second);
    try {
      const wa = watch(a);
      const wb = watch(b);
      await waitFor(() => a.connected && b.connected);
      expect((await api(server, 'POST', '/api/auth/logout', { token: first })).status).toBe(200);
      await waitFor(() => serverDropped(wa));
      // Reconnecting with the ended session is refused at the handshake.
      await waitFor(() => wa.errors.includes('unauthenticated'));
      expect(a.connected).toBe(false);
      await sleep(300);
      expect(b.connected).toBe(true);
      expect(wb.reasons).toEqual([]);
      expect((await api(server, 'GET', '/api/auth/me', { token: second })).status).toBe(200);
    } finally {
      a.close();
      b.close();
    }
  });

  it('a password change drops the other sessions and their sockets, keeps the one that changed it', async () => {
    const agent = t.agents[1]!;
    const [mine, other] = [await login(server, agent.email), await login(server, agent.email)];
    const a = agentClient(server, mine);
    const b = agentClient(server, other);
    try {
      const wa = watch(a);
      const wb = watch(b);
      await waitFor(() => a.connected && b.connected);
      const res = await api(server, 'POST', '/api/auth/password', {
        token: mine,
        body: { currentPassword: t.password, newPassword: 'a-new-password-2' },
      });
      expect(res.status).toBe(200);
      await waitFor(() => serverDropped(wb) && wb.errors.includes('unauthenticated'));
      expect((await api(server, 'GET', '/api/auth/me', { token: other })).status).toBe(401);
      await sleep(300);
      expect(wa.reasons).toEqual([]);
      expect(a.connected).toBe(true);
    } finally {
      a.close();
      b.close();
    }
  });

  it('disabling a user drops every socket and session; re-enabling does not revive them', async () => {
    const agent = t.agents[2]!;
    const session = await login(server, agent.email);
    const a = agentClient(server, session);
    try {
      const w = watch(a);
      await waitFor(() => a.connected);
      const off = await api(server, 'PATCH', `/api/users/${agent.id}`, {
        token: adminToken,
        body: { disabled: true },
      });
      expect(off.status).toBe(200);
      await waitFor(() => serverDropped(w) && w.errors.includes('unauthenticated'));
      const on = await api(server, 'PATCH', `/api/users/${agent.id}`, {
        token: adminToken,
        body: { disabled: false },
      });
      expect(on.status).toBe(200);
      expect((await api(server, 'GET', '/api/auth/me', { token: session })).status).toBe(401);
    } finally {
      a.close();
    }
  });

  it('a role change drops the sockets; they reconnect with the new role', async () => {
    const agent = t.agents[3]!;
    const session = await login(server, agent.email);
    const a = agentClient(server, session);
    try {
      const w = watch(a);
      await waitFor(() => a.connected);
      const res = await api(server, 'PATCH', `/api/users/${agent.id}`, {
        token: adminToken,
        body: { role: 'supervisor' },
      });
      expect(res.status).toBe(200);
      await waitFor(() => serverDropped(w));
      await waitFor(() => a.connected);
      // As a supervisor of the store it now sees a customer's message it was never assigned.
      const got: TMessage[] = [];
      a.socket.on('message:new', (m) => got.push(m));
      a.socket.on('message:batch', (ms) => got.push(...ms));
      const v = await startVisitor(server, t.store.id);
      const c = customerClient(server, v.visitorToken);
      try {
        await waitFor(() => c.connected);
        const conv = await c.openConversation();
        const sent = await c.send({ conversationId: conv.id, type: 'text', body: '请问什么时候发货？' });
        await waitFor(() => got.find((m) => m.id === sent.id));
      } finally {
        c.close();
      }
    } finally {
      a.close();
    }
  });

  it('a store-scope change drops the sockets; after reconnecting the old store is no longer pushed', async () => {
    const session = await login(server, t.supervisor.email);
    const s = agentClient(server, session);
    const got: TMessage[] = [];
    s.socket.on('message:new', (m) => got.push(m));
    s.socket.on('message:batch', (ms) => got.push(...ms));
    const v = await startVisitor(server, t.store.id);
    const c = customerClient(server, v.visitorToken);
    try {
      const w = watch(s);
      await waitFor(() => s.connected && c.connected);
      const conv = await c.openConversation();
      const before = await c.send({ conversationId: conv.id, type: 'text', body: '在吗' });
      await waitFor(() => got.find((m) => m.id === before.id));
      const res = await api(server, 'PATCH', `/api/users/${t.supervisor.id}`, {
        token: adminToken,
        body: { storeIds: [] },
      });
      expect(res.status).toBe(200);
      await waitFor(() => serverDropped(w));
      await waitFor(() => s.connected);
      const after = await c.send({ conversationId: conv.id, type: 'text', body: '还在吗' });
      await sleep(500);
      expect(got.find((m) => m.id === after.id)).toBeUndefined();
    } finally {
      s.close();
      c.close();
    }
  });
});

const DATABASE_URL = process.env.DATABASE_URL;
const REDIS_URL = process.env.REDIS_URL;
describe.skipIf(!DATABASE_URL || !REDIS_URL)(
  'socket revocation across two instances (needs PostgreSQL + Redis)',
  () => {
    let a: RunningServer;
    let b: RunningServer;
    let t: Tenant;
    beforeAll(async () => {
      const database = await createTestDatabase();
      const config = (id: string) =>
        parseConfig(
          {
            PEAKDESK_RATE_LIMIT_PER_MINUTE: '100000',
            PEAKDESK_INSTANCE_ID: id,
            REDIS_URL,
          },
          { port: 0, host: '127.0.0.1', databaseUrl: database.url },
        );
      const logger = pino({ level: 'silent' });
      a = await startServer(config('a'), { database, logger });
      b = await startServer(config('b'), { logger });
      t = await createTenant(a, { agents: 2 });
    });
    afterAll(async () => {
      await b?.close();
      await a?.close();
    });

    it('logout on instance A disconnects the session’s socket on instance B', async () => {
      const session = await login(a, t.agents[0]!.email);
      const onB = agentClient(b, session);
      try {
        const w = watch(onB);
        await waitFor(() => onB.connected);
        expect((await api(a, 'POST', '/api/auth/logout', { token: session })).status).toBe(200);
        await waitFor(() => serverDropped(w) && w.errors.includes('unauthenticated'));
      } finally {
        onB.close();
      }
    });

    it('disabling a user on instance A disconnects their sockets on instance B', async () => {
      const agent = t.agents[1]!;
      const admin = await login(a, t.admin.email);
      const onB = agentClient(b, await login(b, agent.email));
      try {
        const w = watch(onB);
        await waitFor(() => onB.connected);
        const res = await api(a, 'PATCH', `/api/users/${agent.id}`, {
          token: admin,
          body: { disabled: true },
        });
        expect(res.status).toBe(200);
        await waitFor(() => serverDropped(w) && w.errors.includes('unauthenticated'));
      } finally {
        onB.close();
      }
    });
  },
);
