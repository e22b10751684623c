import { type Database, queryRows, schema, sql } from '@peakdesk/db';
import { and, asc, desc, eq, gte, lt } from 'drizzle-orm';
import { type Scope, scopedSql, scopedWhere } from '../../http/scope.ts';

const { workforceHistories, workforcePlans, workforcePlanVersions, workforceAssignments } = schema;

export type HistoryRow = typeof workforceHistories.$inferSelect;
export type PlanRow = typeof workforcePlans.$inferSelect;
export type PlanVersionRow = typeof workforcePlanVersions.$inferSelect;
export type NewPlanVersion = Omit<typeof workforcePlanVersions.$inferInsert, 'planId' | 'version' | 'orgId'>;
export type NewAssignment = { userId: string; shiftType: string; startAt: Date; endAt: Date };

/** Which `conversation.created` facts count as volume: the plan's store and/or group (null = all). */
export type VolumeScope = { storeId: string | null; groupId: string | null };

export function createWorkforceRepository(db: Database) {
  return {
    async insertHistory(values: typeof workforceHistories.$inferInsert) {
      const [row] = await db.insert(workforceHistories).values(values).returning();
      return row!;
    },
    async listHistories(scope: Scope) {
      return db
        .select()
        .from(workforceHistories)
        .where(scopedWhere(workforceHistories, scope))
        .orderBy(desc(workforceHistories.createdAt));
    },
    async getHistory(scope: Scope, id: string) {
      const [row] = await db
        .select()
        .from(workforceHistories)
        .where(and(scopedWhere(workforceHistories, scope), eq(workforceHistories.id, id)));
      return row ?? null;
    },

    /**
     * Counts `conversation.created` facts per interval of the merchant's clock in [from, to). Buckets are
     * wall-clock ms (instant + offset), the workforce engine's convention.
     */
    async countCreated(
      tenant: Scope,
      scope: VolumeScope,
      from: Date,
      to: Date,
      intervalMinutes: number,
      offsetMinutes: number,
    ): Promise<{ wallMs: number; count: number }[]> {
      const stepSeconds = intervalMinutes * 60;
      const rows = await queryRows<{ bucket: string | number; n: string | number }>(
        db,
        sql`SELECT floor((extract(epoch FROM at) + ${offsetMinutes * 60}) / ${stepSeconds})::bigint AS bucket,
                   count(*)::bigint AS n
            FROM facts
            WHERE ${scopedSql('facts', tenant)} AND kind = 'conversation.created'
              AND at >= ${from.toISOString()}::timestamptz AND at < ${to.toISOString()}::timestamptz
              ${scope.storeId ? sql`AND store_id = ${scope.storeId}` : sql``}
              ${scope.groupId ? sql`AND group_id = ${scope.groupId}` : sql``}
            GROUP BY 1 ORDER BY 1`,
      );
      return rows.map((r) => ({ wallMs: Number(r.bucket) * stepSeconds * 1000, count: Number(r.n) }));
    },

    async insertPlan(values: typeof workforcePlans.$inferInsert) {
      const [row] = await db.insert(workforcePlans).values(values).returning();
      return row!;
    },
    async listPlans(scope: Scope) {
      return db
        .select()
        .from(workforcePlans)
        .where(scopedWhere(workforcePlans, scope))
        .orderBy(desc(workforcePlans.updatedAt));
    },
    async getPlan(scope: Scope, id: string) {
      const [row] = await db
        .select()
        .from(workforcePlans)
        .where(and(scopedWhere(workforcePlans, scope), eq(workforcePlans.id, id)));
      return row ?? null;
    },
    async setPublished(orgId: string, id: string, version: number) {
      await db
        .update(workforcePlans)
        .set({ publishedVersion: version, updatedAt: new Date() })
        .where(and(eq(workforcePlans.orgId, orgId), eq(workforcePlans.id, id)));
    },

    /**
     * Appends the next version (plan row locked, so two saves get 1 and 2, never the same number) with
     * its roster rows, in one transaction: a version is stored whole or not at all.
     */
    async appendVersion(
      plan: PlanRow,
      values: NewPlanVersion,
      assignments: NewAssignment[],
      planUpdate: { dates: string[]; createdBy: string },
    ): Promise<PlanVersionRow> {
      return db.transaction(async (tx) => {
        const [locked] = await tx
          .select({ latestVersion: workforcePlans.latestVersion })
          .from(workforcePlans)
          .where(eq(workforcePlans.id, plan.id))
          .for('update');
        const version = (locked?.latestVersion ?? 0) + 1;
        const [row] = await tx
          .insert(workforcePlanVersions)
          .values({ ...values, planId: plan.id, version, orgId: plan.orgId, createdBy: planUpdate.createdBy })
          .returning();
        if (assignments.length) {
          await tx
            .insert(workforceAssignments)
            .values(assignments.map((a) => ({ ...a, orgId: plan.orgId, planId: plan.id, version })));
        }
        await tx
          .update(workforcePlans)
          .set({ latestVersion: version, dates: planUpdate.dates, updatedAt: new Date() })
          .where(eq(workforcePlans.id, plan.id));
        return row!;
      });
    },
    async listVersions(planId: string) {
      return db
        .select({
          version: workforcePlanVersions.version,
          note: workforcePlanVersions.note,
          createdAt: workforcePlanVersions.createdAt,
          createdBy: workforcePlanVersions.createdBy,
          forecastTotal: workforcePlanVersions.forecastTotal,
          peakRequired: workforcePlanVersions.peakRequired,
          scheduleStatus: workforcePlanVersions.scheduleStatus,
          cost: workforcePlanVersions.cost,
          shiftCount: workforcePlanVersions.shiftCount,
        })
        .from(workforcePlanVersions)
        .where(eq(workforcePlanVersions.planId, planId))
        .orderBy(asc(workforcePlanVersions.version));
    },
    async getVersion(planId: string, version: number) {
      const [row] = await db
        .select()
        .from(workforcePlanVersions)
        .where(and(eq(workforcePlanVersions.planId, planId), eq(workforcePlanVersions.version, version)));
      return row ?? null;
    },

    /** The user's shifts in published versions overlapping [from, to). */
    async listPublishedShifts(orgId: string, userId: string, from: Date, to: Date) {
      return db
        .select({
          planId: workforcePlans.id,
          planName: workforcePlans.name,
          version: workforceAssignments.version,
          type: workforceAssignments.shiftType,
          startAt: workforceAssignments.startAt,
          endAt: workforceAssignments.endAt,
        })
        .from(workforceAssignments)
        .innerJoin(
          workforcePlans,
          and(
            eq(workforcePlans.id, workforceAssignments.planId),
            eq(workforcePlans.publishedVersion, workforceAssignments.version),
          ),
        )
        .where(
          and(
            eq(workforceAssignments.orgId, orgId),
            eq(workforceAssignments.userId, userId),
            lt(workforceAssignments.startAt, to),
            gte(workforceAssignments.endAt, from),
          ),
        )
        .orderBy(asc(workforceAssignments.startAt));
    },
  };
}
