import type { TGroupRouting, THistoryPage, TLeaveMessage, TRoutingRule, TStore } from '@peakdesk/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login, startTestServer, startVisitor, type TestServer } from '../../test/harness.ts';
import { DEMO_PASSWORD, demoOrg } from './demo-data.ts';
import { seedDemo } from './seed-demo.ts';

let server: TestServer;
let admin: string;
let firstSecrets: string[] = [];
const storeSecrets = async () =>
  (
    await server.services.accounts.repo.listStores(
      (await server.services.accounts.repo.findUserByEmail(demoOrg.users[0]!.email))!.orgId,
    )
  ).map((s) => s.identitySecret);
beforeAll(async () => {
  server = await startTestServer();
  await seedDemo(server.services, server.db.db);
  firstSecrets = await storeSecrets();
  // A second start of the demo seeds nothing twice.
  await seedDemo(server.services, server.db.db);
  admin = await login(server, demoOrg.users[0]!.email, DEMO_PASSWORD);
  // The demo seed imports the FAQ and builds its index: slow on a busy machine.
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

describe('the demo stores’ identity secrets', () => {
  it('are random, one per store, and kept across restarts (the seed runs again)', async () => {
    expect(firstSecrets).toHaveLength(2);
    for (const secret of firstSecrets) expect(secret).toMatch(/^[0-9a-f]{48}$/);
    expect(new Set(firstSecrets).size).toBe(2);
    expect(await storeSecrets()).toEqual(firstSecrets);
    // The admin sees the stored secret, and a buyer signed with it is accepted.
    const stores = await api<(TStore & { identitySecret: string })[]>(server, 'GET', '/api/stores', {
      token: admin,
    });
    expect(stores.body.map((s) => s.identitySecret).sort()).toEqual([...firstSecrets].sort());
    const session = await startVisitor(server, stores.body[0]!.id, {
      buyerId: 'demo-vip-1',
      secret: stores.body[0]!.identitySecret,
    });
    expect(session.customerId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('the demo merchant on first start has routing to show', () => {
  it('entry rules on both stores, and a max wait with leave-a-message on both groups, open all day', async () => {
    const rules = await api<TRoutingRule[]>(server, 'GET', '/api/routing/rules', { token: admin });
    expect(rules.body.map((r) => r.name)).toEqual(
      expect.arrayContaining([
        '投诉与差评优先处理',
        '88VIP 会员优先',
        '退换货、维修、发票转售后',
        '京东售后问题转售后',
      ]),
    );
    expect(rules.body).toHaveLength(4);
    expect(new Set(rules.body.map((r) => r.storeId)).size).toBe(2);
    const groups = await api<TGroupRouting[]>(server, 'GET', '/api/routing/groups', { token: admin });
    expect(groups.body).toHaveLength(2);
    for (const g of groups.body)
      expect(g).toMatchObject({
        maxWaitSeconds: 600,
        overflowAction: 'leave_message',
        businessHours: null,
        afterHoursAction: 'queue',
      });
  });

  it('left messages, open, with the transcript the customer wrote', async () => {
    const left = await api<TLeaveMessage[]>(server, 'GET', '/api/routing/leave-messages', { token: admin });
    expect(left.body).toHaveLength(3);
    expect(left.body.every((l) => l.status === 'open' && l.message.length > 10)).toBe(true);
    expect(left.body.map((l) => l.contact)).toEqual(expect.arrayContaining(['13800138000', null]));
    const withTranscript = left.body.find((l) => l.message.includes('发票'))!;
    const transcript = await api<THistoryPage>(
      server,
      'GET',
      `/api/conversations/${withTranscript.conversationId}/messages`,
      { token: admin },
    );
    expect(transcript.body.messages.map((m) => m.body)).toContain('发票开错了');
  });
});
