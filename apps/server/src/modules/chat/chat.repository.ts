import { durableEvents } from '@peakdesk/contracts';
import { type Database, queryRows, schema, sql } from '@peakdesk/db';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { writeEvents } from '../../events/outbox.ts';
import { DomainError, notFound } from '../../http/domain-error.ts';
import { type Scope, scopedSql, scopedWhere } from '../../http/scope.ts';
import { createBatcher } from './batcher.ts';
import {
  applyConversationEvent,
  type ConversationEvent,
  type ConversationState,
} from './conversation-state.ts';

const { customers, conversations, attachments } = schema;

export type ConversationRow = typeof conversations.$inferSelect;

export type MessageRecord = {
  id: string;
  conversation_id: string;
  seq: number;
  sender_type: 'customer' | 'agent' | 'bot' | 'system';
  sender_id: string | null;
  sender_name: string | null;
  client_id: string;
  type: 'text' | 'image' | 'system';
  body: string;
  attachment_id: string | null;
  created_at: Date | string;
};

export type ConversationListRecord = {
  id: string;
  store_id: string;
  store_name: string;
  customer_id: string;
  customer_name: string;
  group_id: string | null;
  assignee_id: string | null;
  status: ConversationRow['status'];
  priority: number;
  last_seq: number | string;
  customer_read_seq: number | string;
  agent_read_seq: number | string;
  unread: number | string;
  preview: string | null;
  created_at: Date | string;
  last_message_at: Date | string;
};

/** The stored message plus the conversation as the same statement left it (no second round trip). */
export type InsertedMessage = MessageRecord & {
  org_id: string;
  conv_status: ConversationRow['status'];
  conv_store_id: string;
  conv_customer_id: string;
  conv_group_id: string | null;
  conv_assignee_id: string | null;
  conv_has_agent_reply: boolean;
};

export type InsertMessageInput = {
  orgId: string;
  conversationId: string;
  senderType: MessageRecord['sender_type'];
  senderId: string | null;
  clientId: string;
  type: MessageRecord['type'];
  body: string;
  attachmentId: string | null;
};

const conversationSelect = sql`
  SELECT c.id, c.store_id, s.name AS store_name, c.customer_id, cu.name AS customer_name, c.group_id,
    c.assignee_id, c.status, c.priority, c.last_seq, c.customer_read_seq, c.agent_read_seq, c.created_at,
    c.last_message_at,
    (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id AND m.sender_type = 'customer'
       AND m.seq > c.agent_read_seq) AS unread,
    (SELECT CASE WHEN m.type = 'image' THEN '[image]' ELSE left(m.body, 80) END FROM messages m
       WHERE m.conversation_id = c.id ORDER BY m.seq DESC LIMIT 1) AS preview
  FROM conversations c
  JOIN stores s ON s.id = c.store_id
  JOIN customers cu ON cu.id = c.customer_id`;

const stateOf = (c: ConversationRow): ConversationState => ({
  status: c.status,
  assigneeId: c.assigneeId,
  groupId: c.groupId,
  offer: c.leaveMessageOffer ?? null,
  queuedAt: c.queuedAt,
  routedFor: c.routedFor,
  assignedAt: c.assignedAt,
  resolvedAt: c.resolvedAt,
  awaitingAgentSince: c.awaitingAgentSince,
  missedAgentId: c.missedAgentId,
  estimatedWaitSeconds: c.estimatedWaitSeconds,
});

export type Transition = { before: ConversationRow; after: ConversationRow; changed: boolean };

/**
 * The only writer of a conversation's lifecycle (status, assignee, group, offer and their clocks):
 * locks the row, applies the state machine (conversation-state.ts), writes the result. Run it in the
 * transaction of the change so the facts it records commit with it. An event the machine rejects is a
 * 409 `invalid_transition`; `when` (checked on the locked row) turns a change that no longer applies —
 * a timer firing late, a second handoff — into a quiet null instead.
 */
