import type { TConversation, TGroupRouting, TQueuePosition } from '@peakdesk/contracts';
import { queryRows, sql } from '@peakdesk/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createTenant,
  customerClient,
  factsOf,
  signVisitorToken,
  startTestServer,
  startVisitor,
  type Tenant,
  type TestServer,
  userCaller,
  waitFor,
} from '../../../test/harness.ts';
import type { CustomerCaller } from '../../http/caller.ts';
import { orgScope } from '../../http/scope.ts';
import { JOB } from './routing-context.ts';

let server: TestServer;
beforeAll(async () => {
  // Timers are run by the test (runDue), so the release happens exactly when the refresh is fired.
  server = await startTestServer({ PEAKDESK_TIMER_POLL_MS: '60000', PEAKDESK_AGENT_GRACE_SECONDS: '3600' });
});
afterAll(async () => {
  await server?.stop();
});

const db = () => server.db.db;
const conv = (id: string): Promise<TConversation> => server.services.chat.conversationDto(id);
const facts = (conversationId: string) => factsOf(server, conversationId);
async function settings(t: Tenant, patch: Partial<TGroupRouting>) {
  return server.services.routing.updateGroupSettings(userCaller(t, t.admin), t.groups.presale.id, patch);
}
/** The periodic queue refresh (a singleton job), made due now and run. */
async function refresh() {
  await server.services.jobs.schedule(JOB.queueRefresh, {
    key: JOB.queueRefresh.id,
    runAt: new Date(0),
    payload: {},
  });
  await server.services.jobs.runDue();
}
const OPENED = '客服已上班，正在为您安排客服，请稍候～';

