import type { TGroupRouting, TSkillGroup, TWallSnapshot } from '@peakdesk/contracts';
import { sql } from '@peakdesk/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTenant, startTestServer, startVisitor, type TestServer } from '../../../test/harness.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const token = async (email: string, password: string) =>
  (await server.services.accounts.login(email, password)).token;

async function waitingCustomer(storeId: string) {
  const v = await startVisitor(server, storeId);
  const c = await api<{ id: string; status: string }>(server, 'POST', '/api/widget/conversations', {
    token: v.visitorToken,
    body: {},
  });
  expect(c.body.status).toBe('queued');
  return c.body.id;
}

describe('waiting customers nobody sees', () => {
  it('the wall alerts a group with waiting customers and no one online, and a 30-minute wait, with no thresholds set', async () => {
    const t = await createTenant(server, { agents: 1 });
    const admin = await token(t.admin.email, t.password);
    const wallGroup = async () =>
      (await api<TWallSnapshot>(server, 'GET', '/api/routing/wall', { token: admin })).body.groups.find(
        (g) => g.groupId === t.groups.presale.id,
      )!;
    // Nobody waiting, nobody online: nothing to say.
    expect((await wallGroup()).alerts).toEqual([]);

    const id = await waitingCustomer(t.store.id);
    const g = await wallGroup();
    expect(g).toMatchObject({ queueLength: 1, agentsOnline: 0 });
    expect(g.alerts).toEqual(['no_agents']);

    // Half an hour in the queue: over the default target although the group set no wait alert.
    await server.db.db.execute(
      sql`UPDATE conversations SET queued_at = now() - interval '30 minutes' WHERE id = ${id}`,
    );
    const late = await wallGroup();
    expect(late.longestWaitSeconds).toBeGreaterThanOrEqual(1800);
    expect(late.waitAlertSeconds).toBe(600);
    expect(late.alerts).toEqual(['no_agents', 'wait']);
  });

  it('a new skill group offers leave-a-message after 10 minutes of waiting, by default', async () => {
    const t = await createTenant(server, { agents: 1 });
    const admin = await token(t.admin.email, t.password);
    const created = await api<TSkillGroup>(server, 'POST', '/api/groups', {
      token: admin,
      body: { name: '双11预备队', defaultMaxConcurrency: 5 },
    });
    expect(created.status).toBe(201);
    const routing = await api<TGroupRouting[]>(server, 'GET', '/api/routing/groups', { token: admin });
    expect(routing.body.find((g) => g.groupId === created.body.id)).toMatchObject({
      maxWaitSeconds: 600,
      overflowAction: 'leave_message',
    });
  });
});
