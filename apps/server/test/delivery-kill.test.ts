import { ChatClient } from '@peakdesk/chat-client';
import { HISTORY_PAGE_MAX, type TMessage } from '@peakdesk/contracts';
import { openDatabase, queryRows, sql } from '@peakdesk/db';
import { describe, expect, it } from 'vitest';
import {
  createStorage,
  freePort,
  type ServerProcess,
  type Storage,
  spawnServer,
} from '../../../bench/lib/server-process.ts';
import {
  call,
  type LoadTenant,
  seedLoadTenant,
  setStatus,
  startVisitor,
} from '../../../bench/lib/tenant-api.ts';

import { useCleanups, waitUntil } from './process-helpers.ts';

/**
 * The delivery promise under the worst failure: the server is SIGKILLed (no graceful shutdown, no
 * drain) while customers and an agent write to each other, then restarted on the same data. Every
 * message must end up stored exactly once and reach the other side exactly once, in seq order.
 * Runs on PGlite (a data folder, as `peakdesk start` uses it) or, with DATABASE_URL, on a fresh
 * PostgreSQL database.
 */
const CUSTOMERS = 5;
const PER_SIDE = 30; // messages per conversation from each side
const SEND_EVERY_MS = 40;

const cleanup = useCleanups();

async function fullHistory(url: string, token: string, conversationId: string): Promise<TMessage[]> {
  const all: TMessage[] = [];
  for (;;) {
    const after = all.at(-1)?.seq ?? 0;
    const page = await call<{ messages: TMessage[]; hasMore: boolean }>(
      url,
      'GET',
      `/api/conversations/${conversationId}/messages?afterSeq=${after}&limit=${HISTORY_PAGE_MAX}`,
      { token },
    );
    all.push(...page.messages);
    if (!page.hasMore) return all;
  }
}

