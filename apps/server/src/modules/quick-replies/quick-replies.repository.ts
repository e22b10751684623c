import { type Database, schema } from '@peakdesk/db';
import { and, asc, eq, isNull, or } from 'drizzle-orm';

const { quickReplies } = schema;
export type QuickReplyRow = typeof quickReplies.$inferSelect;

export function createQuickRepliesRepository(db: Database) {
  const visible = (orgId: string, userId: string) =>
    and(eq(quickReplies.orgId, orgId), or(isNull(quickReplies.ownerId), eq(quickReplies.ownerId, userId)));
  return {
    /** Team replies plus the caller's own personal ones; other agents' personal replies stay private. */
    async listVisible(orgId: string, userId: string) {
      return db
        .select()
        .from(quickReplies)
        .where(visible(orgId, userId))
        .orderBy(asc(quickReplies.category), asc(quickReplies.shortcut));
    },
    async getVisible(orgId: string, userId: string, id: string) {
      const [row] = await db
        .select()
        .from(quickReplies)
        .where(and(visible(orgId, userId), eq(quickReplies.id, id)));
      return row ?? null;
    },
    /** A team script (no owner) of the organisation; FAQ entries link to these. */
    async getTeam(orgId: string, id: string) {
      const [row] = await db
        .select()
        .from(quickReplies)
        .where(and(eq(quickReplies.orgId, orgId), isNull(quickReplies.ownerId), eq(quickReplies.id, id)));
      return row ?? null;
    },
    async insert(values: typeof quickReplies.$inferInsert) {
      const [row] = await db.insert(quickReplies).values(values).returning();
      return row!;
    },
    async insertMany(values: (typeof quickReplies.$inferInsert)[]) {
      if (values.length) await db.insert(quickReplies).values(values);
    },
    async update(id: string, values: Partial<typeof quickReplies.$inferInsert>) {
      const [row] = await db
        .update(quickReplies)
        .set({ ...values, updatedAt: new Date() })
        .where(eq(quickReplies.id, id))
        .returning();
      return row!;
    },
    async remove(id: string) {
      await db.delete(quickReplies).where(eq(quickReplies.id, id));
    },
  };
}
