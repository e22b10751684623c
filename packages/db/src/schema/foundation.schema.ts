// Drizzle mirror of migrations/0001_foundation.sql. The SQL file is the source of truth for the
// database; this file gives repositories typed queries. db.test.ts checks the two agree.
import {
  bigint,
  bigserial,
  boolean,
  customType,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Uint8Array }>({ dataType: () => 'bytea' });
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const organizations = pgTable('organizations', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  isDrill: boolean('is_drill').notNull().default(false),
  /** Set on drill organisations: the real organisation that created the rehearsal. */
  parentOrgId: uuid('parent_org_id'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const skillGroups = pgTable('skill_groups', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull(),
  name: text('name').notNull(),
  defaultMaxConcurrency: integer('default_max_concurrency').notNull().default(5),
  createdAt: ts('created_at').notNull().defaultNow(),
  // 0002_routing: per-group routing settings.
  strategy: text('strategy').$type<'least_busy' | 'sticky' | 'round_robin'>().notNull().default('least_busy'),
  stickyDays: integer('sticky_days').notNull().default(7),
  maxWaitSeconds: integer('max_wait_seconds'),
  overflowAction: text('overflow_action')
    .$type<'none' | 'reserve_group' | 'leave_message' | 'bot'>()
    .notNull()
    .default('none'),
  overflowGroupId: uuid('overflow_group_id'),
  noReplySeconds: integer('no_reply_seconds'),
  pauseAfterMisses: integer('pause_after_misses'),
  serviceLevelSeconds: integer('service_level_seconds').notNull().default(30),
  alertQueueLength: integer('alert_queue_length'),
  alertWaitSeconds: integer('alert_wait_seconds'),
  timezone: text('timezone').notNull().default('Asia/Shanghai'),
  businessHours: jsonb('business_hours').$type<unknown>(),
  afterHoursAction: text('after_hours_action')
    .$type<'queue' | 'group' | 'leave_message' | 'bot'>()
    .notNull()
    .default('queue'),
  afterHoursGroupId: uuid('after_hours_group_id'),
});

export const stores = pgTable('stores', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull(),
  name: text('name').notNull(),
  platform: text('platform').$type<'taobao' | 'tmall' | 'jd' | 'pdd' | 'douyin' | 'other'>().notNull(),
  defaultGroupId: uuid('default_group_id'),
  identitySecret: text('identity_secret').notNull(),
  greeting: text('greeting').notNull().default(''),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull(),
  email: text('email').notNull(),
  name: text('name').notNull(),
  role: text('role').$type<'admin' | 'supervisor' | 'agent'>().notNull(),
  passwordHash: text('password_hash').notNull(),
  status: text('status').$type<'online' | 'paused' | 'offline' | 'away'>().notNull().default('offline'),
  maxConcurrency: integer('max_concurrency'),
  lastAssignedAt: ts('last_assigned_at'),
  disabled: boolean('disabled').notNull().default(false),
  createdAt: ts('created_at').notNull().defaultNow(),
  missedReplies: integer('missed_replies').notNull().default(0), // 0002_routing
  activeChats: integer('active_chats').notNull().default(0), // 0002_routing_load (trigger-maintained)
});

export const userStores = pgTable(
  'user_stores',
  { userId: uuid('user_id').notNull(), storeId: uuid('store_id').notNull() },
  (t) => [primaryKey({ columns: [t.userId, t.storeId] })],
);

export const groupMembers = pgTable(
  'group_members',
  {
    groupId: uuid('group_id').notNull(),
    userId: uuid('user_id').notNull(),
    lastAssignedAt: ts('last_assigned_at'), // 0002_routing
  },
  (t) => [primaryKey({ columns: [t.groupId, t.userId] })],
);

export const sessions = pgTable('sessions', {
  tokenHash: text('token_hash').primaryKey(),
  userId: uuid('user_id').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  expiresAt: ts('expires_at').notNull(),
});

export const apiTokens = pgTable('api_tokens', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull(),
  userId: uuid('user_id').notNull(),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  lastUsedAt: ts('last_used_at'),
  revokedAt: ts('revoked_at'),
  // 0013_api_token_scopes
  scopes: text('scopes')
    .array()
    .$type<('read' | 'integration' | 'admin')[]>()
    .notNull()
    .default(['read', 'integration', 'admin']),
  expiresAt: ts('expires_at'),
  createdByTokenId: uuid('created_by_token_id'),
});

