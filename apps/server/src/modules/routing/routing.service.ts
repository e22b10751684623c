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

  return {
    /** Tries to assign one queued conversation now; null means it keeps waiting. */
    routeConversation: tryAssign,

    /** Assigns waiting conversations of these groups, oldest (and highest priority) first, while agents have room. */
    async drainGroups(groupIds: string[]): Promise<Assignment[]> {
      const done: Assignment[] = [];
      const repo = createRoutingRepository(db);
      for (;;) {
        const queued = await repo.queuedInGroups(groupIds, 20);
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
    },

    async drainForAgent(userId: string): Promise<Assignment[]> {
      const groups = await createRoutingRepository(db).groupsOfAgent(userId);
      return this.drainGroups(groups);
    },
  };
}

export type RoutingService = ReturnType<typeof createRoutingService>;
