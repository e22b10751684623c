import { randomUUID } from 'node:crypto';

/** Seeds and drives a running server through its public HTTP API only (no in-process access). */
export const DEMO_ADMIN = { email: 'admin@demo.peakdesk.local', password: 'peakdesk-demo' };

export async function call<T>(
  baseUrl: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown } = {},
): Promise<T> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

export async function login(baseUrl: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
  const token = /pd_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  if (!token) throw new Error('login: no session cookie');
  return decodeURIComponent(token);
}

export type LoadAgent = { id: string; email: string; name: string; token: string };
export type LoadTenant = { storeId: string; groupId: string; adminToken: string; agents: LoadAgent[] };

/**
 * On a server started with --demo: a fresh store whose default group has `agents` members with the
 * given cap (agents start offline; call setStatus to put them online).
 */
export async function seedLoadTenant(
  baseUrl: string,
  opts: { agents: number; cap: number },
): Promise<LoadTenant> {
  const adminToken = await login(baseUrl, DEMO_ADMIN.email, DEMO_ADMIN.password);
  const label = randomUUID().slice(0, 8);
  const group = await call<{ id: string }>(baseUrl, 'POST', '/api/groups', {
    token: adminToken,
    body: { name: `压测组-${label}`, defaultMaxConcurrency: opts.cap },
  });
  const store = await call<{ id: string }>(baseUrl, 'POST', '/api/stores', {
    token: adminToken,
    body: { name: `压测旗舰店-${label}`, platform: 'tmall', defaultGroupId: group.id },
  });
  const agents: LoadAgent[] = [];
  for (let i = 0; i < opts.agents; i++) {
    const email = `load-agent${i + 1}-${label}@bench.local`;
    const password = `bench-password-${label}`;
    const u = await call<{ id: string; name: string }>(baseUrl, 'POST', '/api/users', {
      token: adminToken,
      body: {
        email,
        name: `压测客服${i + 1}`,
        role: 'agent',
        password,
        maxConcurrency: opts.cap,
        storeIds: [store.id],
        groupIds: [group.id],
      },
    });
    agents.push({ id: u.id, email, name: u.name, token: await login(baseUrl, email, password) });
  }
  return { storeId: store.id, groupId: group.id, adminToken, agents };
}

export async function setStatus(
  baseUrl: string,
  token: string,
  status: 'online' | 'paused' | 'offline',
): Promise<void> {
  await call(baseUrl, 'PUT', '/api/me/status', { token, body: { status } });
}

export async function startVisitor(
  baseUrl: string,
  storeId: string,
): Promise<{ visitorToken: string; customerId: string }> {
  return call(baseUrl, 'POST', '/api/widget/session', { body: { storeId } });
}
