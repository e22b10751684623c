import type { TBusinessHours, TLane, TRuleConditions } from '@peakdesk/contracts';
import { type Database, queryRows, sql } from '@peakdesk/db';
import type { SQL } from 'drizzle-orm';
import { writeEvents } from '../../events/outbox.ts';
import { DomainError, notFound } from '../../http/domain-error.ts';
import { type Scope, scopedSql } from '../../http/scope.ts';
import type { LeaveMessageOffer } from '../chat/conversation-state.ts';
import { recordFacts } from '../facts/facts.service.ts';
import {
  type PresenceEvent,
  type PresenceReason,
  type PresenceState,
  transitionPresence,
} from './presence-machine.ts';
import { HANDLE_TIME_EDGES, type HandleTimeBucket } from './queue-estimate.ts';

export type GroupSettingsRow = {
  id: string;
  org_id: string;
  name: string;
  default_max_concurrency: number;
  strategy: 'least_busy' | 'sticky' | 'round_robin';
  sticky_days: number;
  max_wait_seconds: number | null;
  overflow_action: 'none' | 'reserve_group' | 'leave_message' | 'bot';
  overflow_group_id: string | null;
  no_reply_seconds: number | null;
  pause_after_misses: number | null;
  service_level_seconds: number;
  alert_queue_length: number | null;
  alert_wait_seconds: number | null;
  timezone: string;
  business_hours: TBusinessHours | null;
  after_hours_action: 'queue' | 'group' | 'leave_message' | 'bot';
  after_hours_group_id: string | null;
};

export type RuleRow = {
  id: string;
  org_id: string;
  store_id: string;
  position: number;
  name: string;
  enabled: boolean;
  conditions: TRuleConditions;
  group_id: string | null;
  lane: TLane;
};

export type RoutedConversation = {
  id: string;
  org_id: string;
  store_id: string;
  customer_id: string;
  group_id: string | null;
  assignee_id: string | null;
  status: 'bot' | 'queued' | 'assigned' | 'resolved' | 'closed';
  priority: number;
  entry: string;
  queued_at: Date | null;
  routed_for: Date | null;
  estimated_wait_seconds: number | null;
  awaiting_agent_since: Date | null;
  missed_agent_id: string | null;
  /** Leave-a-message offered after the max wait (until the customer leaves one or keeps waiting). */
  leave_message_offer: LeaveMessageOffer;
};

/** In a group's queue: waiting, and not held after hours (the marker stays after close, hence IS DISTINCT). */
const waiting = (alias?: string) =>
  alias
    ? sql.raw(`${alias}.status = 'queued' AND ${alias}.leave_message_offer IS DISTINCT FROM 'after_hours'`)
    : sql.raw(`status = 'queued' AND leave_message_offer IS DISTINCT FROM 'after_hours'`);

export type PlaceholderRow = {
  id: string;
  org_id: string;
  store_id: string;
  store_name: string;
  customer_id: string;
  customer_name: string;
  conversation_id: string | null;
  status: 'open' | 'closed';
  note: string;
  message: string;
  contact: string | null;
  created_at: Date | string;
  handled_at: Date | string | null;
  handled_by_name: string | null;
};
const placeholderColumns = sql`p.id, p.org_id, p.store_id, s.name AS store_name, p.customer_id,
  cu.name AS customer_name, p.conversation_id, p.status, p.note, p.message, p.contact, p.created_at,
  p.handled_at, u.name AS handled_by_name`;
const placeholderFrom = sql`FROM ticket_placeholders p JOIN stores s ON s.id = p.store_id
  JOIN customers cu ON cu.id = p.customer_id LEFT JOIN users u ON u.id = p.handled_by`;

export type AgentPick = { id: string; name: string; cap: number };

const conversationColumns = sql`id, org_id, store_id, customer_id, group_id, assignee_id, status, priority, entry,
  queued_at, routed_for, estimated_wait_seconds, awaiting_agent_since, missed_agent_id, leave_message_offer`;
const inList = (ids: readonly string[]) =>
  sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );
const asDate = (v: Date | string | null) => (v === null ? null : v instanceof Date ? v : new Date(v));
const fixConversation = (r: RoutedConversation): RoutedConversation => ({
  ...r,
  queued_at: asDate(r.queued_at),
  routed_for: asDate(r.routed_for),
  awaiting_agent_since: asDate(r.awaiting_agent_since),
});

