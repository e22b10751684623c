import { randomUUID } from 'node:crypto';
import {
  IMAGE_MAX_BYTES,
  IMAGE_MIME_TYPES,
  type TConversation,
  type TConversationHead,
  type TConversationStatus,
  type TCustomerProfile,
  type THistoryPage,
  type THistoryQuery,
  type TMessage,
  type TSendMessageRequest,
  type TWidgetSession,
  type TWidgetSessionRequest,
} from '@peakdesk/contracts';
import type { Database } from '@peakdesk/db';
import type { ConversationRef, EventBus } from '../../events/event-bus.ts';
import { writeEvents } from '../../events/outbox.ts';
import { failpoint } from '../../failpoints.ts';
import {
  type Caller,
  type CustomerCaller,
  isSupervisorOrAdmin,
  requireRole,
  type UserCaller,
} from '../../http/caller.ts';
import { DomainError, forbidden, notFound } from '../../http/domain-error.ts';
import { assertInScope, scopeOf } from '../../http/scope.ts';
import type { AccountsRepository } from '../accounts/accounts.repository.ts';
import { hmacHex, safeEqualHex } from '../accounts/secrets.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { type Fact, recordFacts } from '../facts/facts.service.ts';
import type { RoutingService } from '../routing/routing.service.ts';
import { seconds } from '../routing/routing-context.ts';
import {
  type ChatRepository,
  type ConversationListRecord,
  type ConversationRow,
  conversationRefOf,
  createChatRepository,
  type InsertedMessage,
  insertMessagesIn,
  type MessageRecord,
  responseSecondsIn,
  type Transition,
  transitionConversation,
} from './chat.repository.ts';
import type { ConversationEvent } from './conversation-state.ts';
import { signVisitorToken, verifyVisitorToken } from './visitor-token.ts';

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

export const toMessageDto = (m: MessageRecord): TMessage => ({
  id: m.id,
  conversationId: m.conversation_id,
  seq: Number(m.seq),
  senderType: m.sender_type,
  senderId: m.sender_id,
  senderName: m.sender_name,
  clientId: m.client_id,
  type: m.type,
  body: m.body,
  attachmentId: m.attachment_id,
  createdAt: iso(m.created_at),
});

const toConversationDto = (c: ConversationListRecord): TConversation => ({
  id: c.id,
  storeId: c.store_id,
  storeName: c.store_name,
  customerId: c.customer_id,
  customerName: c.customer_name,
  groupId: c.group_id,
  assigneeId: c.assignee_id,
  status: c.status,
  priority: c.priority,
  lastSeq: Number(c.last_seq),
  customerReadSeq: Number(c.customer_read_seq),
  agentReadSeq: Number(c.agent_read_seq),
  unread: Number(c.unread),
  lastMessagePreview: c.preview,
  createdAt: iso(c.created_at),
  lastMessageAt: iso(c.last_message_at),
});

const refOf = (c: ConversationRow): ConversationRef => ({
  id: c.id,
  storeId: c.storeId,
  customerId: c.customerId,
  groupId: c.groupId,
  assigneeId: c.assigneeId,
  status: c.status,
});

/**
 * One fact per customer and agent message, written in the message batch's transaction (bot and
 * system lines have none; `bot.*` facts count bot turns). A customer message is attributed to the
 * conversation's assignee, an agent message to its sender, with its response time.
 */
async function messageFactsIn(tx: Database, stored: InsertedMessage[]): Promise<Fact[]> {
  const response = await responseSecondsIn(
    tx,
    stored.filter((m) => m.sender_type === 'agent').map((m) => m.id),
  );
  return stored.flatMap((m): Fact[] => {
    if (m.type === 'system') return [];
    const base = {
      orgId: m.org_id,
      storeId: m.conv_store_id,
      groupId: m.conv_group_id,
      conversationId: m.conversation_id,
    };
    const message = { messageId: m.id, seq: Number(m.seq), type: m.type };
    if (m.sender_type === 'customer')
      return [
        {
          ...base,
          kind: 'message.customer',
          agentId: m.conv_assignee_id,
          data: { side: 'customer', ...message, conversationStatus: m.conv_status },
        },
      ];
    if (m.sender_type === 'agent')
      return [
        {
          ...base,
          kind: 'message.agent',
          agentId: m.sender_id,
          data: { side: 'agent', ...message, responseSeconds: response.get(m.id) ?? null },
        },
      ];
    return [];
  });
}

