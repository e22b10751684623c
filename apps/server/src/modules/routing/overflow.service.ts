import { laneOfPriority, type TLeaveMessageRequest, type TQueuePosition } from '@peakdesk/contracts';
import type { CustomerCaller } from '../../http/caller.ts';
import { DomainError, notFound } from '../../http/domain-error.ts';
import { transitionConversation } from '../chat/chat.repository.ts';
import type { Fact } from '../facts/facts.service.ts';
import { describeWeeklyHours, isOpenAt } from './business-hours.ts';
import type { Queue } from './queue.service.ts';
import type { GroupSettingsRow, RoutedConversation } from './routing.repository.ts';
import {
  type Change,
  JOB,
  jobKey,
  type RoutingContext,
  type RoutingEvent,
  scheduleMaxWait,
  seconds,
} from './routing-context.ts';

const LEAVE_MESSAGE_OFFER = '当前咨询人数较多，您可以留言，客服会尽快联系您；也可以继续排队等待。';
const LEFT_MESSAGE = '已收到您的留言，客服会尽快联系您。';
const OPENED = '客服已上班，正在为您安排客服，请稍候～';
const BACK_TO_BOT = '当前人工客服繁忙，智能助手将继续为您服务；需要人工时请回复“转人工”。';
const afterHoursOffer = (serviceHours: string | null) =>
  `现在是非服务时间${serviceHours ? `（服务时间：${serviceHours}）` : ''}，您可以留言，客服上班后会尽快联系您。`;

/**
 * What happens to a wait that runs long or falls outside business hours: the max wait (reserve group,
 * leave-a-message offer, back to the bot), the after-hours hold and its release at opening, the
 * customer's answer to an offer, and abandonment.
 */