export const auditLog = pgTable('audit_log', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  orgId: uuid('org_id').notNull(),
  actorId: uuid('actor_id'),
  action: text('action').notNull(),
  targetType: text('target_type').notNull(),
  targetId: text('target_id'),
  detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const customers = pgTable('customers', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull(),
  storeId: uuid('store_id').notNull(),
  buyerId: text('buyer_id'),
  name: text('name').notNull().default(''),
  createdAt: ts('created_at').notNull().defaultNow(),
  lastSeenAt: ts('last_seen_at').notNull().defaultNow(),
  // 0002_routing: hooks for VIP lists and quality inspection.
  tier: text('tier').$type<'normal' | 'vip'>().notNull().default('normal'),
  riskFlag: boolean('risk_flag').notNull().default(false),
  /** 0015: visitor tokens of this customer minted at or before this are revoked. */
  visitorTokensRevokedAt: ts('visitor_tokens_revoked_at'),
});

export const conversations = pgTable('conversations', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull(),
  storeId: uuid('store_id').notNull(),
  customerId: uuid('customer_id').notNull(),
  groupId: uuid('group_id'),
  assigneeId: uuid('assignee_id'),
  status: text('status').$type<'bot' | 'queued' | 'assigned' | 'resolved' | 'closed'>().notNull(),
  priority: integer('priority').notNull().default(0),
  entry: text('entry').notNull().default('store_page'),
  lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
  agentReadSeq: bigint('agent_read_seq', { mode: 'number' }).notNull().default(0),
  customerReadSeq: bigint('customer_read_seq', { mode: 'number' }).notNull().default(0),
  lastCustomerSeq: bigint('last_customer_seq', { mode: 'number' }).notNull().default(0),
  createdAt: ts('created_at').notNull().defaultNow(),
  queuedAt: ts('queued_at'),
  assignedAt: ts('assigned_at'),
  firstAgentReplyAt: ts('first_agent_reply_at'),
  resolvedAt: ts('resolved_at'),
  lastMessageAt: ts('last_message_at').notNull().defaultNow(),
  // 0002_routing
  routedFor: ts('routed_for'),
  routingRuleId: uuid('routing_rule_id'),
  estimatedWaitSeconds: integer('estimated_wait_seconds'),
  awaitingAgentSince: ts('awaiting_agent_since'),
  missedAgentId: uuid('missed_agent_id'),
  // 0007_leave_message_offer
  // 0008_leave_message_after_hours: 'after_hours' holds the conversation out of the queue
  leaveMessageOffer: text('leave_message_offer').$type<'offered' | 'declined' | 'after_hours'>(),
});

export const attachments = pgTable('attachments', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull(),
  conversationId: uuid('conversation_id').notNull(),
  mime: text('mime').notNull(),
  size: integer('size').notNull(),
  data: bytea('data').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const messages = pgTable('messages', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull(),
  conversationId: uuid('conversation_id').notNull(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  senderType: text('sender_type').$type<'customer' | 'agent' | 'bot' | 'system'>().notNull(),
  senderId: uuid('sender_id'),
  clientId: text('client_id').notNull(),
  type: text('type').$type<'text' | 'image' | 'system'>().notNull(),
  body: text('body').notNull().default(''),
  attachmentId: uuid('attachment_id'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const quickReplies = pgTable('quick_replies', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull(),
  ownerId: uuid('owner_id'),
  category: text('category').notNull(),
  shortcut: text('shortcut').notNull(),
  title: text('title').notNull(),
  body: text('body').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const facts = pgTable('facts', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  orgId: uuid('org_id').notNull(),
  kind: text('kind').notNull(),
  storeId: uuid('store_id'),
  groupId: uuid('group_id'),
  agentId: uuid('agent_id'),
  conversationId: uuid('conversation_id'),
  /** The store's platform, copied when the fact is written (null for facts without a store). */
  platform: text('platform').$type<'taobao' | 'tmall' | 'jd' | 'pdd' | 'douyin' | 'other'>(),
  /** The version of the kind's data schema (packages/contracts/src/facts.ts). */
  version: smallint('version').notNull().default(1),
  at: ts('at').notNull().defaultNow(),
  data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
});

export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});
