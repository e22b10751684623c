import { type Database, schema } from '@peakdesk/db';
import { and, asc, eq, isNull, or } from 'drizzle-orm';
import { type Scope, scopedWhere } from '../../http/scope.ts';

const { quickReplies } = schema;
export type QuickReplyRow = typeof quickReplies.$inferSelect;

export function createQuickRepliesRepository(db: Database) {
  // Scripts belong to the organisation (no store column): the scope narrows by org, the owner by user.
  const visible = (scope: Scope, userId: string) =>
    and(scopedWhere(quickReplies, scope), or(isNull(quickReplies.ownerId), eq(quickReplies.ownerId, userId)));
  return {
    /** Team replies plus the caller's own personal ones; other agents' personal replies stay private. */
    async listVisible(scope: Scope, userId: string) {
      return db
        .select()
        .from(quickReplies)
        .where(visible(scope, userId))
        .orderBy(asc(quickReplies.category), asc(quickReplies.shortcut));
    },
    async getVisible(scope: Scope, userId: string, id: string) {
      const [row] = await db
        .select()
        .from(quickReplies)
        .where(and(visible(scope, userId), eq(quickReplies.id, id)));
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
    async update(scope: Scope, id: string, values: Partial<typeof quickReplies.$inferInsert>) {
      const [row] = await db
        .update(quickReplies)
        .set({ ...values, updatedAt: new Date() })
        .where(and(scopedWhere(quickReplies, scope), eq(quickReplies.id, id)))
        .returning();
      return row ?? null;
    },
    async remove(scope: Scope, id: string) {
      await db.delete(quickReplies).where(and(scopedWhere(quickReplies, scope), eq(quickReplies.id, id)));
    },
  };
}