describe('after-hours hold released when the group opens', () => {
  it('held chats join the queue in order when the group opens; left messages and abandoned ones do not', async () => {
    const t = await createTenant(server, { agents: 1, cap: 1 });
    const agent = t.agents[0]!;
    const nine = [{ start: '09:00', end: '18:00' }];
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    // Closed today (a holiday) with leave-a-message after hours; the agent online is not used.
    await settings(t, {
      businessHours: {
        weekly: { '1': nine, '2': nine, '3': nine, '4': nine, '5': nine },
        holidays: [today],
        specialDays: [],
      },
      afterHoursAction: 'leave_message',
      maxWaitSeconds: 600,
    });
    await server.services.accounts.setStatus(userCaller(t, agent), 'online');

    const customers: { v: CustomerCaller; token: string; id: string }[] = [];
    for (const text of ['明天能发货吗？', '在吗', '想改地址', '发票问题']) {
      const s = await startVisitor(server, t.store.id);
      const v: CustomerCaller = {
        kind: 'customer',
        customerId: s.customerId,
        storeId: t.store.id,
        orgId: t.org.id,
      };
      const c = await server.services.chat.openConversation(v, 'store_page', text);
      customers.push({
        v,
        token: signVisitorToken(server.services.secret, v.customerId, t.store.id),
        id: c.id,
      });
    }
    const [a, b, left, gone] = customers as [
      (typeof customers)[0],
      (typeof customers)[0],
      (typeof customers)[0],
      (typeof customers)[0],
    ];
    for (const c of customers) expect((await conv(c.id)).status).toBe('queued');
    // One leaves a message, one leaves the page.
    const lm = await api(server, 'POST', `/api/widget/conversations/${left.id}/leave-message`, {
      token: left.token,
      body: { message: '上班后回电话', contact: '13800138000' },
    });
    expect(lm.status).toBe(200);
    const bye = await api(server, 'POST', `/api/widget/conversations/${gone.id}/leave`, {
      token: gone.token,
    });
    expect(bye.status).toBe(200);

    const marker = async (id: string) =>
      (
        await queryRows<{ leave_message_offer: string | null }>(
          db(),
          sql`SELECT leave_message_offer FROM conversations WHERE id = ${id}`,
        )
      )[0]!.leave_message_offer;
    const history = async (c: (typeof customers)[0]) =>
      (await server.services.chat.history(c.v, c.id, { limit: 50 })).messages.map((m) => m.body);
    const queueOf = (c: (typeof customers)[0]) =>
      api<TQueuePosition>(server, 'GET', `/api/widget/conversations/${c.id}/queue`, { token: c.token });

    // Still closed: the refresh releases nobody.
    await refresh();
    expect(await marker(a.id)).toBe('after_hours');
    expect((await queueOf(b)).body).toMatchObject({
      position: 0,
      afterHours: { serviceHours: expect.any(String) },
    });

    // B watches live, as the widget does.
    const live = customerClient(server, b.token);
    const pushed: TQueuePosition[] = [];
    live.socket.on('queue:position', (p) => pushed.push(p));
    await waitFor(() => live.connected);
    await live.watch(b.id, (await conv(b.id)).lastSeq);

    // The group opens (today becomes a special day open all day); the next refresh releases.
    await settings(t, {
      businessHours: {
        weekly: { '1': nine, '2': nine, '3': nine, '4': nine, '5': nine },
        holidays: [today],
        specialDays: [{ date: today, periods: [{ start: '00:00', end: '24:00' }] }],
      },
    });
    const openedAt = Date.now();
    await refresh();

    // A (first in the original order) goes to the online agent; B waits first in the queue.
    const ca = await conv(a.id);
    expect(ca).toMatchObject({ status: 'assigned', assigneeId: agent.id });
    expect(await marker(a.id)).toBeNull();
    expect(await marker(b.id)).toBeNull();
    expect((await conv(b.id)).status).toBe('queued');
    const place = (await queueOf(b)).body;
    expect(place).toMatchObject({
      position: 1,
      queueLength: 1,
      leaveMessageOffered: false,
      afterHours: null,
    });
    await waitFor(() =>
      pushed.some((p) => p.conversationId === b.id && p.afterHours === null && p.position === 1),
    );
    live.close();
    await waitFor(async () => (await history(b)).includes(OPENED));
    await waitFor(async () => (await history(a)).includes(OPENED));

    // Facts: queued again with reason opened; the wait counts from the opening, not the night.
    for (const c of [a, b]) {
      const queued = (await facts(c.id)).filter((f) => f.kind === 'conversation.queued');
      expect(queued.map((f) => f.data.reason ?? null)).toEqual([null, 'opened']);
      expect(queued[1]!.data).toMatchObject({ afterHours: false, outcome: 'queue', lane: 'normal' });
    }
    const assigned = (await facts(a.id)).find((f) => f.kind === 'conversation.assigned');
    expect(assigned?.agent_id).toBe(agent.id);
    expect(Number(assigned?.data.waitedSeconds)).toBeLessThan(5);
    const [row] = await queryRows<{ queued_at: Date | string }>(
      db(),
      sql`SELECT queued_at FROM conversations WHERE id = ${b.id}`,
    );
    expect(new Date(row!.queued_at).getTime()).toBeGreaterThanOrEqual(openedAt - 1000);
    // Normal routing from now on: B has a max-wait timer; the wall counts B in the queue.
    expect(await server.services.jobs.get(`routing.max_wait:${b.id}`)).toBeTruthy();
    const wall = await server.services.routing.wall(orgScope(t.org.id));
    expect(wall.groups.find((g) => g.groupId === t.groups.presale.id)).toMatchObject({
      isOpen: true,
      queueLength: 1,
      afterHoursOffers: 0,
    });

    // The customer who left a message and the one who left are not queued again.
    for (const c of [left, gone]) {
      expect((await conv(c.id)).status).toBe('closed');
      expect((await facts(c.id)).filter((f) => f.kind === 'conversation.queued')).toHaveLength(1);
      expect(await history(c)).not.toContain(OPENED);
    }

    // A second refresh changes nothing (idempotent).
    await refresh();
    expect((await facts(b.id)).filter((f) => f.data.reason === 'opened')).toHaveLength(1);
    expect((await history(b)).filter((m) => m === OPENED)).toHaveLength(1);
  });
});
