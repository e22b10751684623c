import type { TQueuePosition } from '@peakdesk/contracts';
import type { Logger } from 'pino';
import type { EventBus } from '../../events/event-bus.ts';
import { describeWeeklyHours } from './business-hours.ts';
import { DEFAULT_AHT_SECONDS, estimateHandleSeconds, estimateWaitSeconds } from './queue-estimate.ts';
import type { RoutingRepository } from './routing.repository.ts';

/**
 * Live queue positions and expected waits. These pushes are projections of the queue as it is (read
 * after the changes committed), not events of a change, so they go straight to the bus.
 */
export function createQueuePositions(deps: { repo: RoutingRepository; bus: EventBus; logger: Logger }) {
  const { repo, bus, logger } = deps;

  // Debounced per group on this instance.
  const dirtyGroups = new Set<string>();
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
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
    publishList(await positionsOf(groupId, limit));
  }

  function publishList(list: { orgId: string; customerId: string; p: TQueuePosition }[]) {
    if (list.length === 0) return;
    bus.publish('queue.positions', {
      orgId: list[0]!.orgId,
      positions: list.map((x) => ({ customerId: x.customerId, ...x.p })),
    });
  }

  return {
    markQueueChanged,
    positionOf,
    publishPositionOf,
    positionsOf,
    publishPositions,
    publishList,
    stop() {
      clearTimeout(flushTimer);
    },
  };
}

export type QueuePositions = ReturnType<typeof createQueuePositions>;
