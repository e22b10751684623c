import type { Queue } from './queue.service.ts';
import { JOB, type RoutingContext, seconds } from './routing-context.ts';

/**
 * Agent presence as routing sees it: sockets per agent on this instance, the heartbeat that keeps
 * `agent_presence` fresh, the sweep that makes agents without a socket anywhere away (their chats go back
 * to the queue), the way back from away, and the no-reply deadline that may pause an agent.
 */
export function createPresence(ctx: RoutingContext, queue: Queue) {
  const { deps, repo, change } = ctx;
  const { jobs, logger } = deps;
  const localAgents = new Map<string, number>();
  let heartbeat: ReturnType<typeof setInterval> | undefined;

  async function sweepAway(): Promise<number> {
    const groups = new Set<string>();
    const n = await change(async (w) => {
      const stale = await w.r.lockStaleAgents(deps.config.agentGraceSeconds);
      for (const a of stale) {
        const chats = await w.r.assignedTo(a.id);
        const done = await w.presence(a.id, { type: 'no_sockets' }, { requeued: chats.length });
        if (!done.changed) continue;
        for (const c of chats) {
          await queue.requeueAssigned(w, c, a.id, 'agent_away');
          if (c.group_id) groups.add(c.group_id);
        }
      }
      return stale.length;
    });
    if (groups.size) await queue.drainGroups([...groups]);
    return n;
  }

  async function onNoReply(payload: { conversationId: string; agentId: string }): Promise<Date | undefined> {
    const { conversationId, agentId } = payload;
    const result = await change(async (w) => {
      const conv = await w.r.lockConversation(conversationId);
      if (conv?.status !== 'assigned' || conv.assignee_id !== agentId || !conv.group_id) return null;
      const group = await w.r.getGroup(conv.group_id);
      const limit = group?.no_reply_seconds;
      if (!group || !limit) return null;
      const now = Date.now();
      if (!conv.awaiting_agent_since) return { again: new Date(now + limit * 1000) };
      const due = conv.awaiting_agent_since.getTime() + limit * 1000;
      if (due > now) return { again: new Date(due) };
      const miss = await w.r.recordMiss(agentId);
      await queue.requeueAssigned(w, conv, agentId, 'no_reply', {
        waitedSeconds: seconds(conv.awaiting_agent_since),
        misses: miss?.missed_replies ?? null,
      });
      // The machine pauses an online agent at the group's limit; otherwise nothing happens.
      if (miss)
        await w.presence(
          agentId,
          { type: 'missed_replies', misses: miss.missed_replies, pauseAfter: group.pause_after_misses },
          { groupId: conv.group_id },
        );
      return { groupId: conv.group_id };
    });
    if (result && 'again' in result) return result.again;
    if (result?.groupId) await queue.drainGroup(result.groupId);
    return undefined;
  }

  async function beat() {
    await repo.touchPresence([...localAgents.keys()]);
    await sweepAway();
  }

  jobs.register({ ...JOB.noReply, handle: onNoReply });

  return {
    sweepAway,
    /** An agent came online (the writer reset their missed replies): their groups' queues drain. */
    async onAgentStatusChanged(userId: string, status: string) {
      if (status === 'online') await queue.drainForAgent(userId);
    },
    async agentConnected(userId: string) {
      const n = (localAgents.get(userId) ?? 0) + 1;
      localAgents.set(userId, n);
      if (n > 1) return;
      await repo.touchPresence([userId]);
      // Back from away: the status they had (a no-op for an agent who was not away).
      await change((w) => w.presence(userId, { type: 'reconnected' }));
    },
    agentDisconnected(userId: string) {
      const n = (localAgents.get(userId) ?? 1) - 1;
      if (n <= 0) localAgents.delete(userId);
      else localAgents.set(userId, n);
    },
    heartbeat: beat,
    start() {
      heartbeat ??= setInterval(() => {
        beat().catch((e: unknown) => logger.warn({ err: e }, 'presence heartbeat failed'));
      }, deps.config.heartbeatMs);
      heartbeat.unref();
    },
    stop() {
      clearInterval(heartbeat);
      heartbeat = undefined;
    },
  };
}
