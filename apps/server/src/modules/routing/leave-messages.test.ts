import type { TAuditEntry, TLeaveMessage, TWallSnapshot } from '@peakdesk/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createTenant,
  startTestServer,
  startVisitor,
  type Tenant,
  type TestServer,
} from '../../../test/harness.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const closedAllWeek = { weekly: {}, holidays: [], specialDays: [] };
const token = async (email: string, t: Tenant) =>
  (await server.services.accounts.login(email, t.password)).token;

/** A tenant whose 售前 group is closed with leave-a-message after hours, and a second store. */
async function closedTenant() {
  const t = await createTenant(server, { agents: 1 });
  const admin = await token(t.admin.email, t);
  const res = await api(server, 'PATCH', `/api/routing/groups/${t.groups.presale.id}`, {
    token: admin,
    body: { businessHours: closedAllWeek, afterHoursAction: 'leave_message' },
  });
  expect(res.status).toBe(200);
  const store2 = await server.services.accounts.repo.createStore({
    orgId: t.org.id,
    name: `第二家店 ${t.org.id.slice(0, 4)}`,
    platform: 'jd',
    defaultGroupId: t.groups.presale.id,
    identitySecret: `s2-${t.org.id}`,
  });
  return { t, admin, store2 };
}

/** A customer of the store writes, is offered leave-a-message after hours, and leaves one. */
async function leaveMessage(storeId: string, message: string, contact?: string) {
  const v = await startVisitor(server, storeId);
  const c = await api<{ id: string }>(server, 'POST', '/api/widget/conversations', {
    token: v.visitorToken,
    body: {},
  });
  expect(c.status).toBe(200);
  const left = await api<{ id: string }>(
    server,
    'POST',
    `/api/widget/conversations/${c.body.id}/leave-message`,
    {
      token: v.visitorToken,
      body: { message, ...(contact ? { contact } : {}) },
    },
  );
  expect(left.status).toBe(200);
  return { id: left.body.id, conversationId: c.body.id, customerId: v.customerId };
}