/** Candidates: online members of the group who may serve the store and are under their cap. */
function eligibleAgents(groupId: string, storeId: string, extra: SQL) {
  return sql`FROM users u
    JOIN group_members gm ON gm.user_id = u.id AND gm.group_id = ${groupId}
    JOIN skill_groups g ON g.id = gm.group_id
    WHERE u.status = 'online' AND NOT u.disabled
      AND u.active_chats < COALESCE(u.max_concurrency, g.default_max_concurrency)
      AND (u.role = 'admin' OR EXISTS (SELECT 1 FROM user_stores us WHERE us.user_id = u.id AND us.store_id = ${storeId}))
      ${extra}`;
}

/** The only file of the routing module that touches the database. Plain rows, no rules. */
/**
 * The one service-level definition, as SQL over conversations `c`: of those whose outcome is known
 * (answered, or waiting longer than `target`), `answered` were first answered by an agent within it.
 */
const serviceLevelCounts = (target: SQL) => {
  const inTime = sql`(c.first_agent_reply_at IS NOT NULL AND c.first_agent_reply_at - c.queued_at <= ${target})`;
  return sql`count(*) FILTER (WHERE ${inTime})::int AS answered,
    count(*) FILTER (WHERE ${inTime} OR COALESCE(c.first_agent_reply_at, now()) - c.queued_at > ${target})::int AS decided`;
};

