import { createHmac } from 'node:crypto';
import type { TAuditEntry, TErrorBody, TMe, TSessionState, TUser } from '@peakdesk/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createTenant,
  login,
  startTestServer,
  type Tenant,
  type TestServer,
} from '../../../test/harness.ts';

let server: TestServer;
let t: Tenant;
let adminToken: string;
let supervisorToken: string;
let agentToken: string;

beforeAll(async () => {
  // Behind a proxy on loopback (X-Forwarded-* believed), four failed sign-ins lock an account.
  server = await startTestServer({ PEAKDESK_TRUST_PROXY: '127.0.0.1', PEAKDESK_LOGIN_MAX_FAILURES: '4' });
  t = await createTenant(server, { agents: 2 });
  [adminToken, supervisorToken, agentToken] = await Promise.all([
    login(server, t.admin.email),
    login(server, t.supervisor.email),
    login(server, t.agents[0]!.email),
  ]);
});
afterAll(async () => {
  await server?.stop();
});

const postLogin = (email: string, password: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ email, password }),
  });

describe('login and sessions', () => {
  it('signs in with the right password and sets an HTTP-only session cookie', async () => {
    const res = await postLogin(t.agents[1]!.email, t.password);
    expect(res.status).toBe(200);
    const me = (await res.json()) as TMe;
    expect(me.user.email).toBe(t.agents[1]!.email);
    expect(me.user.role).toBe('agent');
    expect(me.orgName).toBe(t.org.name);
    expect(JSON.stringify(me)).not.toContain('passwordHash');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^pd_session=pds_[^;]+;/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).toMatch(/Max-Age=604800/);
    // Plain HTTP: the cookie cannot be Secure or the browser would drop it.
    expect(cookie).not.toMatch(/Secure/i);
  });

  it('marks the cookie Secure behind an HTTPS proxy', async () => {
    const res = await postLogin(t.agents[1]!.email, t.password, { 'x-forwarded-proto': 'https' });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie') ?? '').toMatch(/;\s*Secure/i);
  });

  it('answers wrong password and unknown user with the same 401', async () => {
    const wrong = await postLogin(t.agents[0]!.email, 'not-the-password');
    const unknown = await postLogin('nobody@test.local', t.password);
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const [a, b] = (await Promise.all([wrong.json(), unknown.json()])) as [TErrorBody, TErrorBody];
    expect(a).toEqual(b);
    expect(a.code).toBe('invalid_credentials');
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });

  it('treats the email case-insensitively', async () => {
    const res = await postLogin(t.supervisor.email.toUpperCase(), t.password);
    expect(res.status).toBe(200);
  });

  it('GET /api/auth/me works with the cookie and with the bearer session, and 401 without', async () => {
    const viaCookie = await api<TMe>(server, 'GET', '/api/auth/me', {
      headers: { cookie: `pd_session=${encodeURIComponent(adminToken)}` },
    });
    expect(viaCookie.status).toBe(200);
    expect(viaCookie.body.user.id).toBe(t.admin.id);
    const viaBearer = await api<TMe>(server, 'GET', '/api/auth/me', { token: agentToken });
    expect(viaBearer.body.user.id).toBe(t.agents[0]!.id);
    expect(viaBearer.body.user.storeIds).toEqual([t.store.id]);
    const anonymous = await api<TErrorBody>(server, 'GET', '/api/auth/me');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('unauthenticated');
    const garbage = await api(server, 'GET', '/api/auth/me', { token: 'pds_not-a-session' });
    expect(garbage.status).toBe(401);
  });

  it('GET /api/auth/session answers 200 whether or not anyone is signed in', async () => {
    const anonymous = await api<TSessionState>(server, 'GET', '/api/auth/session');
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toEqual({ authenticated: false });
    const garbage = await api<TSessionState>(server, 'GET', '/api/auth/session', {
      headers: { cookie: 'pd_session=pds_not-a-session' },
    });
    expect(garbage.status).toBe(200);
    expect(garbage.body).toEqual({ authenticated: false });
    const signedIn = await api<TSessionState>(server, 'GET', '/api/auth/session', {
      headers: { cookie: `pd_session=${encodeURIComponent(adminToken)}` },
    });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.authenticated).toBe(true);
    if (signedIn.body.authenticated) {
      expect(signedIn.body.me.user.id).toBe(t.admin.id);
      expect(signedIn.body.me.orgName).toBe(t.org.name);
    }
    // A signed-out session is no longer signed in, and says so without an error.
    const token = await login(server, t.agents[1]!.email);
    await fetch(`${server.url}/api/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    const after = await api<TSessionState>(server, 'GET', '/api/auth/session', { token });
    expect(after.status).toBe(200);
    expect(after.body).toEqual({ authenticated: false });
  });

  it('logout ends the session and clears the cookie', async () => {
    const token = await login(server, t.agents[1]!.email);
    expect((await api(server, 'GET', '/api/auth/me', { token })).status).toBe(200);
    const res = await fetch(`${server.url}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie: `pd_session=${encodeURIComponent(token)}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie') ?? '').toMatch(/pd_session=;/);
    expect((await api(server, 'GET', '/api/auth/me', { token })).status).toBe(401);
  });

  it('password change: wrong current password names the field; success ends other sessions', async () => {
    const email = t.agents[1]!.email;
    const first = await login(server, email);
    const second = await login(server, email);

    const wrong = await api<TErrorBody>(server, 'POST', '/api/auth/password', {
      token: first,
      body: { currentPassword: 'nope-nope-nope', newPassword: 'brand-new-pass-1' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.field).toBe('currentPassword');
    expect(wrong.body.message).toContain('currentPassword');

    const short = await api<TErrorBody>(server, 'POST', '/api/auth/password', {
      token: first,
      body: { currentPassword: t.password, newPassword: 'short' },
    });
    expect(short.status).toBe(400);
    expect(short.body.field).toBe('newPassword');

    const ok = await api(server, 'POST', '/api/auth/password', {
      token: first,
      body: { currentPassword: t.password, newPassword: 'brand-new-pass-1' },
    });
    expect(ok.status).toBe(200);
    // The session that changed the password stays; every other one ends.
    expect((await api(server, 'GET', '/api/auth/me', { token: first })).status).toBe(200);
    expect((await api(server, 'GET', '/api/auth/me', { token: second })).status).toBe(401);
    expect((await postLogin(email, t.password)).status).toBe(401);
    const fresh = await login(server, email, 'brand-new-pass-1');
    expect((await api(server, 'GET', '/api/auth/me', { token: fresh })).status).toBe(200);
  });
});

describe('login throttling', () => {
  const from = (ip: string) => ({ 'x-forwarded-for': ip });

  it('locks an account after repeated failures however the email is spelled or the address changes', async () => {
    const u = await api<TUser>(server, 'POST', '/api/users', {
      token: adminToken,
      body: { email: 'throttled@test.local', name: '被猜密码', role: 'agent', password: 'right-password-1' },
    });
    expect(u.status).toBe(201);
    const spellings = [
      'throttled@test.local',
      ' THROTTLED@test.local',
      'Throttled@Test.Local ',
      'throttled@TEST.local',
    ];
    for (const [i, email] of spellings.entries())
      expect((await postLogin(email, `guess-${i}`, from(`198.51.100.${i + 1}`))).status).toBe(401);
    // Locked now, even with the right password from yet another address; the reply says when to retry.
    const locked = await postLogin('throttled@test.local', 'right-password-1', from('198.51.100.99'));
    expect(locked.status).toBe(429);
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    const body = (await locked.json()) as TErrorBody;
    expect(body.code).toBe('too_many_failed_logins');
    expect(body.message).toMatch(new RegExp(`for this account; retry in ${retryAfter} s`));
    // Other accounts are not affected.
    expect((await postLogin(t.admin.email, t.password, from('198.51.100.99'))).status).toBe(200);
  });

  it('limits one address guessing many accounts, and a success clears the account count', async () => {
    // 5 × 4 failures from one address over different (unknown) accounts lock the address.
    for (let i = 0; i < 20; i++)
      expect((await postLogin(`nobody${i}@test.local`, 'x', from('203.0.113.5'))).status).toBe(401);
    const locked = await postLogin(t.supervisor.email, t.password, from('203.0.113.5'));
    expect(locked.status).toBe(429);
    expect(((await locked.json()) as TErrorBody).message).toMatch(/from this address; retry in \d+ s/);
    expect((await postLogin(t.supervisor.email, t.password, from('203.0.113.6'))).status).toBe(200);

    // Three failures, a success, three more: the account is never locked.
    const email = 'forgetful@test.local';
    const password = 'forgetful-pass-1';
    await api(server, 'POST', '/api/users', {
      token: adminToken,
      body: { email, name: '健忘客服', role: 'agent', password },
    });
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 3; i++)
        expect((await postLogin(email, 'wrong', from(`192.0.2.${round * 10 + i}`))).status).toBe(401);
      expect((await postLogin(email, password, from('192.0.2.100'))).status).toBe(200);
    }
  });

  it('believes X-Forwarded-For only from a configured proxy', async () => {
    const direct = await startTestServer({ PEAKDESK_LOGIN_MAX_FAILURES: '1' });
    try {
      const d = await createTenant(direct, { agents: 1 });
      // One address, five failures over five accounts, each claiming another address: the claims are
      // ignored, so the address (127.0.0.1) is locked.
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`${direct.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.18.0.${i}` },
          body: JSON.stringify({ email: `ghost${i}@test.local`, password: 'x' }),
        });
        expect(res.status).toBe(401);
      }
      const res = await fetch(`${direct.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.18.1.1' },
        body: JSON.stringify({ email: d.agents[0]!.email, password: d.password }),
      });
      expect(res.status).toBe(429);
    } finally {
      await direct.stop();
    }
  });
});

