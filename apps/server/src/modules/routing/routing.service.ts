import {
  LANE_PRIORITY,
  laneOfPriority,
  type TCreateRoutingRuleRequest,
  type TCustomerRoutingFlags,
  type TGroupRouting,
  type TLeaveMessage,
  type TLeaveMessageRequest,
  type TQueuePosition,
  type TRoutingRule,
  type TTransferRequest,
  type TUpdateGroupRoutingRequest,
  type TUpdateLeaveMessageRequest,
  type TUpdateRoutingRuleRequest,
  type TWallSnapshot,
  ZRuleConditions,
} from '@peakdesk/contracts';
import { type Database, sql } from '@peakdesk/db';
import type { SQL } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { EventBus } from '../../events/event-bus.ts';
import {
  type CustomerCaller,
  canAccessStore,
  isSupervisorOrAdmin,
  requireRole,
  type UserCaller,
} from '../../http/caller.ts';
import { DomainError, forbidden, invalidInput, notFound } from '../../http/domain-error.ts';
import type { Timers } from '../../jobs/timers.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { transitionConversation } from '../chat/conversation-state.ts';
import { type Fact, recordFacts } from '../facts/facts.service.ts';
import { describeWeeklyHours, isOpenAt } from './business-hours.ts';
import { laneFor, pickEntryRule } from './entry-rules.ts';
import { DEFAULT_AHT_SECONDS, estimateHandleSeconds, estimateWaitSeconds } from './queue-estimate.ts';
import {
  createRoutingRepository,
  type GroupSettingsRow,
  type PlaceholderRow,
  type RoutedConversation,
  type RoutingRepository,
  type RuleRow,
} from './routing.repository.ts';

export type Assignment = { conversationId: string; agentId: string; agentName: string };

/** What routing needs from chat, passed in so routing never touches chat's tables for writes it owns. */
export type RoutingNotifier = {
  systemMessage(conversationId: string, body: string): Promise<unknown>;
  conversationChanged(conversationId: string, previousAssigneeId: string | null): Promise<unknown>;
};
/** The "buyer has an open ticket" hook; the tickets module will provide its own. */
export type OpenTicketCheck = (customerId: string) => Promise<boolean>;

export type RoutingConfig = {
  /** An online/paused agent with no socket on any instance this long becomes away. */
  agentGraceSeconds: number;
  /** A queued customer with no socket this long has abandoned. */
  abandonGraceSeconds: number;
  /** How often presence is refreshed and stale agents are swept. */
  heartbeatMs: number;
};

export type RoutingServiceDeps = {
  db: Database;
  bus: EventBus;
  timers: Timers;
  audit: AuditService;
  logger: Logger;
  config: RoutingConfig;
  notify: () => RoutingNotifier;
  openTicketCheck?: OpenTicketCheck;
};

const TIMER = {
  noReply: 'routing.no_reply',
  maxWait: 'routing.max_wait',
  abandon: 'routing.abandon',
  queueRefresh: 'routing.queue_refresh',
} as const;
const LEAVE_MESSAGE_OFFER = '当前咨询人数较多，您可以留言，客服会尽快联系您；也可以继续排队等待。';
const LEFT_MESSAGE = '已收到您的留言，客服会尽快联系您。';
const OPENED = '客服已上班，正在为您安排客服，请稍候～';
const afterHoursOffer = (serviceHours: string | null) =>
  `现在是非服务时间${serviceHours ? `（服务时间：${serviceHours}）` : ''}，您可以留言，客服上班后会尽快联系您。`;
const seconds = (from: Date | null, to = new Date()) =>
  from ? Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000)) : null;

type AfterCommit = () => Promise<unknown>;

function toLeaveMessageDto(p: PlaceholderRow): TLeaveMessage {
  return {
    id: p.id,
    storeId: p.store_id,
    storeName: p.store_name,
    customerId: p.customer_id,
    customerName: p.customer_name,
    conversationId: p.conversation_id,
    status: p.status === 'closed' ? 'handled' : 'open',
    reason: p.note === 'after_hours' ? 'after_hours' : p.note === 'max_wait' ? 'max_wait' : 'other',
    message: p.message,
    contact: p.contact,
    createdAt: new Date(p.created_at).toISOString(),
    handledAt: p.handled_at ? new Date(p.handled_at).toISOString() : null,
    handledByName: p.handled_by_name,
  };
}

/**
 * Surge routing: entry rules → lane and group, business hours, FIFO-per-lane queues drained under
 * per-agent caps with least-busy / sticky / round-robin, no-reply reassignment, overflow, transfers,
 * presence. Correct with several instances: a group's queue is drained under the group row lock,
 * conversations and agents are locked with SKIP LOCKED, and a cap is re-counted after the agent lock.
 */
