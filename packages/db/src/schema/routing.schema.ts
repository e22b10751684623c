// Drizzle mirror of the tables created by migrations/0002_routing.sql (columns that migration adds to
// foundation tables are in foundation.schema.ts). db.test.ts checks the two agree.
import { boolean, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const routingRules = pgTable('routing_rules', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull(),
  storeId: uuid('store_id').notNull(),
  position: integer('position').notNull().default(0),
  name: text('name').notNull(),
  enabled: boolean('enabled').notNull().default(true),
  conditions: jsonb('conditions').$type<Record<string, unknown>>().notNull().default({}),
  groupId: uuid('group_id'),
  lane: text('lane').$type<'normal' | 'vip' | 'risk'>().notNull().default('normal'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const agentPresence = pgTable('agent_presence', {
  userId: uuid('user_id').primaryKey(),
  lastSeenAt: ts('last_seen_at').notNull().defaultNow(),
  awayFrom: text('away_from'),
});

export const ticketPlaceholders = pgTable('ticket_placeholders', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull(),
  storeId: uuid('store_id').notNull(),
  customerId: uuid('customer_id').notNull(),
  conversationId: uuid('conversation_id'),
  kind: text('kind').notNull().default('leave_message'),
  status: text('status').$type<'open' | 'closed'>().notNull().default('open'),
  note: text('note').notNull().default(''),
  createdAt: ts('created_at').notNull().defaultNow(),
  // 0007_leave_message_offer
  message: text('message').notNull().default(''),
  contact: text('contact'),
  // 0008_leave_message_after_hours
  handledAt: ts('handled_at'),
  handledBy: uuid('handled_by'),
});
