import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { TErrorBody, TUser } from '@peakdesk/contracts';
import { queryRows, sql } from '@peakdesk/db';
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
  userCaller,
  waitFor,
} from '../../../test/harness.ts';
import type { CustomerCaller } from '../../http/caller.ts';

/**
 * Agent presence through the single writer (`applyPresence`) on a real server and database: every
 * status change — the agent's own, the away sweep, the way back, the pause after missed replies, a
 * disabled user — writes the status, one `agent.status_changed` fact and one durable event together;
 * a no-op writes nothing; a manual `away` is refused naming the field.
 */
let server: TestServer;
/** Every durable `agent.status_changed` event, in delivery order (a test listener on the outbox). */
const delivered: { userId: string; status: string }[] = [];

beforeAll(async () => {
  // Presence is swept by hand (grace 1 h) and jobs are run by the tests, so every step is deterministic.
  server = await startTestServer({ PEAKDESK_TIMER_POLL_MS: '60000', PEAKDESK_AGENT_GRACE_SECONDS: '3600' });
  server.services.outbox.listen({
    name: 'test.presence',
    events: ['agent.status_changed'],
    async handle(e) {
      delivered.push({ userId: e.payload.userId, status: e.payload.status });
    },
  });
});
afterAll(async () => {
  await server?.stop();
});

const db = () => server.db.db;
const eventsOf = (agentId: string) => delivered.filter((e) => e.userId === agentId).map((e) => e.status);
const factsOf = (agentId: string) =>
  queryRows<{ data: Record<string, unknown>; group_id: string | null }>(
    db(),
    sql`SELECT data, group_id FROM facts WHERE kind = 'agent.status_changed' AND agent_id = ${agentId} ORDER BY id`,
  );
async function presenceOf(agentId: string) {
  const [row] = await queryRows<{ status: string; away_from: string | null; missed_replies: number }>(
    db(),
    sql`SELECT u.status, p.away_from, u.missed_replies FROM users u
        LEFT JOIN agent_presence p ON p.user_id = u.id WHERE u.id = ${agentId}`,
  );
  return row!;
}
/** Waits until the agent's durable events are exactly `statuses` (and stay so a moment). */
async function expectEvents(agentId: string, statuses: string[]) {
  await waitFor(() => eventsOf(agentId).length >= statuses.length);
  await new Promise((r) => setTimeout(r, 150));
  expect(eventsOf(agentId)).toEqual(statuses);
}
const put = (token: string, status: string) =>
  api<TUser & TErrorBody>(server, 'PUT', '/api/me/status', { token, body: { status } });

async function openChat(t: Tenant, text: string) {
  const v = await startVisitor(server, t.store.id);
  const caller: CustomerCaller = {
    kind: 'customer',
    customerId: v.customerId,
    storeId: t.store.id,
    orgId: t.org.id,
  };
  const c = await server.services.chat.openConversation(caller, 'store_page', text);
  return server.services.chat.conversationDto(c.id);
}
const conv = (id: string) => server.services.chat.conversationDto(id);

describe('manual status change', () => {
  it('writes the status, exactly one fact and one durable event; choosing the same status writes nothing', async () => {
    const t = await createTenant(server, { agents: 1 });
    const agent = t.agents[0]!;
    const token = await login(server, agent.email);

    const online = await put(token, 'online');
    expect(online.status).toBe(200);
    expect(online.body.status).toBe('online');
    expect(await factsOf(agent.id)).toEqual([
      { data: { status: 'online', from: 'offline', reason: 'manual' }, group_id: null },
    ]);
    await expectEvents(agent.id, ['online']);

    // The same status again: 200, nothing written, nothing sent.
    expect((await put(token, 'online')).status).toBe(200);
    expect(await factsOf(agent.id)).toHaveLength(1);

    expect((await put(token, 'paused')).body.status).toBe('paused');
    expect((await factsOf(agent.id)).map((f) => f.data)).toEqual([
      { status: 'online', from: 'offline', reason: 'manual' },
      { status: 'paused', from: 'online', reason: 'manual' },
    ]);
    await expectEvents(agent.id, ['online', 'paused']);
  });

  it('refuses a manual away with 400 status_not_settable naming the field, and changes nothing', async () => {
    const t = await createTenant(server, { agents: 1 });
    const agent = t.agents[0]!;
    const token = await login(server, agent.email);
    await put(token, 'online');

    const away = await put(token, 'away');
    expect(away.status).toBe(400);
    expect(away.body).toMatchObject({ code: 'status_not_settable', field: 'status' });
    expect(away.body.message).toMatch(/away is set by the router/);
    expect(await presenceOf(agent.id)).toMatchObject({ status: 'online', away_from: null });
    expect(await factsOf(agent.id)).toHaveLength(1);
    await expectEvents(agent.id, ['online']);

    // A status that is no status at all is still refused by the schema.
    const junk = await put(token, 'busy-ish');
    expect(junk.status).toBe(400);
    expect(junk.body).toMatchObject({ code: 'invalid_input', field: 'status' });
  });
});