export async function transitionConversation(
  tx: Database,
  id: string,
  event: ConversationEvent,
  opts: { when?: (c: ConversationRow) => boolean; now?: Date } = {},
): Promise<Transition | null> {
  const [before] = await tx.select().from(conversations).where(eq(conversations.id, id)).for('update');
  if (!before) throw notFound('conversation');
  if (opts.when && !opts.when(before)) return null;
  const t = applyConversationEvent(stateOf(before), event, opts.now);
  if (!t.ok) throw new DomainError('invalid_state', 'invalid_transition', t.reason);
  if (!t.changed) return { before, after: before, changed: false };
  const n = t.next;
  const [after] = await tx
    .update(conversations)
    .set({
      status: n.status,
      assigneeId: n.assigneeId,
      groupId: n.groupId,
      leaveMessageOffer: n.offer,
      queuedAt: n.queuedAt,
      routedFor: n.routedFor,
      assignedAt: n.assignedAt,
      resolvedAt: n.resolvedAt,
      awaitingAgentSince: n.awaitingAgentSince,
      missedAgentId: n.missedAgentId,
      estimatedWaitSeconds: n.estimatedWaitSeconds,
    })
    .where(eq(conversations.id, id))
    .returning();
  // The durable record of the step, in the same transaction: it exists iff the change committed.
  await writeEvents(tx, [
    {
      name: 'conversation.transitioned',
      payload: {
        orgId: after!.orgId,
        conversation: conversationRefOf(after!),
        event: event.type,
        fromStatus: before.status,
        previousAssigneeId: before.assigneeId,
      },
    },
  ]);
  return { before, after: after!, changed: true };
}

/** The conversation as events carry it (ZConversationRef). */
export const conversationRefOf = (c: ConversationRow) => ({
  id: c.id,
  storeId: c.storeId,
  customerId: c.customerId,
  groupId: c.groupId,
  assigneeId: c.assigneeId,
  status: c.status,
});

const MESSAGE_CREATED_VERSION = durableEvents['message.created'].version;

/**
 * One statement stores a whole batch: resends (already stored, or twice in the batch) are left
 * out before numbering so they take no sequence number, each conversation's counter moves once by
 * its count of new messages, and seqs follow the order of the batch. Conversation rows are locked
 * in id order, so concurrent batches (other instances) cannot deadlock on them. The same statement
 * writes one `message.created` outbox event per stored message (ZMessageCreatedEventV1; the
 * conversation as the write left it): the event exists iff the message does, so a crash between
 * commit and the in-process push never loses a bot turn. `db` may be a transaction.
 */