describe('left messages (留言) for supervisors', () => {
  it('lists newest first scoped to the caller’s stores; agents 403; marks handled with an audit entry', async () => {
    const { t, admin, store2 } = await closedTenant();
    const first = await leaveMessage(t.store.id, '<img src=x onerror=alert(1)> 发票开错了', '13800138000');
    const second = await leaveMessage(t.store.id, '什么时候发货？');
    const other = await leaveMessage(store2.id, '第二家店的留言');
    const supervisor = await token(t.supervisor.email, t);
    const agent = await token(t.agents[0]!.email, t);

    // Admin: every store, newest first, with store, customer, text as written, contact, transcript link.
    const all = await api<TLeaveMessage[]>(server, 'GET', '/api/routing/leave-messages', { token: admin });
    expect(all.status).toBe(200);
    expect(all.body.map((l) => l.id)).toEqual([other.id, second.id, first.id]);
    expect(all.body[2]).toMatchObject({
      storeId: t.store.id,
      storeName: t.store.name,
      customerId: first.customerId,
      conversationId: first.conversationId,
      status: 'open',
      reason: 'after_hours',
      message: '<img src=x onerror=alert(1)> 发票开错了',
      contact: '13800138000',
      handledAt: null,
      handledByName: null,
    });
    expect(all.body[2]!.customerName).not.toBe('');
    // Supervisor of the first store only: the second store's message is not theirs.
    const mine = await api<TLeaveMessage[]>(server, 'GET', '/api/routing/leave-messages', {
      token: supervisor,
    });
    expect(mine.body.map((l) => l.id)).toEqual([second.id, first.id]);
    // Agents: 403.
    expect((await api(server, 'GET', '/api/routing/leave-messages', { token: agent })).status).toBe(403);
    expect(
      (
        await api(server, 'PATCH', `/api/routing/leave-messages/${first.id}`, {
          token: agent,
          body: { status: 'handled' },
        })
      ).status,
    ).toBe(403);

    // The wall counts the open ones of the caller's scope: the first store's supervisor 2, the admin 3.
    const wall = await api<TWallSnapshot>(server, 'GET', '/api/routing/wall', { token: supervisor });
    expect(wall.body.openLeaveMessages).toBe(2);
    const adminWall = await api<TWallSnapshot>(server, 'GET', '/api/routing/wall', { token: admin });
    expect(adminWall.body.openLeaveMessages).toBe(3);

    // Mark handled: who and when, audit-logged; the open filter leaves it out.
    const done = await api<TLeaveMessage>(server, 'PATCH', `/api/routing/leave-messages/${first.id}`, {
      token: supervisor,
      body: { status: 'handled' },
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ id: first.id, status: 'handled', handledByName: t.supervisor.name });
    expect(done.body.handledAt).not.toBeNull();
    const open = await api<TLeaveMessage[]>(server, 'GET', '/api/routing/leave-messages?status=open', {
      token: supervisor,
    });
    expect(open.body.map((l) => l.id)).toEqual([second.id]);
    const handled = await api<TLeaveMessage[]>(server, 'GET', '/api/routing/leave-messages?status=handled', {
      token: admin,
    });
    expect(handled.body.map((l) => l.id)).toEqual([first.id]);
    expect(
      (await api<TWallSnapshot>(server, 'GET', '/api/routing/wall', { token: admin })).body.openLeaveMessages,
    ).toBe(2);
    const audit = await api<TAuditEntry[]>(server, 'GET', '/api/audit', { token: admin });
    expect(audit.body.find((a) => a.action === 'routing.leave_message.update')).toMatchObject({
      targetId: first.id,
      actorId: t.supervisor.id,
    });
    // Reopen works too (a mistaken click).
    const again = await api<TLeaveMessage>(server, 'PATCH', `/api/routing/leave-messages/${first.id}`, {
      token: admin,
      body: { status: 'open' },
    });
    expect(again.body).toMatchObject({ status: 'open', handledAt: null, handledByName: null });

    // The supervisor cannot touch the other store's message: 404, not 403.
    expect(
      (
        await api(server, 'PATCH', `/api/routing/leave-messages/${other.id}`, {
          token: supervisor,
          body: { status: 'handled' },
        })
      ).status,
    ).toBe(404);
  });

  it('other tenants get 404; bad input is 400 naming the field', async () => {
    const a = await closedTenant();
    const b = await closedTenant();
    const left = await leaveMessage(a.t.store.id, '退款什么时候到账');
    const patch = (id: string, body: unknown, tok = b.admin) =>
      api<{ field?: string; code: string }>(server, 'PATCH', `/api/routing/leave-messages/${id}`, {
        token: tok,
        body,
      });
    expect((await patch(left.id, { status: 'handled' })).status).toBe(404);
    expect((await patch('00000000-0000-4000-8000-000000000000', { status: 'handled' })).status).toBe(404);
    expect(
      (await api<TLeaveMessage[]>(server, 'GET', '/api/routing/leave-messages', { token: b.admin })).body,
    ).toEqual([]);
    for (const body of [{}, { status: 'done' }, { status: 1 }]) {
      const res = await patch(left.id, body, a.admin);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.field).toBe('status');
    }
    const badQuery = await api<{ field?: string }>(
      server,
      'GET',
      '/api/routing/leave-messages?status=closed',
      {
        token: a.admin,
      },
    );
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.field).toBe('status');
    const badId = await patch('nope', { status: 'handled' }, a.admin);
    expect(badId.status).toBe(400);
    expect(badId.body.field).toBe('id');
    // Nothing changed.
    const [row] = (
      await api<TLeaveMessage[]>(server, 'GET', '/api/routing/leave-messages', { token: a.admin })
    ).body;
    expect(row).toMatchObject({ id: left.id, status: 'open' });
  });
});
