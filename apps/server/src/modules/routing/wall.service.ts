import { DEFAULT_WAIT_ALERT_SECONDS, laneOfPriority, type TWallSnapshot } from '@peakdesk/contracts';
import { requireRole, type UserCaller } from '../../http/caller.ts';
import { orgScope, type Scope, scopeOf } from '../../http/scope.ts';
import { isOpenAt } from './business-hours.ts';
import type { RoutingRepository } from './routing.repository.ts';
import { seconds } from './routing-context.ts';

/** The run of a drill organisation being watched (the drills module looks it up). */
export type WatchedDrill = Omit<NonNullable<TWallSnapshot['drill']>, 'serviceLevel' | 'queued'>;

/** The supervisor wall: queues by lane, service levels, agents and chats waiting for a reply. */
export function createWall(repo: RoutingRepository) {
  /** The wall of a scope: its stores' queues, agents and chats (groups are the organisation's). */
  async function wall(scope: Scope, drill: WatchedDrill | null = null): Promise<TWallSnapshot> {
    const [groups, queue, sl15, sl60, agents, waiting, err, held, openLeaveMessages] = await Promise.all([
      repo.listGroups(scope.orgId),
      repo.queueStats(scope),
      repo.serviceLevel(scope, 15),
      repo.serviceLevel(scope, 60),
      repo.agentsOfScope(scope),
      repo.waitingForReply(scope, 50),
      repo.estimateError(scope),
      repo.afterHoursOffers(scope),
      repo.openPlaceholderCount(scope),
    ]);
    const drillSl = drill
      ? await repo.drillServiceLevel(
          scope.orgId,
          new Date(drill.startedAt),
          (drill.targetSeconds * 1000) / drill.speed,
        )
      : null;
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
        const alerts: TWallSnapshot['groups'][number]['alerts'] = [];
        // Waiting customers nobody can take: always an alert, whatever the thresholds say.
        if (queueLength > 0 && online.length === 0) alerts.push('no_agents');
        if (g.alert_queue_length && queueLength >= g.alert_queue_length) alerts.push('queue_length');
        const waitAlertSeconds = g.alert_wait_seconds ?? g.max_wait_seconds ?? DEFAULT_WAIT_ALERT_SECONDS;
        if (queueLength > 0 && longestWaitSeconds >= waitAlertSeconds) alerts.push('wait');
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
          waitAlertSeconds,
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
      drill:
        drill && drillSl
          ? {
              ...drill,
              serviceLevel: drillSl.decided > 0 ? drillSl.answered / drillSl.decided : null,
              queued: drillSl.queued,
            }
          : null,
    };
  }

  return {
    wall,
    /**
     * The caller's wall, for their scope. `orgId` other than the caller's is for watching a drill (the
     * caller checks it is theirs to watch): a drill organisation is watched whole, with its run.
     */
    async wallFor(caller: UserCaller, orgId = caller.orgId, drill: WatchedDrill | null = null) {
      requireRole(caller, 'admin', 'supervisor');
      return orgId === caller.orgId ? wall(scopeOf(caller)) : wall(orgScope(orgId), drill);
    },
  };
}
