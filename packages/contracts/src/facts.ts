import { z } from 'zod';
import { ZConversationStatus } from './chat.ts';
import { ZAgentStatus, ZId } from './common.ts';
import { ZFaq, ZHandoffReason } from './knowledge.ts';
import { ZLane, ZStrategy } from './routing.ts';

/**
 * Analytics facts: one row per thing that happened, written in the transaction of the change it
 * describes (docs/architecture.md "Fact catalogue"). Like the outbox events (events.ts), each kind
 * has a version and a schema for its `data`; a row is parsed with it before insert, so a data change
 * is a new version, never an edit in place. Schemas are strict: a field the catalogue does not know
 * is a programming error, not something a report should have to guess about.
 */

/** Whole seconds between two moments of the change (never negative). */
const ZSeconds = z.number().int().min(0);
const ZMaybeSeconds = ZSeconds.nullable();
const ZSeq = z.number().int().min(1);

export const ZConversationCreatedFactV1 = z.strictObject({
  /** Where the customer came from (`store_page`, `order_page`, …). */
  entry: z.string(),
  /** The first status: with the bot or straight into the human queue. */
  status: z.enum(['bot', 'queued']),
});

export const ZConversationQueuedFactV1 = z.strictObject({
  lane: ZLane,
  entry: z.string(),
  /** The entry rule that matched (absent when a held chat is released at opening). */
  ruleId: ZId.nullable().optional(),
  afterHours: z.boolean(),
  outcome: z.enum(['queue', 'leave_message_offered', 'bot']),
  /** `opened`: a chat held after hours joined the queue when the group opened. */
  reason: z.literal('opened').optional(),
  /** With `opened`: how long it was held. */
  heldSeconds: ZMaybeSeconds.optional(),
});

export const ZConversationAssignedFactV1 = z.strictObject({
  lane: ZLane,
  /** Since the current wait started (`queued_at`). */
  waitedSeconds: ZMaybeSeconds,
  /** The first estimate given to the customer, to measure its error. */
  estimatedWaitSeconds: ZMaybeSeconds,
  /** Routed: the strategy that picked the agent. */
  strategy: ZStrategy.optional(),
  /** Handed over by a person instead. */
  reason: z.enum(['transfer', 'take_over']).optional(),
});

export const ZConversationFirstAgentReplyFactV1 = z.strictObject({
  /** The agent message (its `message.agent` fact carries the response time). */
  messageId: ZId,
  seq: ZSeq,
});

export const ZConversationResolvedFactV1 = z.strictObject({
  /** The status it was resolved from (`bot`, `queued` or `assigned`). */
  fromStatus: ZConversationStatus,
  /** Created → resolved. */
  durationSeconds: ZSeconds,
  /** Assigned to the resolving agent → resolved; null when no agent had it. */
  handleSeconds: ZMaybeSeconds,
  /** The last wait: queued → assigned (or → resolved if never assigned); null without a wait. */
  waitedSeconds: ZMaybeSeconds,
});

export const ZConversationReopenedFactV1 = z.strictObject({});

export const ZConversationReassignedFactV1 = z.strictObject({
  reason: z.enum(['no_reply', 'agent_away']),
  fromAgentId: ZId,
  /** no_reply: since the customer's unanswered message. */
  waitedSeconds: ZMaybeSeconds.optional(),
  /** no_reply: the agent's missed replies so far. */
  misses: z.number().int().min(0).nullable().optional(),
});

export const ZConversationTransferredFactV1 = z.strictObject({
  kind: z.enum(['to_agent', 'to_group', 'take_over']),
  fromAgentId: ZId.nullable(),
  toAgentId: ZId.optional(),
  toGroupId: ZId.optional(),
  note: z.string().optional(),
  /** Who transferred (the agent, or a supervisor). */
  by: ZId,
});

export const ZConversationOverflowedFactV1 = z.strictObject({
  action: z.enum(['reserve_group', 'leave_message', 'bot']),
  waitedSeconds: ZMaybeSeconds,
  reason: z.enum(['max_wait', 'after_hours']).optional(),
  /** leave_message: offered to the customer (their answer is `left_message` / `kept_waiting`). */
  offered: z.literal(true).optional(),
  /** reserve_group: the group the chat moved to. */
  toGroupId: ZId.optional(),
});

export const ZConversationLeftMessageFactV1 = z.strictObject({
  placeholderId: ZId,
  reason: z.enum(['max_wait', 'after_hours']),
  hasContact: z.boolean(),
  lane: ZLane,
  waitedSeconds: ZMaybeSeconds,
});

export const ZConversationKeptWaitingFactV1 = z.strictObject({
  lane: ZLane,
  waitedSeconds: ZMaybeSeconds,
});

export const ZConversationAbandonedFactV1 = z.strictObject({
  reason: z.enum(['left', 'disconnected']),
  lane: ZLane,
  waitedSeconds: ZMaybeSeconds,
});