export function createOverflow(ctx: RoutingContext, queue: Queue) {
  const { deps, repo, change, positions } = ctx;
  const { jobs, logger } = deps;

  /** Back to the bot (max wait or after hours with that fallback). */
  async function leaveQueue(
    w: Change,
    conv: RoutedConversation,
    data: { reason: 'max_wait' | 'after_hours' },
  ) {
    const done = await transitionConversation(
      w.tx,
      conv.id,
      { type: 'overflowed', to: 'bot' },
      { when: (c) => c.status === 'queued' },
    );
    if (!done) return;
    await w.record(
      [
        {
          orgId: conv.org_id,
          kind: 'conversation.overflowed',
          storeId: conv.store_id,
          groupId: conv.group_id,
          conversationId: conv.id,
          data: { action: 'bot', waitedSeconds: seconds(conv.queued_at), ...data },
        },
      ],
      [
        { type: 'system_message', conversationId: conv.id, body: BACK_TO_BOT },
        { type: 'conversation_changed', conversationId: conv.id, previousAssigneeId: conv.assignee_id },
        { type: 'queue_changed', groupId: conv.group_id },
      ],
    );
  }

  /**
   * Outside the group's business hours with fallback leave-a-message: the conversation stays active
   * (`queued`, so what the customer writes lands in it and no new conversation opens) but is held out of
   * the queue (`leave_message_offer = 'after_hours'`): no agent, no max-wait timer, not in queue length,
   * wait or service level. The customer is told the hours and offered the form; nothing is recorded
   * until they leave a message. Leaving the page ends it as abandoned, like any wait.
   */
  async function holdAfterHours(w: Change, conv: RoutedConversation, group: GroupSettingsRow | null) {
    await transitionConversation(w.tx, conv.id, { type: 'offered', reason: 'after_hours' });
    await w.record(
      [
        {
          orgId: conv.org_id,
          kind: 'conversation.overflowed',
          storeId: conv.store_id,
          groupId: conv.group_id,
          conversationId: conv.id,
          data: { action: 'leave_message', offered: true, reason: 'after_hours', waitedSeconds: 0 },
        },
      ],
      [
        {
          type: 'system_message',
          conversationId: conv.id,
          body: afterHoursOffer(describeWeeklyHours(group?.business_hours ?? null)),
        },
        { type: 'queue_position', conversation: conv },
      ],
    );
  }

  /**
   * The group has opened: its held conversations (customer still there, no message left) join its queue
   * in their original order. Waiting counts from the release (queued_at = now, +1 ms per place to keep
   * the order), so the night does not count as wait; the marker is cleared, so from now on they count in
   * queue length, waits and service level. Then the queue is drained as usual. Run by the periodic queue
   * refresh (one instance per period; the group lock and the row locks make a second run a no-op).
   */
  async function releaseOpenedGroups(now = new Date()): Promise<number> {
    let total = 0;
    for (const groupId of await repo.heldGroups()) {
      const g0 = await repo.getGroup(groupId);
      if (!g0 || !isOpenAt(g0.business_hours, g0.timezone, now)) continue;
      const released = await change(async (w) => {
        await w.r.lockGroup(groupId);
        const group = await w.r.getGroup(groupId);
        if (!group || !isOpenAt(group.business_hours, group.timezone, now)) return [];
        const held = await w.r.lockHeld(groupId);
        const facts: Fact[] = [];
        const events: RoutingEvent[] = [];
        for (const [i, conv] of held.entries()) {
          const queuedAt = new Date(now.getTime() + i);
          await transitionConversation(w.tx, conv.id, { type: 'released', at: queuedAt });
          facts.push({
            orgId: conv.org_id,
            kind: 'conversation.queued',
            storeId: conv.store_id,
            groupId,
            conversationId: conv.id,
            data: {
              lane: laneOfPriority(conv.priority),
              entry: conv.entry,
              afterHours: false,
              outcome: 'queue',
              reason: 'opened',
              heldSeconds: seconds(conv.queued_at, now),
            },
          });
          if (group.max_wait_seconds)
            await scheduleMaxWait(w, conv, groupId, queuedAt, group.max_wait_seconds);
          events.push(
            { type: 'system_message', conversationId: conv.id, body: OPENED },
            { type: 'conversation_changed', conversationId: conv.id, previousAssigneeId: null },
          );
        }
        await w.record(facts, events);
        return held;
      });
      if (released.length === 0) continue;
      total += released.length;
      await queue.drainGroup(groupId);
      // Still waiting: the first estimate (as for a new arrival) and the place, pushed at once (the
      // widget drops the form when afterHours is gone).
      const ids = new Set(released.map((c) => c.id));
      const places = await positions.positionsOf(groupId, 5000);
      for (const x of places)
        if (ids.has(x.p.conversationId)) await repo.setEstimate(x.p.conversationId, x.p.etaSeconds);
      positions.publishList(places);
    }
    return total;
  }

  /**
   * After the max wait the customer may leave a message instead of waiting (the widget shows a form and
   * 继续等待); nothing changes until they choose, and their place is kept. Once per queue entry.
   */
  async function offerLeaveMessage(w: Change, conv: RoutedConversation) {
    if (conv.leave_message_offer) return;
    await transitionConversation(w.tx, conv.id, { type: 'offered', reason: 'max_wait' });
    await w.record(
      [
        {
          orgId: conv.org_id,
          kind: 'conversation.overflowed',
          storeId: conv.store_id,
          groupId: conv.group_id,
          conversationId: conv.id,
          data: {
            action: 'leave_message',
            offered: true,
            reason: 'max_wait',
            waitedSeconds: seconds(conv.queued_at),
          },
        },
      ],
      [
        { type: 'system_message', conversationId: conv.id, body: LEAVE_MESSAGE_OFFER },
        { type: 'queue_position', conversation: conv },
      ],
    );
  }

  async function onMaxWait(payload: { conversationId: string; groupId: string }): Promise<undefined> {
    const { conversationId } = payload;
    const moved = await change(async (w) => {
      const conv = await w.r.lockConversation(conversationId);
      if (conv?.status !== 'queued' || !conv.group_id || conv.group_id !== payload.groupId) return null;
      const group = await w.r.getGroup(conv.group_id);
      if (!group || group.overflow_action === 'none') return null;
      if (group.overflow_action === 'reserve_group' && group.overflow_group_id) {
        const reserve = await w.r.getGroup(group.overflow_group_id);
        if (!reserve) return null;
        await transitionConversation(w.tx, conv.id, { type: 'overflowed', to: 'group', groupId: reserve.id });
        if (reserve.max_wait_seconds)
          await scheduleMaxWait(w, conv, reserve.id, new Date(), reserve.max_wait_seconds);
        await w.record(
          [
            {
              orgId: conv.org_id,
              kind: 'conversation.overflowed',
              storeId: conv.store_id,
              groupId: conv.group_id,
              conversationId: conv.id,
              data: {
                action: 'reserve_group',
                toGroupId: reserve.id,
                waitedSeconds: seconds(conv.queued_at),
              },
            },
          ],
          [
            { type: 'queue_changed', groupId: conv.group_id },
            { type: 'conversation_changed', conversationId: conv.id, previousAssigneeId: null },
          ],
        );
        return reserve.id;
      }
      if (group.overflow_action === 'leave_message') await offerLeaveMessage(w, conv);
      else if (group.overflow_action === 'bot') await leaveQueue(w, conv, { reason: 'max_wait' });
      return null;
    });
    if (moved) await queue.drainGroup(moved);
    return undefined;
  }

  async function abandon(conversationId: string, reason: 'left' | 'disconnected') {
    const groupId = await change(async (w) => {
      const conv = await w.r.lockConversation(conversationId);
      if (conv?.status !== 'queued') return null;
      await transitionConversation(w.tx, conv.id, { type: 'abandoned' });
      await w.record(
        [
          {
            orgId: conv.org_id,
            kind: 'conversation.abandoned',
            storeId: conv.store_id,
            groupId: conv.group_id,
            conversationId: conv.id,
            data: { reason, waitedSeconds: seconds(conv.queued_at), lane: laneOfPriority(conv.priority) },
          },
        ],
        [{ type: 'conversation_changed', conversationId: conv.id, previousAssigneeId: null }],
      );
      return conv.group_id;
    });
    positions.markQueueChanged(groupId);
    return groupId !== null;
  }

  jobs.register({ ...JOB.maxWait, handle: onMaxWait });
  // A promotion burst ends in thousands of abandonments at once: each is its own short transaction.
  jobs.register({
    ...JOB.abandon,
    concurrency: 16,
    handle: async (p) => {
      const id = await repo.queuedOfCustomer(p.customerId);
      if (id) await abandon(id, 'disconnected');
    },
  });
  jobs.register({
    ...JOB.queueRefresh,
    concurrency: 1,
    handle: async () => {
      // One instance per period releases the chats held after hours of groups now open, then refreshes
      // every queue's estimates (they drift as time passes), serving any seat left free.
      await releaseOpenedGroups().catch((e: unknown) =>
        logger.warn({ err: e }, 'after-hours release failed'),
      );
      for (const g of await repo.queuedGroups()) {
        // A drain that never ran (the instance died after a resolve or a classification committed)
        // leaves a free seat beside a waiting chat: this fills it within one period.
        if (await repo.hasFreeSlot(g)) await queue.drainGroup(g);
        await positions.publishPositions(g, 5000);
      }
      return new Date(Date.now() + 5_000);
    },
  });

  return {
    holdAfterHours,
    leaveQueue,
    /** The periodic queue refresh: one timer for the whole deployment, created by whoever starts first. */
    startRefresh() {
      const key = JOB.queueRefresh.id;
      void jobs
        .get(key)
        .then((t) =>
          t ? undefined : jobs.schedule(JOB.queueRefresh, { key, runAt: new Date(), payload: {} }),
        )
        .then(() => jobs.nudge(JOB.queueRefresh.id))
        .catch(() => undefined);
    },

    /** A socket change is a one-statement change: the job is written directly (no other row moves). */
    async customerConnected(customerId: string) {
      await jobs.cancel(jobKey(JOB.abandon, customerId));
    },
    async customerDisconnected(customerId: string, orgId: string) {
      await jobs.schedule(JOB.abandon, {
        key: jobKey(JOB.abandon, customerId),
        orgId,
        runAt: new Date(Date.now() + deps.config.abandonGraceSeconds * 1000),
        payload: { customerId },
      });
    },

    /** The customer takes the leave-a-message offer: placeholder with their text, conversation closed. */
    async leaveMessageByCustomer(
      caller: CustomerCaller,
      conversationId: string,
      req: TLeaveMessageRequest,
    ): Promise<{ id: string }> {
      const conv0 = await repo.getConversation(conversationId);
      if (!conv0 || conv0.customer_id !== caller.customerId) throw notFound('conversation');
      const contact = req.contact ? req.contact : null;
      return change(async (w) => {
        const conv = await w.r.lockConversation(conversationId);
        if (conv?.status !== 'queued')
          throw new DomainError(
            'invalid_state',
            'not_queued',
            'only a waiting conversation can leave a message',
          );
        if (!conv.leave_message_offer)
          throw new DomainError(
            'invalid_state',
            'not_offered',
            'leave-a-message is offered once the group’s maximum wait has passed',
          );
        const reason = conv.leave_message_offer === 'after_hours' ? 'after_hours' : 'max_wait';
        const placeholderId = await w.r.insertPlaceholder({
          orgId: conv.org_id,
          storeId: conv.store_id,
          customerId: conv.customer_id,
          conversationId: conv.id,
          note: reason,
          message: req.message,
          contact,
        });
        await transitionConversation(w.tx, conv.id, { type: 'left_message' });
        await w.record(
          [
            {
              orgId: conv.org_id,
              kind: 'conversation.left_message',
              storeId: conv.store_id,
              groupId: conv.group_id,
              conversationId: conv.id,
              data: {
                placeholderId,
                reason,
                hasContact: contact !== null,
                lane: laneOfPriority(conv.priority),
                waitedSeconds: seconds(conv.queued_at),
              },
            },
          ],
          [
            { type: 'system_message', conversationId: conv.id, body: LEFT_MESSAGE },
            { type: 'conversation_changed', conversationId: conv.id, previousAssigneeId: null },
            { type: 'queue_changed', groupId: conv.group_id },
          ],
        );
        return { id: placeholderId };
      });
    },
    /** The customer declines the offer: same place in the queue; the offer does not come back. */
    async keepWaitingByCustomer(
      caller: CustomerCaller,
      conversationId: string,
    ): Promise<TQueuePosition | null> {
      const conv0 = await repo.getConversation(conversationId);
      if (!conv0 || conv0.customer_id !== caller.customerId) throw notFound('conversation');
      await change(async (w) => {
        const conv = await w.r.lockConversation(conversationId);
        if (conv?.status !== 'queued')
          throw new DomainError(
            'invalid_state',
            'not_queued',
            'only a waiting conversation can keep waiting',
          );
        if (conv.leave_message_offer === 'after_hours')
          throw new DomainError(
            'invalid_state',
            'after_hours',
            'the group is outside its business hours: there is no queue to wait in',
          );
        if (conv.leave_message_offer !== 'offered') return;
        await transitionConversation(w.tx, conv.id, { type: 'kept_waiting' });
        await w.record([
          {
            orgId: conv.org_id,
            kind: 'conversation.kept_waiting',
            storeId: conv.store_id,
            groupId: conv.group_id,
            conversationId: conv.id,
            data: { lane: laneOfPriority(conv.priority), waitedSeconds: seconds(conv.queued_at) },
          },
        ]);
      });
      return positions.positionOf(conversationId);
    },
    async abandonByCustomer(caller: CustomerCaller, conversationId: string) {
      const conv = await repo.getConversation(conversationId);
      if (!conv || conv.customer_id !== caller.customerId) throw notFound('conversation');
      if (conv.status !== 'queued')
        throw new DomainError('invalid_state', 'not_queued', 'only a waiting conversation can be left');
      await abandon(conversationId, 'left');
    },
  };
}

export type Overflow = ReturnType<typeof createOverflow>;
