import type { TDeadLetterBacklog, TDeadLetterList, TErrorBody } from '@peakdesk/contracts';
import { queryRows, sql } from '@peakdesk/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  api,
  createTenant,
  login,
  startTestServer,
  startVisitor,
  type Tenant,
  type TestServer,
  waitFor,
} from '../../test/harness.ts';
import { defineJob } from '../jobs/jobs.ts';

/**
 * Dead letters through the real server and database (PGlite, or PostgreSQL with DATABASE_URL): a
 * durable listener / a job that keeps failing ends dead, the organisation's admin sees it over the
 * API with the backlog, replays it, and the handler then runs it exactly once; listeners and job
 * kinds that work are not held back meanwhile. Other organisations and other roles get nothing.
 */
let server: TestServer;
let a: Tenant;
let b: Tenant;
const tok = { aAdmin: '', aSupervisor: '', aAgent: '', bAdmin: '', visitor: '' };

beforeAll(async () => {
  // Frequent polls: retries come due on the outbox's own backoff (1 s, 2 s …), not a poll later.
  server = await startTestServer({ PEAKDESK_TIMER_POLL_MS: '50' });
  [a, b] = await Promise.all([
    createTenant(server, { agents: 1, label: 'dla' }),
    createTenant(server, { agents: 1, label: 'dlb' }),
  ]);
  [tok.aAdmin, tok.aSupervisor, tok.aAgent, tok.bAdmin] = await Promise.all([
    login(server, a.admin.email),
    login(server, a.supervisor.email),
    login(server, a.agents[0]!.email),
    login(server, b.admin.email),
  ]);
  tok.visitor = (await startVisitor(server, a.store.id)).visitorToken;
});
afterAll(async () => {
  await server?.stop();
});

const list = (token: string, query = '') =>
  api<TDeadLetterList>(server, 'GET', `/api/dead-letters${query}`, { token });
const backlog = async (token: string) =>
  (await api<TDeadLetterBacklog>(server, 'GET', '/api/dead-letters/backlog', { token })).body;