export function createRoutingRepository(db: Database) {
  return {
    // ---------- configuration ----------
    async getGroup(groupId: string) {
      const rows = await queryRows<GroupSettingsRow>(
        db,
        sql`SELECT * FROM skill_groups WHERE id = ${groupId}`,
      );
      return rows[0] ?? null;
    },
    async listGroups(orgId: string) {
      return queryRows<GroupSettingsRow>(
        db,
        sql`SELECT * FROM skill_groups WHERE org_id = ${orgId} ORDER BY created_at, name`,
      );
    },
    async updateGroup(orgId: string, groupId: string, patch: SQL[]) {
      if (patch.length === 0) return this.getGroup(groupId);
      const rows = await queryRows<GroupSettingsRow>(
        db,
        sql`UPDATE skill_groups SET ${sql.join(patch, sql`, `)} WHERE id = ${groupId} AND org_id = ${orgId} RETURNING *`,
      );
      return rows[0] ?? null;
    },
    async rulesOfStore(storeId: string) {
      return queryRows<RuleRow>(
        db,
        sql`SELECT * FROM routing_rules WHERE store_id = ${storeId} ORDER BY position, created_at`,
      );
    },
    async rulesOf(scope: Scope) {
      return queryRows<RuleRow>(
        db,
        sql`SELECT * FROM routing_rules r WHERE ${scopedSql('r', scope)} ORDER BY store_id, position, created_at`,
      );
    },
    async getRule(scope: Scope, id: string) {
      const rows = await queryRows<RuleRow>(
        db,
        sql`SELECT * FROM routing_rules r WHERE id = ${id} AND ${scopedSql('r', scope)}`,
      );
      return rows[0] ?? null;
    },
    async insertRule(r: Omit<RuleRow, 'id'>) {
      const rows = await queryRows<RuleRow>(
        db,
        sql`INSERT INTO routing_rules (org_id, store_id, position, name, enabled, conditions, group_id, lane)
            VALUES (${r.org_id}, ${r.store_id}, ${r.position}, ${r.name}, ${r.enabled}, ${JSON.stringify(r.conditions)}::jsonb,
              ${r.group_id}, ${r.lane}) RETURNING *`,
      );
      return rows[0]!;
    },
    async updateRule(scope: Scope, id: string, r: Omit<RuleRow, 'id' | 'org_id' | 'store_id'>) {
      const rows = await queryRows<RuleRow>(
        db,
        sql`UPDATE routing_rules SET position = ${r.position}, name = ${r.name}, enabled = ${r.enabled},
              conditions = ${JSON.stringify(r.conditions)}::jsonb, group_id = ${r.group_id}, lane = ${r.lane}
            WHERE id = ${id} AND ${scopedSql('routing_rules', scope)} RETURNING *`,
      );
      return rows[0] ?? null;
    },
    async deleteRule(scope: Scope, id: string) {
      const rows = await queryRows<{ id: string }>(
        db,
        sql`DELETE FROM routing_rules WHERE id = ${id} AND ${scopedSql('routing_rules', scope)} RETURNING id`,
      );
      return rows.length > 0;
    },

    // ---------- entry ----------
    async lockConversation(id: string) {
      const rows = await queryRows<RoutedConversation>(
        db,
        sql`SELECT ${conversationColumns} FROM conversations WHERE id = ${id} FOR UPDATE`,
      );
      return rows[0] ? fixConversation(rows[0]) : null;
    },
    async getConversation(id: string) {
      const rows = await queryRows<RoutedConversation>(
        db,
        sql`SELECT ${conversationColumns} FROM conversations WHERE id = ${id}`,
      );
      return rows[0] ? fixConversation(rows[0]) : null;
    },
    async entryContext(conversationId: string, customerId: string, storeId: string) {
      const rows = await queryRows<{
        tier: 'normal' | 'vip';
        risk_flag: boolean;
        buyer_id: string | null;
        default_group_id: string | null;
        first_message: string | null;
      }>(
        db,
        sql`SELECT cu.tier, cu.risk_flag, cu.buyer_id, s.default_group_id,
              (SELECT m.body FROM messages m WHERE m.conversation_id = ${conversationId} AND m.sender_type = 'customer'
                ORDER BY m.seq LIMIT 1) AS first_message
            FROM customers cu JOIN stores s ON s.id = ${storeId} WHERE cu.id = ${customerId}`,
      );
      return rows[0] ?? null;
    },
    /** Default open-ticket check: a leave-a-message placeholder still open (tickets will replace it). */
    async hasOpenPlaceholder(customerId: string) {
      const rows = await queryRows<{ n: number }>(
        db,
        sql`SELECT 1 AS n FROM ticket_placeholders WHERE customer_id = ${customerId} AND status = 'open' LIMIT 1`,
      );
      return rows.length > 0;
    },
    async setClassification(
      id: string,
      v: { groupId: string | null; priority: number; ruleId: string | null; routedFor: Date },
    ) {
      await db.execute(
        sql`UPDATE conversations SET group_id = ${v.groupId}, priority = ${v.priority}, routing_rule_id = ${v.ruleId},
              routed_for = ${v.routedFor.toISOString()}::timestamptz WHERE id = ${id}`,
      );
    },
    async setEstimate(id: string, seconds: number | null) {
      await db.execute(
        sql`UPDATE conversations SET estimated_wait_seconds = ${seconds} WHERE id = ${id} AND estimated_wait_seconds IS NULL`,
      );
    },

    // ---------- assignment ----------
    /** Serialises assignment per group (FIFO across instances); released at commit. */
    async lockGroup(groupId: string) {
      await db.execute(sql`SELECT id FROM skill_groups WHERE id = ${groupId} FOR UPDATE`);
    },
    async headOfQueue(groupId: string, skipIds: readonly string[]) {
      const rows = await queryRows<RoutedConversation>(
        db,
        sql`SELECT ${conversationColumns} FROM conversations
            WHERE ${waiting()} AND group_id = ${groupId}
              -- classified entries only: one whose classification has not committed yet (or never
              -- will, after a crash: the routing.entry listener does it) must not skip the entry rules
              AND routed_for = queued_at
              ${skipIds.length ? sql`AND id NOT IN (${inList(skipIds)})` : sql``}
            ORDER BY priority DESC, queued_at ASC, id
            LIMIT 1 FOR UPDATE SKIP LOCKED`,
      );
      return rows[0] ? fixConversation(rows[0]) : null;
    },
    async pickAgent(
      groupId: string,
      storeId: string,
      order: 'least_busy' | 'round_robin',
      exclude: readonly string[],
      only?: string,
    ) {
      const extra = sql`${exclude.length ? sql`AND u.id NOT IN (${inList(exclude)})` : sql``}
        ${only ? sql`AND u.id = ${only}` : sql``}`;
      const orderBy =
        order === 'round_robin'
          ? sql`gm.last_assigned_at ASC NULLS FIRST, u.id`
          : sql`u.active_chats ASC, u.last_assigned_at ASC NULLS FIRST, u.id`;
      const rows = await queryRows<AgentPick>(
        db,
        sql`SELECT u.id, u.name, COALESCE(u.max_concurrency, g.default_max_concurrency) AS cap
            ${eligibleAgents(groupId, storeId, extra)}
            ORDER BY ${orderBy} LIMIT 1 FOR UPDATE OF u SKIP LOCKED`,
      );
      return rows[0] ?? null;
    },
    /**
     * Read again after the agent row is locked (a new statement sees every assignment committed before
     * the lock). `active_chats` is kept by a trigger on conversations (0002_routing_load).
     */
    async activeCount(agentId: string) {
      const rows = await queryRows<{ n: number }>(
        db,
        sql`SELECT active_chats AS n FROM users WHERE id = ${agentId}`,
      );
      return Number(rows[0]?.n ?? 0);
    },
    async hasFreeSlot(groupId: string) {
      const rows = await queryRows<{ n: number }>(
        db,
        sql`SELECT 1 AS n FROM users u JOIN group_members gm ON gm.user_id = u.id AND gm.group_id = ${groupId}
            JOIN skill_groups g ON g.id = gm.group_id
            WHERE u.status = 'online' AND NOT u.disabled
              AND u.active_chats < COALESCE(u.max_concurrency, g.default_max_concurrency)
            LIMIT 1`,
      );
      return rows.length > 0;
    },
    async lastAgentOf(customerId: string, conversationId: string, days: number) {
      const rows = await queryRows<{ assignee_id: string }>(
        db,
        sql`SELECT assignee_id FROM conversations
            WHERE customer_id = ${customerId} AND id <> ${conversationId} AND assignee_id IS NOT NULL
              AND COALESCE(resolved_at, assigned_at, created_at) > now() - ${days} * interval '1 day'
            ORDER BY created_at DESC LIMIT 1`,
      );
      return rows[0]?.assignee_id ?? null;
    },
    async lockUser(userId: string) {
      const rows = await queryRows<{
        id: string;
        name: string;
        org_id: string;
        role: string;
        disabled: boolean;
        status: string;
        max_concurrency: number | null;
      }>(
        db,
        sql`SELECT id, name, org_id, role, disabled, status, max_concurrency FROM users WHERE id = ${userId} FOR UPDATE`,
      );
      return rows[0] ?? null;
    },
    async userCanServe(userId: string, storeId: string, groupId: string | null) {
      const rows = await queryRows<{ cap: number; can: boolean }>(
        db,
        sql`SELECT COALESCE(u.max_concurrency,
                  (SELECT g.default_max_concurrency FROM skill_groups g WHERE g.id = ${groupId}),
                  (SELECT max(g.default_max_concurrency) FROM group_members gm JOIN skill_groups g ON g.id = gm.group_id WHERE gm.user_id = u.id),
                  5) AS cap,
              (u.role = 'admin' OR EXISTS (SELECT 1 FROM user_stores us WHERE us.user_id = u.id AND us.store_id = ${storeId})) AS can
            FROM users u WHERE u.id = ${userId}`,
      );
      return rows[0] ?? null;
    },
    /** The agent (and their place in the group's round robin) took a chat now. */
    async markAssigned(agentId: string, groupId: string | null) {
      await db.execute(sql`UPDATE users SET last_assigned_at = now() WHERE id = ${agentId}`);
      if (groupId)
        await db.execute(
          sql`UPDATE group_members SET last_assigned_at = now() WHERE group_id = ${groupId} AND user_id = ${agentId}`,
        );
    },
    async insertPlaceholder(p: {
      orgId: string;
      storeId: string;
      customerId: string;
      conversationId: string;
      note: string;
      message?: string;
      contact?: string | null;
    }) {
      const rows = await queryRows<{ id: string }>(
        db,
        sql`INSERT INTO ticket_placeholders (org_id, store_id, customer_id, conversation_id, note, message, contact)
            VALUES (${p.orgId}, ${p.storeId}, ${p.customerId}, ${p.conversationId}, ${p.note}, ${p.message ?? ''},
              ${p.contact ?? null}) RETURNING id`,
      );
      return rows[0]!.id;
    },
    /** Newest first; `storeIds` null = every store of the organisation. */
    async listPlaceholders(scope: Scope, q: { status?: 'open' | 'closed' | undefined; limit: number }) {
      return queryRows<PlaceholderRow>(
        db,
        sql`SELECT ${placeholderColumns} ${placeholderFrom}
            WHERE ${scopedSql('p', scope)}
              ${q.status ? sql`AND p.status = ${q.status}` : sql``}
            ORDER BY p.created_at DESC, p.id DESC LIMIT ${q.limit}`,
      );
    },
    async getPlaceholder(id: string) {
      const rows = await queryRows<PlaceholderRow>(
        db,
        sql`SELECT ${placeholderColumns} ${placeholderFrom} WHERE p.id = ${id}`,
      );
      return rows[0] ?? null;
    },
    async setPlaceholderStatus(id: string, status: 'open' | 'closed', by: string) {
      await db.execute(
        sql`UPDATE ticket_placeholders SET status = ${status},
              handled_at = CASE WHEN ${status} = 'closed' THEN now() END,
              handled_by = CASE WHEN ${status} = 'closed' THEN ${by}::uuid END
            WHERE id = ${id}`,
      );
    },

    // ---------- agents ----------
    async groupsOfAgent(userId: string) {
      return (
        await queryRows<{ group_id: string }>(
          db,
          sql`SELECT group_id FROM group_members WHERE user_id = ${userId}`,
        )
      ).map((r) => r.group_id);
    },
    async recordMiss(agentId: string) {
      const rows = await queryRows<{ missed_replies: number }>(
        db,
        sql`UPDATE users SET missed_replies = missed_replies + 1 WHERE id = ${agentId}
            RETURNING missed_replies`,
      );
      return rows[0] ?? null;
    },
    async assignedTo(agentId: string) {
      return queryRows<{ id: string; group_id: string | null; org_id: string; store_id: string }>(
        db,
        sql`SELECT id, group_id, org_id, store_id FROM conversations WHERE assignee_id = ${agentId} AND status = 'assigned'
            FOR UPDATE SKIP LOCKED`,
      );
    },

    // ---------- presence ----------
    async touchPresence(userIds: readonly string[]) {
      if (userIds.length === 0) return;
      await db.execute(
        sql`INSERT INTO agent_presence (user_id, last_seen_at)
            SELECT u.id, now() FROM users u WHERE u.id IN (${inList(userIds)})
            ON CONFLICT (user_id) DO UPDATE SET last_seen_at = now()`,
      );
    },
    /** Online/paused agents whose presence has not been refreshed for the grace period; locked. */
    async lockStaleAgents(graceSeconds: number) {
      return queryRows<{ id: string; org_id: string; status: 'online' | 'paused' }>(
        db,
        sql`SELECT u.id, u.org_id, u.status FROM users u JOIN agent_presence p ON p.user_id = u.id
            WHERE u.status IN ('online', 'paused') AND p.last_seen_at < now() - ${graceSeconds} * interval '1 second'
            LIMIT 50 FOR UPDATE OF u SKIP LOCKED`,
      );
    },

    // ---------- customers ----------
    async getCustomer(id: string) {
      const rows = await queryRows<{
        id: string;
        org_id: string;
        store_id: string;
        tier: 'normal' | 'vip';
        risk_flag: boolean;
      }>(db, sql`SELECT id, org_id, store_id, tier, risk_flag FROM customers WHERE id = ${id}`);
      return rows[0] ?? null;
    },
    async setCustomerFlags(
      id: string,
      f: { tier?: 'normal' | 'vip' | undefined; riskFlag?: boolean | undefined },
    ) {
      await db.execute(
        sql`UPDATE customers SET tier = COALESCE(${f.tier ?? null}, tier), risk_flag = COALESCE(${f.riskFlag ?? null}::boolean, risk_flag)
            WHERE id = ${id}`,
      );
    },
    /** Raises the lane of the customer's waiting conversation (never lowers it). */
    async raiseQueuedPriority(customerId: string, priority: number) {
      return queryRows<{ id: string; group_id: string | null }>(
        db,
        sql`UPDATE conversations SET priority = ${priority}
            WHERE customer_id = ${customerId} AND status = 'queued' AND priority < ${priority} RETURNING id, group_id`,
      );
    },
    /** Groups with conversations held out of the queue after hours (still waiting, no message left). */
    async heldGroups() {
      return (
        await queryRows<{ group_id: string }>(
          db,
          sql`SELECT DISTINCT group_id FROM conversations
              WHERE status = 'queued' AND leave_message_offer = 'after_hours' AND group_id IS NOT NULL`,
        )
      ).map((r) => r.group_id);
    },
    /** A group's held conversations in their original order, locked (one being closed is skipped). */
    async lockHeld(groupId: string) {
      const rows = await queryRows<RoutedConversation>(
        db,
        sql`SELECT ${conversationColumns} FROM conversations
            WHERE status = 'queued' AND leave_message_offer = 'after_hours' AND group_id = ${groupId}
            ORDER BY priority DESC, queued_at ASC, id FOR UPDATE SKIP LOCKED`,
      );
      return rows.map(fixConversation);
    },
    async queuedOfCustomer(customerId: string) {
      const rows = await queryRows<{ id: string }>(
        db,
        sql`SELECT id FROM conversations WHERE customer_id = ${customerId} AND status = 'queued' LIMIT 1`,
      );
      return rows[0]?.id ?? null;
    },

    // ---------- queue and wall ----------
    async queueOf(groupId: string, limit: number) {
      return queryRows<{
        id: string;
        customer_id: string;
        org_id: string;
        queued_at: Date | string;
        priority: number;
        leave_message_offer: LeaveMessageOffer;
      }>(
        db,
        sql`SELECT id, customer_id, org_id, queued_at, priority, leave_message_offer FROM conversations
            WHERE ${waiting()} AND group_id = ${groupId}
            ORDER BY priority DESC, queued_at ASC, id LIMIT ${limit}`,
      );
    },
    /** Place = conversations of the group ahead in lane order (higher priority, or same and earlier). */
    async placeInQueue(conversationId: string) {
      const rows = await queryRows<{
        group_id: string;
        position: number;
        queue_length: number;
        leave_message_offer: LeaveMessageOffer;
      }>(
        db,
        sql`SELECT me.group_id, me.leave_message_offer,
              (SELECT count(*)::int FROM conversations o WHERE ${waiting('o')} AND o.group_id = me.group_id
                AND (o.priority > me.priority OR (o.priority = me.priority AND (o.queued_at, o.id) <= (me.queued_at, me.id)))) AS position,
              (SELECT count(*)::int FROM conversations o WHERE ${waiting('o')} AND o.group_id = me.group_id) AS queue_length
            FROM conversations me WHERE me.id = ${conversationId} AND ${waiting('me')} AND me.group_id IS NOT NULL`,
      );
      return rows[0] ?? null;
    },
    async queueLength(groupId: string) {
      const rows = await queryRows<{ n: number }>(
        db,
        sql`SELECT count(*)::int AS n FROM conversations WHERE ${waiting()} AND group_id = ${groupId}`,
      );
      return Number(rows[0]?.n ?? 0);
    },
    async queuedGroups() {
      return (
        await queryRows<{ group_id: string }>(
          db,
          sql`SELECT DISTINCT group_id FROM conversations WHERE ${waiting()} AND group_id IS NOT NULL`,
        )
      ).map((r) => r.group_id);
    },
    /** Slots of the online members of the group and how many are free. */
    async capacity(groupId: string) {
      const rows = await queryRows<{ total: number | null; used: number | null; agents: number }>(
        db,
        sql`SELECT sum(cap)::int AS total, sum(LEAST(active, cap))::int AS used, count(*)::int AS agents FROM (
              SELECT COALESCE(u.max_concurrency, g.default_max_concurrency) AS cap, u.active_chats AS active
              FROM users u JOIN group_members gm ON gm.user_id = u.id AND gm.group_id = ${groupId}
              JOIN skill_groups g ON g.id = gm.group_id
              WHERE u.status = 'online' AND NOT u.disabled) x`,
      );
      const r = rows[0];
      return { total: Number(r?.total ?? 0), used: Number(r?.used ?? 0), agents: Number(r?.agents ?? 0) };
    },
    /**
     * The group's chats assigned in the last hour by observed time (handle time if finished, age if
     * still running), in the age buckets of `HANDLE_TIME_EDGES`: a few rows, whatever the volume.
     */
    async handleTimeCohort(groupId: string): Promise<HandleTimeBucket[]> {
      const rows = await queryRows<{
        bucket: number;
        chats: number;
        finished: number;
        seconds: number;
        finished_seconds: number;
      }>(
        db,
        // date_part, not EXTRACT: float arithmetic, where EXTRACT's numeric made the query 2.5× slower.
        sql`SELECT width_bucket(d, ARRAY[${sql.raw(HANDLE_TIME_EDGES.join(', '))}]::float8[]) AS bucket,
              count(*)::int AS chats, count(*) FILTER (WHERE finished)::int AS finished,
              sum(d) AS seconds, COALESCE(sum(d) FILTER (WHERE finished), 0) AS finished_seconds
            FROM (SELECT GREATEST(0, date_part('epoch', COALESCE(resolved_at, now()) - assigned_at)) AS d,
                    resolved_at IS NOT NULL AS finished
                  FROM conversations
                  WHERE group_id = ${groupId} AND assigned_at > now() - interval '1 hour'
                    AND (status = 'assigned' OR (status IN ('resolved', 'closed') AND resolved_at IS NOT NULL))) c
            GROUP BY 1`,
      );
      return rows.map((r) => ({
        bucket: Number(r.bucket),
        chats: Number(r.chats),
        finished: Number(r.finished),
        seconds: Number(r.seconds),
        finishedSeconds: Number(r.finished_seconds),
      }));
    },
    // The wall's figures are the scope's: a store-limited supervisor's wall counts their stores only.
    async queueStats(scope: Scope) {
      return queryRows<{ group_id: string; priority: number; n: number; oldest: Date | string | null }>(
        db,
        sql`SELECT group_id, priority, count(*)::int AS n, min(queued_at) AS oldest FROM conversations
            WHERE ${scopedSql('conversations', scope)} AND ${waiting()} AND group_id IS NOT NULL
            GROUP BY group_id, priority`,
      );
    },
    /** Per group: customers holding an after-hours leave-a-message offer (not in the queue). */
    async afterHoursOffers(scope: Scope) {
      return queryRows<{ group_id: string; n: number }>(
        db,
        sql`SELECT group_id, count(*)::int AS n FROM conversations
            WHERE ${scopedSql('conversations', scope)} AND status = 'queued' AND leave_message_offer = 'after_hours'
              AND group_id IS NOT NULL GROUP BY group_id`,
      );
    },
    async openPlaceholderCount(scope: Scope) {
      const rows = await queryRows<{ n: number }>(
        db,
        sql`SELECT count(*)::int AS n FROM ticket_placeholders
            WHERE ${scopedSql('ticket_placeholders', scope)} AND status = 'open'`,
      );
      return Number(rows[0]?.n ?? 0);
    },
    /** Of conversations queued in the window whose outcome is known (answered, or waited > T): answered within T. */
    async serviceLevel(scope: Scope, minutes: number) {
      return queryRows<{ group_id: string; answered: number; decided: number }>(
        db,
        sql`SELECT c.group_id, ${serviceLevelCounts(sql`g.service_level_seconds * interval '1 second'`)}
            FROM conversations c JOIN skill_groups g ON g.id = c.group_id
            WHERE ${scopedSql('c', scope)} AND c.queued_at > now() - ${minutes} * interval '1 minute'
              AND c.leave_message_offer IS DISTINCT FROM 'after_hours'
            GROUP BY c.group_id`,
      );
    },
    /**
     * A drill's service level, by the same definition: of the organisation's conversations queued
     * since `since`, the share answered within `targetMs` (the simulated target scaled to real time
     * by the drill's speed).
     */
    async drillServiceLevel(orgId: string, since: Date, targetMs: number) {
      const rows = await queryRows<{ answered: number; decided: number; queued: number }>(
        db,
        sql`SELECT ${serviceLevelCounts(sql`${targetMs} * interval '1 millisecond'`)}, count(*)::int AS queued
            FROM conversations c
            WHERE c.org_id = ${orgId} AND c.queued_at >= ${since.toISOString()}::timestamptz`,
      );
      const r = rows[0];
      return {
        answered: Number(r?.answered ?? 0),
        decided: Number(r?.decided ?? 0),
        queued: Number(r?.queued ?? 0),
      };
    },
    /** Agents who serve the scope: org-wide admins in groups, and users of the scope's stores. */
    async agentsOfScope(scope: Scope) {
      return queryRows<{
        id: string;
        name: string;
        status: 'online' | 'paused' | 'offline' | 'away';
        active: number;
        cap: number;
        group_ids: string[] | string | null;
      }>(
        db,
        sql`SELECT u.id, u.name, u.status, u.active_chats AS active,
              COALESCE(u.max_concurrency, (SELECT max(g.default_max_concurrency) FROM group_members gm
                JOIN skill_groups g ON g.id = gm.group_id WHERE gm.user_id = u.id), 5) AS cap,
              (SELECT string_agg(gm.group_id::text, ',') FROM group_members gm WHERE gm.user_id = u.id) AS group_ids
            FROM users u WHERE u.org_id = ${scope.orgId} AND NOT u.disabled
              AND (u.role = 'agent' OR EXISTS (SELECT 1 FROM group_members gm WHERE gm.user_id = u.id))
              ${
                scope.storeIds === 'all'
                  ? sql``
                  : sql`AND (u.role = 'admin' OR EXISTS (SELECT 1 FROM user_stores us
                      WHERE us.user_id = u.id AND ${scopedSql('us', scope, { orgColumn: null })}))`
              }
            ORDER BY u.name`,
      );
    },
    async waitingForReply(scope: Scope, limit: number) {
      return queryRows<{
        id: string;
        customer_name: string;
        assignee_id: string;
        agent_name: string;
        since: Date | string;
      }>(
        db,
        sql`SELECT c.id, cu.name AS customer_name, c.assignee_id, u.name AS agent_name, c.awaiting_agent_since AS since
            FROM conversations c JOIN customers cu ON cu.id = c.customer_id JOIN users u ON u.id = c.assignee_id
            WHERE ${scopedSql('c', scope)} AND c.status = 'assigned' AND c.awaiting_agent_since IS NOT NULL
            ORDER BY c.awaiting_agent_since ASC LIMIT ${limit}`,
      );
    },
    async estimateError(scope: Scope) {
      const rows = await queryRows<{ mae: number | null; n: number }>(
        db,
        sql`SELECT avg(abs((data->>'waitedSeconds')::float - (data->>'estimatedWaitSeconds')::float))::float AS mae,
              count(*)::int AS n
            FROM facts WHERE ${scopedSql('facts', scope)} AND kind = 'conversation.assigned'
              AND at > now() - interval '1 hour'
              AND data->>'estimatedWaitSeconds' IS NOT NULL AND data->>'waitedSeconds' IS NOT NULL`,
      );
      return { mae: rows[0]?.mae ?? null, n: Number(rows[0]?.n ?? 0) };
    },
    async orgsWithQueues() {
      return (
        await queryRows<{ org_id: string }>(
          db,
          sql`SELECT DISTINCT org_id FROM conversations WHERE status = 'queued'`,
        )
      ).map((r) => r.org_id);
    },
  };
}

