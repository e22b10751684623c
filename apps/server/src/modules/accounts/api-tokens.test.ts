import { randomUUID } from 'node:crypto';
import type { TAck, TApiToken, TConversation, TErrorBody, TMessage } from '@peakdesk/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agentClient,
  api,
  createTenant,
  login,
  startTestServer,
  startVisitor,
  type Tenant,
  type TestServer,
  waitFor,
} from '../../../test/harness.ts';

/**
 * API tokens carry scopes (read ⊂ integration ⊂ admin) and an optional expiry; a token mints only
 * what it has itself, and revoking a token revokes everything minted from it, sockets included.
 */
let server: TestServer;
let t: Tenant;
let session: string;
type Created = TApiToken & { token: string };

async function mint(by: string, body: Record<string, unknown>) {
  return api<Created & TErrorBody>(server, 'POST', '/api/tokens', {
    token: by,
    body: { name: `t-${randomUUID().slice(0, 8)}`, ...body },
  });
}
const quickReply = () => ({
  scope: 'team',
  category: 'custom',
  shortcut: `s${randomUUID().slice(0, 6)}`,
  title: '话术',
  body: '您好',
});

beforeAll(async () => {
  server = await startTestServer();
  t = await createTenant(server, { agents: 1 });
  session = await login(server, t.admin.email);
});
afterAll(async () => {
  await server?.stop();
});

describe('API token scopes', () => {
  it('a read token only GETs, and not the admin routes', async () => {
    const read = (await mint(session, { scopes: ['read'] })).body;
    expect(read.scopes).toEqual(['read']);
    expect((await api(server, 'GET', '/api/conversations?scope=all', { token: read.token })).status).toBe(
      200,
    );
    expect((await api(server, 'GET', '/api/auth/me', { token: read.token })).status).toBe(200);
    const write = await api<TErrorBody>(server, 'POST', '/api/quick-replies', {
      token: read.token,
      body: quickReply(),
    });
    expect(write.status).toBe(403);
    expect(write.body.code).toBe('insufficient_scope');
    expect(write.body.message).toContain('integration');
    const users = await api<TErrorBody>(server, 'GET', '/api/users', { token: read.token });
    expect(users.status).toBe(403);
    expect(users.body.code).toBe('insufficient_scope');
  });

  it('an integration token writes, but cannot manage users, stores, tokens or the password', async () => {
    const integration = (await mint(session, { scopes: ['integration'] })).body;
    // Closed downwards: integration includes read.
    expect(integration.scopes).toEqual(['read', 'integration']);
    const token = integration.token;
    expect((await api(server, 'GET', '/api/conversations?scope=all', { token })).status).toBe(200);
    expect((await api(server, 'POST', '/api/quick-replies', { token, body: quickReply() })).status).toBe(201);
    for (const [method, path, body] of [
      ['GET', '/api/users', undefined],
      ['PATCH', `/api/users/${t.agents[0]!.id}`, { disabled: true }],
      ['POST', '/api/stores', { name: '新店', platform: 'jd' }],
      ['POST', `/api/stores/${t.store.id}/rotate-secret`, undefined],
      ['GET', '/api/tokens', undefined],
      ['POST', '/api/tokens', { name: 'child' }],
      ['GET', '/api/audit', undefined],
      ['POST', '/api/auth/password', { currentPassword: t.password, newPassword: 'another-pass-1' }],
    ] as const) {
      const res = await api<TErrorBody>(server, method, path, { token, body });
      expect({ path, method, status: res.status, code: res.body.code }).toEqual({
        path,
        method,
        status: 403,
        code: 'insufficient_scope',
      });
    }
    // Nothing was changed by the refused calls.
    const agent = await api<{ disabled: boolean }[]>(server, 'GET', '/api/users', { token: session });
    expect(agent.body.every((u) => !u.disabled)).toBe(true);
  });

  it('an admin token does what an admin can', async () => {
    const admin = (await mint(session, { scopes: ['admin'] })).body;
    expect(admin.scopes).toEqual(['read', 'integration', 'admin']);
    expect((await api(server, 'GET', '/api/users', { token: admin.token })).status).toBe(200);
    expect((await mint(admin.token, { scopes: ['read'] })).status).toBe(201);
  });

  it('a read token cannot write over the socket either', async () => {
    const read = (await mint(session, { scopes: ['read'] })).body;
    const v = await startVisitor(server, t.store.id);
    const conv = await api<TConversation>(server, 'POST', '/api/widget/conversations', {
      token: v.visitorToken,
      body: {},
    });
    const client = agentClient(server, read.token);
    try {
      await waitFor(() => client.connected);
      const ack = (await client.socket.timeout(5000).emitWithAck('message:send', {
        conversationId: conv.body.id,
        clientId: randomUUID(),
        type: 'text',
        body: '只读令牌',
      })) as TAck<TMessage>;
      expect(ack.ok).toBe(false);
      expect(!ack.ok && ack.error.code).toBe('insufficient_scope');
      const sync = (await client.socket
        .timeout(5000)
        .emitWithAck('sync', { conversationId: conv.body.id, afterSeq: 0 })) as TAck<unknown>;
      expect(sync.ok).toBe(true);
    } finally {
      client.close();
    }
  });

  it('rejects unknown scopes and past expiries naming the field', async () => {
    const bad = await mint(session, { scopes: ['superuser'] });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('scopes.0');
    const past = await mint(session, { expiresAt: new Date(Date.now() - 60_000).toISOString() });
    expect(past.status).toBe(400);
    expect(past.body.field).toBe('expiresAt');
    const notDate = await mint(session, { expiresAt: 'next tuesday' });
    expect(notDate.status).toBe(400);
    expect(notDate.body.field).toBe('expiresAt');
  });
});