describe('dead letters (admin API)', () => {
  it('a listener that keeps failing is dead-lettered, shown, replayed once; the other listener was not delayed', async () => {
    const agentId = a.agents[0]!.id;
    let isBroken = true;
    const failing: { attempt: number; at: number }[] = [];
    const healthy: { attempt: number; at: number }[] = [];
    const ofAgent = (e: { payload: { userId: string } }) => e.payload.userId === agentId;
    // Registered after start: the fan-out routes events committed from now on to them.
    server.services.outbox.listen({
      name: 'test.flaky',
      events: ['agent.status_changed'],
      accepts: ofAgent,
      maxAttempts: 3,
      async handle(e, ctx) {
        failing.push({ attempt: e.attempt, at: Date.now() });
        if (isBroken) throw new Error(`<b>crm</b> down on attempt ${e.attempt}`);
        await ctx.once(async (tx) => {
          await tx.execute(sql`INSERT INTO settings (key, value) VALUES (${`dl-effect:${e.id}`}, 'done')`);
        });
      },
    });
    server.services.outbox.listen({
      name: 'test.steady',
      events: ['agent.status_changed'],
      accepts: ofAgent,
      async handle(e) {
        healthy.push({ attempt: e.attempt, at: Date.now() });
      },
    });

    const written = Date.now();
    const online = await api(server, 'PUT', '/api/me/status', {
      token: tok.aAgent,
      body: { status: 'online' },
    });
    expect(online.status).toBe(200);
    const dead = await waitFor(async () => {
      const res = await list(tok.aAdmin, '?kind=event');
      return res.body.items.find((d) => d.listener === 'test.flaky');
    }, 15_000);
    expect(failing.map((f) => f.attempt)).toEqual([1, 2, 3]);
    expect(dead).toMatchObject({
      kind: 'event',
      name: 'agent.status_changed',
      version: 1,
      attempts: 3,
      lastError: '<b>crm</b> down on attempt 3',
      payload: { orgId: a.org.id, userId: agentId, status: 'online' },
    });
    expect(Date.parse(dead.deadAt!)).toBeGreaterThanOrEqual(Date.parse(dead.createdAt));
    // The steady listener had the event once, on its first attempt, long before the flaky one's first retry.
    expect(healthy).toHaveLength(1);
    expect(healthy[0]!.attempt).toBe(1);
    expect(failing[1]!.at - failing[0]!.at).toBeGreaterThanOrEqual(900);
    expect(healthy[0]!.at).toBeLessThan(failing[1]!.at);
    expect(healthy[0]!.at - written).toBeLessThan(2000);

    const before = await backlog(tok.aAdmin);
    expect(before.listeners.find((l) => l.listener === 'test.flaky')).toEqual({
      listener: 'test.flaky',
      pending: 0,
      dead: 1,
    });
    // Every registered listener is listed, with zeros when nothing waits.
    expect(before.listeners.find((l) => l.listener === 'bot.turn')).toEqual({
      listener: 'bot.turn',
      pending: 0,
      dead: 0,
    });

    // Another organisation's admin neither sees nor replays it.
    const other = await list(tok.bAdmin);
    expect(other.status).toBe(200);
    expect(JSON.stringify(other.body)).not.toContain(agentId);
    expect((await backlog(tok.bAdmin)).listeners.find((l) => l.listener === 'test.flaky')?.dead).toBe(0);
    const path = `/api/dead-letters/events/test.flaky/${dead.id}/replay`;
    const foreign = await api<TErrorBody>(server, 'POST', path, { token: tok.bAdmin });
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('dead_letter_not_found');
    // Only admins.
    for (const token of [tok.aSupervisor, tok.aAgent, tok.visitor])
      expect((await api(server, 'POST', path, { token })).status).toBe(403);
    expect((await api(server, 'POST', path, {})).status).toBe(401);
    expect(failing).toHaveLength(3);

    // Replay: handled once more, the effect committed once, gone from the list; a second replay is 404.
    isBroken = false;
    const replay = await api(server, 'POST', path, { token: tok.aAdmin });
    expect(replay).toEqual({ status: 200, body: { ok: true } });
    await waitFor(async () => !(await list(tok.aAdmin)).body.items.some((d) => d.id === dead.id));
    await server.services.outbox.drain();
    expect(failing.map((f) => f.attempt)).toEqual([1, 2, 3, 1]);
    const effects = await queryRows<{ value: string }>(
      server.db.db,
      sql`SELECT value FROM settings WHERE key = ${`dl-effect:${dead.id}`}`,
    );
    expect(effects).toEqual([{ value: 'done' }]);
    expect(healthy).toHaveLength(1);
    expect((await api(server, 'POST', path, { token: tok.aAdmin })).status).toBe(404);
    const after = await backlog(tok.aAdmin);
    expect(after.listeners.find((l) => l.listener === 'test.flaky')).toEqual({
      listener: 'test.flaky',
      pending: 0,
      dead: 0,
    });
  });

  it('a job that keeps failing is dead-lettered, shown, replayed once; another kind ran on time', async () => {
    let isBroken = true;
    const runs: { n: number; attempt: number }[] = [];
    const runAt: number[] = [];
    const steady: number[] = [];
    const flaky = defineJob({
      id: 'test.dead_job',
      version: 1,
      payload: z.object({ n: z.number() }),
      maxAttempts: 2,
      async handle(p, ctx) {
        runs.push({ n: p.n, attempt: ctx.attempt });
        runAt.push(Date.now());
        if (isBroken) throw new Error('warehouse API: 502 <script>alert(1)</script>');
      },
    });
    const onTime = defineJob({
      id: 'test.steady_job',
      version: 1,
      payload: z.object({}),
      async handle() {
        steady.push(Date.now());
      },
    });
    server.services.jobs.register(flaky);
    server.services.jobs.register(onTime);
    const scheduled = Date.now();
    await server.services.jobs.schedule(flaky, { runAt: new Date(), payload: { n: 7 }, orgId: a.org.id });
    await server.services.jobs.schedule(onTime, { runAt: new Date(), payload: {}, orgId: a.org.id });
    server.services.jobs.nudge();

    const dead = await waitFor(async () => {
      const res = await list(tok.aAdmin, '?kind=job');
      return res.body.items.find((d) => d.name === 'test.dead_job');
    }, 15_000);
    expect(dead).toMatchObject({
      kind: 'job',
      listener: null,
      version: 1,
      attempts: 2,
      lastError: 'warehouse API: 502 <script>alert(1)</script>',
      payload: { n: 7 },
    });
    expect(runs).toEqual([
      { n: 7, attempt: 1 },
      { n: 7, attempt: 2 },
    ]);
    expect(steady).toHaveLength(1);
    // The other kind ran at once, before the flaky kind's retry (2 s of backoff) came due.
    expect(steady[0]!).toBeLessThan(runAt[1]!);
    expect(steady[0]! - scheduled).toBeLessThan(2000);
    // The event list leaves jobs out; the full list has both kinds.
    expect((await list(tok.aAdmin, '?kind=event')).body.items.some((d) => d.kind === 'job')).toBe(false);
    expect((await list(tok.aAdmin)).body.items.some((d) => d.id === dead.id && d.kind === 'job')).toBe(true);
    const jobsBacklog = (await backlog(tok.aAdmin)).jobs;
    expect(jobsBacklog.find((k) => k.kind === 'test.dead_job')).toEqual({
      kind: 'test.dead_job',
      due: 0,
      pending: 0,
      dead: 1,
    });

    const path = `/api/dead-letters/jobs/${dead.id}/replay`;
    expect(JSON.stringify((await list(tok.bAdmin)).body)).not.toContain('test.dead_job');
    expect((await api(server, 'POST', path, { token: tok.bAdmin })).status).toBe(404);
    for (const token of [tok.aSupervisor, tok.aAgent, tok.visitor])
      expect((await api(server, 'POST', path, { token })).status).toBe(403);
    expect(runs).toHaveLength(2);

    isBroken = false;
    expect(await api(server, 'POST', path, { token: tok.aAdmin })).toEqual({
      status: 200,
      body: { ok: true },
    });
    await waitFor(() => runs.length === 2 + 1);
    await server.services.jobs.runDue();
    expect(runs.at(-1)).toEqual({ n: 7, attempt: 1 });
    expect(runs).toHaveLength(3);
    expect((await list(tok.aAdmin)).body.items.some((d) => d.id === dead.id && d.kind === 'job')).toBe(false);
    expect((await api(server, 'POST', path, { token: tok.aAdmin })).status).toBe(404);
    const [row] = await queryRows<{ n: number }>(
      server.db.db,
      sql`SELECT count(*)::int AS n FROM jobs WHERE id = ${Number(dead.id)}`,
    );
    expect(row?.n).toBe(0);
  });

  it('bad ids and listener names are 400 naming the field; lists are admin only', async () => {
    for (const [path, field] of [
      ['/api/dead-letters/events/Not%20A%20Listener/1/replay', 'listener'],
      ['/api/dead-letters/events/bot.turn/abc/replay', 'eventId'],
      ['/api/dead-letters/jobs/-1/replay', 'id'],
      ['/api/dead-letters/jobs/1234567890123456789/replay', 'id'],
    ] as const) {
      const res = await api<TErrorBody>(server, 'POST', path, { token: tok.aAdmin });
      expect({ path, status: res.status, field: res.body.field }).toEqual({ path, status: 400, field });
    }
    for (const query of ['?limit=0', '?limit=501', '?kind=timer']) {
      const res = await api<TErrorBody>(server, 'GET', `/api/dead-letters${query}`, { token: tok.aAdmin });
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(['limit', 'kind']).toContain(res.body.field);
    }
    // An unknown (well-formed) row is simply not found.
    expect(
      (
        await api(server, 'POST', `/api/dead-letters/events/bot.turn/${Date.now()}/replay`, {
          token: tok.aAdmin,
        })
      ).status,
    ).toBe(404);
    for (const path of ['/api/dead-letters', '/api/dead-letters/backlog'])
      for (const token of [tok.aSupervisor, tok.aAgent, tok.visitor]) {
        const res = await api<TErrorBody>(server, 'GET', path, { token });
        expect({ path, status: res.status }).toEqual({ path, status: 403 });
      }
  });
});
