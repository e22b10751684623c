import type { Database } from '@peakdesk/db';
import { transitionConversation } from '../chat/conversation-state.ts';
import { recordFacts } from '../facts/facts.service.ts';
import { createRoutingRepository } from './routing.repository.ts';

export type Assignment = { conversationId: string; agentId: string; agentName: string };

/**
 * First routing: a queued conversation goes to the least-busy online agent of its group under the
 * agent's concurrency cap, else it waits. The surge router (priority lanes, strategies, overflow)
 * replaces this module behind the same two entry points.
 */
export function createRoutingService(deps: { db: Database; onAssigned: (a: Assignment) => Promise<void> }) {
  const { db } = deps;

  async function tryAssign(conversationId: string): Promise<Assignment | null> {
    const result = await db.transaction(async (tx) => {
      const repo = createRoutingRepository(tx as unknown as Database);
      const conv = await repo.lockQueued(conversationId);
      if (!conv?.group_id) return null;
      await repo.lockGroupMembers(conv.org_id, conv.group_id);
      const agent = await repo.pickLeastBusyAgent(conv.org_id, conv.group_id, conv.store_id);
      if (!agent) return null;
      const t = transitionConversation(
        { status: conv.status, assigneeId: null },
        { type: 'assign', agentId: agent.id },
      );
      if (!t.ok) return null;
      await repo.assign(conv.id, agent.id);
      await recordFacts(tx as unknown as Database, [
        {
          orgId: conv.org_id,
          kind: 'conversation.assigned',
          storeId: conv.store_id,
          groupId: conv.group_id,
          agentId: agent.id,
          conversationId: conv.id,
          data: { strategy: 'least_busy', activeBefore: agent.active },
        },
      ]);
      return { conversationId: conv.id, agentId: agent.id, agentName: agent.name };
    });
    if (result) await deps.onAssigned(result);
    return result;
  }

  async function drain(nextQueued: (limit: number) => Promise<{ id: string }[]>): Promise<Assignment[]> {
    const done: Assignment[] = [];
    for (;;) {
      const queued = await nextQueued(20);
      if (queued.length === 0) break;
      let progressed = false;
      for (const q of queued) {
        const a = await tryAssign(q.id);
        if (!a) break; // FIFO: if the head cannot be served now, nobody behind it jumps ahead.
        done.push(a);
        progressed = true;
      }
      if (!progressed || queued.length < 20) break;
    }
    return done;
  }

  return {
    /** Tries to assign one queued conversation now; null means it keeps waiting. */
    routeConversation: tryAssign,

    /** Assigns waiting conversations of these groups, oldest (and highest priority) first, while agents have room. */
    async drainGroups(groupIds: string[]): Promise<Assignment[]> {
      const repo = createRoutingRepository(db);
      return drain((limit) => repo.queuedInGroups(groupIds, limit));
    },

    /**
     * An agent has room (came online, resolved a chat): serve the queue they can work on. Only
     * conversations of their groups and stores are considered, so a waiting chat of a store they
     * may not serve does not block the ones behind it.
     */
    async drainForAgent(userId: string): Promise<Assignment[]> {
      const repo = createRoutingRepository(db);
      return drain((limit) => repo.queuedForAgent(userId, limit));
    },
  };
}

export type RoutingService = ReturnType<typeof createRoutingService>;