/** Durations of a resolved conversation, from the clocks the transition read and left. */
function resolvedFact({ before, after }: Transition): Fact {
  const at = after.resolvedAt ?? new Date();
  return {
    orgId: after.orgId,
    kind: 'conversation.resolved',
    storeId: after.storeId,
    groupId: after.groupId,
    agentId: after.assigneeId,
    conversationId: after.id,
    data: {
      fromStatus: before.status,
      durationSeconds: seconds(after.createdAt, at) ?? 0,
      handleSeconds: seconds(before.assignedAt, at),
      waitedSeconds: seconds(before.queuedAt, before.assignedAt ?? at),
    },
  };
}

const anonymousName = () => `访客${Math.floor(1000 + Math.random() * 9000)}`;

export type ChatServiceDeps = {
  db: Database;
  bus: EventBus;
  accounts: AccountsRepository;
  secret: string;
  /** How long a visitor token is valid after it was minted (`PEAKDESK_VISITOR_TOKEN_TTL_DAYS`). */
  visitorTokenTtlMs: number;
  audit: AuditService;
  routing: () => RoutingService;
  /** Every stored message wrote a `message.created` outbox event: hand it over now, not at the poll. */
  outbox?: { nudge(): void };
  /** Where a new conversation starts: with the bot (per store mode) or in the human queue. */
  initialStatus?: (c: { orgId: string; storeId: string; customerId: string }) => Promise<'bot' | 'queued'>;
};