describe('agent status', () => {
  it('switches online → paused → offline and rejects unknown states', async () => {
    for (const status of ['online', 'paused', 'offline'] as const) {
      const res = await api<TUser>(server, 'PUT', '/api/me/status', { token: agentToken, body: { status } });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe(status);
      const me = await api<TMe>(server, 'GET', '/api/auth/me', { token: agentToken });
      expect(me.body.user.status).toBe(status);
    }
    const bad = await api<TErrorBody>(server, 'PUT', '/api/me/status', {
      token: agentToken,
      body: { status: 'busy-ish' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('status');
  });
});

describe('roles', () => {
  it('agents cannot manage users, stores, groups, tokens or read the audit log', async () => {
    const attempts: [string, string, unknown][] = [
      ['POST', '/api/users', { email: 'x@test.local', name: 'x', role: 'agent', password: 'long-enough-1' }],
      ['PATCH', `/api/users/${t.agents[1]!.id}`, { name: 'renamed' }],
      ['POST', '/api/stores', { name: '新店', platform: 'jd' }],
      ['PATCH', `/api/stores/${t.store.id}`, { name: 'renamed' }],
      ['POST', '/api/groups', { name: '新组' }],
      ['PATCH', `/api/groups/${t.groups.presale.id}`, { name: 'renamed' }],
      ['POST', '/api/tokens', { name: 'erp' }],
      ['GET', '/api/tokens', undefined],
      ['GET', '/api/users', undefined],
      ['GET', '/api/audit', undefined],
    ];
    for (const [method, path, body] of attempts) {
      const res = await api<TErrorBody>(server, method, path, { token: agentToken, body });
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 403 });
      expect(res.body.code).toBe('forbidden');
    }
    // Nothing changed.
    const stores = await api<{ name: string }[]>(server, 'GET', '/api/stores', { token: adminToken });
    expect(stores.body.map((s) => s.name)).toEqual([t.store.name]);
  });

  it('supervisors list users but cannot create them or manage tokens', async () => {
    const list = await api<TUser[]>(server, 'GET', '/api/users', { token: supervisorToken });
    expect(list.status).toBe(200);
    expect(list.body.map((u) => u.id)).toContain(t.agents[0]!.id);
    expect(JSON.stringify(list.body)).not.toMatch(/password/i);
    const create = await api(server, 'POST', '/api/users', {
      token: supervisorToken,
      body: { email: 'sup-made@test.local', name: 'x', role: 'agent', password: 'long-enough-1' },
    });
    expect(create.status).toBe(403);
    expect(
      (await api(server, 'POST', '/api/tokens', { token: supervisorToken, body: { name: 'x' } })).status,
    ).toBe(403);
    // Supervisors see stores but never the identity secret.
    const stores = await api<Record<string, unknown>[]>(server, 'GET', '/api/stores', {
      token: supervisorToken,
    });
    expect(stores.status).toBe(200);
    expect(stores.body[0]).not.toHaveProperty('identitySecret');
  });
});

describe('admin management and validation', () => {
  it('creates a user who can then sign in; the password never appears in responses or the audit log', async () => {
    const password = 'S3cret-Pa55word!';
    const res = await api<TUser>(server, 'POST', '/api/users', {
      token: adminToken,
      body: {
        email: 'New.Agent@Test.Local',
        name: '新客服',
        role: 'agent',
        password,
        maxConcurrency: 4,
        storeIds: [t.store.id],
        groupIds: [t.groups.aftersale.id],
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.email).toBe('new.agent@test.local');
    expect(res.body.storeIds).toEqual([t.store.id]);
    expect(res.body.groupIds).toEqual([t.groups.aftersale.id]);
    expect(res.body.maxConcurrency).toBe(4);
    expect(JSON.stringify(res.body)).not.toContain(password);

    const token = await login(server, 'new.agent@test.local', password);
    const me = await api<TMe>(server, 'GET', '/api/auth/me', { token });
    expect(me.body.user.name).toBe('新客服');

    const dup = await api<TErrorBody>(server, 'POST', '/api/users', {
      token: adminToken,
      body: { email: 'new.agent@test.local', name: 'again', role: 'agent', password },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.field).toBe('email');

    const audit = await api<TAuditEntry[]>(server, 'GET', '/api/audit', { token: adminToken });
    const entry = audit.body.find((a) => a.action === 'user.create' && a.targetId === res.body.id);
    expect(entry?.actorId).toBe(t.admin.id);
    expect(JSON.stringify(audit.body)).not.toContain(password);
    expect(JSON.stringify(audit.body)).not.toMatch(/passwordHash|argon2/);
  });

  it('an org-wide admin lists every member, also one not yet given a store', async () => {
    const res = await api<TUser>(server, 'POST', '/api/users', {
      token: adminToken,
      body: { email: 'nostore@test.local', name: '待分配', role: 'agent', password: 'S3cret-Pa55word!' },
    });
    expect(res.status).toBe(201);
    expect(res.body.storeIds).toEqual([]);
    const list = await api<TUser[]>(server, 'GET', '/api/users', { token: adminToken });
    expect(list.body.map((u) => u.email)).toContain('nostore@test.local');
  });

  it('names the field in validation errors', async () => {
    const cases: [unknown, string][] = [
      [{ email: 'not-an-email', name: 'x', role: 'agent', password: 'long-enough-1' }, 'email'],
      [{ email: 'short-pw@test.local', name: 'x', role: 'agent', password: 'short' }, 'password'],
      [{ email: 'role@test.local', name: 'x', role: 'owner', password: 'long-enough-1' }, 'role'],
      [{ email: 'name@test.local', name: '   ', role: 'agent', password: 'long-enough-1' }, 'name'],
      [
        {
          email: 'store@test.local',
          name: 'x',
          role: 'agent',
          password: 'long-enough-1',
          storeIds: ['00000000-0000-4000-8000-000000000000'],
        },
        'storeIds',
      ],
      [
        {
          email: 'group@test.local',
          name: 'x',
          role: 'agent',
          password: 'long-enough-1',
          groupIds: ['00000000-0000-4000-8000-000000000000'],
        },
        'groupIds',
      ],
    ];
    for (const [body, field] of cases) {
      const res = await api<TErrorBody>(server, 'POST', '/api/users', { token: adminToken, body });
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(res.body.code).toBe('invalid_input');
      expect(res.body.field?.split('.')[0]).toBe(field);
      expect(res.body.message).toContain(field);
    }
    const store = await api<TErrorBody>(server, 'POST', '/api/stores', {
      token: adminToken,
      body: { name: 'x', platform: 'amazon' },
    });
    expect(store.status).toBe(400);
    expect(store.body.field).toBe('platform');
    const group = await api<TErrorBody>(server, 'POST', '/api/groups', {
      token: adminToken,
      body: { name: '售前' },
    });
    expect(group.status).toBe(409);
    expect(group.body.field).toBe('name');
  });

  it('stores and groups: create, update, audit; identity secret only for admins', async () => {
    const group = await api<{ id: string; name: string }>(server, 'POST', '/api/groups', {
      token: adminToken,
      body: { name: '大促应急组', defaultMaxConcurrency: 8 },
    });
    expect(group.status).toBe(201);
    const store = await api<{ id: string; identitySecret: string; defaultGroupId: string }>(
      server,
      'POST',
      '/api/stores',
      { token: adminToken, body: { name: '京东自营店', platform: 'jd', defaultGroupId: group.body.id } },
    );
    expect(store.status).toBe(201);
    expect(store.body.identitySecret).toMatch(/^[0-9a-f]{48}$/);
    expect(store.body.defaultGroupId).toBe(group.body.id);
    const patched = await api<{ name: string }>(server, 'PATCH', `/api/stores/${store.body.id}`, {
      token: adminToken,
      body: { greeting: '欢迎光临' },
    });
    expect(patched.status).toBe(200);
    const renamed = await api<{ name: string }>(server, 'PATCH', `/api/groups/${group.body.id}`, {
      token: adminToken,
      body: { name: '大促应急二组' },
    });
    expect(renamed.body.name).toBe('大促应急二组');

    const audit = await api<TAuditEntry[]>(server, 'GET', '/api/audit', { token: adminToken });
    const actions = audit.body.map((a) => `${a.action}:${a.targetId}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        `group.create:${group.body.id}`,
        `store.create:${store.body.id}`,
        `store.update:${store.body.id}`,
        `group.update:${group.body.id}`,
      ]),
    );
    expect(JSON.stringify(audit.body)).not.toContain(store.body.identitySecret);
  });

  it('rotating a store identity secret: admins only, old buyer signatures stop verifying, audited without it', async () => {
    const store = t.store;
    const sign = (secret: string) => createHmac('sha256', secret).update('buyer-7').digest('hex');
    const session = (signature: string) =>
      api<TErrorBody>(server, 'POST', '/api/widget/session', {
        body: { storeId: store.id, buyer: { buyerId: 'buyer-7', signature } },
      });
    expect((await session(sign(store.identitySecret))).status).toBe(200);
    const refused = await api(server, 'POST', `/api/stores/${store.id}/rotate-secret`, {
      token: supervisorToken,
    });
    expect(refused.status).toBe(403);

    const rotated = await api<{ identitySecret: string }>(
      server,
      'POST',
      `/api/stores/${store.id}/rotate-secret`,
      {
        token: adminToken,
      },
    );
    expect(rotated.status).toBe(200);
    expect(rotated.body.identitySecret).toMatch(/^[0-9a-f]{48}$/);
    expect(rotated.body.identitySecret).not.toBe(store.identitySecret);
    expect((await session(sign(store.identitySecret))).body.code).toBe('invalid_buyer_signature');
    expect((await session(sign(rotated.body.identitySecret))).status).toBe(200);

    const audit = await api<TAuditEntry[]>(server, 'GET', '/api/audit', { token: adminToken });
    expect(audit.body.find((a) => a.action === 'store.rotate_secret')).toMatchObject({ targetId: store.id });
    expect(JSON.stringify(audit.body)).not.toContain(rotated.body.identitySecret);
  });

  it('API tokens: shown once, work as bearer, revoked tokens are refused, all audited', async () => {
    const created = await api<{ id: string; token: string; name: string }>(server, 'POST', '/api/tokens', {
      token: adminToken,
      body: { name: 'ERP 同步' },
    });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^pdk_/);

    const list = await api<Record<string, unknown>[]>(server, 'GET', '/api/tokens', { token: adminToken });
    const listed = list.body.find((x) => x.id === created.body.id);
    expect(listed).toBeDefined();
    expect(listed).not.toHaveProperty('token');
    expect(JSON.stringify(list.body)).not.toContain(created.body.token);

    const me = await api<TMe>(server, 'GET', '/api/auth/me', { token: created.body.token });
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(t.admin.id);
    const used = await api<{ id: string; lastUsedAt: string | null }[]>(server, 'GET', '/api/tokens', {
      token: adminToken,
    });
    expect(used.body.find((x) => x.id === created.body.id)?.lastUsedAt).not.toBeNull();

    expect(
      (await api(server, 'DELETE', `/api/tokens/${created.body.id}`, { token: adminToken })).status,
    ).toBe(200);
    expect((await api(server, 'GET', '/api/auth/me', { token: created.body.token })).status).toBe(401);
    // Revoking twice: the token is already gone.
    expect(
      (await api(server, 'DELETE', `/api/tokens/${created.body.id}`, { token: adminToken })).status,
    ).toBe(404);

    const audit = await api<TAuditEntry[]>(server, 'GET', '/api/audit', { token: adminToken });
    const actions = audit.body.map((a) => `${a.action}:${a.targetId}`);
    expect(actions).toContain(`token.create:${created.body.id}`);
    expect(actions).toContain(`token.revoke:${created.body.id}`);
    expect(JSON.stringify(audit.body)).not.toContain(created.body.token);
  });

  it('a disabled user can no longer use an existing session', async () => {
    const password = 'disable-me-please';
    const u = await api<TUser>(server, 'POST', '/api/users', {
      token: adminToken,
      body: { email: 'to-disable@test.local', name: '离职客服', role: 'agent', password },
    });
    const token = await login(server, 'to-disable@test.local', password);
    const patched = await api<TUser>(server, 'PATCH', `/api/users/${u.body.id}`, {
      token: adminToken,
      body: { disabled: true },
    });
    expect(patched.body.disabled).toBe(true);
    expect((await api(server, 'GET', '/api/auth/me', { token })).status).toBe(401);
    expect((await postLogin('to-disable@test.local', password)).status).toBe(401);
    const audit = await api<TAuditEntry[]>(server, 'GET', '/api/audit', { token: adminToken });
    expect(audit.body.some((a) => a.action === 'user.update' && a.targetId === u.body.id)).toBe(true);
  });
});