export function createRoutingService(deps: RoutingServiceDeps) {
  const { db, bus, timers, logger } = deps;
  const repo = createRoutingRepository(db);
  const openTicket: OpenTicketCheck = deps.openTicketCheck ?? ((id) => repo.hasOpenPlaceholder(id));

  async function inTx<T>(fn: (r: RoutingRepository, tx: Database, after: AfterCommit[]) => Promise<T>) {
    const after: AfterCommit[] = [];
    const result = await db.transaction(async (tx) => {
      const t = tx as unknown as Database;
      return fn(createRoutingRepository(t), t, after);
    });
    for (const a of after) await a();
    return result;
  }

  // ---------- live queue positions (debounced per group on this instance) ----------
  const dirtyGroups = new Set<string>();
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** After the commit: the group's max-wait timer for a chat, counted from `from`. */
  function scheduleMaxWait(
    after: AfterCommit[],
    conversationId: string,
    groupId: string,
    from: Date,
    maxWaitSeconds: number,
  ) {
    after.push(() =>
      timers.schedule(
        `${TIMER.maxWait}:${conversationId}`,
        TIMER.maxWait,
        new Date(from.getTime() + maxWaitSeconds * 1000),
        { conversationId, groupId },
      ),
    );
  }

  function markQueueChanged(groupId: string | null) {
    if (!groupId) return;
    dirtyGroups.add(groupId);
    flushTimer ??= setTimeout(() => {
      flushTimer = undefined;
      const groups = [...dirtyGroups];
      dirtyGroups.clear();
      for (const g of groups)
        publishPositions(g).catch((e: unknown) => logger.warn({ err: e }, 'queue positions failed'));
    }, 150);
  }

  // Capacity changes slowly relative to arrivals in a surge: reuse it for a second. The handle time is
  // a mean over the last hour (its query reads every chat of that hour): re-read every 10 seconds.
  const estimators = new Map<string, { at: number; estimate: (position: number) => number | null }>();
  const handleTimes = new Map<string, { at: number; seconds: number }>();
  async function groupHandleSeconds(groupId: string) {
    const cached = handleTimes.get(groupId);
    if (cached && Date.now() - cached.at < 10_000) return cached.seconds;
    const seconds = estimateHandleSeconds(await repo.handleTimeCohort(groupId)) ?? DEFAULT_AHT_SECONDS;
    if (handleTimes.size > 10_000) handleTimes.clear();
    handleTimes.set(groupId, { at: Date.now(), seconds });
    return seconds;
  }
  async function groupEstimator(groupId: string) {
    const cached = estimators.get(groupId);
    if (cached && Date.now() - cached.at < 1000) return cached.estimate;
    const [cap, ahtSeconds] = await Promise.all([repo.capacity(groupId), groupHandleSeconds(groupId)]);
    const estimate = (position: number) =>
      estimateWaitSeconds({ position, totalSlots: cap.total, freeSlots: cap.total - cap.used, ahtSeconds });
    if (estimators.size > 10_000) estimators.clear();
    estimators.set(groupId, { at: Date.now(), estimate });
    return estimate;
  }

  /** One conversation's place: a count over the queue index, not the whole queue. */
  async function positionOf(conversationId: string): Promise<TQueuePosition | null> {
    const p = await repo.placeInQueue(conversationId);
    if (!p) return heldAfterHours(conversationId);
    const estimate = await groupEstimator(p.group_id);
    return {
      conversationId,
      position: p.position,
      queueLength: p.queue_length,
      etaSeconds: estimate(p.position),
      leaveMessageOffered: p.leave_message_offer === 'offered',
      afterHours: null,
    };
  }

  /** A conversation held out of the queue after hours: no place, the offer and the service hours. */
  async function heldAfterHours(conversationId: string): Promise<TQueuePosition | null> {
    const conv = await repo.getConversation(conversationId);
    if (conv?.status !== 'queued' || conv.leave_message_offer !== 'after_hours') return null;
    const group = conv.group_id ? await repo.getGroup(conv.group_id) : null;
    return {
      conversationId,
      position: 0,
      queueLength: 0,
      etaSeconds: null,
      leaveMessageOffered: true,
      afterHours: { serviceHours: describeWeeklyHours(group?.business_hours ?? null) },
    };
  }

  /** One customer's place, pushed at once (an offer must not wait for the next refresh). */
  async function publishPositionOf(conv: { id: string; org_id: string; customer_id: string }) {
    const p = await positionOf(conv.id);
    if (p)
      bus.publish('queue.positions', {
        orgId: conv.org_id,
        positions: [{ customerId: conv.customer_id, ...p }],
      });
  }

  async function positionsOf(
    groupId: string,
    limit: number,
  ): Promise<{ orgId: string; customerId: string; p: TQueuePosition }[]> {
    const queue = await repo.queueOf(groupId, limit);
    const queueLength = queue.length < limit ? queue.length : await repo.queueLength(groupId);
    if (queue.length === 0) return [];
    const estimate = await groupEstimator(groupId);
    return queue.map((q, i) => ({
      orgId: q.org_id,
      customerId: q.customer_id,
      p: {
        conversationId: q.id,
        position: i + 1,
        queueLength,
        etaSeconds: estimate(i + 1),
        leaveMessageOffered: q.leave_message_offer === 'offered',
        afterHours: null,
      },
    }));
  }

  /** Pushed on every change for the first places; everyone's estimate is refreshed every few seconds. */
  async function publishPositions(groupId: string, limit = 500) {
    const list = await positionsOf(groupId, limit);
    if (list.length === 0) return;
    bus.publish('queue.positions', {
      orgId: list[0]!.orgId,
      positions: list.map((x) => ({ customerId: x.customerId, ...x.p })),
    });
  }

  // ---------- assignment ----------
  async function pickFor(r: RoutingRepository, conv: RoutedConversation, group: GroupSettingsRow) {
    const exclude = conv.missed_agent_id ? [conv.missed_agent_id] : [];
    const tried: string[] = [];
    let strategy: string = group.strategy;
    if (group.strategy === 'sticky') {
      const last = await r.lastAgentOf(conv.customer_id, conv.id, group.sticky_days);
      if (last && !exclude.includes(last)) {
        const a = await r.pickAgent(group.id, conv.store_id, 'least_busy', exclude, last);
        if (a && (await r.activeCount(a.id)) < a.cap) return { agent: a, strategy: 'sticky' };
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

  async function assignNow(
    r: RoutingRepository,
    tx: Database,
    after: AfterCommit[],
    conv: RoutedConversation,
    agent: { id: string; name: string },
    group: GroupSettingsRow | null,
    data: Record<string, unknown>,
  ) {
    const t = transitionConversation(
      { status: conv.status, assigneeId: conv.assignee_id },
      { type: 'assign', agentId: agent.id },
    );
    if (!t.ok) throw new DomainError('invalid_state', 'invalid_transition', t.reason);
    await r.assign(conv.id, agent.id, group?.id ?? null);
    await recordFacts(tx, [
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
    ]);
    if (group?.no_reply_seconds)
      after.push(() =>
        timers.schedule(
          `${TIMER.noReply}:${conv.id}`,
          TIMER.noReply,
          new Date(Date.now() + group.no_reply_seconds! * 1000),
          { conversationId: conv.id, agentId: agent.id },
        ),
      );
    after.push(async () => {
      await deps.notify().systemMessage(conv.id, `客服「${agent.name}」为您服务，请问有什么可以帮您？`);
      await deps.notify().conversationChanged(conv.id, conv.assignee_id);
    });
  }

  /** Assigns the head of one group's queue; 'empty' | 'blocked' (nobody free for it) | assignment. */
  async function assignHead(groupId: string, skip: string[]) {
    return inTx(async (r, tx, after) => {
      await r.lockGroup(groupId);
      const group = await r.getGroup(groupId);
      if (!group) return { kind: 'empty' as const };
      const head = await r.headOfQueue(groupId, skip);
      if (!head) return { kind: 'empty' as const };
      const pick = await pickFor(r, head, group);
      if (!pick) return { kind: 'blocked' as const, conversationId: head.id };
      await assignNow(r, tx, after, head, pick.agent, group, { strategy: pick.strategy });
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
    if (done.length > 0) markQueueChanged(groupId);
    return done;
  }

  async function drainGroups(groupIds: string[]): Promise<Assignment[]> {
    const done: Assignment[] = [];
    for (const g of groupIds) done.push(...(await drainGroup(g)));
    return done;
  }

  // ---------- entry: rules, lanes, business hours ----------
  async function classify(conversationId: string, firstMessage?: string) {
    // The open-ticket hook may belong to another module (own queries): ask it before the transaction.
    const peek = await repo.getConversation(conversationId);
    if (!peek) return null;
    const rules = await repo.rulesOfStore(peek.store_id);
    const hasOpenTicket = rules.some((x) => x.conditions.hasOpenTicket !== undefined)
      ? await openTicket(peek.customer_id)
      : false;
    return inTx(async (r, tx, after) => {
      const conv = await r.lockConversation(conversationId);
      if (conv?.status !== 'queued' || !conv.queued_at) return conv;
      if (conv.routed_for && conv.routed_for.getTime() === conv.queued_at.getTime()) return conv;
      const ctx = await r.entryContext(conv.id, conv.customer_id, conv.store_id);
      const facts = {
        entry: conv.entry,
        tier: ctx?.tier ?? 'normal',
        buyerId: ctx?.buyer_id ?? null,
        firstMessage: firstMessage ?? ctx?.first_message ?? '',
        hasOpenTicket,
        riskFlag: ctx?.risk_flag ?? false,
      };
      const rule = pickEntryRule(
        rules.map((x) => ({ ...x, groupId: x.group_id })),
        facts,
      );
      const lane = laneFor(rule, facts);
      let groupId = rule?.group_id ?? ctx?.default_group_id ?? conv.group_id;
      let group = groupId ? await r.getGroup(groupId) : null;
      let outcome: 'queue' | 'leave_message_offered' | 'bot' = 'queue';
      let afterHours = false;
      if (group && !isOpenAt(group.business_hours, group.timezone, new Date())) {
        afterHours = true;
        if (group.after_hours_action === 'group' && group.after_hours_group_id) {
          groupId = group.after_hours_group_id;
          group = await r.getGroup(groupId);
        } else if (group.after_hours_action === 'leave_message') outcome = 'leave_message_offered';
        else if (group.after_hours_action === 'bot') outcome = 'bot';
      }
      await r.setClassification(conv.id, {
        groupId,
        priority: LANE_PRIORITY[lane],
        ruleId: rule?.id ?? null,
        routedFor: conv.queued_at,
      });
      await recordFacts(tx, [
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
        await holdAfterHours(r, tx, after, updated, group);
        return { ...updated, leave_message_offer: 'after_hours' as const };
      }
      if (outcome === 'bot') {
        await leaveQueue(r, tx, after, updated, { reason: 'after_hours' });
        return { ...updated, status: 'bot' as const };
      }
      if (group?.max_wait_seconds)
        scheduleMaxWait(after, conv.id, group.id, conv.queued_at!, group.max_wait_seconds);
      return updated;
    });
  }

  /** Back to the bot (max wait or after hours with that fallback). */
  async function leaveQueue(
    r: RoutingRepository,
    tx: Database,
    after: AfterCommit[],
    conv: RoutedConversation,
    data: Record<string, unknown>,
  ) {
    const t = transitionConversation(
      { status: conv.status, assigneeId: conv.assignee_id },
      { type: 'return_to_bot' },
    );
    if (!t.ok) return;
    await r.setStatus(conv.id, 'bot');
    await recordFacts(tx, [
      {
        orgId: conv.org_id,
        kind: 'conversation.overflowed',
        storeId: conv.store_id,
        groupId: conv.group_id,
        conversationId: conv.id,
        data: { action: 'bot', waitedSeconds: seconds(conv.queued_at), ...data },
      },
    ]);
    after.push(async () => {
      await deps
        .notify()
        .systemMessage(conv.id, '当前人工客服繁忙，智能助手将继续为您服务；需要人工时请回复“转人工”。');
      await deps.notify().conversationChanged(conv.id, conv.assignee_id);
      markQueueChanged(conv.group_id);
    });
  }

  /**
   * Outside the group's business hours with fallback leave-a-message: the conversation stays active
   * (`queued`, so what the customer writes lands in it and no new conversation opens) but is held out of
   * the queue (`leave_message_offer = 'after_hours'`): no agent, no max-wait timer, not in queue length,
   * wait or service level. The customer is told the hours and offered the form; nothing is recorded
   * until they leave a message. Leaving the page ends it as abandoned, like any wait.
   */
  async function holdAfterHours(
    r: RoutingRepository,
    tx: Database,
    after: AfterCommit[],
    conv: RoutedConversation,
    group: GroupSettingsRow | null,
  ) {
    await r.setLeaveMessageOffer(conv.id, 'after_hours');
    await recordFacts(tx, [
      {
        orgId: conv.org_id,
        kind: 'conversation.overflowed',
        storeId: conv.store_id,
        groupId: conv.group_id,
        conversationId: conv.id,
        data: { action: 'leave_message', offered: true, reason: 'after_hours', waitedSeconds: 0 },
      },
    ]);
    after.push(async () => {
      await deps
        .notify()
        .systemMessage(conv.id, afterHoursOffer(describeWeeklyHours(group?.business_hours ?? null)));
      await publishPositionOf(conv);
    });
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
      const released = await inTx(async (r, tx, after) => {
        await r.lockGroup(groupId);
        const group = await r.getGroup(groupId);
        if (!group || !isOpenAt(group.business_hours, group.timezone, now)) return [];
        const held = await r.lockHeld(groupId);
        const facts: Fact[] = [];
        for (const [i, conv] of held.entries()) {
          const queuedAt = new Date(now.getTime() + i);
          await r.releaseHeld(conv.id, queuedAt);
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
            scheduleMaxWait(after, conv.id, groupId, queuedAt, group.max_wait_seconds);
          after.push(async () => {
            await deps.notify().systemMessage(conv.id, OPENED);
            await deps.notify().conversationChanged(conv.id, null);
          });
        }
        await recordFacts(tx, facts);
        return held;
      });
      if (released.length === 0) continue;
      total += released.length;
      await drainGroup(groupId);
      // Still waiting: the first estimate (as for a new arrival) and the place, pushed at once (the
      // widget drops the form when afterHours is gone).
      const ids = new Set(released.map((c) => c.id));
      const places = await positionsOf(groupId, 5000);
      for (const x of places)
        if (ids.has(x.p.conversationId)) await repo.setEstimate(x.p.conversationId, x.p.etaSeconds);
      if (places.length > 0)
        bus.publish('queue.positions', {
          orgId: places[0]!.orgId,
          positions: places.map((x) => ({ customerId: x.customerId, ...x.p })),
        });
    }
    return total;
  }

  /**
   * After the max wait the customer may leave a message instead of waiting (the widget shows a form and
   * 继续等待); nothing changes until they choose, and their place is kept. Once per queue entry.
   */
  async function offerLeaveMessage(
    r: RoutingRepository,
    tx: Database,
    after: AfterCommit[],
    conv: RoutedConversation,
  ) {
    if (conv.leave_message_offer) return;
    await r.setLeaveMessageOffer(conv.id, 'offered');
    await recordFacts(tx, [
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
    ]);
    after.push(async () => {
      await deps.notify().systemMessage(conv.id, LEAVE_MESSAGE_OFFER);
      await publishPositionOf(conv);
    });
  }

  async function routeConversation(conversationId: string, opts: { firstMessage?: string | undefined } = {}) {
    const conv = await classify(conversationId, opts.firstMessage);
    if (!conv?.group_id || conv.status !== 'queued' || conv.leave_message_offer === 'after_hours')
      return null;
    const done = await drainGroup(conv.group_id);
    const mine = done.find((a) => a.conversationId === conversationId) ?? null;
    if (!mine) {
      // First estimate, kept on the row: the error of this number is what the wall reports.
      const me = await positionOf(conversationId);
      if (me) await repo.setEstimate(conversationId, me.etaSeconds);
      markQueueChanged(conv.group_id);
    }
    return mine;
  }

  // ---------- requeue (no reply, away) ----------
  async function requeueAssigned(
    r: RoutingRepository,
    tx: Database,
    after: AfterCommit[],
    conv: { id: string; org_id: string; store_id: string; group_id: string | null },
    fromAgentId: string,
    reason: 'no_reply' | 'agent_away',
    extra: Record<string, unknown> = {},
  ) {
    await r.requeue(conv.id, { missedAgentId: reason === 'no_reply' ? fromAgentId : null });
    await recordFacts(tx, [
      {
        orgId: conv.org_id,
        kind: 'conversation.reassigned',
        storeId: conv.store_id,
        groupId: conv.group_id,
        agentId: fromAgentId,
        conversationId: conv.id,
        data: { reason, fromAgentId, ...extra },
      },
    ]);
    after.push(async () => {
      await deps.notify().systemMessage(conv.id, '正在为您转接其他客服，请稍候…');
      await deps.notify().conversationChanged(conv.id, fromAgentId);
    });
  }

  async function onNoReply(payload: Record<string, unknown>): Promise<Date | undefined> {
    const conversationId = String(payload.conversationId);
    const agentId = String(payload.agentId);
    const result = await inTx(async (r, tx, after) => {
      const conv = await r.lockConversation(conversationId);
      if (conv?.status !== 'assigned' || conv.assignee_id !== agentId || !conv.group_id) return null;
      const group = await r.getGroup(conv.group_id);
      const limit = group?.no_reply_seconds;
      if (!group || !limit) return null;
      const now = Date.now();
      if (!conv.awaiting_agent_since) return { again: new Date(now + limit * 1000) };
      const due = conv.awaiting_agent_since.getTime() + limit * 1000;
      if (due > now) return { again: new Date(due) };
      const miss = await r.recordMiss(agentId);
      const paused = Boolean(
        group.pause_after_misses &&
          miss &&
          miss.missed_replies >= group.pause_after_misses &&
          miss.status === 'online',
      );
      await requeueAssigned(r, tx, after, conv, agentId, 'no_reply', {
        waitedSeconds: seconds(conv.awaiting_agent_since),
        misses: miss?.missed_replies ?? null,
      });
      if (paused) {
        await r.setAgentStatus(agentId, 'paused');
        await recordFacts(tx, [
          {
            orgId: conv.org_id,
            kind: 'agent.status_changed',
            agentId,
            groupId: conv.group_id,
            data: { status: 'paused', reason: 'missed_replies', misses: miss?.missed_replies },
          },
        ]);
        after.push(async () =>
          bus.publish('agent.status_changed', { orgId: conv.org_id, userId: agentId, status: 'paused' }),
        );
      }
      return { groupId: conv.group_id };
    });
    if (result && 'again' in result) return result.again;
    if (result?.groupId) await drainGroup(result.groupId);
    return undefined;
  }

  async function onMaxWait(payload: Record<string, unknown>): Promise<Date | undefined> {
    const conversationId = String(payload.conversationId);
    const moved = await inTx(async (r, tx, after) => {
      const conv = await r.lockConversation(conversationId);
      if (conv?.status !== 'queued' || !conv.group_id || conv.group_id !== payload.groupId) return null;
      const group = await r.getGroup(conv.group_id);
      if (!group || group.overflow_action === 'none') return null;
      if (group.overflow_action === 'reserve_group' && group.overflow_group_id) {
        const reserve = await r.getGroup(group.overflow_group_id);
        if (!reserve) return null;
        await r.moveGroup(conv.id, reserve.id);
        await recordFacts(tx, [
          {
            orgId: conv.org_id,
            kind: 'conversation.overflowed',
            storeId: conv.store_id,
            groupId: conv.group_id,
            conversationId: conv.id,
            data: { action: 'reserve_group', toGroupId: reserve.id, waitedSeconds: seconds(conv.queued_at) },
          },
        ]);
        if (reserve.max_wait_seconds)
          scheduleMaxWait(after, conv.id, reserve.id, new Date(), reserve.max_wait_seconds);
        after.push(async () => {
          markQueueChanged(conv.group_id);
          await deps.notify().conversationChanged(conv.id, null);
        });
        return reserve.id;
      }
      if (group.overflow_action === 'leave_message') await offerLeaveMessage(r, tx, after, conv);
      else if (group.overflow_action === 'bot') await leaveQueue(r, tx, after, conv, { reason: 'max_wait' });
      return null;
    });
    if (moved) await drainGroup(moved);
    return undefined;
  }

  async function abandon(conversationId: string, reason: 'left' | 'disconnected') {
    const groupId = await inTx(async (r, tx, after) => {
      const conv = await r.lockConversation(conversationId);
      if (conv?.status !== 'queued') return null;
      await r.setStatus(conv.id, 'closed');
      await recordFacts(tx, [
        {
          orgId: conv.org_id,
          kind: 'conversation.abandoned',
          storeId: conv.store_id,
          groupId: conv.group_id,
          conversationId: conv.id,
          data: { reason, waitedSeconds: seconds(conv.queued_at), lane: laneOfPriority(conv.priority) },
        },
      ]);
      after.push(() => deps.notify().conversationChanged(conv.id, null));
      return conv.group_id;
    });
    markQueueChanged(groupId);
    return groupId !== null;
  }

  // ---------- presence ----------
  const localAgents = new Map<string, number>();
  let heartbeat: ReturnType<typeof setInterval> | undefined;

  async function sweepAway(): Promise<number> {
    const groups = new Set<string>();
    const n = await inTx(async (r, tx, after) => {
      const stale = await r.lockStaleAgents(deps.config.agentGraceSeconds);
      for (const a of stale) {
        await r.markAway(a.id, a.status);
        const chats = await r.assignedTo(a.id);
        for (const c of chats) {
          await requeueAssigned(r, tx, after, c, a.id, 'agent_away');
          if (c.group_id) groups.add(c.group_id);
        }
        await recordFacts(tx, [
          {
            orgId: a.org_id,
            kind: 'agent.status_changed',
            agentId: a.id,
            data: { status: 'away', from: a.status, requeued: chats.length },
          },
        ]);
        after.push(async () =>
          bus.publish('agent.status_changed', { orgId: a.org_id, userId: a.id, status: 'away' }),
        );
      }
      return stale.length;
    });
    if (groups.size) await drainGroups([...groups]);
    return n;
  }

  // ---------- timers ----------
  timers.register(TIMER.noReply, onNoReply);
  timers.register(TIMER.maxWait, onMaxWait);
  timers.register(TIMER.abandon, async (p) => {
    const id = await repo.queuedOfCustomer(String(p.customerId));
    if (id) await abandon(id, 'disconnected');
    return undefined;
  });
  timers.register(TIMER.queueRefresh, async () => {
    // One instance per period releases the chats held after hours of groups now open, then refreshes
    // every queue's estimates (they drift as time passes).
    await releaseOpenedGroups().catch((e: unknown) => logger.warn({ err: e }, 'after-hours release failed'));
    for (const g of await repo.queuedGroups()) await publishPositions(g, 5000);
    return new Date(Date.now() + 5_000);
  });

  // ---------- authorisation helpers ----------
  async function loadFor(caller: UserCaller, conversationId: string) {
    const conv = await repo.getConversation(conversationId);
    if (!conv || conv.org_id !== caller.orgId || !canAccessStore(caller, conv.store_id))
      throw notFound('conversation');
    return conv;
  }
  async function groupOf(caller: UserCaller, groupId: string) {
    const g = await repo.getGroup(groupId);
    if (!g || g.org_id !== caller.orgId) throw notFound('group');
    return g;
  }

  const toRuleDto = (r: RuleRow): TRoutingRule => ({
    id: r.id,
    storeId: r.store_id,
    position: r.position,
    name: r.name,
    enabled: r.enabled,
    conditions: ZRuleConditions.parse(r.conditions),
    groupId: r.group_id,
    lane: r.lane,
  });
  const toGroupDto = (g: GroupSettingsRow): TGroupRouting => ({
    groupId: g.id,
    name: g.name,
    strategy: g.strategy,
    stickyDays: g.sticky_days,
    maxWaitSeconds: g.max_wait_seconds,
    overflowAction: g.overflow_action,
    overflowGroupId: g.overflow_group_id,
    noReplySeconds: g.no_reply_seconds,
    pauseAfterMisses: g.pause_after_misses,
    serviceLevelSeconds: g.service_level_seconds,
    alertQueueLength: g.alert_queue_length,
    alertWaitSeconds: g.alert_wait_seconds,
    timezone: g.timezone,
    businessHours: g.business_hours,
    afterHoursAction: g.after_hours_action,
    afterHoursGroupId: g.after_hours_group_id,
  });

  async function assertGroupsOfOrg(orgId: string, ids: (string | null | undefined)[], field: string) {
    for (const id of ids) {
      if (!id) continue;
      const g = await repo.getGroup(id);
      if (!g || g.org_id !== orgId) throw invalidInput(field, `unknown group ${id}`);
    }
  }

  return {
    // Entry points other modules call (chat, bot hand-off, accounts events).
    routeConversation,
    drainGroups,
    async drainForAgent(userId: string): Promise<Assignment[]> {
      return drainGroups(await repo.groupsOfAgent(userId));
    },
    async onAgentStatusChanged(userId: string, status: string) {
      if (status === 'online') {
        await repo.resetMisses(userId);
        await this.drainForAgent(userId);
      }
    },

    // ---------- realtime presence (called by the gateway) ----------
    async agentConnected(userId: string) {
      const n = (localAgents.get(userId) ?? 0) + 1;
      localAgents.set(userId, n);
      if (n > 1) return;
      await repo.touchPresence([userId]);
      const restored = await repo.restoreFromAway(userId);
      if (restored) {
        bus.publish('agent.status_changed', { orgId: restored.org_id, userId, status: restored.status });
      }
    },
    agentDisconnected(userId: string) {
      const n = (localAgents.get(userId) ?? 1) - 1;
      if (n <= 0) localAgents.delete(userId);
      else localAgents.set(userId, n);
    },
    async customerConnected(customerId: string) {
      await timers.cancel(`${TIMER.abandon}:${customerId}`);
    },
    async customerDisconnected(customerId: string) {
      await timers.schedule(
        `${TIMER.abandon}:${customerId}`,
        TIMER.abandon,
        new Date(Date.now() + deps.config.abandonGraceSeconds * 1000),
        { customerId },
      );
    },
    sweepAway,
    async heartbeat() {
      await repo.touchPresence([...localAgents.keys()]);
      await sweepAway();
    },
    start() {
      heartbeat ??= setInterval(() => {
        this.heartbeat().catch((e: unknown) => logger.warn({ err: e }, 'presence heartbeat failed'));
      }, deps.config.heartbeatMs);
      heartbeat.unref();
      void timers
        .get(TIMER.queueRefresh)
        .then((t) => (t ? undefined : timers.schedule(TIMER.queueRefresh, TIMER.queueRefresh, new Date())))
        .catch(() => undefined);
    },
    stop() {
      clearInterval(heartbeat);
      heartbeat = undefined;
      clearTimeout(flushTimer);
    },

    // ---------- customers ----------
    async queuePosition(caller: CustomerCaller, conversationId: string): Promise<TQueuePosition | null> {
      const conv = await repo.getConversation(conversationId);
      if (!conv || conv.customer_id !== caller.customerId) throw notFound('conversation');
      if (conv.status !== 'queued' || !conv.group_id) return null;
      return positionOf(conversationId);
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
      return inTx(async (r, tx, after) => {
        const conv = await r.lockConversation(conversationId);
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
        const t = transitionConversation(
          { status: conv.status, assigneeId: conv.assignee_id },
          { type: 'close' },
        );
        if (!t.ok) throw new DomainError('invalid_state', 'invalid_transition', t.reason);
        const placeholderId = await r.insertPlaceholder({
          orgId: conv.org_id,
          storeId: conv.store_id,
          customerId: conv.customer_id,
          conversationId: conv.id,
          note: conv.leave_message_offer === 'after_hours' ? 'after_hours' : 'max_wait',
          message: req.message,
          contact,
        });
        await r.setStatus(conv.id, 'closed');
        await recordFacts(tx, [
          {
            orgId: conv.org_id,
            kind: 'conversation.left_message',
            storeId: conv.store_id,
            groupId: conv.group_id,
            conversationId: conv.id,
            data: {
              placeholderId,
              reason: conv.leave_message_offer === 'after_hours' ? 'after_hours' : 'max_wait',
              hasContact: contact !== null,
              lane: laneOfPriority(conv.priority),
              waitedSeconds: seconds(conv.queued_at),
            },
          },
        ]);
        after.push(async () => {
          await deps.notify().systemMessage(conv.id, LEFT_MESSAGE);
          await deps.notify().conversationChanged(conv.id, null);
          markQueueChanged(conv.group_id);
        });
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
      await inTx(async (r, tx) => {
        const conv = await r.lockConversation(conversationId);
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
        await r.setLeaveMessageOffer(conv.id, 'declined');
        await recordFacts(tx, [
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
      return positionOf(conversationId);
    },
    async abandonByCustomer(caller: CustomerCaller, conversationId: string) {
      const conv = await repo.getConversation(conversationId);
      if (!conv || conv.customer_id !== caller.customerId) throw notFound('conversation');
      if (conv.status !== 'queued')
        throw new DomainError('invalid_state', 'not_queued', 'only a waiting conversation can be left');
      await abandon(conversationId, 'left');
    },
    async setCustomerFlags(caller: UserCaller, customerId: string, flags: TCustomerRoutingFlags) {
      requireRole(caller, 'admin', 'supervisor');
      const c = await repo.getCustomer(customerId);
      if (!c || c.org_id !== caller.orgId || !canAccessStore(caller, c.store_id)) throw notFound('customer');
      await repo.setCustomerFlags(customerId, flags);
      const after = { tier: flags.tier ?? c.tier, riskFlag: flags.riskFlag ?? c.risk_flag };
      const priority = after.riskFlag ? LANE_PRIORITY.risk : after.tier === 'vip' ? LANE_PRIORITY.vip : 0;
      for (const q of await repo.raiseQueuedPriority(customerId, priority)) {
        markQueueChanged(q.group_id);
        if (q.group_id) await drainGroup(q.group_id);
      }
      await deps.audit.record(caller, 'customer.routing_flags', 'customer', customerId, { ...flags });
      return { id: customerId, ...after };
    },

    // ---------- transfers and supervision ----------
    async transfer(caller: UserCaller, conversationId: string, req: TTransferRequest) {
      const conv0 = await loadFor(caller, conversationId);
      const isSupervisor = isSupervisorOrAdmin(caller);
      if (!isSupervisor && conv0.assignee_id !== caller.userId)
        throw forbidden('only the assigned agent or a supervisor may transfer this conversation');
      if (req.toGroupId)
        await groupOf(caller, req.toGroupId).catch(() => {
          throw invalidInput('toGroupId', 'unknown group');
        });
      const drainAfter: string[] = [];
      await inTx(async (r, tx, after) => {
        const conv = await r.lockConversation(conversationId);
        if (!conv || (conv.status !== 'assigned' && conv.status !== 'queued'))
          throw new DomainError(
            'invalid_state',
            'not_transferable',
            'only a waiting or assigned conversation can be transferred',
          );
        if (!isSupervisor && conv.assignee_id !== caller.userId)
          throw forbidden('only the assigned agent or a supervisor may transfer this conversation');
        const base: Fact = {
          orgId: conv.org_id,
          kind: 'conversation.transferred',
          storeId: conv.store_id,
          groupId: conv.group_id,
          agentId: conv.assignee_id,
          conversationId: conv.id,
        };
        if (req.toAgentId) {
          if (req.toAgentId === conv.assignee_id)
            throw invalidInput('toAgentId', 'already assigned to this agent');
          const target = await r.lockUser(req.toAgentId);
          if (!target || target.org_id !== conv.org_id || target.disabled)
            throw invalidInput('toAgentId', 'unknown agent');
          const serve = await r.userCanServe(target.id, conv.store_id, conv.group_id);
          if (!serve?.can) throw invalidInput('toAgentId', 'this agent does not serve the store');
          if (target.status !== 'online')
            throw new DomainError(
              'invalid_state',
              'agent_unavailable',
              `toAgentId: the agent is ${target.status}`,
              'toAgentId',
            );
          if ((await r.activeCount(target.id)) >= serve.cap)
            throw new DomainError(
              'invalid_state',
              'agent_at_capacity',
              'toAgentId: the agent has no free slot',
              'toAgentId',
            );
          await recordFacts(tx, [
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
          const group = conv.group_id ? await r.getGroup(conv.group_id) : null;
          await assignNow(r, tx, after, conv, { id: target.id, name: target.name }, group, {
            reason: 'transfer',
          });
          after.push(async () =>
            bus.publish('routing.transfer_notice', {
              orgId: conv.org_id,
              toUserId: target.id,
              toGroupId: null,
              notice: { conversationId: conv.id, fromName: caller.name, note: req.note },
            }),
          );
        } else if (req.toGroupId) {
          await recordFacts(tx, [
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
          ]);
          await r.requeue(conv.id, { groupId: req.toGroupId });
          drainAfter.push(req.toGroupId);
          after.push(async () => {
            await deps.notify().systemMessage(conv.id, '正在为您转接至专门的客服小组，请稍候…');
            await deps.notify().conversationChanged(conv.id, conv.assignee_id);
            bus.publish('routing.transfer_notice', {
              orgId: conv.org_id,
              toUserId: null,
              toGroupId: req.toGroupId ?? null,
              notice: { conversationId: conv.id, fromName: caller.name, note: req.note },
            });
          });
        }
      });
      if (conv0.assignee_id) drainAfter.push(...(await repo.groupsOfAgent(conv0.assignee_id)));
      await drainGroups([...new Set(drainAfter)]);
      return repo.getConversation(conversationId);
    },

    /** A supervisor takes a chat of their stores themselves (no cap: they are not routed to). */
    async takeOver(caller: UserCaller, conversationId: string) {
      requireRole(caller, 'admin', 'supervisor');
      const conv0 = await loadFor(caller, conversationId);
      await inTx(async (r, tx, after) => {
        const conv = await r.lockConversation(conversationId);
        if (!conv || (conv.status !== 'assigned' && conv.status !== 'queued'))
          throw new DomainError(
            'invalid_state',
            'not_transferable',
            'only a waiting or assigned conversation can be taken over',
          );
        if (conv.assignee_id === caller.userId) return;
        await recordFacts(tx, [
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
        await assignNow(r, tx, after, conv, { id: caller.userId, name: caller.name }, null, {
          reason: 'take_over',
        });
      });
      if (conv0.assignee_id) await this.drainForAgent(conv0.assignee_id);
      markQueueChanged(conv0.group_id);
      return repo.getConversation(conversationId);
    },

    // ---------- configuration ----------
    async listRules(caller: UserCaller, storeId?: string): Promise<TRoutingRule[]> {
      requireRole(caller, 'admin', 'supervisor');
      const rows = await repo.rulesOfOrg(caller.orgId);
      return rows
        .filter((r) => (!storeId || r.store_id === storeId) && canAccessStore(caller, r.store_id))
        .map(toRuleDto);
    },
    async createRule(
      caller: UserCaller,
      req: TCreateRoutingRuleRequest,
      storeExists: (id: string) => Promise<boolean>,
    ) {
      requireRole(caller, 'admin');
      if (!(await storeExists(req.storeId))) throw invalidInput('storeId', 'unknown store');
      await assertGroupsOfOrg(caller.orgId, [req.groupId], 'groupId');
      const row = await repo.insertRule({
        org_id: caller.orgId,
        store_id: req.storeId,
        position: req.position,
        name: req.name,
        enabled: req.enabled,
        conditions: req.conditions,
        group_id: req.groupId,
        lane: req.lane,
      });
      await deps.audit.record(caller, 'routing.rule.create', 'routing_rule', row.id, { ...req });
      return toRuleDto(row);
    },
    async updateRule(caller: UserCaller, id: string, req: TUpdateRoutingRuleRequest) {
      requireRole(caller, 'admin');
      const cur = await repo.getRule(caller.orgId, id);
      if (!cur) throw notFound('routing_rule');
      await assertGroupsOfOrg(caller.orgId, [req.groupId], 'groupId');
      const row = await repo.updateRule(caller.orgId, id, {
        position: req.position ?? cur.position,
        name: req.name ?? cur.name,
        enabled: req.enabled ?? cur.enabled,
        conditions: req.conditions ?? cur.conditions,
        group_id: req.groupId !== undefined ? req.groupId : cur.group_id,
        lane: req.lane ?? cur.lane,
      });
      if (!row) throw notFound('routing_rule');
      await deps.audit.record(caller, 'routing.rule.update', 'routing_rule', id, { ...req });
      return toRuleDto(row);
    },
    async deleteRule(caller: UserCaller, id: string) {
      requireRole(caller, 'admin');
      if (!(await repo.deleteRule(caller.orgId, id))) throw notFound('routing_rule');
      await deps.audit.record(caller, 'routing.rule.delete', 'routing_rule', id, {});
    },
    async listGroupSettings(caller: UserCaller): Promise<TGroupRouting[]> {
      requireRole(caller, 'admin', 'supervisor');
      return (await repo.listGroups(caller.orgId)).map(toGroupDto);
    },
    async updateGroupSettings(caller: UserCaller, groupId: string, req: TUpdateGroupRoutingRequest) {
      requireRole(caller, 'admin');
      const cur = await groupOf(caller, groupId);
      await assertGroupsOfOrg(caller.orgId, [req.overflowGroupId], 'overflowGroupId');
      await assertGroupsOfOrg(caller.orgId, [req.afterHoursGroupId], 'afterHoursGroupId');
      if (req.overflowGroupId === groupId) throw invalidInput('overflowGroupId', 'must be another group');
      if (req.afterHoursGroupId === groupId) throw invalidInput('afterHoursGroupId', 'must be another group');
      const overflowAction = req.overflowAction ?? cur.overflow_action;
      const overflowGroupId = req.overflowGroupId !== undefined ? req.overflowGroupId : cur.overflow_group_id;
      if (overflowAction === 'reserve_group' && !overflowGroupId)
        throw invalidInput(
          'overflowGroupId',
          'a reserve group is required when overflowing to a reserve group',
        );
      const afterHoursAction = req.afterHoursAction ?? cur.after_hours_action;
      const afterHoursGroupId =
        req.afterHoursGroupId !== undefined ? req.afterHoursGroupId : cur.after_hours_group_id;
      if (afterHoursAction === 'group' && !afterHoursGroupId)
        throw invalidInput(
          'afterHoursGroupId',
          'a group is required when after-hours chats go to another group',
        );
      const cols: Record<keyof TUpdateGroupRoutingRequest, string> = {
        strategy: 'strategy',
        stickyDays: 'sticky_days',
        maxWaitSeconds: 'max_wait_seconds',
        overflowAction: 'overflow_action',
        overflowGroupId: 'overflow_group_id',
        noReplySeconds: 'no_reply_seconds',
        pauseAfterMisses: 'pause_after_misses',
        serviceLevelSeconds: 'service_level_seconds',
        alertQueueLength: 'alert_queue_length',
        alertWaitSeconds: 'alert_wait_seconds',
        timezone: 'timezone',
        businessHours: 'business_hours',
        afterHoursAction: 'after_hours_action',
        afterHoursGroupId: 'after_hours_group_id',
      };
      const patch: SQL[] = [];
      for (const [k, col] of Object.entries(cols) as [keyof TUpdateGroupRoutingRequest, string][]) {
        const v = req[k];
        if (v === undefined) continue;
        patch.push(
          k === 'businessHours'
            ? sql`${sql.identifier(col)} = ${v === null ? null : JSON.stringify(v)}::jsonb`
            : sql`${sql.identifier(col)} = ${v}`,
        );
      }
      const row = await repo.updateGroup(caller.orgId, groupId, patch);
      if (!row) throw notFound('group');
      await deps.audit.record(caller, 'routing.group.update', 'group', groupId, { ...req });
      return toGroupDto(row);
    },
    /** Left messages of the caller's stores, newest first (supervisors and admins; agents 403). */
    async listLeaveMessages(
      caller: UserCaller,
      q: { status?: 'open' | 'handled' | undefined } = {},
    ): Promise<TLeaveMessage[]> {
      requireRole(caller, 'admin', 'supervisor');
      const rows = await repo.listPlaceholders(caller.orgId, {
        storeIds: caller.storeIds,
        status: q.status === undefined ? undefined : q.status === 'handled' ? 'closed' : 'open',
        limit: 500,
      });
      return rows.map(toLeaveMessageDto);
    },
    /** Marks a left message handled (or open again); audit-logged. Another tenant's or store's → 404. */
    async updateLeaveMessage(
      caller: UserCaller,
      id: string,
      req: TUpdateLeaveMessageRequest,
    ): Promise<TLeaveMessage> {
      requireRole(caller, 'admin', 'supervisor');
      const p = await repo.getPlaceholder(id);
      if (!p || p.org_id !== caller.orgId || !canAccessStore(caller, p.store_id))
        throw notFound('leave message');
      const status = req.status === 'handled' ? 'closed' : 'open';
      if (p.status !== status) {
        await repo.setPlaceholderStatus(id, status, caller.userId);
        await deps.audit.record(caller, 'routing.leave_message.update', 'leave_message', id, {
          status: req.status,
        });
      }
      const updated = await repo.getPlaceholder(id);
      return toLeaveMessageDto(updated!);
    },

    // ---------- supervisor wall ----------
    async wall(orgId: string): Promise<TWallSnapshot> {
      const [groups, queue, sl15, sl60, agents, waiting, err, held, openLeaveMessages] = await Promise.all([
        repo.listGroups(orgId),
        repo.queueStats(orgId),
        repo.serviceLevel(orgId, 15),
        repo.serviceLevel(orgId, 60),
        repo.agentsOfOrg(orgId),
        repo.waitingForReply(orgId, 50),
        repo.estimateError(orgId),
        repo.afterHoursOffers(orgId),
        repo.openPlaceholderCount(orgId),
      ]);
      const now = new Date();
      const wallAgents = agents.map((a) => {
        const groupIds = Array.isArray(a.group_ids) ? a.group_ids : a.group_ids ? a.group_ids.split(',') : [];
        const active = Number(a.active);
        const cap = Number(a.cap);
        const state = a.status === 'online' && active >= cap ? ('busy' as const) : a.status;
        return { id: a.id, name: a.name, state, active, cap, groupIds };
      });
      const ratio = (rows: typeof sl15, g: string) => {
        const r = rows.find((x) => x.group_id === g);
        return r && Number(r.decided) > 0 ? Number(r.answered) / Number(r.decided) : null;
      };
      return {
        at: now.toISOString(),
        groups: groups.map((g) => {
          const rows = queue.filter((q) => q.group_id === g.id);
          const byLane = { normal: 0, vip: 0, risk: 0 };
          let oldest: Date | null = null;
          for (const q of rows) {
            byLane[laneOfPriority(q.priority)] += Number(q.n);
            const o = q.oldest ? new Date(q.oldest) : null;
            if (o && (!oldest || o < oldest)) oldest = o;
          }
          const queueLength = byLane.normal + byLane.vip + byLane.risk;
          const longestWaitSeconds = seconds(oldest, now) ?? 0;
          const members = wallAgents.filter((a) => a.groupIds.includes(g.id));
          const online = members.filter((a) => a.state === 'online' || a.state === 'busy');
          const alerts: ('queue_length' | 'wait')[] = [];
          if (g.alert_queue_length && queueLength >= g.alert_queue_length) alerts.push('queue_length');
          if (g.alert_wait_seconds && longestWaitSeconds >= g.alert_wait_seconds) alerts.push('wait');
          return {
            groupId: g.id,
            name: g.name,
            queueLength,
            queuedByLane: byLane,
            longestWaitSeconds,
            serviceLevelSeconds: g.service_level_seconds,
            serviceLevel15: ratio(sl15, g.id),
            serviceLevel60: ratio(sl60, g.id),
            agentsOnline: online.length,
            freeSlots: online.reduce((s, a) => s + Math.max(0, a.cap - a.active), 0),
            isOpen: isOpenAt(g.business_hours, g.timezone, now),
            afterHoursOffers: Number(held.find((h) => h.group_id === g.id)?.n ?? 0),
            alerts,
          };
        }),
        agents: wallAgents,
        waitingForReply: waiting.map((w) => ({
          conversationId: w.id,
          customerName: w.customer_name,
          agentId: w.assignee_id,
          agentName: w.agent_name,
          waitingSeconds: seconds(new Date(w.since), now) ?? 0,
        })),
        estimateErrorSeconds: err.mae === null ? null : Math.round(Number(err.mae) * 10) / 10,
        estimateSamples: err.n,
        openLeaveMessages,
      };
    },
    /** `orgId` other than the caller's is for watching a drill; the caller checks it is theirs to watch. */
    async wallFor(caller: UserCaller, orgId = caller.orgId) {
      requireRole(caller, 'admin', 'supervisor');
      return this.wall(orgId);
    },
  };
}

export type RoutingService = ReturnType<typeof createRoutingService>;
