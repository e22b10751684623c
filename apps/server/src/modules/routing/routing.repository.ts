import { type Database, queryRows, sql } from '@peakdesk/db';

export type AgentPick = { id: string; name: string; active: number };
export type QueuedConversation = {
  id: string;
  org_id: string;
  store_id: string;
  customer_id: string;
  group_id: string | null;
  status: 'queued';
};

export function createRoutingRepository(db: Database) {
  return {
    /** Locks a queued conversation for this transaction; another instance skips it. */
    async lockQueued(conversationId: string) {
      const rows = await queryRows<QueuedConversation>(
        db,
        sql`SELECT id, org_id, store_id, customer_id, group_id, status FROM conversations
            WHERE id = ${conversationId} AND status = 'queued' FOR UPDATE SKIP LOCKED`,
      );
      return rows[0] ?? null;
    },
    async queuedInGroups(groupIds: string[], limit: number) {
      if (groupIds.length === 0) return [];
      return queryRows<{ id: string }>(
        db,
        sql`SELECT id FROM conversations
            WHERE status = 'queued' AND group_id IN (${sql.join(
              groupIds.map((g) => sql`${g}`),
              sql`, `,
            )})
            ORDER BY priority DESC, queued_at ASC LIMIT ${limit}`,
      );
    },
    /** Waiting conversations this agent could serve (their groups and stores), in queue order. */
    async queuedForAgent(userId: string, limit: number) {
      return queryRows<{ id: string }>(
        db,
        sql`SELECT c.id FROM conversations c
            JOIN group_members gm ON gm.group_id = c.group_id AND gm.user_id = ${userId}
            JOIN users u ON u.id = gm.user_id AND u.org_id = c.org_id
            WHERE c.status = 'queued'
              AND (u.role = 'admin' OR EXISTS (SELECT 1 FROM user_stores us WHERE us.user_id = u.id AND us.store_id = c.store_id))
            ORDER BY c.priority DESC, c.queued_at ASC LIMIT ${limit}`,
      );
    },
    /**
     * Locks the group's members until commit, in id order (no deadlocks), waiting rather than
     * skipping: assignments that race for the same agents (two instances, a burst of arrivals)
     * take turns, and each one's next statement counts the seats the previous ones took. SKIP
     * LOCKED here left conversations queued while agents had free seats.
     */
    async lockGroupMembers(orgId: string, groupId: string) {
      await db.execute(
        sql`SELECT u.id FROM users u JOIN group_members gm ON gm.user_id = u.id AND gm.group_id = ${groupId}
            WHERE u.org_id = ${orgId} ORDER BY u.id FOR UPDATE OF u`,
      );
    },
    /**
     * The least-busy online member of the group who may serve the store and is under their cap;
     * ties go to whoever was assigned longest ago. Call after lockGroupMembers: this statement's
     * snapshot then includes every committed assignment, so no agent goes past the cap.
     */
    async pickLeastBusyAgent(orgId: string, groupId: string, storeId: string) {
      const rows = await queryRows<AgentPick>(
        db,
        sql`SELECT u.id, u.name, a.active FROM users u
            JOIN group_members gm ON gm.user_id = u.id AND gm.group_id = ${groupId}
            JOIN skill_groups g ON g.id = gm.group_id
            CROSS JOIN LATERAL (SELECT count(*)::int AS active FROM conversations c
              WHERE c.assignee_id = u.id AND c.status = 'assigned') a
            WHERE u.org_id = ${orgId} AND u.status = 'online' AND NOT u.disabled
              AND a.active < COALESCE(u.max_concurrency, g.default_max_concurrency)
              AND (u.role = 'admin' OR EXISTS (SELECT 1 FROM user_stores us WHERE us.user_id = u.id AND us.store_id = ${storeId}))
            ORDER BY a.active ASC, u.last_assigned_at ASC NULLS FIRST, u.id
            LIMIT 1`,
      );
      return rows[0] ?? null;
    },
    async assign(conversationId: string, agentId: string) {
      await db.execute(
        sql`UPDATE conversations SET status = 'assigned', assignee_id = ${agentId}, assigned_at = now()
            WHERE id = ${conversationId}`,
      );
      await db.execute(sql`UPDATE users SET last_assigned_at = now() WHERE id = ${agentId}`);
    },
  };
}
