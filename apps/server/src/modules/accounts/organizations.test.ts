import type { TErrorBody, TMe, TStore, TUser } from '@peakdesk/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login, startTestServer, type TestServer } from '../../../test/harness.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const owner = { orgName: '小熊旗舰店', name: '店长', email: 'Owner@Bear.example', password: 'bear-secret-1' };

describe('first run: the setup page', () => {
  it('is offered on an empty database, guarded by the token printed at start', async () => {
    expect(server.setupToken).toMatch(/^[\w-]{20,}$/);
    expect((await api(server, 'GET', '/api/setup')).body).toEqual({ isNeeded: true });
    // Every instance prints the same token (the first one stored wins).
    expect(await server.services.organizations.setupToken()).toBe(server.setupToken);
  });

  it('refuses a wrong token and names bad fields, creating nothing', async () => {
    const wrong = await api<TErrorBody>(server, 'POST', '/api/setup', {
      body: { ...owner, token: 'guessed-token' },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body).toMatchObject({ code: 'invalid_setup_token', field: 'token' });

    for (const [field, value, message] of [
      ['email', 'not-an-email', 'must be an email address'],
      ['password', 'short', 'must be at least 8 characters'],
      ['orgName', '  ', 'is empty'],
    ] as const) {
      const res = await api<TErrorBody>(server, 'POST', '/api/setup', {
        body: { ...owner, token: server.setupToken, [field]: value },
      });
      expect(res.status, field).toBe(400);
      expect(res.body.field).toBe(field);
      expect(res.body.message).toContain(message);
    }
    const nul = await api<TErrorBody>(server, 'POST', '/api/setup', {
      body: { ...owner, token: server.setupToken, orgName: 'a\u0000b' },
    });
    expect(nul.status).toBe(400);
    expect((await api(server, 'GET', '/api/setup')).body).toEqual({ isNeeded: true });
    expect(await server.services.accounts.repo.countUsers()).toBe(0);
  });

  it('creates the organisation, a store and the admin, signs them in, and closes for good', async () => {
    const res = await fetch(`${server.url}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...owner, token: server.setupToken }),
    });
    expect(res.status).toBe(201);
    const me = (await res.json()) as TMe;
    expect(me).toMatchObject({
      orgName: owner.orgName,
      user: { role: 'admin', email: 'owner@bear.example' },
    });
    const session = /pd_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
    expect(session).toBeTruthy();
    const stores = await api<TStore[]>(server, 'GET', '/api/stores', { token: decodeURIComponent(session!) });
    expect(stores.body).toHaveLength(1);

    expect((await api(server, 'GET', '/api/setup')).body).toEqual({ isNeeded: false });
    expect(await server.services.organizations.setupToken()).toBeNull();
    const again = await api<TErrorBody>(server, 'POST', '/api/setup', {
      body: { ...owner, email: 'thief@evil.example', token: server.setupToken },
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('already_set_up');
  });
});

describe('further organisations (an agency hosting several merchants)', () => {
  it('creates an isolated organisation whose admin sees nothing of the first', async () => {
    const created = await server.services.organizations.createOrganization(
      { orgName: '海风家居', name: '运营', email: 'ops@haifeng.example', password: 'haifeng-secret' },
      'refuse',
    );
    expect(created.isNewOrganization).toBe(true);
    const first = await login(server, owner.email, owner.password);
    const second = await login(server, 'ops@haifeng.example', 'haifeng-secret');
    const firstStores = (await api<TStore[]>(server, 'GET', '/api/stores', { token: first })).body;
    const secondStores = (await api<TStore[]>(server, 'GET', '/api/stores', { token: second })).body;
    expect(secondStores.map((s) => s.id)).toEqual([created.storeId]);
    expect(secondStores.map((s) => s.id)).not.toContain(firstStores[0]!.id);
    const secondUsers = (await api<TUser[]>(server, 'GET', '/api/users', { token: second })).body;
    expect(secondUsers.map((u) => u.email)).toEqual(['ops@haifeng.example']);
    const audit = (await api<{ action: string }[]>(server, 'GET', '/api/audit', { token: second })).body;
    expect(audit.map((a) => a.action)).toEqual(['organization.create']);
    const patch = await api(server, 'PATCH', `/api/stores/${firstStores[0]!.id}`, {
      token: second,
      body: { name: 'taken over' },
    });
    expect(patch.status).toBe(404);
  });

  it('refuses a taken organisation name or email, naming the field', async () => {
    const orgs = server.services.organizations;
    await expect(
      orgs.createOrganization({ ...owner, email: 'new@bear.example' }, 'refuse'),
    ).rejects.toMatchObject({ kind: 'conflict', field: 'orgName' });
    await expect(orgs.createOrganization({ ...owner, orgName: '第三家' }, 'refuse')).rejects.toMatchObject({
      kind: 'conflict',
      field: 'email',
    });
    // `admin create` adds a second admin to the existing organisation of that name.
    const added = await orgs.createOrganization({ ...owner, email: 'second@bear.example' }, 'add-admin');
    expect(added.isNewOrganization).toBe(false);
    const me = await api<TMe>(server, 'GET', '/api/auth/me', {
      token: await login(server, 'second@bear.example', owner.password),
    });
    expect(me.body.orgName).toBe(owner.orgName);
  });
});