/** Every change of an agent's status (`applyPresence`): the status, the status before, why. */
export const ZAgentStatusChangedFactV1 = z.strictObject({
  status: ZAgentStatus,
  from: ZAgentStatus.nullable(),
  reason: z.enum(['manual', 'no_sockets', 'missed_replies', 'reconnected', 'disabled']),
  /** no_sockets: the chats put back in the queue. */
  requeued: z.number().int().min(0).optional(),
  /** missed_replies: the agent's missed replies. */
  misses: z.number().int().min(0).optional(),
});

/** A customer message (bot and system lines are not counted: `bot.*` facts cover bot turns). */
export const ZMessageCustomerFactV1 = z.strictObject({
  side: z.literal('customer'),
  messageId: ZId,
  seq: ZSeq,
  type: z.enum(['text', 'image']),
  /** The conversation's status as the message found it: `bot` = written to the bot, not to a person. */
  conversationStatus: ZConversationStatus,
});

export const ZMessageAgentFactV1 = z.strictObject({
  side: z.literal('agent'),
  messageId: ZId,
  seq: ZSeq,
  type: z.enum(['text', 'image']),
  /**
   * Seconds since the earliest customer message not yet answered (by an agent or the bot); null when
   * the agent writes without one pending. The first non-null per conversation is 首响, their mean 平响.
   */
  responseSeconds: ZMaybeSeconds,
});

/** One per bot turn. */
export const ZBotTurnFactV1 = z.strictObject({
  query: z.string().max(200),
  /** FAQ ids are the merchant's own (`f03`), not uuids. */
  faqId: ZFaq.shape.id.nullable(),
  topFaqId: ZFaq.shape.id.nullable(),
  score: z.number(),
  /** Why the bot handed off (null unless `bot.handed_off`). */
  reason: ZHandoffReason.nullable(),
});

/** The fact catalogue: kind → current version → data schema. */
export const factKinds = {
  'conversation.created': { version: 1, schema: ZConversationCreatedFactV1 },
  'conversation.queued': { version: 1, schema: ZConversationQueuedFactV1 },
  'conversation.assigned': { version: 1, schema: ZConversationAssignedFactV1 },
  'conversation.first_agent_reply': { version: 1, schema: ZConversationFirstAgentReplyFactV1 },
  'conversation.resolved': { version: 1, schema: ZConversationResolvedFactV1 },
  'conversation.reopened': { version: 1, schema: ZConversationReopenedFactV1 },
  'conversation.reassigned': { version: 1, schema: ZConversationReassignedFactV1 },
  'conversation.transferred': { version: 1, schema: ZConversationTransferredFactV1 },
  'conversation.overflowed': { version: 1, schema: ZConversationOverflowedFactV1 },
  'conversation.left_message': { version: 1, schema: ZConversationLeftMessageFactV1 },
  'conversation.kept_waiting': { version: 1, schema: ZConversationKeptWaitingFactV1 },
  'conversation.abandoned': { version: 1, schema: ZConversationAbandonedFactV1 },
  'agent.status_changed': { version: 1, schema: ZAgentStatusChangedFactV1 },
  'message.customer': { version: 1, schema: ZMessageCustomerFactV1 },
  'message.agent': { version: 1, schema: ZMessageAgentFactV1 },
  'bot.answered': { version: 1, schema: ZBotTurnFactV1 },
  'bot.abstained': { version: 1, schema: ZBotTurnFactV1 },
  'bot.handed_off': { version: 1, schema: ZBotTurnFactV1 },
} as const;

export type FactKind = keyof typeof factKinds;
export const FACT_KINDS = Object.keys(factKinds) as FactKind[];
export type TFactData<K extends FactKind> = z.infer<(typeof factKinds)[K]['schema']>;

const factOf = <K extends FactKind>(kind: K) =>
  z.object({ kind: z.literal(kind), data: factKinds[kind].schema as (typeof factKinds)[K]['schema'] });

/** A fact's kind and data, discriminated on `kind` (what a report reading `facts` rows parses). */
export const ZFact = z.discriminatedUnion('kind', [
  factOf('conversation.created'),
  factOf('conversation.queued'),
  factOf('conversation.assigned'),
  factOf('conversation.first_agent_reply'),
  factOf('conversation.resolved'),
  factOf('conversation.reopened'),
  factOf('conversation.reassigned'),
  factOf('conversation.transferred'),
  factOf('conversation.overflowed'),
  factOf('conversation.left_message'),
  factOf('conversation.kept_waiting'),
  factOf('conversation.abandoned'),
  factOf('agent.status_changed'),
  factOf('message.customer'),
  factOf('message.agent'),
  factOf('bot.answered'),
  factOf('bot.abstained'),
  factOf('bot.handed_off'),
]);
export type TFact = z.infer<typeof ZFact>;