export function createChatService(deps: ChatServiceDeps) {
  const { db, bus, accounts, secret } = deps;
  type CustomerRow = NonNullable<Awaited<ReturnType<ChatRepository['getCustomer']>>>;
  /**
   * A visitor token's customer, or why it is refused: not ours (null), expired, revoked (its
   * customer's tokens were revoked at or after it was minted).
   */
  async function checkVisitorToken(
    token: string,
  ): Promise<
    { ok: true; customer: CustomerRow; expiresAt: Date } | { ok: false; error: DomainError | null }
  > {
    const v = verifyVisitorToken(secret, token);
    if (!v) return { ok: false, error: null };
    const expiresAt = new Date(v.issuedAt + deps.visitorTokenTtlMs);
    if (expiresAt.getTime() <= Date.now())
      return {
        ok: false,
        error: new DomainError(
          'unauthenticated',
          'visitor_token_expired',
          v.issuedAt === 0
            ? 'visitor token of the format before expiry: start a new widget session (POST /api/widget/session)'
            : `visitor token expired at ${expiresAt.toISOString()}: start a new widget session (POST /api/widget/session)`,
        ),
      };
    const customer = await repo.getCustomer(v.customerId);
    if (!customer || customer.storeId !== v.storeId) return { ok: false, error: null };
    const revokedAt = customer.visitorTokensRevokedAt;
    if (revokedAt && v.issuedAt <= revokedAt.getTime())
      return {
        ok: false,
        error: new DomainError(
          'unauthenticated',
          'visitor_token_revoked',
          `the visitor tokens of this customer were revoked at ${revokedAt.toISOString()}: start a new widget session`,
        ),
      };
    return { ok: true, customer, expiresAt };
  }
  /** Ends every visitor token of the customer minted until now, and the sockets opened with them. */
  async function revokeVisitorTokensOf(customer: { id: string; orgId: string }) {
    await repo.revokeVisitorTokens(customer.id, new Date());
    bus.publish('visitor.revoked', { orgId: customer.orgId, customerId: customer.id });
  }
  const repo: ChatRepository = createChatRepository(db, {
    afterInsert: async (tx, stored) => recordFacts(tx, await messageFactsIn(tx, stored)),
  });
  // Conversations are looked up on every message; their tenancy never changes, so cache the ref.
  const refCache = new Map<string, { orgId: string; storeId: string; customerId: string }>();

  const stored = <T>(rec: T): T => {
    if (rec) deps.outbox?.nudge();
    return rec;
  };
  const refOfInserted = (rec: InsertedMessage): ConversationRef => ({
    id: rec.conversation_id,
    storeId: rec.conv_store_id,
    customerId: rec.conv_customer_id,
    groupId: rec.conv_group_id,
    assigneeId: rec.conv_assignee_id,
    status: rec.conv_status,
  });

  async function loadConversation(id: string): Promise<ConversationRow> {
    const row = await repo.getConversation(id);
    if (!row) throw notFound('conversation');
    return row;
  }

  /** Throws not-found (never forbidden) for other tenants' conversations: existence is not leaked. */
  async function authorize(
    caller: Caller,
    conversationId: string,
    intent: 'read' | 'write',
  ): Promise<ConversationRow> {
    const c = await loadConversation(conversationId);
    if (caller.kind === 'customer') {
      if (c.customerId !== caller.customerId) throw notFound('conversation');
      return c;
    }
    assertInScope(c, scopeOf(caller), 'conversation');
    if (intent === 'write' && !isSupervisorOrAdmin(caller) && c.assigneeId !== caller.userId)
      throw forbidden('only the assigned agent may write in this conversation');
    return c;
  }

  async function conversationDto(id: string): Promise<TConversation> {
    const rec = await repo.getConversationListRecord(id);
    if (!rec) throw notFound('conversation');
    return toConversationDto(rec);
  }

  async function publishConversation(id: string, previousAssigneeId: string | null) {
    const dto = await conversationDto(id);
    const row = await loadConversation(id);
    bus.publish('conversation.updated', { orgId: row.orgId, conversation: dto, previousAssigneeId });
    return dto;
  }

  /** A lifecycle change and its facts in one transaction (the row is locked by the transition). */
  async function transition(
    id: string,
    event: ConversationEvent,
    facts: (t: Transition) => Fact[],
    when?: (c: ConversationRow) => boolean,
  ) {
    return db.transaction(async (t) => {
      const tx = t as unknown as Database;
      const done = await transitionConversation(tx, id, event, when ? { when } : {});
      if (done?.changed) await recordFacts(tx, facts(done));
      return done;
    });
  }

  async function postSystemMessage(conversationId: string, body: string): Promise<TMessage> {
    const c = await loadConversation(conversationId);
    const rec = stored(
      await repo.insertMessage({
        orgId: c.orgId,
        conversationId,
        senderType: 'system',
        senderId: null,
        clientId: `sys-${randomUUID()}`,
        type: 'system',
        body,
        attachmentId: null,
      }),
    );
    const message = toMessageDto(rec!);
    bus.publish('message.created', { orgId: c.orgId, message, conversation: refOf(c) });
    return message;
  }

  /**
   * A bot reply written in the caller's transaction (the bot turn's, with its processed marker); the
   * client id also makes a second reply to the same customer message impossible. Push it with
   * `publishStored` after the commit.
   */
  async function insertBotMessageIn(
    tx: Database,
    c: { orgId: string; conversationId: string },
    body: string,
    clientId: string,
  ): Promise<InsertedMessage | null> {
    const [rec] = await insertMessagesIn(tx, [
      {
        orgId: c.orgId,
        conversationId: c.conversationId,
        senderType: 'bot',
        senderId: null,
        clientId,
        type: 'text',
        body,
        attachmentId: null,
      },
    ]);
    return rec ?? null;
  }

  /** After the commit of a message written in a transaction: outbox hand-over and realtime push. */
  function publishStored(orgId: string, rec: InsertedMessage): TMessage {
    stored(rec);
    const message = toMessageDto(rec);
    bus.publish('message.created', { orgId, message, conversation: refOfInserted(rec) });
    return message;
  }

  /** Routing classifies the new queue entry (rules, lane, hours), writes the queued fact and may assign it. */
  async function enqueue(c: ConversationRow, firstMessage?: string) {
    await deps.routing().routeConversation(c.id, { firstMessage });
    await publishConversation(c.id, c.assigneeId);
  }

  return {
    repo,
    postSystemMessage,
    insertBotMessageIn,
    publishStored,
    conversationDto,
    publishConversation,

    // ---------- customers (widget) ----------
    async startWidgetSession(req: TWidgetSessionRequest): Promise<TWidgetSession> {
      const store = await accounts.getStoreById(req.storeId);
      if (!store) throw notFound('store');
      let customer = null;
      if (req.buyer) {
        if (!safeEqualHex(hmacHex(store.identitySecret, req.buyer.buyerId), req.buyer.signature))
          throw new DomainError(
            'unauthenticated',
            'invalid_buyer_signature',
            'buyer.signature: does not match',
            'buyer.signature',
          );
        customer =
          (await repo.findCustomerByBuyer(store.id, req.buyer.buyerId)) ??
          (await repo.createCustomer({
            orgId: store.orgId,
            storeId: store.id,
            buyerId: req.buyer.buyerId,
            name: req.buyer.name ?? req.buyer.buyerId,
          }));
        if (req.buyer.name && req.buyer.name !== customer.name)
          await repo.touchCustomer(customer.id, req.buyer.name);
      } else if (req.visitorToken) {
        // The same visitor again while their token is valid; an expired or revoked one is a new visitor.
        const v = await checkVisitorToken(req.visitorToken);
        if (v.ok && v.customer.storeId === store.id) customer = v.customer;
      }
      customer ??= await repo.createCustomer({
        orgId: store.orgId,
        storeId: store.id,
        name: anonymousName(),
      });
      const active = await repo.findActiveConversation(customer.id);
      // Minted after any revocation, also within the same millisecond.
      const revokedAt = customer.visitorTokensRevokedAt?.getTime() ?? 0;
      return {
        visitorToken: signVisitorToken(secret, customer.id, store.id, Math.max(Date.now(), revokedAt + 1)),
        customerId: customer.id,
        customerName: customer.name,
        store: { id: store.id, name: store.name, greeting: store.greeting },
        conversation: active ? await conversationDto(active.id) : null,
      };
    },

    /** Throws `visitor_token_expired` / `visitor_token_revoked` (401) for a token that was valid once. */
    async resolveVisitor(token: string): Promise<CustomerCaller | null> {
      const v = await checkVisitorToken(token);
      if (!v.ok) {
        if (v.error) throw v.error;
        return null;
      }
      const { customer, expiresAt } = v;
      return {
        kind: 'customer',
        customerId: customer.id,
        storeId: customer.storeId,
        orgId: customer.orgId,
        expiresAt,
      };
    },

    /** The widget's sign-out: every token of this customer (all their devices) ends now. */
    async visitorLogout(caller: CustomerCaller): Promise<void> {
      await revokeVisitorTokensOf({ id: caller.customerId, orgId: caller.orgId });
    },

    /** Staff end a customer's visitor tokens (a leaked token, a shared device); audited. */
    async revokeVisitorTokens(caller: UserCaller, customerId: string): Promise<void> {
      requireRole(caller, 'admin', 'supervisor');
      const customer = assertInScope(await repo.getCustomer(customerId), scopeOf(caller), 'customer');
      await revokeVisitorTokensOf(customer);
      await deps.audit.record(caller, 'customer.revoke_visitor_tokens', 'customer', customer.id);
    },

    /** The customer's active conversation, or a new one that enters the store's default group queue. */
    async openConversation(
      caller: CustomerCaller,
      entry = 'store_page',
      firstMessage?: string,
    ): Promise<TConversation> {
      const active = await repo.findActiveConversation(caller.customerId);
      if (active) return conversationDto(active.id);
      const store = await accounts.getStoreById(caller.storeId);
      if (!store) throw notFound('store');
      const status = (await deps.initialStatus?.(caller)) ?? 'queued';
      const c = await db.transaction(async (t) => {
        const tx = t as unknown as Database;
        const row = await createChatRepository(tx).createConversation({
          orgId: caller.orgId,
          storeId: caller.storeId,
          customerId: caller.customerId,
          groupId: store.defaultGroupId,
          status,
          entry,
          queuedAt: status === 'queued' ? new Date() : null,
        });
        await recordFacts(tx, [
          {
            orgId: row.orgId,
            kind: 'conversation.created',
            storeId: row.storeId,
            groupId: row.groupId,
            conversationId: row.id,
            data: { entry, status },
          },
        ]);
        await writeEvents(tx, [
          {
            name: 'conversation.opened',
            payload: { orgId: row.orgId, conversation: conversationRefOf(row), entry },
          },
        ]);
        return row;
      });
      failpoint('chat.opened.committed');
      if (status === 'bot') await publishConversation(c.id, null);
      else await enqueue(c, firstMessage);
      return conversationDto(c.id);
    },

    /** The bot gives the conversation to the human queue (transition `handoff` → `queued`). */
    async handoffToHuman(conversationId: string) {
      const done = await transition(
        conversationId,
        { type: 'bot_handoff' },
        () => [],
        (c) => c.status === 'bot', // handed off meanwhile (another instance, a resent message)
      );
      failpoint('chat.handoff.committed');
      if (done) await enqueue(done.after);
    },

    async listCustomerConversations(caller: CustomerCaller) {
      const rows = await repo.conversationsOfCustomer(caller.customerId);
      return Promise.all(rows.map((r) => conversationDto(r.id)));
    },

    // ---------- messages ----------
    async sendMessage(caller: Caller, req: TSendMessageRequest): Promise<TMessage> {
      const senderType = caller.kind === 'customer' ? 'customer' : 'agent';
      let cached = refCache.get(req.conversationId);
      if (!cached || caller.kind === 'user') {
        // Agents are re-checked every time: assignment changes; a customer's ownership never does.
        const conv = await authorize(caller, req.conversationId, 'write');
        cached = { orgId: conv.orgId, storeId: conv.storeId, customerId: conv.customerId };
        if (refCache.size > 100_000) refCache.clear();
        refCache.set(conv.id, cached);
      } else if (cached.customerId !== caller.customerId) {
        throw notFound('conversation');
      }
      if (req.type === 'image') {
        const att = await repo.getAttachment(req.attachmentId);
        if (!att || att.conversationId !== req.conversationId)
          throw new DomainError(
            'invalid_input',
            'invalid_attachment',
            'attachmentId: unknown attachment',
            'attachmentId',
          );
      }
      const rec = stored(
        await repo.insertMessage({
          orgId: cached.orgId,
          conversationId: req.conversationId,
          senderType,
          senderId: caller.kind === 'user' ? caller.userId : null,
          clientId: req.clientId,
          type: req.type,
          body: req.body,
          attachmentId: req.type === 'image' ? req.attachmentId : null,
        }),
      );
      if (!rec) {
        // A resend of something already stored: answer with the original, and push it again. The
        // instance that stored it may have died before its push (kill -9 between commit and
        // publish); clients drop what they already have by seq. Only the push is repeated:
        // `message.redelivered` has no bot, fact or other side-effect listeners.
        const existing = await repo.findMessageByClientId(req.conversationId, senderType, req.clientId);
        if (!existing)
          throw new DomainError('conflict', 'message_conflict', 'message could not be stored; retry');
        const message = toMessageDto(existing);
        const conv = await loadConversation(req.conversationId);
        bus.publish('message.redelivered', { orgId: conv.orgId, message, conversation: refOf(conv) });
        return message;
      }
      rec.sender_name = caller.kind === 'user' ? caller.name : null;
      const message = toMessageDto(rec);
      bus.publish('message.created', { orgId: cached.orgId, message, conversation: refOfInserted(rec) });
      if (caller.kind === 'user' && !rec.conv_has_agent_reply && rec.conv_assignee_id === caller.userId) {
        const orgId = cached.orgId;
        await db.transaction(async (t) => {
          const tx = t as unknown as Database;
          if (!(await createChatRepository(tx).markFirstAgentReply(req.conversationId))) return;
          await recordFacts(tx, [
            {
              orgId,
              kind: 'conversation.first_agent_reply',
              storeId: rec.conv_store_id,
              groupId: rec.conv_group_id,
              agentId: caller.userId,
              conversationId: req.conversationId,
              data: { messageId: rec.id, seq: Number(rec.seq) },
            },
          ]);
        });
      }
      if (caller.kind === 'customer' && rec.conv_status === 'resolved') await this.reopen(req.conversationId);
      return message;
    },

    /** A customer writing after the chat was resolved is served again: back into the queue. */
    async reopen(conversationId: string) {
      const done = await transition(
        conversationId,
        { type: 'reopened' },
        ({ after: row }) => [
          {
            orgId: row.orgId,
            kind: 'conversation.reopened',
            storeId: row.storeId,
            groupId: row.groupId,
            conversationId: row.id,
            data: {},
          },
        ],
        (c) => c.status === 'resolved', // reopened meanwhile by another message
      );
      if (done) await enqueue(done.after);
    },

    async history(caller: Caller, conversationId: string, q: THistoryQuery): Promise<THistoryPage> {
      await authorize(caller, conversationId, 'read');
      const { rows, hasMore } = await repo.history(conversationId, q);
      return { messages: rows.map(toMessageDto), hasMore };
    },

    /** The last seq of each conversation the caller may read; the others are left out, as unknown ids are. */
    async conversationHeads(caller: Caller, ids: string[]): Promise<TConversationHead[]> {
      const rows = await repo.conversationHeads(scopeOf(caller), ids);
      return rows
        .filter((r) => caller.kind !== 'customer' || r.customerId === caller.customerId)
        .map((r) => ({ conversationId: r.id, lastSeq: Number(r.lastSeq) }));
    },

    async markRead(caller: Caller, conversationId: string, seq: number) {
      const c = await authorize(caller, conversationId, 'read');
      const reader = caller.kind === 'customer' ? 'customer' : 'agent';
      await repo.setReadSeq(conversationId, reader, seq);
      bus.publish('read.changed', { orgId: c.orgId, conversation: refOf(c), readerType: reader, seq });
    },

    async typing(caller: Caller, conversationId: string, isTyping: boolean) {
      const c = await authorize(caller, conversationId, 'read');
      bus.publish('typing.changed', {
        orgId: c.orgId,
        conversation: refOf(c),
        senderType: caller.kind === 'customer' ? 'customer' : 'agent',
        isTyping,
      });
    },

    // ---------- agent side ----------
    async listConversations(
      caller: UserCaller,
      q: { scope: 'mine' | 'queued' | 'all'; status?: TConversationStatus | undefined; limit: number },
    ) {
      const base = { limit: q.limit };
      const scope = scopeOf(caller);
      const rows =
        q.scope === 'mine'
          ? await repo.listConversations(scope, {
              ...base,
              assigneeId: caller.userId,
              status: q.status ?? 'assigned',
            })
          : q.scope === 'queued'
            ? await repo.listConversations(scope, {
                ...base,
                status: 'queued',
                waitingForAgent: true,
                ...(isSupervisorOrAdmin(caller) ? {} : { groupIds: caller.groupIds }),
              })
            : isSupervisorOrAdmin(caller)
              ? await repo.listConversations(scope, {
                  ...base,
                  ...(q.status ? { status: q.status } : {}),
                })
              : (() => {
                  throw forbidden('scope=all requires supervisor or admin');
                })();
      return rows.map(toConversationDto);
    },

    async getConversation(caller: Caller, id: string) {
      await authorize(caller, id, 'read');
      return conversationDto(id);
    },

    async resolve(caller: UserCaller, id: string) {
      const c = await authorize(caller, id, 'write');
      await transition(id, { type: 'resolved' }, (t) => [resolvedFact(t)]);
      failpoint('chat.resolved.committed');
      await postSystemMessage(id, '本次会话已结束，感谢您的咨询。如有其他问题，欢迎随时联系我们。');
      const dto = await publishConversation(id, c.assigneeId);
      if (c.assigneeId) await deps.routing().drainForAgent(c.assigneeId);
      return dto;
    },

    async customerProfile(caller: UserCaller, customerId: string): Promise<TCustomerProfile> {
      const customer = assertInScope(await repo.getCustomer(customerId), scopeOf(caller), 'customer');
      const convs = await repo.conversationsOfCustomer(customerId);
      const dtos = await Promise.all(convs.map((c) => conversationDto(c.id)));
      return {
        id: customer.id,
        storeId: customer.storeId,
        buyerId: customer.buyerId,
        name: customer.name,
        createdAt: customer.createdAt.toISOString(),
        conversations: dtos.map((d) => ({
          id: d.id,
          status: d.status,
          createdAt: d.createdAt,
          lastMessagePreview: d.lastMessagePreview,
        })),
      };
    },

    async variables(caller: UserCaller, conversationId: string) {
      const c = await authorize(caller, conversationId, 'read');
      const [customer, store] = await Promise.all([
        repo.getCustomer(c.customerId),
        accounts.getStoreById(c.storeId),
      ]);
      return { buyer_name: customer?.name ?? '', agent_name: caller.name, store_name: store?.name ?? '' };
    },

    async uploadAttachment(caller: Caller, conversationId: string, mime: string, data: Buffer) {
      const c = await authorize(caller, conversationId, 'write');
      if (!(IMAGE_MIME_TYPES as readonly string[]).includes(mime))
        throw new DomainError(
          'unsupported_media_type',
          'unsupported_image_type',
          `content-type: ${mime || '(none)'} is not one of ${IMAGE_MIME_TYPES.join(', ')}`,
          'content-type',
        );
      if (data.length === 0)
        throw new DomainError('invalid_input', 'empty_upload', 'body: the image is empty', 'body');
      if (data.length > IMAGE_MAX_BYTES)
        throw new DomainError(
          'payload_too_large',
          'image_too_large',
          `body: images may be at most ${IMAGE_MAX_BYTES} bytes`,
        );
      if (!looksLikeImage(mime, data))
        throw new DomainError(
          'invalid_input',
          'not_an_image',
          `body: the bytes are not a ${mime} image`,
          'body',
        );
      return repo.insertAttachment({ orgId: c.orgId, conversationId, mime, size: data.length, data });
    },

    async getAttachment(caller: Caller, id: string) {
      const att = await repo.getAttachment(id);
      if (!att) throw notFound('attachment');
      await authorize(caller, att.conversationId, 'read').catch(() => {
        throw notFound('attachment');
      });
      return att;
    },
  };
}

/** Magic numbers: a mislabelled upload (e.g. HTML sent as image/png) is refused. */
function looksLikeImage(mime: string, b: Buffer): boolean {
  switch (mime) {
    case 'image/png':
      return b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    case 'image/jpeg':
      return b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
    case 'image/gif':
      return b.subarray(0, 4).toString('latin1') === 'GIF8';
    case 'image/webp':
      return (
        b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP'
      );
    default:
      return false;
  }
}

export type ChatService = ReturnType<typeof createChatService>;
