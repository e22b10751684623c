import type { TTransferRequest } from '@peakdesk/contracts';
import { isSupervisorOrAdmin, requireRole, type UserCaller } from '../../http/caller.ts';
import { DomainError, forbidden, invalidInput } from '../../http/domain-error.ts';
import { assertInScope, scopeOf } from '../../http/scope.ts';
import { transitionConversation } from '../chat/chat.repository.ts';
import type { Queue } from './queue.service.ts';
import { groupOfCaller, type RoutingContext } from './routing-context.ts';

/** Transfers to an agent or a group, with the sender's note, and a supervisor taking a chat over. */
export function createTransfers(ctx: RoutingContext, queue: Queue) {
  const { repo, change, positions } = ctx;

  async function loadFor(caller: UserCaller, conversationId: string) {
    return assertInScope(await repo.getConversation(conversationId), scopeOf(caller), 'conversation');
  }

  return {
    async transfer(caller: UserCaller, conversationId: string, req: TTransferRequest) {
      const conv0 = await loadFor(caller, conversationId);
      const isSupervisor = isSupervisorOrAdmin(caller);
      if (!isSupervisor && conv0.assignee_id !== caller.userId)
        throw forbidden('only the assigned agent or a supervisor may transfer this conversation');
      if (req.toGroupId)
        await groupOfCaller(repo, caller, req.toGroupId).catch(() => {
          throw invalidInput('toGroupId', 'unknown group');
        });
      const drainAfter: string[] = [];
      await change(async (w) => {
        const conv = await w.r.lockConversation(conversationId);
        if (!conv || (conv.status !== 'assigned' && conv.status !== 'queued'))
          throw new DomainError(
            'invalid_state',
            'not_transferable',
            'only a waiting or assigned conversation can be transferred',
          );
        if (!isSupervisor && conv.assignee_id !== caller.userId)
          throw forbidden('only the assigned agent or a supervisor may transfer this conversation');
        const base = {
          orgId: conv.org_id,
          kind: 'conversation.transferred' as const,
          storeId: conv.store_id,
          groupId: conv.group_id,
          agentId: conv.assignee_id,
          conversationId: conv.id,
        };
        if (req.toAgentId) {
          if (req.toAgentId === conv.assignee_id)
            throw invalidInput('toAgentId', 'already assigned to this agent');
          const target = await w.r.lockUser(req.toAgentId);
          if (!target || target.org_id !== conv.org_id || target.disabled)
            throw invalidInput('toAgentId', 'unknown agent');
          const serve = await w.r.userCanServe(target.id, conv.store_id, conv.group_id);
          if (!serve?.can) throw invalidInput('toAgentId', 'this agent does not serve the store');
          if (target.status !== 'online')
            throw new DomainError(
              'invalid_state',
              'agent_unavailable',
              `toAgentId: the agent is ${target.status}`,
              'toAgentId',
            );
          if ((await w.r.activeCount(target.id)) >= serve.cap)
            throw new DomainError(
              'invalid_state',
              'agent_at_capacity',
              'toAgentId: the agent has no free slot',
              'toAgentId',
            );
          await w.record([
            {
              ...base,
              data: {
                kind: 'to_agent',
                fromAgentId: conv.assignee_id,
                toAgentId: target.id,
                note: req.note,
                by: caller.userId,
              },
            },
          ]);
          const group = conv.group_id ? await w.r.getGroup(conv.group_id) : null;
          await queue.assignNow(w, conv, { id: target.id, name: target.name }, group, { reason: 'transfer' });
          await w.record(
            [],
            [
              {
                type: 'routing.transfer_notice',
                payload: {
                  orgId: conv.org_id,
                  storeId: conv.store_id,
                  toUserId: target.id,
                  toGroupId: null,
                  notice: { conversationId: conv.id, fromName: caller.name, note: req.note },
                },
              },
            ],
          );
        } else if (req.toGroupId) {
          await transitionConversation(w.tx, conv.id, {
            type: 'transferred_to_group',
            groupId: req.toGroupId,
          });
          drainAfter.push(req.toGroupId);
          await w.record(
            [
              {
                ...base,
                data: {
                  kind: 'to_group',
                  fromAgentId: conv.assignee_id,
                  toGroupId: req.toGroupId,
                  note: req.note,
                  by: caller.userId,
                },
              },
            ],
            [
              {
                type: 'system_message',
                conversationId: conv.id,
                body: '正在为您转接至专门的客服小组，请稍候…',
              },
              { type: 'conversation_changed', conversationId: conv.id, previousAssigneeId: conv.assignee_id },
              {
                type: 'routing.transfer_notice',
                payload: {
                  orgId: conv.org_id,
                  storeId: conv.store_id,
                  toUserId: null,
                  toGroupId: req.toGroupId,
                  notice: { conversationId: conv.id, fromName: caller.name, note: req.note },
                },
              },
            ],
          );
        }
      });
      if (conv0.assignee_id) drainAfter.push(...(await repo.groupsOfAgent(conv0.assignee_id)));
      await queue.drainGroups([...new Set(drainAfter)]);
      return repo.getConversation(conversationId);
    },

    /** A supervisor takes a chat of their stores themselves (no cap: they are not routed to). */
    async takeOver(caller: UserCaller, conversationId: string) {
      requireRole(caller, 'admin', 'supervisor');
      const conv0 = await loadFor(caller, conversationId);
      await change(async (w) => {
        const conv = await w.r.lockConversation(conversationId);
        if (!conv || (conv.status !== 'assigned' && conv.status !== 'queued'))
          throw new DomainError(
            'invalid_state',
            'not_transferable',
            'only a waiting or assigned conversation can be taken over',
          );
        if (conv.assignee_id === caller.userId) return;
        await w.record([
          {
            orgId: conv.org_id,
            kind: 'conversation.transferred',
            storeId: conv.store_id,
            groupId: conv.group_id,
            agentId: conv.assignee_id,
            conversationId: conv.id,
            data: {
              kind: 'take_over',
              fromAgentId: conv.assignee_id,
              toAgentId: caller.userId,
              by: caller.userId,
            },
          },
        ]);
        await queue.assignNow(w, conv, { id: caller.userId, name: caller.name }, null, {
          reason: 'take_over',
        });
      });
      if (conv0.assignee_id) await queue.drainForAgent(conv0.assignee_id);
      positions.markQueueChanged(conv0.group_id);
      return repo.getConversation(conversationId);
    },
  };
}
