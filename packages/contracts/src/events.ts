import { z } from 'zod';
import { ZConversationStatus, ZMessage } from './chat.ts';
import { ZAgentStatus, ZId } from './common.ts';

/**
 * Payloads of the domain events written to the outbox (one row per event, in the transaction of
 * the change). Each event name has a version; a row is parsed with the schema of its version before a
 * listener sees it, so a payload change is a new version, never an edit in place.
 */
export const ZConversationRef = z.object({
  id: ZId,
  storeId: ZId,
  customerId: ZId,
  groupId: ZId.nullable(),
  assigneeId: ZId.nullable(),
  /** Status as the write left it (e.g. `bot` tells the bot a customer message is its to answer). */
  status: ZConversationStatus,
});
export type TConversationRef = z.infer<typeof ZConversationRef>;

export const ZMessageCreatedEventV1 = z.object({
  orgId: ZId,
  message: ZMessage,
  conversation: ZConversationRef,
});

export const ZAgentStatusChangedEventV1 = z.object({
  orgId: ZId,
  userId: ZId,
  status: ZAgentStatus,
});

/** A conversation was created (its first status is `bot` or `queued`). */
export const ZConversationOpenedEventV1 = z.object({
  orgId: ZId,
  conversation: ZConversationRef,
  /** Where the customer came from (`store_page`, `order`, `product`, …). */
  entry: z.string(),
});

/**
 * One step of the conversation state machine committed (`transitionConversation`, the single writer):
 * queued → assigned, transfers, requeues, overflow, abandon, resolve, close, reopen. What later
 * listeners hang on (quality inspection and satisfaction on `resolved`, follow-ups, webhooks).
 */
export const ZConversationTransitionedEventV1 = z.object({
  orgId: ZId,
  /** The conversation as the transition left it. */
  conversation: ZConversationRef,
  /** The state-machine event that was applied (`assigned`, `resolved`, `requeued`, …). */
  event: z.string(),
  fromStatus: ZConversationStatus,
  previousAssigneeId: ZId.nullable(),
});

/** The outbox catalogue: event name → current version → payload schema. */
export const durableEvents = {
  'message.created': { version: 1, schema: ZMessageCreatedEventV1 },
  'agent.status_changed': { version: 1, schema: ZAgentStatusChangedEventV1 },
  'conversation.opened': { version: 1, schema: ZConversationOpenedEventV1 },
  'conversation.transitioned': { version: 1, schema: ZConversationTransitionedEventV1 },
} as const;
export type DurableEventName = keyof typeof durableEvents;
export type DurableEventPayload<N extends DurableEventName> = z.infer<(typeof durableEvents)[N]['schema']>;

// ---- dead letters (admin) ----
/** A listener name as `outbox.listen` registers it (`bot.turn`, `routing.agent_online`). */
const ZListenerName = z.string().regex(/^[a-z0-9_.-]{1,64}$/, 'must be a listener name');
/** Row ids are bigints: carried as decimal strings. */
const ZNumericId = z.string().regex(/^[0-9]{1,15}$/, 'must be a numeric id');

export const ZDeadLetter = z.object({
  /** `event`: an outbox delivery a listener gave up on; `job`: a job whose last attempt failed. */
  kind: z.enum(['event', 'job']),
  /** Event id (per listener) or job id; with `listener` it names what to replay. */
  id: z.string(),
  /** The listener (events) or null (jobs). */
  listener: z.string().nullable(),
  /** Event name or job kind. */
  name: z.string(),
  version: z.number().int(),
  attempts: z.number().int(),
  /** The last failure's message, as the handler threw it (plain text: show it as text). */
  lastError: z.string().nullable(),
  payload: z.unknown(),
  createdAt: z.string(),
  deadAt: z.string().nullable(),
});
export type TDeadLetter = z.infer<typeof ZDeadLetter>;
export const ZDeadLetterList = z.object({ items: z.array(ZDeadLetter) });
export type TDeadLetterList = z.infer<typeof ZDeadLetterList>;
export const ZDeadLetterListQuery = z.object({
  kind: z.enum(['event', 'job']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** What waits, per durable listener and per job kind, for the caller's organisation. */
export const ZDeadLetterBacklog = z.object({
  /** Committed events not yet handed to the listeners. */
  outbox: z.number().int(),
  listeners: z.array(z.object({ listener: z.string(), pending: z.number().int(), dead: z.number().int() })),
  jobs: z.array(
    z.object({
      kind: z.string(),
      /** Pending and due now (run_at passed). */
      due: z.number().int(),
      pending: z.number().int(),
      dead: z.number().int(),
    }),
  ),
});
export type TDeadLetterBacklog = z.infer<typeof ZDeadLetterBacklog>;

/** `POST /api/dead-letters/events/{listener}/{eventId}/replay`: one listener's delivery of one event. */
export const ZDeadEventReplayParams = z.object({ listener: ZListenerName, eventId: ZNumericId });
/** `POST /api/dead-letters/jobs/{id}/replay`. */
export const ZDeadJobReplayParams = z.object({ id: ZNumericId });
