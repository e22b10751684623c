// Drizzle mirror of migrations/0009_outbox.sql and 0010_jobs.sql. db.test.ts checks they agree.
import {
  bigint,
  bigserial,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const outbox = pgTable('outbox', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  orgId: uuid('org_id'),
  name: text('name').notNull(),
  version: integer('version').notNull(),
  payload: jsonb('payload').$type<unknown>().notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const outboxDeliveries = pgTable(
  'outbox_deliveries',
  {
    listener: text('listener').notNull(),
    eventId: bigint('event_id', { mode: 'number' }).notNull(),
    orgId: uuid('org_id'),
    name: text('name').notNull(),
    version: integer('version').notNull(),
    payload: jsonb('payload').$type<unknown>().notNull(),
    createdAt: ts('created_at').notNull(),
    status: text('status').$type<'pending' | 'dead'>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    runAt: ts('run_at').notNull().defaultNow(),
    lockedUntil: ts('locked_until'),
    lastError: text('last_error'),
    deadAt: ts('dead_at'),
  },
  (t) => [primaryKey({ columns: [t.listener, t.eventId] })],
);

export const outboxProcessed = pgTable(
  'outbox_processed',
  {
    listener: text('listener').notNull(),
    eventId: bigint('event_id', { mode: 'number' }).notNull(),
    processedAt: ts('processed_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.listener, t.eventId] })],
);

export const jobs = pgTable('jobs', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  key: text('key').unique(),
  kind: text('kind').notNull(),
  version: integer('version').notNull().default(1),
  orgId: uuid('org_id'),
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
  status: text('status').$type<'pending' | 'dead'>().notNull().default('pending'),
  runAt: ts('run_at').notNull().defaultNow(),
  attempts: integer('attempts').notNull().default(0),
  lockedUntil: ts('locked_until'),
  lastError: text('last_error'),
  deadAt: ts('dead_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
});
