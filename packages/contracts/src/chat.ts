import { z } from 'zod';
import { ZId } from './common.ts';
import type { TQueuePosition, TTransferNotice, TWallSnapshot } from './routing.ts';

export const MESSAGE_TEXT_MAX = 2000;
export const IMAGE_MAX_BYTES = 5 * 1024 * 1024;
export const IMAGE_MIME_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const;
export const HISTORY_PAGE_MAX = 200;

export const ZConversationStatus = z.enum(['bot', 'queued', 'assigned', 'resolved', 'closed']);
export type TConversationStatus = z.infer<typeof ZConversationStatus>;
export const ZSenderType = z.enum(['customer', 'agent', 'bot', 'system']);
export type TSenderType = z.infer<typeof ZSenderType>;
export const ZMessageType = z.enum(['text', 'image', 'system']);

/** Client-generated id that makes a send idempotent: resending the same id never stores twice. */
export const ZClientId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'may contain only letters, digits and _ . : -');

export const ZSendMessageRequest = z.discriminatedUnion('type', [
  z.object({
    conversationId: ZId,
    clientId: ZClientId,
    type: z.literal('text'),
    body: z
      .string()
      .max(MESSAGE_TEXT_MAX, `must be at most ${MESSAGE_TEXT_MAX} characters`)
      .refine((s) => s.trim().length > 0, 'must not be empty'),
  }),
  z.object({
    conversationId: ZId,
    clientId: ZClientId,
    type: z.literal('image'),
    attachmentId: ZId,
    body: z.string().max(200).default(''),
  }),
]);
export type TSendMessageRequest = z.infer<typeof ZSendMessageRequest>;

export const ZMessage = z.object({
  id: ZId,
  conversationId: ZId,
  seq: z.number().int(),
  senderType: ZSenderType,
  senderId: ZId.nullable(),
  senderName: z.string().nullable(),
  clientId: z.string(),
  type: ZMessageType,
  body: z.string(),
  attachmentId: ZId.nullable(),
  createdAt: z.string(),
});
export type TMessage = z.infer<typeof ZMessage>;

export const ZConversation = z.object({
  id: ZId,
  storeId: ZId,
  storeName: z.string(),
  customerId: ZId,
  customerName: z.string(),
  groupId: ZId.nullable(),
  assigneeId: ZId.nullable(),
  status: ZConversationStatus,
  priority: z.number().int(),
  lastSeq: z.number().int(),
  /** Read positions, so read receipts survive a reload. */
  customerReadSeq: z.number().int(),
  agentReadSeq: z.number().int(),
  unread: z.number().int(),
  lastMessagePreview: z.string().nullable(),
  createdAt: z.string(),
  lastMessageAt: z.string(),
});
export type TConversation = z.infer<typeof ZConversation>;

export const ZHistoryQuery = z.object({
  afterSeq: z.coerce.number().int().min(0).optional(),
  beforeSeq: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(HISTORY_PAGE_MAX).default(50),
});
export type THistoryQuery = z.infer<typeof ZHistoryQuery>;
export const ZHistoryPage = z.object({ messages: z.array(ZMessage), hasMore: z.boolean() });
export type THistoryPage = z.infer<typeof ZHistoryPage>;

export const ZReadRequest = z.object({ seq: z.number().int().min(0) });
export const ZConversationListQuery = z.object({
  scope: z.enum(['mine', 'queued', 'all']).default('mine'),
  status: ZConversationStatus.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

export const ZCustomerProfile = z.object({
  id: ZId,
  storeId: ZId,
  buyerId: z.string().nullable(),
  name: z.string(),
  createdAt: z.string(),
  conversations: z.array(
    z.object({
      id: ZId,
      status: ZConversationStatus,
      createdAt: z.string(),
      lastMessagePreview: z.string().nullable(),
    }),
  ),
});
export type TCustomerProfile = z.infer<typeof ZCustomerProfile>;

export const ZAttachment = z.object({ id: ZId, mime: z.string(), size: z.number().int() });

// ---- widget (customer side) ----
/** A merchant signs its buyer id with the store's identity secret: hex HMAC-SHA256(secret, buyerId). */
export const ZBuyerIdentity = z.object({
  buyerId: z.string().trim().min(1).max(128),
  name: z.string().trim().max(64).optional(),
  signature: z.string().regex(/^[0-9a-f]{64}$/, 'must be a hex HMAC-SHA256'),
});
export const ZWidgetSessionRequest = z.object({
  storeId: ZId,
  visitorToken: z.string().max(512).optional(),
  buyer: ZBuyerIdentity.optional(),
  entry: z.enum(['store_page', 'order_page', 'product_page']).default('store_page'),
});
export type TWidgetSessionRequest = z.infer<typeof ZWidgetSessionRequest>;
export const ZWidgetSession = z.object({
  visitorToken: z.string(),
  customerId: ZId,
  customerName: z.string(),
  store: z.object({ id: ZId, name: z.string(), greeting: z.string() }),
  conversation: ZConversation.nullable(),
});
export type TWidgetSession = z.infer<typeof ZWidgetSession>;

// ---- realtime events ----
export const ZSyncRequest = z.object({ conversationId: ZId, afterSeq: z.number().int().min(0) });
/**
 * The periodic resync of a client: the last seq of each conversation it watches, so it syncs only
 * those that moved past what it has (a push lost when an instance died heals without a reconnect).
 * Conversations the caller may not read are left out of the answer.
 */
export const ZSyncHeadsRequest = z.object({ conversationIds: z.array(ZId).max(500) });
export type TConversationHead = { conversationId: string; lastSeq: number };
export const ZTypingEvent = z.object({ conversationId: ZId, isTyping: z.boolean() });
export const ZReadEvent = z.object({ conversationId: ZId, seq: z.number().int().min(0) });

export type TAck<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

export type TServerToClientEvents = {
  'message:new': (m: TMessage) => void;
  /**
   * Several new messages for the same staff sockets, written in one turn of the server's event loop
   * (in the order they were stored): one frame instead of one per message when an agent serves many
   * busy chats. Clients treat it exactly like that many `message:new` events.
   */
  'message:batch': (ms: TMessage[]) => void;
  'conversation:updated': (c: TConversation) => void;
  typing: (e: { conversationId: string; senderType: TSenderType; isTyping: boolean }) => void;
  read: (e: { conversationId: string; readerType: 'customer' | 'agent'; seq: number }) => void;
  'agent:status': (e: { userId: string; status: string }) => void;
  'queue:position': (e: TQueuePosition) => void;
  'routing:transfer': (e: TTransferNotice) => void;
  'routing:wall': (e: TWallSnapshot) => void;
};

export type TClientToServerEvents = {
  'message:send': (req: unknown, ack: (r: TAck<TMessage>) => void) => void;
  'conversation:open': (req: unknown, ack: (r: TAck<TConversation>) => void) => void;
  sync: (req: unknown, ack: (r: TAck<{ messages: TMessage[]; hasMore: boolean }>) => void) => void;
  'sync:heads': (req: unknown, ack: (r: TAck<TConversationHead[]>) => void) => void;
  typing: (req: unknown) => void;
  read: (req: unknown, ack?: (r: TAck<null>) => void) => void;
};