export async function insertMessagesIn(
  db: Database,
  batch: InsertMessageInput[],
): Promise<(InsertedMessage | null)[]> {
  const input = JSON.stringify(
    batch.map((m, ord) => ({
      ord,
      org_id: m.orgId,
      conversation_id: m.conversationId,
      sender_type: m.senderType,
      sender_id: m.senderId,
      client_id: m.clientId,
      type: m.type,
      body: m.body,
      attachment_id: m.attachmentId,
    })),
  );
  const rows = await queryRows<InsertedMessage & { ord: number }>(
    db,
    sql`WITH input AS (
            SELECT * FROM jsonb_to_recordset(${input}::jsonb) AS t(ord int, org_id uuid, conversation_id uuid,
              sender_type text, sender_id uuid, client_id text, type text, body text, attachment_id uuid)),
          fresh AS (
            SELECT DISTINCT ON (i.conversation_id, i.sender_type, i.client_id) i.* FROM input i
            WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = i.conversation_id
              AND m.sender_type = i.sender_type AND m.client_id = i.client_id)
            ORDER BY i.conversation_id, i.sender_type, i.client_id, i.ord),
          numbered AS (
            SELECT f.*, row_number() OVER (PARTITION BY f.conversation_id ORDER BY f.ord) AS k FROM fresh f),
          per_conv AS (
            SELECT conversation_id, count(*) AS n,
              (array_agg(sender_type ORDER BY ord DESC) FILTER (WHERE sender_type IN ('customer', 'agent')))[1] AS last_party,
              bool_or(sender_type = 'agent') AS had_agent
            FROM numbered GROUP BY conversation_id),
          locked AS (
            SELECT id FROM conversations WHERE id IN (SELECT conversation_id FROM per_conv) ORDER BY id FOR UPDATE),
          c AS (
            UPDATE conversations SET last_seq = last_seq + p.n, last_message_at = now(),
              -- The no-reply clock: starts at the customer's first message since the last agent reply.
              awaiting_agent_since = CASE p.last_party
                WHEN 'customer' THEN COALESCE(CASE WHEN p.had_agent THEN NULL ELSE conversations.awaiting_agent_since END, now())
                WHEN 'agent' THEN NULL ELSE conversations.awaiting_agent_since END
            FROM per_conv p
            WHERE conversations.id = p.conversation_id AND conversations.id IN (SELECT id FROM locked)
            RETURNING conversations.id, conversations.last_seq - p.n AS base_seq, conversations.status,
              conversations.store_id, conversations.customer_id, conversations.group_id, conversations.assignee_id,
              conversations.first_agent_reply_at),
          ins AS (
            INSERT INTO messages (org_id, conversation_id, seq, sender_type, sender_id, client_id, type, body, attachment_id)
            SELECT n.org_id, n.conversation_id, c.base_seq + n.k, n.sender_type, n.sender_id, n.client_id, n.type,
              n.body, n.attachment_id
            FROM numbered n JOIN c ON c.id = n.conversation_id
            ON CONFLICT (conversation_id, sender_type, client_id) DO NOTHING
            RETURNING id, org_id, conversation_id, seq, sender_type, sender_id, client_id, type, body, attachment_id, created_at),
          events AS (
            INSERT INTO outbox (org_id, name, version, payload)
            SELECT ins.org_id, 'message.created', ${MESSAGE_CREATED_VERSION}::int, jsonb_build_object(
              'orgId', ins.org_id,
              'message', jsonb_build_object('id', ins.id, 'conversationId', ins.conversation_id, 'seq', ins.seq,
                'senderType', ins.sender_type, 'senderId', ins.sender_id, 'senderName', NULL::text,
                'clientId', ins.client_id, 'type', ins.type, 'body', ins.body, 'attachmentId', ins.attachment_id,
                'createdAt', to_char(ins.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
              'conversation', jsonb_build_object('id', c.id, 'storeId', c.store_id, 'customerId', c.customer_id,
                'groupId', c.group_id, 'assigneeId', c.assignee_id, 'status', c.status))
            FROM ins JOIN c ON c.id = ins.conversation_id
            ORDER BY ins.conversation_id, ins.seq)
          SELECT ins.*, NULL::text AS sender_name, n.ord, c.status AS conv_status, c.store_id AS conv_store_id,
            c.customer_id AS conv_customer_id, c.group_id AS conv_group_id, c.assignee_id AS conv_assignee_id,
            c.first_agent_reply_at IS NOT NULL AS conv_has_agent_reply
          FROM ins JOIN c ON c.id = ins.conversation_id
          JOIN numbered n ON n.conversation_id = ins.conversation_id AND n.sender_type = ins.sender_type
            AND n.client_id = ins.client_id`,
  );
  const out: (InsertedMessage | null)[] = batch.map(() => null);
  for (const { ord, ...row } of rows) out[ord] = row;
  return out;
}

/**
 * For each agent message: whole seconds since the earliest customer message that no agent or bot
 * message answered before it; null when none was pending. Run it in the insert's transaction: the
 * conversation rows are locked by then, so it sees every message stored before (also by another
 * instance) and the batch's own.
 */
export async function responseSecondsIn(tx: Database, agentMessageIds: string[]) {
  if (agentMessageIds.length === 0) return new Map<string, number | null>();
  const rows = await queryRows<{ id: string; seconds: number | null }>(
    tx,
    sql`SELECT a.id,
          -- GREATEST skips NULLs: without a pending message the answer is NULL, not 0
          CASE WHEN p.since IS NOT NULL THEN GREATEST(0, round(EXTRACT(EPOCH FROM a.created_at - p.since)))::int END AS seconds
        FROM messages a
        LEFT JOIN LATERAL (
          SELECT min(m.created_at) AS since FROM messages m
          WHERE m.conversation_id = a.conversation_id AND m.sender_type = 'customer' AND m.seq < a.seq
            AND m.seq > COALESCE((SELECT max(b.seq) FROM messages b WHERE b.conversation_id = a.conversation_id
              AND b.sender_type IN ('agent', 'bot') AND b.seq < a.seq), 0)) p ON true
        WHERE a.id IN (SELECT jsonb_array_elements_text(${JSON.stringify(agentMessageIds)}::jsonb)::uuid)`,
  );
  return new Map(rows.map((r) => [r.id, r.seconds === null ? null : Number(r.seconds)]));
}

