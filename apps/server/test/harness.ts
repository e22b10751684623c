import { randomUUID } from 'node:crypto';
import { ChatClient } from '@peakdesk/chat-client';
import { queryRows, sql } from '@peakdesk/db';
import { createTestDatabase } from '@peakdesk/db/testing';
import pino from 'pino';
import { parseConfig } from '../src/config.ts';
import type { UserCaller } from '../src/http/caller.ts';
import { type RunningServer, startServer } from '../src/main.ts';
import { hashPassword } from '../src/modules/accounts/secrets.ts';
import { signVisitorToken } from '../src/modules/chat/visitor-token.ts';

export type TestServer = RunningServer & { stop(): Promise<void> };

/** A real server on a random port over a fresh database (PGlite, or PostgreSQL when DATABASE_URL is set). */
export async function startTestServer(env: Record<string, string | undefined> = {}): Promise<TestServer> {
  const database = await createTestDatabase();
  const config = parseConfig(
    {
      PEAKDESK_SOCKET_MSGS_PER_SECOND: '1000',
      PEAKDESK_RATE_LIMIT_PER_MINUTE: '100000',
      PEAKDESK_WIDGET_SESSIONS_PER_MINUTE: '100000',
      PEAKDESK_WIDGET_SESSIONS_PER_STORE_PER_MINUTE: '100000',
      ...env,
    },
    { port: 0, host: '127.0.0.1', databaseUrl: database.url },
  );
  const server = await startServer(config, { database, logger: pino({ level: 'silent' }) });
  return { ...server, stop: () => server.close() };
}

const PASSWORD = 'test-password-1';

export type Tenant = Awaited<ReturnType<typeof createTenant>>;

/** An organisation with one store, 售前/售后 groups, an admin, a supervisor and agents. */
export async function createTenant(
  server: RunningServer,
  opts: { agents?: number; cap?: number; label?: string } = {},
) {
  const repo = server.services.accounts.repo;
  const label = opts.label ?? randomUUID().slice(0, 8);
  const org = await repo.createOrganization(`测试商家 ${label}`);
  const presale = await repo.createGroup({
    orgId: org.id,
    name: '售前',
    defaultMaxConcurrency: opts.cap ?? 3,
  });
  const aftersale = await repo.createGroup({
    orgId: org.id,
    name: '售后',
    defaultMaxConcurrency: opts.cap ?? 3,
  });
  const store = await repo.createStore({
    orgId: org.id,
    name: `测试旗舰店 ${label}`,
    platform: 'tmall',
    defaultGroupId: presale.id,
    identitySecret: `secret-${label}`,
  });
  const passwordHash = await hashPassword(PASSWORD);
  const mk = (role: 'admin' | 'supervisor' | 'agent', name: string, groups: string[]) =>
    repo.createUser(
      { orgId: org.id, email: `${name}-${label}@test.local`, name, role, passwordHash },
      role === 'admin' ? [] : [store.id],
      groups,
    );
  const admin = await mk('admin', 'admin', []);
  const supervisor = await mk('supervisor', 'supervisor', [presale.id]);
  const agents = [];
  for (let i = 0; i < (opts.agents ?? 2); i++) agents.push(await mk('agent', `agent${i + 1}`, [presale.id]));
  return { org, store, groups: { presale, aftersale }, admin, supervisor, agents, password: PASSWORD };
}

/** Signs in through the real login route; returns the session token usable as cookie or bearer. */
export async function login(server: RunningServer, email: string, password = PASSWORD): Promise<string> {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie') ?? '';
  const token = /pd_session=([^;]+)/.exec(cookie)?.[1];
  if (!token) throw new Error('no session cookie');
  return decodeURIComponent(token);
}

/** JSON request helper: returns status and parsed body. */
export async function api<T = unknown>(
  server: RunningServer,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: Buffer } = {},
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | Buffer | undefined;
  if (opts.raw) body = opts.raw;
  else if (opts.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  }
  const res = await fetch(`${server.url}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* non-JSON bodies (images, html) stay text */
  }
  return { status: res.status, body: parsed as T };
}

/** A widget session for a new visitor (optionally a signed buyer) of the store. */
export async function startVisitor(
  server: RunningServer,
  storeId: string,
  buyer?: { buyerId: string; secret: string },
) {
  const { createHmac } = await import('node:crypto');
  const res = await api<{ visitorToken: string; customerId: string }>(server, 'POST', '/api/widget/session', {
    body: {
      storeId,
      ...(buyer
        ? {
            buyer: {
              buyerId: buyer.buyerId,
              signature: createHmac('sha256', buyer.secret).update(buyer.buyerId).digest('hex'),
            },
          }
        : {}),
    },
  });
  if (res.status !== 200) throw new Error(`widget session failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export function customerClient(server: RunningServer, visitorToken: string): ChatClient {
  return new ChatClient({ url: server.url, auth: { visitorToken } });
}
export function agentClient(server: RunningServer, sessionToken: string): ChatClient {
  return new ChatClient({ url: server.url, auth: { token: sessionToken } });
}

export async function waitFor<T>(
  fn: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('waitFor: timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export { signVisitorToken };

/**
 * A service-level caller for a tenant's user (calls services directly, skipping HTTP). Agents and
 * supervisors see the tenant's store; pass `groupIds` for calls that filter by the caller's groups.
 */
export function userCaller(
  t: Tenant,
  u: { id: string; name: string; role: string },
  groupIds: string[] = [],
): UserCaller {
  return {
    kind: 'user',
    userId: u.id,
    orgId: t.org.id,
    role: u.role === 'admin' ? 'admin' : u.role === 'supervisor' ? 'supervisor' : 'agent',
    name: u.name,
    storeIds: u.role === 'admin' ? null : [t.store.id],
    groupIds,
    via: 'session',
  };
}

/** The fact rows of one conversation, in the order they were written. */
export function factsOf(server: RunningServer, conversationId: string) {
  return queryRows<{ kind: string; data: Record<string, unknown>; agent_id: string | null }>(
    server.db.db,
    sql`SELECT kind, data, agent_id FROM facts WHERE conversation_id = ${conversationId} ORDER BY id`,
  );
}
