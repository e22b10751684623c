import { LANE_PRIORITY, type TQueuePosition } from '@peakdesk/contracts';
import type { CustomerCaller } from '../../http/caller.ts';
import { notFound } from '../../http/domain-error.ts';
import { isOpenAt } from './business-hours.ts';
import { laneFor, pickEntryRule } from './entry-rules.ts';
import type { Overflow } from './overflow.service.ts';
import type { Queue } from './queue.service.ts';
import { type OpenTicketCheck, type RoutingContext, scheduleMaxWait } from './routing-context.ts';

/** Entry into the queue: entry rules → lane and group, business hours, then the first drain. */
export function createEntry(ctx: RoutingContext, queue: Queue, overflow: Overflow) {
  const { deps, repo, change, positions } = ctx;
  const openTicket: OpenTicketCheck = deps.openTicketCheck ?? ((id) => repo.hasOpenPlaceholder(id));

  async function classify(conversationId: string, firstMessage?: string) {
    // The open-ticket hook may belong to another module (own queries): ask it before the transaction.
    const peek = await repo.getConversation(conversationId);
    if (!peek) return null;
    const rules = await repo.rulesOfStore(peek.store_id);
    const hasOpenTicket = rules.some((x) => x.conditions.hasOpenTicket !== undefined)
      ? await openTicket(peek.customer_id)
      : false;
    return change(async (w) => {
      const conv = await w.r.lockConversation(conversationId);
      if (conv?.status !== 'queued' || !conv.queued_at) return conv;
      if (conv.routed_for && conv.routed_for.getTime() === conv.queued_at.getTime()) return conv;
      const known = await w.r.entryContext(conv.id, conv.customer_id, conv.store_id);
      const facts = {
        entry: conv.entry,
        tier: known?.tier ?? 'normal',
        buyerId: known?.buyer_id ?? null,
        firstMessage: firstMessage ?? known?.first_message ?? '',
        hasOpenTicket,
        riskFlag: known?.risk_flag ?? false,
      };
      const rule = pickEntryRule(
        rules.map((x) => ({ ...x, groupId: x.group_id })),
        facts,
      );
      const lane = laneFor(rule, facts);
      let groupId = rule?.group_id ?? known?.default_group_id ?? conv.group_id;
      let group = groupId ? await w.r.getGroup(groupId) : null;
      let outcome: 'queue' | 'leave_message_offered' | 'bot' = 'queue';
      let afterHours = false;
      if (group && !isOpenAt(group.business_hours, group.timezone, new Date())) {
        afterHours = true;
        if (group.after_hours_action === 'group' && group.after_hours_group_id) {
          groupId = group.after_hours_group_id;
          group = await w.r.getGroup(groupId);
        } else if (group.after_hours_action === 'leave_message') outcome = 'leave_message_offered';
        else if (group.after_hours_action === 'bot') outcome = 'bot';
      }
      await w.r.setClassification(conv.id, {
        groupId,
        priority: LANE_PRIORITY[lane],
        ruleId: rule?.id ?? null,
        routedFor: conv.queued_at,
      });
      await w.record([
        {
          orgId: conv.org_id,
          kind: 'conversation.queued',
          storeId: conv.store_id,
          groupId,
          conversationId: conv.id,
          data: { lane, ruleId: rule?.id ?? null, entry: conv.entry, afterHours, outcome },
        },
      ]);
      const updated = { ...conv, group_id: groupId, priority: LANE_PRIORITY[lane] };
      if (outcome === 'leave_message_offered') {
        await overflow.holdAfterHours(w, updated, group);
        return { ...updated, leave_message_offer: 'after_hours' as const };
      }
      if (outcome === 'bot') {
        await overflow.leaveQueue(w, updated, { reason: 'after_hours' });
        return { ...updated, status: 'bot' as const };
      }
      if (group?.max_wait_seconds)
        await scheduleMaxWait(w, conv, group.id, conv.queued_at, group.max_wait_seconds);
      return updated;
    });
  }

  async function routeConversation(conversationId: string, opts: { firstMessage?: string | undefined } = {}) {
    const conv = await classify(conversationId, opts.firstMessage);
    if (!conv?.group_id || conv.status !== 'queued' || conv.leave_message_offer === 'after_hours')
      return null;
    const done = await queue.drainGroup(conv.group_id);
    const mine = done.find((a) => a.conversationId === conversationId) ?? null;
    if (!mine) {
      // First estimate, kept on the row: the error of this number is what the wall reports.
      const me = await positions.positionOf(conversationId);
      if (me) await repo.setEstimate(conversationId, me.etaSeconds);
      positions.markQueueChanged(conv.group_id);
    }
    return mine;
  }

  /**
   * The durable `routing.entry` listener's half: a queue entry whose classification never committed
   * (the instance died between the open or hand-off commit and routing) is classified and routed
   * now. One classified already is left alone: the fast path did it, and drains (a slot freed, an
   * agent online, the periodic refresh) serve it. True when this call classified it.
   */
  async function routeIfUnclassified(conversationId: string): Promise<boolean> {
    const conv = await repo.getConversation(conversationId);
    if (conv?.status !== 'queued' || !conv.queued_at) return false;
    if (conv.routed_for?.getTime() === conv.queued_at.getTime()) return false;
    await routeConversation(conversationId);
    return true;
  }

  return {
    routeConversation,
    routeIfUnclassified,
    async queuePosition(caller: CustomerCaller, conversationId: string): Promise<TQueuePosition | null> {
      const conv = await repo.getConversation(conversationId);
      if (!conv || conv.customer_id !== caller.customerId) throw notFound('conversation');
      if (conv.status !== 'queued' || !conv.group_id) return null;
      return positions.positionOf(conversationId);
    },
  };
}
