// Drizzle mirror of migrations/0003_knowledge.sql (the SQL file is the source of truth).
import {
  bigint,
  boolean,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export type FaqLink = { title: string; url: string };

export const faqEntries = pgTable(
  'faq_entries',
  {
    orgId: uuid('org_id').notNull(),
    id: text('id').notNull(),
    storeId: uuid('store_id'),
    category: text('category').notNull().default(''),
    question: text('question').notNull(),
    similarQuestions: text('similar_questions').array().notNull().default([]),
    answer: text('answer').notNull(),
    images: text('images').array().notNull().default([]),
    links: jsonb('links').$type<FaqLink[]>().notNull().default([]),
    quickReplyId: uuid('quick_reply_id'),
    validFrom: ts('valid_from'),
    validTo: ts('valid_to'),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] })],
);

export const kbArticles = pgTable('kb_articles', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull(),
  storeId: uuid('store_id'),
  category: text('category').notNull().default(''),
  title: text('title').notNull(),
  body: text('body').notNull(),
  enabled: boolean('enabled').notNull().default(true),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const knowledgeVersions = pgTable('knowledge_versions', {
  orgId: uuid('org_id').primaryKey(),
  version: bigint('version', { mode: 'number' }).notNull().default(0),
});

export type BotMode = 'bot_first' | 'human_first' | 'bot_outside_hours';

export const botSettings = pgTable('bot_settings', {
  storeId: uuid('store_id').primaryKey(),
  orgId: uuid('org_id').notNull(),
  mode: text('mode').$type<BotMode>().notNull().default('human_first'),
  timezone: text('timezone').notNull().default('Asia/Shanghai'),
  hoursStart: text('hours_start').notNull().default('09:00'),
  hoursEnd: text('hours_end').notNull().default('23:00'),
  workDays: integer('work_days').array().notNull().default([1, 2, 3, 4, 5, 6, 7]),
  maxUnanswered: integer('max_unanswered').notNull().default(2),
  handoffOnRisk: boolean('handoff_on_risk').notNull().default(true),
  vipToHuman: boolean('vip_to_human').notNull().default(true),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const botConversations = pgTable('bot_conversations', {
  conversationId: uuid('conversation_id').primaryKey(),
  orgId: uuid('org_id').notNull(),
  turns: integer('turns').notNull().default(0),
  answered: integer('answered').notNull().default(0),
  unansweredInRow: integer('unanswered_in_row').notNull().default(0),
  topicFaqId: text('topic_faq_id'),
  topic: text('topic'),
  handoffReason: text('handoff_reason'),
  handedOffAt: ts('handed_off_at'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const botUnanswered = pgTable('bot_unanswered', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull(),
  storeId: uuid('store_id'),
  conversationId: uuid('conversation_id'),
  question: text('question').notNull(),
  topFaqId: text('top_faq_id'),
  score: real('score').notNull().default(0),
  status: text('status').$type<'open' | 'resolved' | 'dismissed'>().notNull().default('open'),
  createdAt: ts('created_at').notNull().defaultNow(),
});
