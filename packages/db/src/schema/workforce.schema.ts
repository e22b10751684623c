// Drizzle mirror of migrations/0004_workforce.sql (the SQL file is the source of truth).
import {
  bigserial,
  doublePrecision,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const workforceHistories = pgTable('workforce_histories', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull(),
  storeId: uuid('store_id'),
  groupId: uuid('group_id'),
  name: text('name').notNull(),
  fileName: text('file_name').notNull(),
  offsetMinutes: integer('offset_minutes'),
  points: jsonb('points').$type<[number, number][]>().notNull(),
  pointCount: integer('point_count').notNull(),
  totalCount: doublePrecision('total_count').notNull(),
  createdBy: uuid('created_by'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const workforcePlans = pgTable('workforce_plans', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull(),
  storeId: uuid('store_id'),
  groupId: uuid('group_id'),
  name: text('name').notNull(),
  dates: text('dates').array().notNull().default([]),
  latestVersion: integer('latest_version').notNull().default(0),
  publishedVersion: integer('published_version'),
  createdBy: uuid('created_by'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const workforcePlanVersions = pgTable(
  'workforce_plan_versions',
  {
    planId: uuid('plan_id').notNull(),
    version: integer('version').notNull(),
    orgId: uuid('org_id').notNull(),
    note: text('note').notNull().default(''),
    settings: jsonb('settings').$type<unknown>().notNull(),
    result: jsonb('result').$type<unknown>().notNull(),
    schedule: jsonb('schedule').$type<unknown>().notNull(),
    roster: jsonb('roster').$type<unknown>().notNull(),
    forecastTotal: doublePrecision('forecast_total').notNull(),
    peakRequired: integer('peak_required').notNull(),
    scheduleStatus: text('schedule_status').notNull(),
    cost: doublePrecision('cost').notNull(),
    shiftCount: integer('shift_count').notNull(),
    createdBy: uuid('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.planId, t.version] })],
);

export const workforceAssignments = pgTable('workforce_assignments', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  orgId: uuid('org_id').notNull(),
  planId: uuid('plan_id').notNull(),
  version: integer('version').notNull(),
  userId: uuid('user_id').notNull(),
  shiftType: text('shift_type').notNull(),
  startAt: ts('start_at').notNull(),
  endAt: ts('end_at').notNull(),
});