describe('delivery when the server is killed mid-load', () => {
  it('loses and duplicates nothing across kill -9 and restart', async () => {
    const storage: Storage = await createStorage(process.env.DATABASE_URL);
    cleanup(() => storage.dispose());
    const port = await freePort();
    let server: ServerProcess = await spawnServer({ port, storage, demo: true });
    cleanup(() => server.stop('SIGKILL'));
    const url = server.url;

    const tenant: LoadTenant = await seedLoadTenant(url, { agents: 1, cap: 50 });
    const agentUser = tenant.agents[0]!;
    await setStatus(url, agentUser.token, 'online');

    const agent = new ChatClient({ url, auth: { token: agentUser.token } });
    cleanup(() => agent.close());
    const agentGot = new Map<string, TMessage[]>();
    agent.on('message', (m) => {
      const list = agentGot.get(m.conversationId) ?? [];
      list.push(m);
      agentGot.set(m.conversationId, list);
    });

    type Side = { client: ChatClient; conversationId: string; got: TMessage[]; index: number };
    const customers: Side[] = [];
    for (let i = 0; i < CUSTOMERS; i++) {
      const v = await startVisitor(url, tenant.storeId);
      const client = new ChatClient({ url, auth: { visitorToken: v.visitorToken } });
      cleanup(() => client.close());
      const got: TMessage[] = [];
      client.on('message', (m) => got.push(m));
      await waitUntil('customer connected', () => client.connected, 10_000);
      const conv = await client.openConversation();
      expect(conv.assigneeId).toBe(agentUser.id);
      customers.push({ client, conversationId: conv.id, got, index: i });
    }
    await waitUntil('agent connected', () => agent.connected, 10_000);
    for (const c of customers) await agent.watch(c.conversationId);

    // Both sides write continuously; every send resolves only when the server acknowledged it.
    const acks: Promise<TMessage>[] = [];
    let acked = 0;
    const track = (p: Promise<TMessage>) => {
      acks.push(p);
      p.then(
        () => acked++,
        () => {},
      );
    };
    const sendAll = (async () => {
      for (let k = 0; k < PER_SIDE; k++) {
        for (const c of customers) {
          const body = `顾客${c.index}-第${k}条`;
          track(
            c.client.send({
              conversationId: c.conversationId,
              type: 'text',
              body,
              clientId: `c${c.index}-${k}`,
            }),
          );
          track(
            agent.send({
              conversationId: c.conversationId,
              type: 'text',
              body: `客服回复${c.index}-${k}`,
              clientId: `a${c.index}-${k}`,
            }),
          );
        }
        await new Promise((r) => setTimeout(r, SEND_EVERY_MS));
      }
    })();

    const total = CUSTOMERS * PER_SIDE * 2;
    await waitUntil('a quarter of the load acknowledged', () => acked >= total / 4, 30_000);
    const ackedBeforeKill = acked;
    await server.stop('SIGKILL');
    // Clients keep writing into their outboxes while the server is down.
    await new Promise((r) => setTimeout(r, 500));
    server = await spawnServer({ port, storage, demo: true });

    await sendAll;
    const settled = await Promise.allSettled(acks);
    expect(settled.filter((s) => s.status === 'rejected')).toEqual([]);
    expect(ackedBeforeKill).toBeLessThan(total);

    const histories = new Map<string, TMessage[]>();
    for (const c of customers)
      histories.set(c.conversationId, await fullHistory(url, agentUser.token, c.conversationId));
    await waitUntil(
      'receivers caught up',
      () =>
        customers.every((c) => {
          const h = histories.get(c.conversationId)!;
          return c.got.length >= h.length && (agentGot.get(c.conversationId)?.length ?? 0) >= h.length;
        }),
      20_000,
    );

    for (const c of customers) {
      const history = histories.get(c.conversationId)!;
      const ids = history.map((m) => m.id);
      // Stored exactly once: each client id of both sides appears once in the stored history.
      const expected = Array.from({ length: PER_SIDE }, (_, k) => [
        `c${c.index}-${k}`,
        `a${c.index}-${k}`,
      ]).flat();
      const stored = history.filter((m) => m.senderType !== 'system').map((m) => m.clientId);
      expect([...stored].sort()).toEqual([...expected].sort());
      // Each side's own messages are stored in the order written (one outbox, acked one at a time).
      for (const side of ['c', 'a']) {
        const order = stored.filter((id) => id.startsWith(side)).map((id) => Number(id.split('-')[1]));
        expect(order).toEqual([...order].sort((a, b) => a - b));
      }
      // Both receivers saw exactly the stored sequence: nothing lost, nothing twice, in seq order.
      expect(c.got.map((m) => m.id)).toEqual(ids);
      expect(agentGot.get(c.conversationId)!.map((m) => m.id)).toEqual(ids);
      // Gapless: neither the kill (rolled-back statements) nor resends consumed a sequence number.
      expect(history.map((m) => m.seq)).toEqual(history.map((_, i) => i + 1));
    }

    // The database itself, read after a clean stop (for PGlite this also proves the folder reopens).
    for (const c of customers) c.client.close();
    agent.close();
    await server.stop('SIGTERM');
    const db = await openDatabase({ url: storage.databaseUrl, dataDir: storage.dataDir });
    try {
      const dupes = await queryRows<{ client_id: string; n: number }>(
        db.db,
        sql`SELECT client_id, count(*)::int AS n FROM messages
            WHERE sender_type IN ('customer', 'agent') GROUP BY conversation_id, sender_type, client_id HAVING count(*) > 1`,
      );
      expect(dupes).toEqual([]);
      const [row] = await queryRows<{ n: number }>(
        db.db,
        // The test's own conversations: the demo seed stores left messages of its own.
        sql`SELECT count(*)::int AS n FROM messages WHERE sender_type IN ('customer', 'agent')
            AND conversation_id::text IN (${sql.join(
              customers.map((c) => sql`${c.conversationId}`),
              sql`, `,
            )})`,
      );
      expect(row?.n).toBe(total);
    } finally {
      await db.close();
    }
  }, 90_000);
});