export type RoutingRepository = ReturnType<typeof createRoutingRepository>;

/** What `applyPresence` did: the agent's presence before and after, and why. */
export type PresenceChange = {
  agentId: string;
  orgId: string;
  before: PresenceState;
  after: PresenceState;
  changed: boolean;
  reason: PresenceReason;
};

const restorable = (s: string | null): PresenceState['awayFrom'] =>
  s === 'online' || s === 'paused' ? s : null;

/**
 * The only writer of an agent's presence (`users.status`, `agent_presence.away_from`): locks the user
 * row, applies the presence machine (presence-machine.ts) and, when the status moved, writes it with
 * the `agent.status_changed` fact and outbox event, all in the caller's transaction (routing's `Change`,
 * or accounts' own). Going online resets the missed replies. A refused event (a manual `away`) is a 400
 * `status_not_settable` naming `status`; a no-op writes nothing. `detail` goes into the fact: how many
 * chats the change put back in the queue, and the group whose limit paused the agent. The caller
 * publishes the in-process `agent.status_changed` after the commit (`changed` says whether to).
 */
export async function applyPresence(
  tx: Database,
  agentId: string,
  event: PresenceEvent,
  detail: { requeued?: number; groupId?: string | null } = {},
): Promise<PresenceChange> {
  const [row] = await queryRows<{
    org_id: string;
    status: PresenceState['status'];
    away_from: string | null;
  }>(
    tx,
    sql`SELECT u.org_id, u.status, p.away_from FROM users u LEFT JOIN agent_presence p ON p.user_id = u.id
        WHERE u.id = ${agentId} FOR UPDATE OF u`,
  );
  if (!row) throw notFound('user');
  const before: PresenceState = {
    status: row.status,
    awayFrom: row.status === 'away' ? restorable(row.away_from) : null,
  };
  const t = transitionPresence(before, event);
  if (!t.ok) throw new DomainError('invalid_input', 'status_not_settable', t.error.message, t.error.field);
  const result = { agentId, orgId: row.org_id, before, after: t.next, changed: t.changed, reason: t.reason };
  if (!t.changed) return result;
  const { status, awayFrom } = t.next;
  await tx.execute(
    sql`UPDATE users SET status = ${status},
          missed_replies = CASE WHEN ${status} = 'online' THEN 0 ELSE missed_replies END
        WHERE id = ${agentId}`,
  );
  if (awayFrom !== restorable(row.away_from))
    await tx.execute(
      awayFrom
        ? sql`INSERT INTO agent_presence (user_id, away_from) VALUES (${agentId}, ${awayFrom})
              ON CONFLICT (user_id) DO UPDATE SET away_from = EXCLUDED.away_from`
        : sql`UPDATE agent_presence SET away_from = NULL WHERE user_id = ${agentId}`,
    );
  await recordFacts(tx, [
    {
      orgId: row.org_id,
      kind: 'agent.status_changed',
      agentId,
      groupId: detail.groupId ?? null,
      data: {
        status,
        from: before.status,
        reason: t.reason,
        ...(detail.requeued !== undefined ? { requeued: detail.requeued } : {}),
        ...(event.type === 'missed_replies' ? { misses: event.misses } : {}),
      },
    },
  ]);
  await writeEvents(tx, [
    { name: 'agent.status_changed', payload: { orgId: row.org_id, userId: agentId, status } },
  ]);
  return result;
}
