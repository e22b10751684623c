import { type Database, schema } from '@peakdesk/db';
import { desc, eq } from 'drizzle-orm';

const { auditLog } = schema;

export function createAuditRepository(db: Database) {
  return {
    async insert(entry: typeof auditLog.$inferInsert) {
      await db.insert(auditLog).values(entry);
    },
    async list(orgId: string, limit: number) {
      return db
        .select()
        .from(auditLog)
        .where(eq(auditLog.orgId, orgId))
        .orderBy(desc(auditLog.id))
        .limit(limit);
    },
  };
}
