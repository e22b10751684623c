import type { TConversation } from '@peakdesk/contracts';
import { queryRows, sql } from '@peakdesk/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createTenant,
  startTestServer,
  startVisitor,
  type TestServer,
  waitFor,
} from '../../../test/harness.ts';
import type { OutboxEvent } from '../../events/outbox.ts';

/**
 * The conversation's durable events: `conversation.opened` when it is created and one
 * `conversation.transitioned` per committed step of the state machine, written in the transaction of
 * the step (the single writer, `transitionConversation`). Later capabilities (quality inspection,
 * satisfaction, follow-ups) listen to them; here a durable listener on the running server must see
 * each step exactly once, and a step the machine refuses must leave no event behind.
 */
let server: TestServer;
const seen: OutboxEvent<'conversation.opened' | 'conversation.transitioned'>[] = [];
beforeAll(async () => {
  server = await startTestServer();
  server.services.outbox.listen({
    name: 'test.conversation_events',
    events: ['conversation.opened', 'conversation.transitioned'],
    async handle(e, ctx) {
      await ctx.once(async () => {
        seen.push(e);
      });
    },
  });
});
afterAll(async () => {
  await server?.stop();
});

const stepsOf = (conversationId: string) =>
  seen
    .filter((e) => e.payload.conversation.id === conversationId)
    .map((e) =>
      e.name === 'conversation.opened'
        ? `opened:${e.payload.conversation.status}`
        : `${e.payload.fromStatus}-${e.payload.event}->${e.payload.conversation.status}`,
    );

describe('durable conversation events', () => {
  it('a listener sees opened, assigned and resolved once each, with the conversation as each step left it', async () => {
    const t = await createTenant(server, { agents: 1 });
    const agent = t.agents[0]!;
    const token = (await server.services.accounts.login(agent.email, t.password)).token;
    expect((await api(server, 'PUT', '/api/me/status', { token, body: { status: 'online' } })).status).toBe(
      200,
    );

    const v = await startVisitor(server, t.store.id);
    const opened = await api<TConversation>(server, 'POST', '/api/widget/conversations', {
      token: v.visitorToken,
      body: {},
    });
    expect(opened.status).toBe(200);
    const id = opened.body.id;
    await waitFor(
      async () => (await server.services.chat.conversationDto(id)).status === 'assigned' || undefined,
    );
    const resolved = await api(server, 'POST', `/api/conversations/${id}/resolve`, { token });
    expect(resolved.status).toBe(200);

    await waitFor(() => stepsOf(id).length >= 3 || undefined);
    // Give a duplicate delivery (if there were one) the chance to arrive before asserting "once".
    await new Promise((r) => setTimeout(r, 300));
    expect(stepsOf(id)).toEqual([
      'opened:queued',
      'queued-assigned->assigned',
      'assigned-resolved->resolved',
    ]);
    const last = seen.filter((e) => e.payload.conversation.id === id).at(-1)!;
    expect(last.orgId).toBe(t.org.id);
    expect(last.payload).toMatchObject({
      orgId: t.org.id,
      previousAssigneeId: agent.id,
      conversation: { storeId: t.store.id, assigneeId: agent.id, status: 'resolved' },
    });

    // Resolving again is refused by the state machine: 409, and no event was written for it.
    const again = await api<{ error: { code: string } }>(server, 'POST', `/api/conversations/${id}/resolve`, {
      token,
    });
    expect(again.status).toBe(409);
    const [pending] = await queryRows<{ n: number }>(
      server.db.db,
      sql`SELECT count(*)::int AS n FROM outbox WHERE payload->'conversation'->>'id' = ${id}`,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(pending?.n).toBe(0);
    expect(stepsOf(id)).toHaveLength(3);
  });
});