describe('away sweep and reconnect', () => {
  async function connected(token: string, agentId: string) {
    const socket = agentClient(server, token);
    await waitFor(() => socket.connected);
    await waitFor(
      async () =>
        (await queryRows(db(), sql`SELECT 1 FROM agent_presence WHERE user_id = ${agentId}`)).length > 0,
    );
    return socket;
  }
  async function goStale(agentId: string) {
    await db().execute(
      sql`UPDATE agent_presence SET last_seen_at = now() - interval '2 hours' WHERE user_id = ${agentId}`,
    );
  }

  it('online → away (chats requeued) → online on reconnect, each step one fact and one event', async () => {
    const t = await createTenant(server, { agents: 1 });
    const agent = t.agents[0]!;
    const token = await login(server, agent.email);
    await put(token, 'online');
    let socket = await connected(token, agent.id);
    const c = await openChat(t, '在吗');
    expect(c.assigneeId).toBe(agent.id);

    socket.close();
    await goStale(agent.id);
    expect(await server.services.routing.sweepAway()).toBe(1);
    expect(await presenceOf(agent.id)).toMatchObject({ status: 'away', away_from: 'online' });
    expect(await conv(c.id)).toMatchObject({ status: 'queued', assigneeId: null });
    // Nobody stale is left: a second sweep changes nothing.
    expect(await server.services.routing.sweepAway()).toBe(0);

    socket = await connected(token, agent.id);
    await waitFor(async () => (await presenceOf(agent.id)).status === 'online');
    expect(await presenceOf(agent.id)).toMatchObject({ status: 'online', away_from: null });
    // Back online, the agent's groups drain (routing.agent_online): the chat comes back to them.
    await waitFor(async () => (await conv(c.id)).assigneeId === agent.id);

    expect((await factsOf(agent.id)).map((f) => f.data)).toEqual([
      { status: 'online', from: 'offline', reason: 'manual' },
      { status: 'away', from: 'online', reason: 'no_sockets', requeued: 1 },
      { status: 'online', from: 'away', reason: 'reconnected' },
    ]);
    await expectEvents(agent.id, ['online', 'away', 'online']);

    // A second tab (or a reconnect) of an agent who is not away: a no-op through the same writer.
    const second = agentClient(server, token);
    await waitFor(() => second.connected);
    socket.close();
    second.close();
    await new Promise((r) => setTimeout(r, 100));
    const third = await connected(token, agent.id);
    await new Promise((r) => setTimeout(r, 200)); // the gateway runs the writer after the handshake
    third.close();
    expect(await factsOf(agent.id)).toHaveLength(3);
    expect(eventsOf(agent.id)).toEqual(['online', 'away', 'online']);
  });

  it('paused → away → paused: the status they had comes back, nothing is drained to them', async () => {
    const t = await createTenant(server, { agents: 1 });
    const agent = t.agents[0]!;
    const token = await login(server, agent.email);
    await put(token, 'paused');
    let socket = await connected(token, agent.id);
    socket.close();
    await goStale(agent.id);
    expect(await server.services.routing.sweepAway()).toBe(1);
    expect(await presenceOf(agent.id)).toMatchObject({ status: 'away', away_from: 'paused' });

    const c = await openChat(t, '有人吗');
    socket = await connected(token, agent.id);
    await waitFor(async () => (await presenceOf(agent.id)).status === 'paused');
    expect(await presenceOf(agent.id)).toMatchObject({ status: 'paused', away_from: null });
    socket.close();
    expect((await factsOf(agent.id)).map((f) => f.data)).toEqual([
      { status: 'paused', from: 'offline', reason: 'manual' },
      { status: 'away', from: 'paused', reason: 'no_sockets', requeued: 0 },
      { status: 'paused', from: 'away', reason: 'reconnected' },
    ]);
    await expectEvents(agent.id, ['paused', 'away', 'paused']);
    expect((await conv(c.id)).status).toBe('queued');
  });

  it('an agent who sets a status by hand while away is not restored by a later reconnect', async () => {
    const t = await createTenant(server, { agents: 1 });
    const agent = t.agents[0]!;
    const token = await login(server, agent.email);
    await put(token, 'online');
    const socket = await connected(token, agent.id);
    socket.close();
    await goStale(agent.id);
    await server.services.routing.sweepAway();
    expect((await put(token, 'offline')).body.status).toBe('offline');
    expect(await presenceOf(agent.id)).toMatchObject({ status: 'offline', away_from: null });
    const back = await connected(token, agent.id);
    back.close();
    expect(await presenceOf(agent.id)).toMatchObject({ status: 'offline' });
    expect((await factsOf(agent.id)).map((f) => f.data)).toEqual([
      { status: 'online', from: 'offline', reason: 'manual' },
      { status: 'away', from: 'online', reason: 'no_sockets', requeued: 0 },
      { status: 'offline', from: 'away', reason: 'manual' },
    ]);
  });
});