describe('API token expiry', () => {
  it('an expired token is refused with token_expired (REST and socket)', async () => {
    const soon = (await mint(session, { expiresAt: new Date(Date.now() + 1500).toISOString() })).body;
    expect((await api(server, 'GET', '/api/auth/me', { token: soon.token })).status).toBe(200);
    const client = agentClient(server, soon.token);
    const reasons: string[] = [];
    client.socket.on('disconnect', (r) => reasons.push(r));
    const errors: { message: string; code?: string }[] = [];
    client.socket.on('connect_error', (e) =>
      errors.push({ message: e.message, code: (e as { data?: { code?: string } }).data?.code }),
    );
    try {
      await waitFor(() => client.connected);
      // The open socket is dropped when the token expires, and its reconnect is refused.
      await waitFor(() => reasons.includes('io server disconnect'), 5000);
      await waitFor(() => errors.some((e) => e.code === 'token_expired'), 5000);
      expect(errors[0]?.message).toBe('unauthenticated');
    } finally {
      client.close();
    }
    const res = await api<TErrorBody>(server, 'GET', '/api/auth/me', { token: soon.token });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('token_expired');
    expect(res.body.message).toContain(soon.expiresAt!);
  });

  it('a token minted by an expiring token expires no later than it', async () => {
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const parent = (await mint(session, { expiresAt: at })).body;
    const child = await mint(parent.token, {});
    expect(child.status).toBe(201);
    expect(child.body.expiresAt).toBe(parent.expiresAt);
    expect(child.body.createdByTokenId).toBe(parent.id);
    const later = await mint(parent.token, { expiresAt: new Date(Date.now() + 7_200_000).toISOString() });
    expect(later.status).toBe(400);
    expect(later.body.field).toBe('expiresAt');
  });
});

describe('API token revocation', () => {
  it('revoking a token revokes the tokens it minted, at any depth, and drops their sockets', async () => {
    const root = (await mint(session, {})).body;
    const child = (await mint(root.token, {})).body;
    const grandchild = (await mint(child.token, { scopes: ['read'] })).body;
    const sibling = (await mint(session, {})).body;
    expect(grandchild.createdByTokenId).toBe(child.id);
    const client = agentClient(server, grandchild.token);
    const reasons: string[] = [];
    client.socket.on('disconnect', (r) => reasons.push(r));
    try {
      await waitFor(() => client.connected);
      expect((await api(server, 'DELETE', `/api/tokens/${child.id}`, { token: session })).status).toBe(200);
      await waitFor(() => reasons.includes('io server disconnect'));
    } finally {
      client.close();
    }
    for (const gone of [child, grandchild]) {
      const res = await api<TErrorBody>(server, 'GET', '/api/auth/me', { token: gone.token });
      expect({ id: gone.id, status: res.status, code: res.body.code }).toEqual({
        id: gone.id,
        status: 401,
        code: 'token_revoked',
      });
    }
    // The token above the revoked one, and an unrelated one, still work.
    expect((await api(server, 'GET', '/api/auth/me', { token: root.token })).status).toBe(200);
    expect((await api(server, 'GET', '/api/auth/me', { token: sibling.token })).status).toBe(200);
    const list = await api<TApiToken[]>(server, 'GET', '/api/tokens', { token: session });
    const revoked = new Set(list.body.filter((x) => x.revokedAt).map((x) => x.id));
    expect(revoked.has(child.id) && revoked.has(grandchild.id)).toBe(true);
    expect(revoked.has(root.id) || revoked.has(sibling.id)).toBe(false);
    // Revoking it again is a 404 (nothing active by that id).
    expect((await api(server, 'DELETE', `/api/tokens/${child.id}`, { token: session })).status).toBe(404);
  });
});
