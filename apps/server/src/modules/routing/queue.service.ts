import { laneOfPriority } from '@peakdesk/contracts';
import { transitionConversation } from '../chat/chat.repository.ts';
import type { GroupSettingsRow, RoutedConversation, RoutingRepository } from './routing.repository.ts';
import {
  type Assignment,
  type Change,
  JOB,
  jobKey,
  type RoutingContext,
  seconds,
} from './routing-context.ts';

/**
 * The queue: picking an agent (least-busy / sticky / round-robin under per-agent caps), assigning,
 * draining a group FIFO per lane, and putting an assigned chat back in the queue. A group's queue is
 * drained under the group row lock and a cap is re-counted after the agent lock, so several instances
 * drain the same group correctly.
 */
export function createQueue(ctx: RoutingContext) {
  const { repo, change, positions } = ctx;

  async function pickFor(r: RoutingRepository, conv: RoutedConversation, group: GroupSettingsRow) {
    const exclude = conv.missed_agent_id ? [conv.missed_agent_id] : [];
    const tried: string[] = [];
    let strategy: GroupSettingsRow['strategy'] = group.strategy;
    if (group.strategy === 'sticky') {
      const last = await r.lastAgentOf(conv.customer_id, conv.id, group.sticky_days);
      if (last && !exclude.includes(last)) {
        const a = await r.pickAgent(group.id, conv.store_id, 'least_busy', exclude, last);
        if (a && (await r.activeCount(a.id)) < a.cap) return { agent: a, strategy: 'sticky' as const };
      }
      strategy = 'least_busy'; // the last agent is away, full or gone: fall back
    }
    // A few tries: an agent whose recount (after the lock) shows the cap reached is passed over.
    for (let i = 0; i < 5; i++) {
      const a = await r.pickAgent(
        group.id,
        conv.store_id,
        group.strategy === 'round_robin' ? 'round_robin' : 'least_busy',
        [...exclude, ...tried],
      );
      if (!a) return null;
      if ((await r.activeCount(a.id)) < a.cap) return { agent: a, strategy };
      tried.push(a.id);
    }
    return null;
  }

  /** Assigns in the change's transaction: the fact, the no-reply timer, the greeting and the push. */
  async function assignNow(
    w: Change,
    conv: RoutedConversation,
    agent: { id: string; name: string },
    group: GroupSettingsRow | null,
    /** Routed (the strategy that picked the agent), or handed over by a person. */
    data: { strategy: GroupSettingsRow['strategy'] } | { reason: 'transfer' | 'take_over' },
  ) {
    await transitionConversation(w.tx, conv.id, {
      type: 'strategy' in data ? 'assigned' : 'transferred_to_agent',
      agentId: agent.id,
    });
    await w.r.markAssigned(agent.id, group?.id ?? null);
    if (group?.no_reply_seconds)
      await w.schedule(JOB.noReply, {
        key: jobKey(JOB.noReply, conv.id),
        orgId: conv.org_id,
        runAt: new Date(Date.now() + group.no_reply_seconds * 1000),
        payload: { conversationId: conv.id, agentId: agent.id },
      });
    await w.record(
      [
        {
          orgId: conv.org_id,
          kind: 'conversation.assigned',
          storeId: conv.store_id,
          groupId: conv.group_id,
          agentId: agent.id,
          conversationId: conv.id,
          data: {
            lane: laneOfPriority(conv.priority),
            waitedSeconds: seconds(conv.queued_at),
            estimatedWaitSeconds: conv.estimated_wait_seconds,
            ...data,
          },
        },
      ],
      [
        {
          type: 'system_message',
          conversationId: conv.id,
          body: `客服「${agent.name}」为您服务，请问有什么可以帮您？`,
        },
        { type: 'conversation_changed', conversationId: conv.id, previousAssigneeId: conv.assignee_id },
      ],
    );
  }

  /** Assigns the head of one group's queue; 'empty' | 'blocked' (nobody free for it) | assignment. */
  async function assignHead(groupId: string, skip: string[]) {
    return change(async (w) => {
      await w.r.lockGroup(groupId);
      const group = await w.r.getGroup(groupId);
      if (!group) return { kind: 'empty' as const };
      const head = await w.r.headOfQueue(groupId, skip);
      if (!head) return { kind: 'empty' as const };
      const pick = await pickFor(w.r, head, group);
      if (!pick) return { kind: 'blocked' as const, conversationId: head.id };
      await assignNow(w, head, pick.agent, group, { strategy: pick.strategy });
      return {
        kind: 'assigned' as const,
        assignment: { conversationId: head.id, agentId: pick.agent.id, agentName: pick.agent.name },
      };
    });
  }

  async function drainGroup(groupId: string): Promise<Assignment[]> {
    const done: Assignment[] = [];
    const skip: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const step = await assignHead(groupId, skip);
      if (step.kind === 'empty') break;
      if (step.kind === 'blocked') {
        // FIFO: nobody behind the head is served unless someone free cannot take the head (store
        // scope, or the agent who missed it) but could take the next one.
        if (skip.length >= 50 || !(await repo.hasFreeSlot(groupId))) break;
        skip.push(step.conversationId);
        continue;
      }
      done.push(step.assignment);
    }
    if (done.length > 0) positions.markQueueChanged(groupId);
    return done;
  }

  async function drainGroups(groupIds: string[]): Promise<Assignment[]> {
    const done: Assignment[] = [];
    for (const g of groupIds) done.push(...(await drainGroup(g)));
    return done;
  }

  async function drainForAgent(userId: string): Promise<Assignment[]> {
    return drainGroups(await repo.groupsOfAgent(userId));
  }

  /** An assigned chat goes back to the queue (no reply, agent away). */
  async function requeueAssigned(
    w: Change,
    conv: { id: string; org_id: string; store_id: string; group_id: string | null },
    fromAgentId: string,
    reason: 'no_reply' | 'agent_away',
    extra: { waitedSeconds?: number | null; misses?: number | null } = {},
  ) {
    await transitionConversation(w.tx, conv.id, { type: 'requeued', reason });
    await w.record(
      [
        {
          orgId: conv.org_id,
          kind: 'conversation.reassigned',
          storeId: conv.store_id,
          groupId: conv.group_id,
          agentId: fromAgentId,
          conversationId: conv.id,
          data: { reason, fromAgentId, ...extra },
        },
      ],
      [
        { type: 'system_message', conversationId: conv.id, body: '正在为您转接其他客服，请稍候…' },
        { type: 'conversation_changed', conversationId: conv.id, previousAssigneeId: fromAgentId },
      ],
    );
  }

  return { assignNow, drainGroup, drainGroups, drainForAgent, requeueAssigned };
}

export type Queue = ReturnType<typeof createQueue>;
