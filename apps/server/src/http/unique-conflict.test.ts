import type { TErrorBody } from '@peakdesk/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createTenant,
  login,
  startTestServer,
  type Tenant,
  type TestServer,
} from '../../test/harness.ts';

let server: TestServer;
let t: Tenant;
let admin: string;

beforeAll(async () => {
  server = await startTestServer();
  t = await createTenant(server, { agents: 1 });
  admin = await login(server, t.admin.email);
});
afterAll(async () => {
  await server?.stop();
});

const post = (path: string, body: unknown) => api<TErrorBody>(server, 'POST', path, { token: admin, body });

describe('a write that breaks a unique constraint', () => {
  it('answers 409 naming the field, not 500 (a duplicate group name)', async () => {
    const res = await post('/api/groups', { name: '售前' });
    expect({ status: res.status, code: res.body.code, field: res.body.field }).toEqual({
      status: 409,
      code: 'group_name_taken',
      field: 'name',
    });
    const renamed = await api<TErrorBody>(server, 'PATCH', `/api/groups/${t.groups.aftersale.id}`, {
      token: admin,
      body: { name: '售前' },
    });
    expect({ status: renamed.status, field: renamed.body.field }).toEqual({ status: 409, field: 'name' });
  });

  it('answers 409 for a duplicate FAQ id', async () => {
    const faq = { id: 'faq-dup', question: '发什么快递', answer: '顺丰' };
    expect((await post('/api/faqs', faq)).status).toBe(201);
    const res = await post('/api/faqs', faq);
    expect({ status: res.status, field: res.body.field }).toEqual({ status: 409, field: 'id' });
  });

  it('answers 409 email_taken to both of two racing creates of one email, never 500', async () => {
    const body = { email: 'race@test.local', name: '小王', password: 'peakdesk-1234', role: 'agent' };
    const results = await Promise.all([1, 2, 3, 4].map(() => post('/api/users', body)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409]);
    for (const r of results.filter((x) => x.status === 409))
      expect({ code: r.body.code, field: r.body.field }).toEqual({ code: 'email_taken', field: 'email' });
  });
});
