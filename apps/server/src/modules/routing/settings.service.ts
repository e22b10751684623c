import {
  LANE_PRIORITY,
  type TCreateRoutingRuleRequest,
  type TCustomerRoutingFlags,
  type TGroupRouting,
  type TLeaveMessage,
  type TRoutingRule,
  type TUpdateGroupRoutingRequest,
  type TUpdateLeaveMessageRequest,
  type TUpdateRoutingRuleRequest,
  ZRuleConditions,
} from '@peakdesk/contracts';
import { sql } from '@peakdesk/db';
import type { SQL } from 'drizzle-orm';
import { requireRole, type UserCaller } from '../../http/caller.ts';
import { invalidInput, notFound } from '../../http/domain-error.ts';
import { assertInScope, inScope, orgScope, scopeOf } from '../../http/scope.ts';
import type { Queue } from './queue.service.ts';
import type { GroupSettingsRow, PlaceholderRow, RuleRow } from './routing.repository.ts';
import { groupOfCaller, type RoutingContext } from './routing-context.ts';

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

/** Routing configuration (entry rules, group settings), customer routing flags and left messages. */
export function createRoutingSettings(ctx: RoutingContext, queue: Queue) {
  const { deps, repo, positions } = ctx;
  const groupOf = (caller: UserCaller, groupId: string) => groupOfCaller(repo, caller, groupId);

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
      if (!g || !inScope(g, orgScope(orgId))) throw invalidInput(field, `unknown group ${id}`);
    }
  }

  return {
    async setCustomerFlags(caller: UserCaller, customerId: string, flags: TCustomerRoutingFlags) {
      requireRole(caller, 'admin', 'supervisor');
      const c = assertInScope(await repo.getCustomer(customerId), scopeOf(caller), 'customer');
      await repo.setCustomerFlags(customerId, flags);
      const after = { tier: flags.tier ?? c.tier, riskFlag: flags.riskFlag ?? c.risk_flag };
      const priority = after.riskFlag ? LANE_PRIORITY.risk : after.tier === 'vip' ? LANE_PRIORITY.vip : 0;
      for (const q of await repo.raiseQueuedPriority(customerId, priority)) {
        positions.markQueueChanged(q.group_id);
        if (q.group_id) await queue.drainGroup(q.group_id);
      }
      await deps.audit.record(caller, 'customer.routing_flags', 'customer', customerId, { ...flags });
      return { id: customerId, ...after };
    },

    async listRules(caller: UserCaller, storeId?: string): Promise<TRoutingRule[]> {
      requireRole(caller, 'admin', 'supervisor');
      const rows = await repo.rulesOf(scopeOf(caller));
      return rows.filter((r) => !storeId || r.store_id === storeId).map(toRuleDto);
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
      const scope = scopeOf(caller);
      const cur = assertInScope(await repo.getRule(scope, id), scope, 'routing_rule');
      await assertGroupsOfOrg(caller.orgId, [req.groupId], 'groupId');
      const row = await repo.updateRule(scope, id, {
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
      if (!(await repo.deleteRule(scopeOf(caller), id))) throw notFound('routing_rule');
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
      const rows = await repo.listPlaceholders(scopeOf(caller), {
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
      const p = assertInScope(await repo.getPlaceholder(id), scopeOf(caller), 'leave_message');
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
  };
}