export type ChatRepositoryOptions = {
  /** Runs in each message batch's transaction with the messages it stored (not resends): their facts. */
  afterInsert?: (tx: Database, stored: InsertedMessage[]) => Promise<void>;
};

export function createChatRepository(db: Database, opts: ChatRepositoryOptions = {}) {
  const { afterInsert } = opts;
  const insertMessages = (batch: InsertMessageInput[]) =>
    afterInsert
      ? db.transaction(async (t) => {
          const tx = t as unknown as Database;
          const rows = await insertMessagesIn(tx, batch);
          await afterInsert(
            tx,
            rows.filter((r): r is InsertedMessage => r !== null),
          );
          return rows;
        })
      : insertMessagesIn(db, batch);
  const writeMessage = createBatcher(insertMessages, { maxBatch: 500 });

  return {
    async findCustomerByBuyer(storeId: string, buyerId: string) {
      const [row] = await db
        .select()
        .from(customers)
        .where(and(eq(customers.storeId, storeId), eq(customers.buyerId, buyerId)));
      return row ?? null;
    },
    async createCustomer(values: typeof customers.$inferInsert) {
      // A buyer id is unique per store; two devices racing to create it end with the same row.
      const [row] = await db.insert(customers).values(values).onConflictDoNothing().returning();
      if (row) return row;
      const existing = values.buyerId ? await this.findCustomerByBuyer(values.storeId, values.buyerId) : null;
      if (!existing) throw new Error('customer insert conflicted but no row was found');
      return existing;
    },
    async getCustomer(id: string) {
      const [row] = await db.select().from(customers).where(eq(customers.id, id));
      return row ?? null;
    },
    /** Every visitor token of the customer minted at or before `at` is refused from now on. */
    async revokeVisitorTokens(id: string, at: Date) {
      await db.update(customers).set({ visitorTokensRevokedAt: at }).where(eq(customers.id, id));
    },
    async touchCustomer(id: string, name?: string) {
      await db
        .update(customers)
        .set({ lastSeenAt: new Date(), ...(name ? { name } : {}) })
        .where(eq(customers.id, id));
    },

    async getConversation(id: string) {
      const [row] = await db.select().from(conversations).where(eq(conversations.id, id));
      return row ?? null;
    },
    async findActiveConversation(customerId: string) {
      const [row] = await db
        .select()
        .from(conversations)
        .where(
          and(
            eq(conversations.customerId, customerId),
            inArray(conversations.status, ['bot', 'queued', 'assigned']),
          ),
        )
        .orderBy(desc(conversations.createdAt))
        .limit(1);
      return row ?? null;
    },
    async createConversation(values: typeof conversations.$inferInsert) {
      const [row] = await db.insert(conversations).values(values).returning();
      return row!;
    },
    /** Tenancy and the message counter of several conversations: one indexed read. */
    async conversationHeads(scope: Scope, ids: string[]) {
      if (ids.length === 0) return [];
      return db
        .select({
          id: conversations.id,
          orgId: conversations.orgId,
          storeId: conversations.storeId,
          customerId: conversations.customerId,
          lastSeq: conversations.lastSeq,
        })
        .from(conversations)
        .where(and(scopedWhere(conversations, scope), inArray(conversations.id, ids)));
    },
    async conversationsOfCustomer(customerId: string, limit = 20) {
      return db
        .select()
        .from(conversations)
        .where(eq(conversations.customerId, customerId))
        .orderBy(desc(conversations.createdAt))
        .limit(limit);
    },

    /**
     * Stores a message with the next sequence number. Returns null when this (conversation, sender
     * type, client id) was stored before: the caller answers with the original. Concurrent calls are
     * written together (see insertMessages); each resolves only after its batch committed.
     */
    insertMessage: (m: InsertMessageInput): Promise<InsertedMessage | null> => writeMessage(m),
    insertMessages,
    async findMessageByClientId(conversationId: string, senderType: string, clientId: string) {
      const rows = await queryRows<MessageRecord>(
        db,
        sql`SELECT m.*, u.name AS sender_name FROM messages m LEFT JOIN users u ON u.id = m.sender_id
            WHERE m.conversation_id = ${conversationId} AND m.sender_type = ${senderType} AND m.client_id = ${clientId}`,
      );
      return rows[0] ?? null;
    },
    async history(
      conversationId: string,
      q: { afterSeq?: number | undefined; beforeSeq?: number | undefined; limit: number },
    ) {
      // Fetch one extra row to know whether another page exists.
      const take = q.limit + 1;
      const rows =
        q.afterSeq !== undefined
          ? await queryRows<MessageRecord>(
              db,
              sql`SELECT m.*, u.name AS sender_name FROM messages m LEFT JOIN users u ON u.id = m.sender_id
                  WHERE m.conversation_id = ${conversationId} AND m.seq > ${q.afterSeq}
                    AND m.seq < ${q.beforeSeq ?? Number.MAX_SAFE_INTEGER} ORDER BY m.seq ASC LIMIT ${take}`,
            )
          : (
              await queryRows<MessageRecord>(
                db,
                sql`SELECT m.*, u.name AS sender_name FROM messages m LEFT JOIN users u ON u.id = m.sender_id
                    WHERE m.conversation_id = ${conversationId} AND m.seq < ${q.beforeSeq ?? Number.MAX_SAFE_INTEGER}
                    ORDER BY m.seq DESC LIMIT ${take}`,
              )
            ).reverse();
      const hasMore = rows.length > q.limit;
      if (!hasMore) return { rows, hasMore };
      return { rows: q.afterSeq !== undefined ? rows.slice(0, q.limit) : rows.slice(1), hasMore };
    },
    async setReadSeq(conversationId: string, reader: 'agent' | 'customer', seq: number) {
      // GREATEST: read state only moves forward, whatever order acknowledgements arrive in.
      if (reader === 'agent') {
        await db.execute(
          sql`UPDATE conversations SET agent_read_seq = GREATEST(agent_read_seq, LEAST(${seq}, last_seq)) WHERE id = ${conversationId}`,
        );
      } else {
        await db.execute(
          sql`UPDATE conversations SET customer_read_seq = GREATEST(customer_read_seq, LEAST(${seq}, last_seq)) WHERE id = ${conversationId}`,
        );
      }
    },
    /** False when another reply was first (two agents, or a resend racing the original). */
    async markFirstAgentReply(conversationId: string) {
      const rows = await queryRows<{ id: string }>(
        db,
        sql`UPDATE conversations SET first_agent_reply_at = now()
            WHERE id = ${conversationId} AND first_agent_reply_at IS NULL RETURNING id`,
      );
      return rows.length > 0;
    },

    async listConversations(
      scope: Scope,
      f: {
        assigneeId?: string;
        status?: ConversationRow['status'];
        groupIds?: string[];
        /** Only chats waiting for an agent: leaves out those held after hours with a leave-a-message offer. */
        waitingForAgent?: boolean;
        limit: number;
      },
    ) {
      const conds = [scopedSql('c', scope)];
      if (f.waitingForAgent) conds.push(sql`c.leave_message_offer IS DISTINCT FROM 'after_hours'`);
      if (f.assigneeId) conds.push(sql`c.assignee_id = ${f.assigneeId}`);
      if (f.status) conds.push(sql`c.status = ${f.status}`);
      if (f.groupIds) {
        if (f.groupIds.length === 0) return [];
        conds.push(
          sql`c.group_id IN (${sql.join(
            f.groupIds.map((id) => sql`${id}`),
            sql`, `,
          )})`,
        );
      }
      return queryRows<ConversationListRecord>(
        db,
        sql`${conversationSelect} WHERE ${sql.join(conds, sql` AND `)} ORDER BY c.last_message_at DESC LIMIT ${f.limit}`,
      );
    },
    async getConversationListRecord(id: string) {
      const rows = await queryRows<ConversationListRecord>(db, sql`${conversationSelect} WHERE c.id = ${id}`);
      return rows[0] ?? null;
    },

    async insertAttachment(values: typeof attachments.$inferInsert) {
      const [row] = await db
        .insert(attachments)
        .values(values)
        .returning({ id: attachments.id, mime: attachments.mime, size: attachments.size });
      return row!;
    },
    async getAttachment(id: string) {
      const [row] = await db.select().from(attachments).where(eq(attachments.id, id));
      return row ?? null;
    },
  };
}

export type ChatRepository = ReturnType<typeof createChatRepository>;