describe('missed replies and disabling', () => {
  it('pauses an online agent at the group limit (fact with misses and group); misses reset on going online', async () => {
    const t = await createTenant(server, { agents: 1 });
    const agent = t.agents[0]!;
    const group = t.groups.presale.id;
    await server.services.routing.updateGroupSettings(userCaller(t, t.admin), group, {
      noReplySeconds: 30,
      pauseAfterMisses: 1,
    });
    const token = await login(server, agent.email);
    await put(token, 'online');
    const c = await openChat(t, '有人吗');
    expect(c.assigneeId).toBe(agent.id);
    await db().execute(
      sql`UPDATE conversations SET awaiting_agent_since = now() - interval '31 seconds' WHERE id = ${c.id}`,
    );
    await db().execute(
      sql`UPDATE jobs SET run_at = now() - interval '1 second' WHERE key = ${`routing.no_reply:${c.id}`}`,
    );
    await server.services.jobs.runDue();

    expect(await presenceOf(agent.id)).toMatchObject({ status: 'paused', missed_replies: 1 });
    expect(await conv(c.id)).toMatchObject({ status: 'queued' });
    expect(await factsOf(agent.id)).toEqual([
      { data: { status: 'online', from: 'offline', reason: 'manual' }, group_id: null },
      { data: { status: 'paused', from: 'online', reason: 'missed_replies', misses: 1 }, group_id: group },
    ]);
    await expectEvents(agent.id, ['online', 'paused']);

    // Going online again resets the count in the same write.
    await put(token, 'online');
    expect(await presenceOf(agent.id)).toMatchObject({ status: 'online', missed_replies: 0 });
  });

  it('disabling a user sets them offline through the writer', async () => {
    const t = await createTenant(server, { agents: 1 });
    const agent = t.agents[0]!;
    await put(await login(server, agent.email), 'online');
    const adminToken = await login(server, t.admin.email);
    const res = await api<TUser>(server, 'PATCH', `/api/users/${agent.id}`, {
      token: adminToken,
      body: { disabled: true },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ disabled: true, status: 'offline' });
    expect((await factsOf(agent.id)).map((f) => f.data)).toEqual([
      { status: 'online', from: 'offline', reason: 'manual' },
      { status: 'offline', from: 'online', reason: 'disabled' },
    ]);
    await expectEvents(agent.id, ['online', 'offline']);
  });
});

describe('single writer', () => {
  it('no server source outside the writer sets users.status', () => {
    const root = join(import.meta.dirname, '../../..', 'src');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) files.push(p);
      }
    };
    walk(root);
    const writers = files.filter((f) =>
      /UPDATE users\b[^`]*\bSET\b[^`]*\bstatus\s*=|update\(users\)[\s\S]{0,80}\.set\(\{[^}]*\bstatus\b/.test(
        readFileSync(f, 'utf8'),
      ),
    );
    expect(writers.map((f) => relative(root, f))).toEqual(['modules/routing/routing.repository.ts']);
  });
});
