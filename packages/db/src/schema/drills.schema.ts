// Drizzle mirror of migrations/0006_drill_runs.sql (the SQL file is the source of truth).
import { jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const drillRuns = pgTable('drill_runs', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull(),
  drillOrgId: uuid('drill_org_id').notNull(),
  status: text('status').$type<'running' | 'finished' | 'failed'>().notNull(),
  instanceId: text('instance_id').notNull(),
  heartbeatAt: ts('heartbeat_at').notNull().defaultNow(),
  supervisorEmail: text('supervisor_email').notNull(),
  settings: jsonb('settings').$type<unknown>().notNull(),
  progress: jsonb('progress').$type<unknown>(),
  summary: jsonb('summary').$type<unknown>(),
  error: text('error'),
  reportHtml: text('report_html'),
  startedBy: uuid('started_by'),
  startedAt: ts('started_at').notNull().defaultNow(),
  finishedAt: ts('finished_at'),
});
